"""The registry of the kinds of case-file record: each kind declared once.

A :class:`RecordKind` says everything Kinwise needs to know about one kind of record:
its schema model, where it sits in a case file, its key, the prefix of the ids the web
mints for it, the prefix of the audit's subjects that name it, its names in plain
English, the person page that shows it, and whether it can be evidence, be corrected
(entered in error) and appear in the history. The case file's cross-record checks, the
audit's facts, storage, import, export, the history, the web's forms and links, the FHIR
export, the synthetic data, the test data and the documentation table all read this
registry (:data:`RECORD_KINDS`), so a kind added here (with its schema model) is carried
everywhere; docs/architecture.md lists the rest of what a new kind touches.

The registry is pure (no Django): the case-file layer, the rules and the readings use it
as much as storage does (docs/adr/0070). Every kind is stored as its case-file document
(docs/adr/0005): :meth:`RecordKind.snapshot` is the document, :meth:`RecordKind.from_data`
the record built back from it without validating again what was validated when it was
written.
"""

from __future__ import annotations

import datetime as dt
import types
from collections import Counter
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any, Literal, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from kinwise.casefile import schema as cf
from kinwise.casefile.vocab import V2_EVENT_KINDS
from kinwise.errors import ErrorCode, KinwiseError

R = TypeVar("R", bound=BaseModel)

_set = object.__setattr__


def trusted(schema: type[R], values: dict[str, Any], unset: Collection[str] = ()) -> R:
    """A record of ``schema`` from values already in the schema's types, every field given
    in the schema's order (what ``model_construct`` does, without its per-field search for
    aliases and defaults); ``unset`` are fields left at their default, as validation would."""
    record = schema.__new__(schema)
    _set(record, "__dict__", values)
    _set(record, "__pydantic_fields_set__", set(values).difference(unset) if unset else set(values))
    _set(record, "__pydantic_extra__", None)
    _set(record, "__pydantic_private__", None)
    return record


# An explicit empty list of required areas means "none", unlike an absent one.
_KEEP_EMPTY = frozenset({"required_areas"})


def prune(value: Any) -> Any:
    """The case file's dict form: None, empty lists and empty mappings left out."""
    # (a plain value is kept as it is without a call: an import prunes every document)
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if v is None:
                continue
            if isinstance(v, (dict, list)):
                if not v and k not in _KEEP_EMPTY:
                    continue
                out[k] = prune(v)
            else:
                out[k] = v
        return out
    if isinstance(value, list):
        return [prune(v) if isinstance(v, (dict, list)) else v for v in value]
    return value


# --- building a record back from its stored document -------------------------------------

Converter = Callable[[Any], Any]


def _strip(annotation: Any) -> Any:
    """The type under Annotated[...] and Optional[...]."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        else:
            return annotation


def _converter(annotation: Any) -> Converter | None:
    """What turns a document's JSON value into the schema's value (None: as it is)."""
    annotation = _strip(annotation)
    if annotation is dt.date:
        return dt.date.fromisoformat
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        build = _builder(annotation)
        return build
    origin = get_origin(annotation)
    if origin is list:
        item = _converter(get_args(annotation)[0])
        if item is None:
            return None
        convert_item: Converter = item
        return lambda values: [convert_item(v) for v in values]
    if origin is dict:
        value = _converter(get_args(annotation)[1])
        if value is None:
            return None
        convert_value: Converter = value
        return lambda values: {k: convert_value(v) for k, v in values.items()}
    if origin is Literal:
        return None
    return None


def _default_of(factory: Any, value: Any) -> Callable[[], Any]:
    """What a field absent from a document holds: its default (a fresh list or mapping)."""
    if factory is not None:
        made: Callable[[], Any] = factory
        return made
    if isinstance(value, list | dict):
        return lambda: type(value)(value)
    return lambda: value


_IMMUTABLE = (type(None), bool, int, float, str, tuple, frozenset)


@cache
def _builder(schema: type[BaseModel]) -> Callable[[Mapping[str, Any]], Any]:
    """A trusted constructor of ``schema`` from its case-file document: every field in
    the schema's order, absent ones at their default (as validation would give).

    The constructor is one function generated for the schema (a dict display of its
    fields, each taken from the document, converted when its type needs it, or its
    default): the audit builds one record per stored row, so a loop over the fields per
    row, and a second pass for the fields that were set, cost more than reading the row
    (issue 17). What it builds is what :func:`trusted` builds."""
    names = set(schema.model_fields)  # a set's intersection is a set, as pydantic keeps it
    scope: dict[str, Any] = {
        "_new": schema.__new__,
        "_schema": schema,
        "_set": _set,
        "_isect": names.intersection,
    }
    items: list[str] = []
    for index, (name, info) in enumerate(schema.model_fields.items()):
        convert = _converter(info.annotation)
        factory, value = info.default_factory, info.default
        key = repr(name)
        if factory is None and isinstance(value, _IMMUTABLE):
            scope[f"_d{index}"] = value
            absent = f"_d{index}"
        else:
            scope[f"_d{index}"] = _default_of(factory, value)
            absent = f"_d{index}()"
        if convert is None:
            if absent.endswith("()"):
                items.append(f"{key}: data[{key}] if {key} in data else {absent}")
            else:
                items.append(f"{key}: data.get({key}, {absent})")
        else:
            scope[f"_c{index}"] = convert
            items.append(
                f"{key}: (_c{index}(_v) if (_v := data.get({key})) is not None"
                f" else (_v if {key} in data else {absent}))"
            )
    body = ",\n        ".join(items)
    source = (
        "def build(data):\n"
        f"    values = {{\n        {body}\n    }}\n"
        "    record = _new(_schema)\n"
        "    _set(record, '__dict__', values)\n"
        "    _set(record, '__pydantic_fields_set__', _isect(data))\n"
        "    _set(record, '__pydantic_extra__', None)\n"
        "    _set(record, '__pydantic_private__', None)\n"
        "    return record\n"
    )
    exec(compile(source, f"<trusted builder of {schema.__name__}>", "exec"), scope)  # noqa: S102
    build: Callable[[Mapping[str, Any]], Any] = scope["build"]
    return build


# --- the registry ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordKind:
    """A kind of case-file record.

    ``name`` is its one name (in code, addresses and the history); ``place`` the path of
    its list in a case file (the plan's place is the plan itself); ``key_field`` the field
    that names a record of the kind (None for the plan, which is single); ``label`` and
    ``plural`` its name in plain English in a sentence, ``title`` its heading in the
    history; ``page`` the person page that shows it; ``id_prefix`` the prefix of the ids
    the web mints (``v-3``); ``subject_prefix`` the prefix of the audit's subjects that
    name a record of it (``risk:ra-1``; rules.md), empty when no rule names it;
    ``evidence`` whether a meeting's decision may cite it as evidence; ``correctable``
    whether staff can take a record of it out as entered in error; ``in_history`` whether
    its versions (always written) are listed in the person's history and each record has
    a history page;
    ``own_listing`` whether its page has a listing of its own (if not, the page lists its
    records in the list every person page ends with); ``reference`` how a validation
    message names a record of it (default: "a" or "an" and its title); ``excluded`` the
    fields of its document that are kinds of their own (the plan's roles and tasks);
    ``version`` the case-file format version that added it.

    ``fix_at`` is where a finding about a record of it is put right, relative to the
    person's pages (``{key}`` stands for the record's key: ``risk/#risk-{key}``), and
    ``fix_words`` the words of that link; ``row_subjects`` the audit's subject prefixes that
    name a row inside a record of it (a meeting's ``decision:m1/area``), whose findings
    are put right at the record.
    """

    name: str
    schema: type[cf.Record]
    place: tuple[str, ...]
    key_field: str | None
    label: str
    plural: str
    page: str
    title: str
    id_prefix: str = ""
    subject_prefix: str = ""
    evidence: bool = False
    correctable: bool = True
    in_history: bool = True
    own_listing: bool = True
    reference: str = ""
    excluded: frozenset[str] = frozenset()
    fix_at: str = ""
    fix_words: str = ""
    row_subjects: tuple[str, ...] = ()
    version: int = 1
    """The format version that added the kind (docs/spec/casefile-v2.md)."""

    @property
    def put_right_at(self) -> tuple[str, str]:
        """Where a finding about a record of it is put right (relative to the person's
        pages; ``{key}`` for the record's key) and the link's words: ``fix_at``, else the
        list of its page that shows a kind without a listing of its own."""
        if self.fix_at:
            return self.fix_at, self.fix_words
        if not self.own_listing and self.page in PAGE_PATHS:
            return f"{PAGE_PATHS[self.page]}#listed-{self.name}", f"Go to the {self.plural}"
        return "", ""

    @property
    def kind(self) -> str:
        return self.name

    @property
    def single(self) -> bool:
        return self.key_field is None

    @property
    def has_id(self) -> bool:
        """Whether its records carry a case-file id (in the file's one namespace of ids)."""
        return self.key_field == "id"

    @property
    def referred_as(self) -> str:
        """A record of this kind as a validation message names it ("a graded trial")."""
        if self.reference:
            return self.reference
        title = self.title.lower()
        return f"{'an' if title[:1] in 'aeiou' else 'a'} {title}"

    def subject(self, key: str) -> str:
        """The audit's subject naming the record of this key (``risk:ra-1``)."""
        return f"{self.subject_prefix}:{key}" if self.key_field else self.subject_prefix

    def records(self, casefile: cf.CaseFile) -> Sequence[cf.Record]:
        value: Any = casefile
        for part in self.place:
            value = getattr(value, part)
        return [value] if self.single else list(value)

    def key(self, record: cf.Record) -> str:
        if self.key_field is None:
            return self.name
        value: str = getattr(record, self.key_field)
        return value

    def keyed(self, casefile: cf.CaseFile) -> list[tuple[str, cf.Record]]:
        """The file's records of this kind with their keys, in the file's order: a key
        used twice (two medicines of one name) is told apart as ``name#2``."""
        seen: Counter[str] = Counter()
        out = []
        for item in self.records(casefile):
            base = self.key(item)
            seen[base] += 1
            out.append((base if seen[base] == 1 else f"{base}#{seen[base]}", item))
        return out

    def snapshot(self, record: cf.Record) -> dict[str, Any]:
        """The record as its case-file document (what is stored and each version holds)."""
        data = record.model_dump(mode="json", exclude=set(self.excluded) or None)
        result: dict[str, Any] = prune(data)
        return result

    def from_data(self, data: Mapping[str, Any]) -> cf.Record:
        """The record of a stored document, trusted (it was validated when written)."""
        record: cf.Record = _builder(self.schema)(data)
        return record

    def items_in(self, data: dict[str, Any]) -> list[dict[str, Any]]:
        """The list of this kind's records in a case file's data (created if absent)."""
        parent = data
        for part in self.place[:-1]:
            parent = parent.setdefault(part, {})
        items: list[dict[str, Any]] = parent.setdefault(self.place[-1], [])
        return items

    def raw_items(self, data: Any) -> Iterator[tuple[str, Any]]:
        """The items of this kind's list in a case file's data as it was read (any shape),
        each with its path; nothing when the list is absent or not a list."""
        value = data
        for part in self.place:
            value = value.get(part) if isinstance(value, dict) else None
        if self.single:
            if value is not None:
                yield self.path_of(0), value
        elif isinstance(value, list):
            for index, item in enumerate(value):
                yield self.path_of(index), item

    def path_of(self, index: int) -> str:
        """The case-file path of the record at ``index`` of this kind's list."""
        where = ".".join(self.place)
        return where if self.single else f"{where}[{index}]"


class Registry:
    """The kinds of record in the order of a case file's sections (their registry order).

    Iterating gives every kind; ``name in RECORD_KINDS`` asks whether a kind is registered,
    ``RECORD_KINDS[name]`` finds one by its name (:meth:`named`: with a not-found error). :meth:`extended` adds a kind for the duration of
    a ``with`` block (a test's kind), with its list as a field of the case file; the kinds
    of format version 1 are fixed.
    """

    def __init__(self, kinds: Sequence[RecordKind]) -> None:
        self._kinds: tuple[RecordKind, ...] = ()
        self._by_name: dict[str, RecordKind] = {}
        self._order: dict[str, int] = {}
        self._set(tuple(kinds))

    def _set(self, kinds: tuple[RecordKind, ...]) -> None:
        names = [k.name for k in kinds]
        if len(set(names)) != len(names) or PERSON_KIND in names:
            raise ValueError("each kind of record needs a name of its own")
        self._kinds = kinds
        self._by_name = {k.name: k for k in kinds}
        self._order = {k.name: i for i, k in enumerate(kinds)}

    def __iter__(self) -> Iterator[RecordKind]:
        return iter(self._kinds)

    def __len__(self) -> int:
        return len(self._kinds)

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self._by_name)

    def __getitem__(self, name: str) -> RecordKind:
        return self._by_name[name]

    def get(self, name: str) -> RecordKind | None:
        return self._by_name.get(name)

    def builders(self) -> dict[str, Callable[[Mapping[str, Any]], Any]]:
        """Each kind's trusted constructor from its stored document, by name (what
        :meth:`RecordKind.from_data` calls): looked up once by a read of many records."""
        return {kind.name: _builder(kind.schema) for kind in self._kinds}

    def named(self, name: str) -> RecordKind:
        """The kind of this name (a not-found error when there is none)."""
        try:
            return self._by_name[name]
        except KeyError:
            raise KinwiseError(ErrorCode.NOT_FOUND, "no such kind of record") from None

    def by_subject(self, prefix: str) -> RecordKind | None:
        """The kind whose records (or rows inside them) the audit names with ``prefix``."""
        for spec in self._kinds:
            if spec.subject_prefix and (
                spec.subject_prefix == prefix or prefix in spec.row_subjects
            ):
                return spec
        return None

    def order(self, name: str) -> int:
        """The place of the kind among the sections of a case file."""
        return self._order[name]

    def at(self, place: Sequence[str]) -> RecordKind | None:
        """The kind whose records sit at ``place`` of a case file."""
        for spec in self._kinds:
            if spec.place == tuple(place):
                return spec
        return None

    def by_section(self) -> dict[str, list[RecordKind]]:
        """The kinds by the top-level section of the case file that holds them."""
        out: dict[str, list[RecordKind]] = {}
        for spec in self._kinds:
            out.setdefault(spec.place[0], []).append(spec)
        return out

    @contextmanager
    def extended(self, kind: RecordKind) -> Iterator[RecordKind]:
        """``kind`` registered, and its list a field of the case file (optional, empty by
        default), until the block ends: for a kind that lives only as long as a test.

        The kind's place must be one new top-level field. Everything that reads the
        registry carries it: validation (with its ids in the file's namespace), import,
        export, storage, the history and its pages.
        """
        if len(kind.place) != 1 or kind.place[0] in cf.CaseFile.model_fields:
            raise ValueError("an added kind needs a new top-level place in the case file")
        if kind.single:
            raise ValueError("an added kind is a list of records with a key")
        before = self._kinds
        fields = cf.CaseFile.__pydantic_fields__
        items: Any = list[kind.schema]  # type: ignore[name-defined]
        annotation: Any = Annotated[items, cf.NoneAsEmpty]
        fields[kind.place[0]] = FieldInfo.from_annotated_attribute(annotation, [])
        cf.CaseFile.model_rebuild(force=True)
        try:
            self._set((*before, kind))
            yield kind
        finally:
            self._set(before)
            del fields[kind.place[0]]
            cf.CaseFile.model_rebuild(force=True)


# Each person page by its name (``RecordKind.page``), relative to the person's pages.
PAGE_PATHS: Mapping[str, str] = {
    "overview": "",
    "voice": "voice/",
    "meetings": "meetings/",
    "risk": "risk/",
    "arrangements": "arrangements/",
    "capacity": "capacity/",
}

# The person is not a kind of record (each case file has exactly one, with no list of its
# own), but the history names its versions by this kind.
PERSON_KIND = "person"
PERSON_TITLE = "Communication profile"

RECORD_KINDS = Registry(
    (
        RecordKind(
            name="member",
            schema=cf.Member,
            place=("circle",),
            key_field="id",
            label="circle member",
            plural="circle",
            page="arrangements",
            title="Circle member",
            id_prefix="m",
        ),
        RecordKind(
            name="authority",
            schema=cf.Authority,
            place=("legal_authorities",),
            key_field="id",
            label="legal authority",
            plural="legal authorities",
            page="capacity",
            title="Legal authority",
            id_prefix="la",
        ),
        RecordKind(
            name="capacity_assessment",
            schema=cf.Assessment,
            place=("capacity_assessments",),
            key_field="id",
            label="capacity assessment",
            plural="capacity assessments",
            page="capacity",
            title="Capacity assessment",
            id_prefix="ca",
            subject_prefix="capacity",
            evidence=True,
            fix_at="capacity/#capacity-{key}",
            fix_words="Go to the capacity assessment",
        ),
        RecordKind(
            name="best_interests",
            schema=cf.BestInterests,
            place=("best_interests",),
            key_field="id",
            label="best-interests decision",
            plural="best-interests decisions",
            page="capacity",
            title="Best-interests decision",
            id_prefix="bi",
            subject_prefix="best_interests",
            evidence=True,
            fix_at="capacity/#best-interests-{key}",
            fix_words="Go to the best-interests decision",
        ),
        RecordKind(
            name="consent",
            schema=cf.Consent,
            place=("consents",),
            key_field="id",
            label="consent",
            plural="consents",
            page="capacity",
            title="Consent",
            id_prefix="c",
        ),
        RecordKind(
            name="plan",
            schema=cf.Plan,
            place=("plan",),
            key_field=None,
            label="care plan",
            plural="care plans",
            page="overview",
            title="Care plan",
            subject_prefix="plan",
            correctable=False,
            excluded=frozenset({"roles", "tasks"}),
            fix_at="capacity/#consents",
            fix_words="Record consent to the care plan",
        ),
        RecordKind(
            name="role",
            schema=cf.Role,
            place=("plan", "roles"),
            key_field="area",
            label="decision area",
            plural="decision areas",
            page="overview",
            title="Who decides",
            id_prefix="r",
            subject_prefix="role",
            fix_at="#role-{key}",
            fix_words="Change who decides",
        ),
        RecordKind(
            name="task",
            schema=cf.Task,
            place=("plan", "tasks"),
            key_field="id",
            label="family-held task",
            plural="family-held tasks",
            page="arrangements",
            title="Governance task",
            id_prefix="t",
            subject_prefix="task",
            reference="a task",
            fix_at="arrangements/#task-{key}",
            fix_words="Go to the task",
        ),
        RecordKind(
            name="voice",
            schema=cf.Voice,
            place=("voice",),
            key_field="id",
            label="view",
            plural="views",
            page="voice",
            title="Voice record",
            id_prefix="v",
            subject_prefix="voice",
            evidence=True,
            fix_at="voice/?record={key}#voice-{key}",
            fix_words="Go to the voice record",
        ),
        RecordKind(
            name="meeting",
            schema=cf.Meeting,
            place=("meetings",),
            key_field="id",
            label="meeting",
            plural="meetings",
            page="meetings",
            title="Meeting",
            id_prefix="m",
            subject_prefix="meeting",
            fix_at="meetings/{key}/",
            fix_words="Go to the meeting",
            row_subjects=("decision",),
        ),
        RecordKind(
            name="risk_assessment",
            schema=cf.Risk,
            place=("risk_assessments",),
            key_field="id",
            label="risk assessment",
            plural="risk assessments",
            page="risk",
            title="Risk assessment",
            id_prefix="ra",
            subject_prefix="risk",
            evidence=True,
            fix_at="risk/#risk-{key}",
            fix_words="Go to the risk assessment",
        ),
        RecordKind(
            name="graded_trial",
            schema=cf.Trial,
            place=("graded_trials",),
            key_field="id",
            label="graded trial",
            plural="graded trials",
            page="risk",
            title="Graded trial",
            id_prefix="gt",
            subject_prefix="trial",
            evidence=True,
            fix_at="risk/#trial-{key}",
            fix_words="Go to the graded trial",
        ),
        RecordKind(
            name="incident",
            schema=cf.Incident,
            place=("incidents",),
            key_field="id",
            label="incident",
            plural="incidents",
            page="risk",
            title="Incident",
            id_prefix="inc",
            subject_prefix="incident",
            evidence=True,
            fix_at="risk/#incident-{key}",
            fix_words="Go to the incident",
        ),
        RecordKind(
            name="event",
            schema=cf.Event,
            place=("events",),
            key_field="id",
            label="change of need or event",
            plural="events",
            page="risk",
            title="Event",
            id_prefix="ev",
            subject_prefix="event",
            evidence=True,
            fix_at="risk/#event-{key}",
            fix_words="Go to the event",
        ),
        RecordKind(
            name="medicine",
            schema=cf.Medicine,
            place=("medication", "regimen"),
            key_field="name",
            label="medicine",
            plural="medicines",
            page="arrangements",
            title="Medicine",
        ),
        RecordKind(
            name="medication_audit",
            schema=cf.MedAudit,
            place=("medication", "audits"),
            key_field="id",
            label="medication audit",
            plural="medication audits",
            page="arrangements",
            title="Medication audit",
            id_prefix="ma",
            evidence=True,
        ),
        RecordKind(
            name="family_view",
            schema=cf.FamilyView,
            place=("family_views",),
            key_field="id",
            label="family member's view",
            plural="family members' views",
            page="meetings",
            title="Family member's view",
            id_prefix="fv",
            own_listing=False,
            version=2,
        ),
        RecordKind(
            name="concern",
            schema=cf.Concern,
            place=("concerns",),
            key_field="id",
            label="concern",
            plural="concerns",
            page="meetings",
            title="Concern",
            id_prefix="cn",
            subject_prefix="concern",
            own_listing=False,
            version=2,
        ),
        RecordKind(
            name="role_change",
            schema=cf.RoleChange,
            place=("role_changes",),
            key_field="id",
            label="change of role",
            plural="changes of role",
            page="overview",
            title="Change of role",
            id_prefix="rc",
            subject_prefix="role_change",
            own_listing=False,
            version=2,
        ),
        RecordKind(
            name="carer_plan",
            schema=cf.CarerPlan,
            place=("carer_plans",),
            key_field="id",
            label="carer's plan",
            plural="carers' plans",
            page="arrangements",
            title="Carer's plan",
            id_prefix="cp",
            subject_prefix="carer_plan",
            own_listing=False,
            version=2,
        ),
        RecordKind(
            name="goal",
            schema=cf.Goal,
            place=("goals",),
            key_field="id",
            label="goal",
            plural="goals",
            page="voice",
            title="Goal",
            id_prefix="g",
            subject_prefix="goal",
            own_listing=False,
            version=2,
        ),
        RecordKind(
            name="restriction",
            schema=cf.Restriction,
            place=("restrictions",),
            key_field="id",
            label="restriction",
            plural="restrictions",
            page="risk",
            title="Restriction",
            id_prefix="rs",
            subject_prefix="restriction",
            own_listing=False,
            version=2,
        ),
    )
)


def kind_named(name: str) -> RecordKind:
    return RECORD_KINDS.named(name)


def kind_titles() -> dict[str, str]:
    """The history's heading of each kind (and of the person's profile), by name."""
    return {PERSON_KIND: PERSON_TITLE, **{k.name: k.title for k in RECORD_KINDS}}


def person_snapshot(person: cf.Person) -> dict[str, Any]:
    result: dict[str, Any] = prune(person.model_dump(mode="json"))
    return result


def person_columns(person: cf.Person) -> dict[str, Any]:
    return {
        "external_id": person.id,
        "name": person.name,
        "date_of_birth": person.date_of_birth,
        "communication_methods": list(person.communication.methods),
        "communication_notes": person.communication.notes,
    }


def person_data(
    *,
    external_id: str,
    name: str,
    date_of_birth: dt.date | None,
    methods: Sequence[str],
    notes: str | None,
) -> dict[str, Any]:
    """The person's case-file document from their stored columns."""
    data: dict[str, Any] = {"id": external_id, "name": name}
    if date_of_birth is not None:
        data["date_of_birth"] = date_of_birth.isoformat()
    communication: dict[str, Any] = {"methods": list(methods)}
    if notes is not None:
        communication["notes"] = notes
    data["communication"] = communication
    return data


def person_record(row: Any) -> cf.Person:
    return cf.Person.model_validate(
        {
            "id": row.external_id,
            "name": row.name,
            "date_of_birth": row.date_of_birth,
            "communication": {
                "methods": row.communication_methods,
                "notes": row.communication_notes,
            },
        }
    )


def documents_version(documents: Mapping[str, Sequence[Mapping[str, Any]]]) -> int:
    """The lowest format version that holds these records' documents, by kind
    (docs/spec/casefile-v2.md): what :func:`_version_of_records` says of their records."""
    if any(documents.get(k.name) for k in RECORD_KINDS if k.version > 1) or any(
        d.get("kind") in V2_EVENT_KINDS or d.get("carer") for d in documents.get("event", ())
    ):
        return cf.LATEST_FORMAT_VERSION
    return cf.FORMAT_VERSION


def casefile_data(
    *,
    service: tuple[str, str],
    person: dict[str, Any],
    documents: Mapping[str, Sequence[Mapping[str, Any]]],
) -> dict[str, Any]:
    """A case file's data (what a YAML or JSON file holds) from the person's document and
    their current records' documents by kind, each kind in the file's order."""
    data: dict[str, Any] = {
        "kinwise": cf.FORMAT_VERSION,
        "service": {"id": service[0], "name": service[1]},
        "person": dict(person),
    }
    data["kinwise"] = documents_version(documents)
    for spec in RECORD_KINDS:
        docs = documents.get(spec.name, ())
        if spec.single:
            if len(docs) != 1:
                raise ValueError(
                    f"a person must have exactly one current {spec.name}, found {len(docs)}"
                )
            parent = data
            for part in spec.place[:-1]:
                parent = parent.setdefault(part, {})
            parent[spec.place[-1]] = {**dict(docs[0]), **parent.get(spec.place[-1], {})}
        elif docs:
            spec.items_in(data).extend(dict(d) for d in docs)
    return data


def assemble_casefile(
    *,
    service: tuple[str, str],
    person: cf.Person,
    records: Mapping[str, Sequence[cf.Record]],
    trust: bool = False,
) -> cf.CaseFile:
    """A case file from its person and current records (by kind, in the file's order),
    each kind put at its place in the file.

    With ``trust``, the records are taken as the schema's own (built from stored
    documents by :meth:`RecordKind.from_data`) and the case file is built without
    validating it again.
    """
    singles: dict[str, cf.Record] = {}
    sections: dict[str, Any] = {}
    inner: dict[str, dict[str, list[cf.Record]]] = {}
    for spec in RECORD_KINDS:
        got = list(records.get(spec.name, ()))
        if spec.single:
            if len(got) != 1:
                raise ValueError(
                    f"a person must have exactly one current {spec.name}, found {len(got)}"
                )
            singles[spec.place[0]] = got[0]
        elif len(spec.place) == 1:
            sections[spec.place[0]] = got
        else:
            inner.setdefault(spec.place[0], {})[spec.place[1]] = got
    for name, record in singles.items():
        if name not in inner:
            sections[name] = record
    for container, fields in inner.items():
        base = singles.get(container)
        if trust:
            schema = _strip(cf.CaseFile.model_fields[container].annotation)
            held: dict[str, Any] = {**base.__dict__, **fields} if base is not None else dict(fields)
            given = (base.model_fields_set if base is not None else set()) | set(fields)
            sections[container] = trusted(schema, held, unset=set(held) - given)
        elif base is not None:
            sections[container] = base.model_copy(update=fields)
        else:
            sections[container] = fields
    version = _version_of_records(records)
    if trust:
        whole: dict[str, Any] = {}
        for name in cf.CaseFile.model_fields:
            if name == "kinwise":
                whole[name] = version
            elif name in ("as_of", "exported"):
                whole[name] = None
            elif name == "service":
                whole[name] = trusted(cf.Service, {"id": service[0], "name": service[1]})
            elif name == "person":
                whole[name] = person
            else:
                whole[name] = sections.get(name, [])
        return trusted(cf.CaseFile, whole, unset=("as_of", "exported"))
    return cf.CaseFile.model_validate(
        {
            "kinwise": version,
            "service": {"id": service[0], "name": service[1]},
            "person": person,
            **sections,
        }
    )


def _version_of_records(records: Mapping[str, Sequence[cf.Record]]) -> int:
    """The lowest format version that holds these records (docs/spec/casefile-v2.md)."""
    if any(records.get(k.name) for k in RECORD_KINDS if k.version > 1):
        return cf.LATEST_FORMAT_VERSION
    for event in records.get("event", ()):
        if isinstance(event, cf.Event) and (event.kind in V2_EVENT_KINDS or event.carer):
            return cf.LATEST_FORMAT_VERSION
    return cf.FORMAT_VERSION


# --- the documentation's table of the kinds --------------------------------------------------

KINDS_TABLE_START = "<!-- the kinds of record: generated from kinwise.casefile.kinds -->"
KINDS_TABLE_END = "<!-- end of the kinds of record -->"


def kinds_table() -> str:
    """The table of the kinds of record in docs/casefile.md (a test keeps the two equal;
    ``python -m kinwise.casefile.kinds`` prints it)."""

    def yes(value: bool) -> str:
        return "yes" if value else "no"

    rows = [
        "| kind | in the file | key | in plain English | page | new ids | audit subject "
        "| evidence | entered in error | in history |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for spec in RECORD_KINDS:
        place = ".".join(spec.place)
        key = f"`{spec.key_field}`" if spec.key_field else "one per person"
        prefix = f"`{spec.id_prefix}-1`" if spec.id_prefix else ""
        subject = f"`{spec.subject(f'<{spec.key_field}>')}`" if spec.subject_prefix else ""
        rows.append(
            f"| `{spec.name}` | `{place}` | {key} | {spec.label} ({spec.title}) | {spec.page} "
            f"| {prefix} | {subject} | {yes(spec.evidence)} | {yes(spec.correctable)} "
            f"| {yes(spec.in_history)} |"
        )
    return "\n".join([KINDS_TABLE_START, *rows, KINDS_TABLE_END])


if __name__ == "__main__":
    print(kinds_table())
