"""The registry of the kinds of case-file record: each kind declared once.

A :class:`RecordKind` says everything Kinwise needs to know about one kind of record:
its schema model, where it sits in a case file, its key, the prefix of the ids the web
mints for it, its name in plain English, the page that shows it, and whether it can be
corrected (entered in error). Storage, import, export, the history, the web's forms and
links, and the documentation table all read this registry, so a kind added here (with
its schema model) is carried everywhere; docs/architecture.md lists the rest of what a
new kind touches.

Every kind is stored as its case-file document (docs/adr/0005): :meth:`RecordKind.snapshot`
is the document, :meth:`RecordKind.from_data` the record built back from it without
validating again what was validated when it was written.
"""

from __future__ import annotations

import datetime as dt
import types
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from kinwise.casefile import schema as cf
from kinwise.records.reading import trusted

# An explicit empty list of required areas means "none", unlike an absent one.
_KEEP_EMPTY = frozenset({"required_areas"})


def prune(value: Any) -> Any:
    """The case file's dict form: None, empty lists and empty mappings left out."""
    if isinstance(value, dict):
        return {
            k: prune(v)
            for k, v in value.items()
            if v is not None and (k in _KEEP_EMPTY or not (v == [] or v == {}))
        }
    if isinstance(value, list):
        return [prune(v) for v in value]
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


@cache
def _builder(schema: type[BaseModel]) -> Callable[[Mapping[str, Any]], Any]:
    """A trusted constructor of ``schema`` from its case-file document: every field in
    the schema's order, absent ones at their default (as validation would give)."""
    plan: list[tuple[str, Converter | None, Callable[[], Any]]] = []
    for name, info in schema.model_fields.items():
        plan.append(
            (name, _converter(info.annotation), _default_of(info.default_factory, info.default))
        )

    def build(data: Mapping[str, Any]) -> Any:
        values: dict[str, Any] = {}
        for name, convert, default in plan:
            if name in data:
                raw = data[name]
                values[name] = convert(raw) if convert is not None and raw is not None else raw
            else:
                values[name] = default()
        return trusted(schema, values, unset=[n for n in values if n not in data])

    return build


# --- the registry ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordKind:
    """A kind of case-file record.

    ``name`` is its one name (in code, addresses and the history); ``place`` the path of
    its list in a case file (the plan's place is the plan itself); ``key_field`` the field
    that names a record of the kind (None for the plan, which is single); ``id_prefix``
    the prefix of the ids the web mints (``v-3``); ``label`` and ``plural`` its name in
    plain English; ``page`` the person page that shows it; ``correctable`` whether staff
    can take a record of it out as entered in error.
    """

    name: str
    schema: type[cf.Record]
    place: tuple[str, ...]
    key_field: str | None
    label: str
    plural: str
    page: str
    id_prefix: str = ""
    correctable: bool = True
    excluded: frozenset[str] = frozenset()

    @property
    def kind(self) -> str:
        return self.name

    @property
    def single(self) -> bool:
        return self.key_field is None

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

    def path_of(self, index: int) -> str:
        """The case-file path of the record at ``index`` of this kind's list."""
        where = ".".join(self.place)
        return where if self.single else f"{where}[{index}]"


RECORD_KINDS: tuple[RecordKind, ...] = (
    RecordKind(
        "member", cf.Member, ("circle",), "id", "circle member", "circle", "arrangements", "m"
    ),
    RecordKind(
        "authority",
        cf.Authority,
        ("legal_authorities",),
        "id",
        "legal authority",
        "legal authorities",
        "capacity",
        "la",
    ),
    RecordKind(
        "capacity_assessment",
        cf.Assessment,
        ("capacity_assessments",),
        "id",
        "capacity assessment",
        "capacity assessments",
        "capacity",
        "ca",
    ),
    RecordKind(
        "best_interests",
        cf.BestInterests,
        ("best_interests",),
        "id",
        "best-interests decision",
        "best-interests decisions",
        "capacity",
        "bi",
    ),
    RecordKind("consent", cf.Consent, ("consents",), "id", "consent", "consents", "capacity", "c"),
    RecordKind(
        "plan",
        cf.Plan,
        ("plan",),
        None,
        "care plan",
        "care plans",
        "overview",
        correctable=False,
        excluded=frozenset({"roles", "tasks"}),
    ),
    RecordKind(
        "role",
        cf.Role,
        ("plan", "roles"),
        "area",
        "decision area",
        "decision areas",
        "overview",
        "r",
    ),
    RecordKind(
        "task",
        cf.Task,
        ("plan", "tasks"),
        "id",
        "family-held task",
        "family-held tasks",
        "arrangements",
        "t",
    ),
    RecordKind("voice", cf.Voice, ("voice",), "id", "view", "views", "voice", "v"),
    RecordKind("meeting", cf.Meeting, ("meetings",), "id", "meeting", "meetings", "meetings", "m"),
    RecordKind(
        "risk_assessment",
        cf.Risk,
        ("risk_assessments",),
        "id",
        "risk assessment",
        "risk assessments",
        "risk",
        "ra",
    ),
    RecordKind(
        "graded_trial",
        cf.Trial,
        ("graded_trials",),
        "id",
        "graded trial",
        "graded trials",
        "risk",
        "gt",
    ),
    RecordKind(
        "incident", cf.Incident, ("incidents",), "id", "incident", "incidents", "risk", "inc"
    ),
    RecordKind(
        "event", cf.Event, ("events",), "id", "change of need or event", "events", "risk", "ev"
    ),
    RecordKind(
        "medicine",
        cf.Medicine,
        ("medication", "regimen"),
        "name",
        "medicine",
        "medicines",
        "arrangements",
    ),
    RecordKind(
        "medication_audit",
        cf.MedAudit,
        ("medication", "audits"),
        "id",
        "medication audit",
        "medication audits",
        "arrangements",
        "ma",
    ),
)

KINDS_BY_NAME: dict[str, RecordKind] = {k.name: k for k in RECORD_KINDS}

# The order of the kinds (their registry order) is the order of a case file's sections.
KIND_ORDER: dict[str, int] = {k.name: i for i, k in enumerate(RECORD_KINDS)}

PERSON_KIND = "person"


def kind_named(name: str) -> RecordKind:
    try:
        return KINDS_BY_NAME[name]
    except KeyError:
        from kinwise.errors import ErrorCode, KinwiseError

        raise KinwiseError(ErrorCode.NOT_FOUND, "no such kind of record") from None


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
    if trust:
        whole: dict[str, Any] = {}
        for name in cf.CaseFile.model_fields:
            if name == "kinwise":
                whole[name] = cf.FORMAT_VERSION
            elif name == "as_of":
                whole[name] = None
            elif name == "service":
                whole[name] = trusted(cf.Service, {"id": service[0], "name": service[1]})
            elif name == "person":
                whole[name] = person
            else:
                whole[name] = sections.get(name, [])
        return trusted(cf.CaseFile, whole, unset=("as_of",))
    return cf.CaseFile.model_validate(
        {
            "kinwise": cf.FORMAT_VERSION,
            "service": {"id": service[0], "name": service[1]},
            "person": person,
            **sections,
        }
    )
