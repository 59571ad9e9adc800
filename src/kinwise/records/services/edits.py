"""Record-level changes from the staff pages, validated and written exactly like an import.

Each change takes the person's current case file (``casefile_export``), applies itself to
the file's data, validates the whole file with :func:`kinwise.casefile.load.validate_data`
(so references and constraints give the same messages as ``kinwise import``), and writes
the result with :func:`casefile_import`, which gives only the changed records a new
history version. On any error nothing is written and :class:`KinwiseError` carries every
error with its path in the file (``voice[3].method``).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from kinwise.casefile.kinds import (
    RECORD_KINDS,
    RecordKind,
    casefile_data,
    kind_named,
    person_data,
)
from kinwise.casefile.load import casefile_to_data, validate_data
from kinwise.casefile.schema import CaseFile
from kinwise.casefile.versions import settle_version
from kinwise.errors import ErrorCode, FieldError, FieldErrorCode, KinwiseError
from kinwise.records.models import Person
from kinwise.records.services.casefiles import (
    ImportResult,
    RecordKey,
    StoredRow,
    casefile_write,
    stored_rows,
)
from kinwise.records.transactions import write_transaction

logger = logging.getLogger(__name__)

WEB_SOURCE = "web"


@dataclass(frozen=True)
class Saved:
    """What a change did: the validated case file, the import's counts, and the path of
    the record it wrote (``voice[3]``), which form errors are mapped back to."""

    casefile: CaseFile
    result: ImportResult
    path: str
    key: str


def _items(data: dict[str, Any], kind: str) -> tuple[RecordKind, list[dict[str, Any]]]:
    spec = kind_named(kind)
    if spec.single:
        raise KinwiseError(ErrorCode.USAGE, f"the {spec.label} is not one of a list")
    return spec, spec.items_in(data)


def _ids(value: Any) -> Iterator[str]:
    """Every id in the file's data (one namespace for the person, members and records)."""
    if isinstance(value, dict):
        if isinstance(value.get("id"), str):
            yield value["id"]
        for k, v in value.items():
            if k != "service":
                yield from _ids(v)
    elif isinstance(value, list):
        for v in value:
            yield from _ids(v)


def new_id(data: dict[str, Any], prefix: str) -> str:
    """The first ``<prefix>-<n>`` (n = 1, 2, ...) not yet used as an id in the file."""
    used = set(_ids(data))
    n = 1
    while f"{prefix}-{n}" in used:
        n += 1
    return f"{prefix}-{n}"


def _apply(
    *,
    person: Person,
    actor: AbstractBaseUser | None,
    change: Callable[[dict[str, Any]], tuple[str, str]],
    expected: Mapping[RecordKey, int] | None = None,
    corrected: Mapping[RecordKey, str] | None = None,
    reasons: Mapping[RecordKey, str] | None = None,
    source: str = WEB_SOURCE,
) -> Saved:
    """Apply ``change`` to the person's current case-file data, validate the whole file as
    an import does, and write what differs (one batch, :func:`casefile_write`); the
    history names ``source`` (a page of the web unless told).

    The person's row is locked first (on SQLite the write lock is taken at the start,
    :func:`write_transaction`), so two saves made at once run one after the other, each
    from the records as the other left them: ``expected`` (the version each edited record
    was shown at) then refuses a save based on a version another save replaced. Reading
    the records is one query whatever the length of the history."""
    with write_transaction():
        locked = (
            Person.objects.select_for_update()
            .select_related("service")
            .filter(pk=person.pk, superseded_at__isnull=True)
            .first()
        )
        if locked is None:
            raise KinwiseError(ErrorCode.NOT_FOUND, "no such person")
        stored = stored_rows(person=locked)
        data = _data_of(locked, stored)
        path, key = change(data)
        # a record of format version 2 makes the file version 2 (docs/spec/casefile-v2.md)
        settle_version(data)
        untouched = _untouched(data, stored)
        casefile, errors = validate_data(data)
        if casefile is None:
            raise KinwiseError(
                ErrorCode.INVALID_INPUT,
                f"the change does not pass validation ({len(errors)} error(s))",
                errors,
            )
        result = ImportResult(locked.external_id, locked.pk, person_created=False)
        casefile_write(
            person=locked,
            casefile=casefile,
            stored=stored,
            result=result,
            actor=actor,
            source=source,
            now=timezone.now(),
            expected=expected,
            reasons={**(reasons or {}), **(corrected or {})},
            corrected=frozenset(corrected or ()),
            unchanged=untouched,
        )
    logger.info("web change to person pk=%s: %s", person.pk, result.summary())
    return Saved(casefile=casefile, result=result, path=path, key=key)


def _untouched(data: dict[str, Any], stored: Mapping[RecordKey, StoredRow]) -> frozenset[RecordKey]:
    """The records of ``data`` still equal to their stored documents after a change (a
    change replaces the dicts it changes and never edits a stored one in place)."""
    same: set[RecordKey] = set()
    for spec in RECORD_KINDS:
        if spec.single:
            parent: Any = data
            for part in spec.place:
                parent = parent.get(part, {}) if isinstance(parent, dict) else {}
            row = stored.get((spec.name, spec.name))
            if row is not None and isinstance(parent, dict):
                mine = {k: v for k, v in parent.items() if k not in spec.excluded}
                if mine == row.data:
                    same.add((spec.name, spec.name))
            continue
        seen: Counter[str] = Counter()
        # read without creating the list: an empty section of format version 2 is not
        # part of a version-1 file
        for _, item in spec.raw_items(data):
            if not isinstance(item, dict):
                continue
            base = str(item.get(spec.key_field or "", ""))
            seen[base] += 1
            named = (spec.name, base if seen[base] == 1 else f"{base}#{seen[base]}")
            row = stored.get(named)
            if row is not None and item == row.data:
                same.add(named)
    return frozenset(same)


def _data_of(person: Person, stored: Mapping[RecordKey, StoredRow]) -> dict[str, Any]:
    """The person's case file as data (what a file holds), from their stored documents:
    each record's dict is the caller's own (a shallow copy; changes replace, never edit,
    the lists and mappings inside it)."""
    documents: dict[str, list[dict[str, Any]]] = {}
    for (kind, _), row in sorted(stored.items(), key=lambda item: item[1].position):
        documents.setdefault(kind, []).append(row.data)
    return casefile_data(
        service=(person.service.external_id, person.service.name),
        person=person_data(
            external_id=person.external_id,
            name=person.name,
            date_of_birth=person.date_of_birth,
            methods=person.communication_methods,
            notes=person.communication_notes,
        ),
        documents=documents,
    )


def _find(items: list[dict[str, Any]], key_field: str, key: str) -> int:
    for index, item in enumerate(items):
        if _key_of(item, key_field, items, index) == key:
            return index
    raise KinwiseError(ErrorCode.NOT_FOUND, "no such record")


def _key_of(item: dict[str, Any], key_field: str, items: list[dict[str, Any]], index: int) -> str:
    """A record's key in its list: ``name#2`` for the second record of one name."""
    base = str(item.get(key_field, ""))
    earlier = sum(1 for other in items[:index] if str(other.get(key_field, "")) == base)
    return base if earlier == 0 else f"{base}#{earlier + 1}"


def _based_on(kind: str, key: str, version: int | None) -> dict[RecordKey, int] | None:
    return None if version is None else {(kind, key): version}


def record_save(
    *,
    person: Person,
    kind: str,
    record: dict[str, Any],
    actor: AbstractBaseUser | None,
    original_key: str | None = None,
    based_on: int | None = None,
) -> Saved:
    """Add a record of ``kind``, or replace the one keyed ``original_key`` (shown to the
    user at version ``based_on``: a save based on an older version is refused). A new
    record without an id gets the kind's ``<id_prefix>-<n>``, minted under the lock."""

    def change(data: dict[str, Any]) -> tuple[str, str]:
        spec, items = _items(data, kind)
        key_field = spec.key_field or ""
        new = dict(record)
        if original_key is not None:
            index = _find(items, key_field, original_key)
            items[index] = new
        else:
            if key_field == "id" and not new.get("id"):
                new["id"] = new_id(data, spec.id_prefix)
            index = len(items)
            items.append(new)
        return spec.path_of(index), _key_of(new, key_field, items, index)

    expected = _based_on(kind, original_key, based_on) if original_key is not None else None
    return _apply(person=person, actor=actor, change=change, expected=expected)


ROLE_LINES = ("decides", "supported_by", "contributes", "informed")


def role_changes_between(
    before: Mapping[str, Any] | None, after: Mapping[str, Any]
) -> list[tuple[str, str, str]]:
    """(role line, member, added | removed) for each line of a Role that differs between
    ``before`` (None: a new area) and ``after``, in the order of the lines, removals first."""

    def members(role: Mapping[str, Any] | None, line: str) -> list[str]:
        value = (role or {}).get(line)
        if value is None:
            return []
        return [value] if isinstance(value, str) else [str(v) for v in value]

    out: list[tuple[str, str, str]] = []
    for line in ROLE_LINES:
        old, new = members(before, line), members(after, line)
        out += [(line, m, "removed") for m in old if m not in new]
        out += [(line, m, "added") for m in new if m not in old]
    return out


def role_save(
    *,
    person: Person,
    record: dict[str, Any],
    actor: AbstractBaseUser | None,
    changed_on: dt.date,
    reason: str | None = None,
    original_key: str | None = None,
    based_on: int | None = None,
) -> Saved:
    """Add or replace a Role (who decides, supports, contributes and is informed in one
    area) and, in the same transaction, one dated role change (format version 2's
    ``role_changes``) for each member added to or removed from each of its lines:
    ``changed_on`` is its date and ``reason`` its reason (docs/spec/casefile-v2.md,
    RoleChange; ADR 0230). A save that changes no line writes no role change."""
    spec = RECORD_KINDS["role"]
    changes_spec = RECORD_KINDS["role_change"]
    text = (reason or "").strip() or None

    def change(data: dict[str, Any]) -> tuple[str, str]:
        items = spec.items_in(data)
        new = dict(record)
        before: dict[str, Any] | None = None
        if original_key is not None:
            index = _find(items, "area", original_key)
            before = items[index]
            items[index] = new
        else:
            index = len(items)
            items.append(new)
        lines = role_changes_between(before, new)
        if lines:
            changes = changes_spec.items_in(data)
            for line, member, what in lines:
                entry: dict[str, Any] = {
                    "id": new_id(data, changes_spec.id_prefix),
                    "date": changed_on.isoformat(),
                    "area": str(new.get("area", "")),
                    "member": member,
                    "role": line,
                    "change": what,
                }
                if text is not None:
                    entry["reason"] = text
                changes.append(entry)
        return spec.path_of(index), _key_of(new, "area", items, index)

    expected = _based_on("role", original_key, based_on) if original_key is not None else None
    return _apply(person=person, actor=actor, change=change, expected=expected)


def record_correct(
    *,
    person: Person,
    kind: str,
    key: str,
    reason: str,
    actor: AbstractBaseUser | None,
    based_on: int | None = None,
) -> Saved:
    """Take a record entered in error out of the case file, with the reason. It is never
    deleted: its history keeps every version and says who took it out, when and why. A
    record that others refer to (a trial's risk assessment, a task's holder) is refused
    with a message naming what refers to it."""
    reason = reason.strip()
    if not reason:
        raise KinwiseError(
            ErrorCode.INVALID_INPUT,
            "say why the record was entered in error",
            [
                FieldError(
                    "reason", "Say why this record was entered in error", FieldErrorCode.MISSING
                )
            ],
        )
    spec = kind_named(kind)
    if not spec.correctable:
        raise KinwiseError(ErrorCode.USAGE, f"the {spec.label} cannot be entered in error")

    def change(data: dict[str, Any]) -> tuple[str, str]:
        _, items = _items(data, kind)
        index = _find(items, spec.key_field or "", key)
        del items[index]
        return spec.path_of(index), key

    try:
        return _apply(
            person=person,
            actor=actor,
            change=change,
            expected=_based_on(kind, key, based_on),
            corrected={(kind, key): reason},
        )
    except KinwiseError as exc:
        if exc.code != ErrorCode.INVALID_INPUT:
            raise
        referring = sorted(
            {_what_refers(error.path) for error in exc.errors if error.code in _REFERENCE_CODES}
        )
        if not referring:
            raise
        raise KinwiseError(
            ErrorCode.INVALID_INPUT,
            "other records refer to this one",
            [
                FieldError(
                    "",
                    f"This {spec.label} cannot be entered in error while "
                    f"{_listed(referring)} refer{'s' if len(referring) == 1 else ''} to it: "
                    "change or correct that first",
                    FieldErrorCode.REFERRED_TO,
                )
            ],
        ) from None


_REFERENCE_CODES = frozenset({FieldErrorCode.UNKNOWN_REFERENCE})


def _what_refers(path: str) -> str:
    """'a graded trial' for ``graded_trials[0].risk_assessment``."""
    head = path.split("[", 1)[0]
    for spec in RECORD_KINDS:
        place = ".".join(spec.place)
        if head == place:
            return f"{'an' if spec.label[0] in 'aeiou' else 'a'} {spec.label}"
    if head.startswith("plan"):
        return "the care plan"
    return "another record"


def _listed(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def record_remove(
    *, person: Person, kind: str, key: str, actor: AbstractBaseUser | None, reason: str
) -> Saved:
    """Entered in error (:func:`record_correct`) without a version to check."""
    return record_correct(person=person, kind=kind, key=key, reason=reason, actor=actor)


def _update(
    *,
    person: Person,
    kind: str,
    key: str,
    actor: AbstractBaseUser | None,
    fields: dict[str, Any],
    based_on: int | None = None,
) -> Saved:
    def change(data: dict[str, Any]) -> tuple[str, str]:
        spec, items = _items(data, kind)
        index = _find(items, spec.key_field or "", key)
        items[index] = {**items[index], **fields}
        return spec.path_of(index), key

    return _apply(
        person=person, actor=actor, change=change, expected=_based_on(kind, key, based_on)
    )


def person_communication_update(
    *, person: Person, methods: list[str], notes: str | None, actor: AbstractBaseUser | None
) -> Saved:
    """Change how the person communicates (their methods and the notes)."""

    def change(data: dict[str, Any]) -> tuple[str, str]:
        communication: dict[str, Any] = {"methods": methods}
        if notes:
            communication["notes"] = notes
        data["person"] = {**data["person"], "communication": communication}
        return "person.communication", data["person"].get("id", "")

    return _apply(person=person, actor=actor, change=change)


def task_review(
    *,
    person: Person,
    task_id: str,
    on: dt.date | str,
    actor: AbstractBaseUser | None,
    based_on: int | None = None,
) -> Saved:
    """Record that a governance task was reviewed on a date."""
    return _update(
        person=person,
        kind="task",
        key=task_id,
        actor=actor,
        fields={"reviewed": on},
        based_on=based_on,
    )


def task_end(
    *,
    person: Person,
    task_id: str,
    on: dt.date | str,
    actor: AbstractBaseUser | None,
    based_on: int | None = None,
) -> Saved:
    """End a governance task: from that date it is history."""
    return _update(
        person=person,
        kind="task",
        key=task_id,
        actor=actor,
        fields={"ended": on},
        based_on=based_on,
    )


def consent_withdraw(
    *,
    person: Person,
    consent_id: str,
    on: dt.date | str,
    actor: AbstractBaseUser | None,
    based_on: int | None = None,
) -> Saved:
    """Record that a consent was withdrawn on a date."""
    return _update(
        person=person,
        kind="consent",
        key=consent_id,
        actor=actor,
        fields={"withdrawn": on},
        based_on=based_on,
    )


def task_handover(
    *,
    person: Person,
    task_id: str,
    to_member: str,
    on: dt.date | str,
    agreed: dt.date | str | None,
    trained_on: dt.date | str | None,
    actor: AbstractBaseUser | None,
    based_on: int | None = None,
) -> Saved:
    """Hand a governance task to another member (a trained member of staff): the task
    ends on ``on`` and a new task for ``to_member`` starts that day, agreed on
    ``agreed``; ``trained_on`` records the member's training for the task. The path of
    the new task is returned."""

    def change(data: dict[str, Any]) -> tuple[str, str]:
        spec, items = _items(data, "task")
        index = _find(items, "id", task_id)
        old = items[index]
        items[index] = {**old, "ended": on}
        new: dict[str, Any] = {
            "id": new_id(data, spec.id_prefix),
            "task": old.get("task"),
            "area": old.get("area"),
            "holder": to_member,
            "since": on,
        }
        if agreed:
            new["agreed"] = agreed
        items.append(new)
        if trained_on:
            for member in data.get("circle", []):
                if member.get("id") == to_member:
                    trained = dict(member.get("trained") or {})
                    trained[str(old.get("task"))] = trained_on
                    member["trained"] = trained
        return spec.path_of(len(items) - 1), new["id"]

    return _apply(
        person=person, actor=actor, change=change, expected=_based_on("task", task_id, based_on)
    )


def member_training_record(
    *,
    person: Person,
    member_id: str,
    task: str,
    on: dt.date | str,
    actor: AbstractBaseUser | None,
) -> Saved:
    """Record that a circle member was assessed competent in a task on a date."""

    def change(data: dict[str, Any]) -> tuple[str, str]:
        spec, items = _items(data, "member")
        index = _find(items, "id", member_id)
        trained = dict(items[index].get("trained") or {})
        trained[task] = on
        items[index] = {**items[index], "trained": trained}
        return spec.path_of(index), member_id

    return _apply(person=person, actor=actor, change=change)


def trial_session_add(
    *, person: Person, trial_id: str, session: dict[str, Any], actor: AbstractBaseUser | None
) -> Saved:
    """Log a session of a graded trial (appended: sessions on one date keep their order)."""

    def change(data: dict[str, Any]) -> tuple[str, str]:
        spec, items = _items(data, "graded_trial")
        index = _find(items, "id", trial_id)
        sessions = list(items[index].get("sessions") or [])
        sessions.append(session)
        items[index] = {**items[index], "sessions": sessions}
        return f"{spec.path_of(index)}.sessions[{len(sessions) - 1}]", trial_id

    return _apply(person=person, actor=actor, change=change)


def trial_stage_add(
    *,
    person: Person,
    trial_id: str,
    stage: dict[str, Any],
    actor: AbstractBaseUser | None,
    based_on: int | None = None,
) -> Saved:
    """Add a stage at the end of a graded trial; its id (``<trial>-s<n>``, unused in the
    file) is minted under the lock."""

    def change(data: dict[str, Any]) -> tuple[str, str]:
        spec, items = _items(data, "graded_trial")
        index = _find(items, "id", trial_id)
        stages = list(items[index].get("stages") or [])
        used = set(_ids(data))
        n = len(stages) + 1
        while f"{trial_id}-s{n}" in used:
            n += 1
        stages.append({"id": f"{trial_id}-s{n}", **stage})
        items[index] = {**items[index], "stages": stages}
        return f"{spec.path_of(index)}.stages[{len(stages) - 1}]", trial_id

    return _apply(
        person=person,
        actor=actor,
        change=change,
        expected=_based_on("graded_trial", trial_id, based_on),
    )


def plan_update(
    *,
    person: Person,
    fields: Mapping[str, Any],
    actor: AbstractBaseUser | None,
    based_on: int | None = None,
) -> Saved:
    """Change fields of the care plan itself (its version date, who gives emotional
    support); a field given as None or an empty list is left out of the plan."""

    def change(data: dict[str, Any]) -> tuple[str, str]:
        plan = dict(data.get("plan") or {})
        for name, value in fields.items():
            if value is None or value == []:
                plan.pop(name, None)
            else:
                plan[name] = value
        data["plan"] = plan
        first = next(iter(fields), "")
        return f"plan.{first}" if first else "plan", "plan"

    return _apply(
        person=person, actor=actor, change=change, expected=_based_on("plan", "plan", based_on)
    )


def inner_row_correct(
    *,
    person: Person,
    kind: str,
    key: str,
    attr: str,
    index: int,
    reason: str,
    actor: AbstractBaseUser | None,
    based_on: int | None = None,
) -> Saved:
    """Take one row inside a record (a trial's session, a meeting's contribution or
    decision, a risk assessment's hazard) out as entered in error: the record gets a new
    version without it, and the version says why."""
    reason = reason.strip()
    if not reason:
        raise KinwiseError(
            ErrorCode.INVALID_INPUT,
            "say why the record was entered in error",
            [
                FieldError(
                    "reason", "Say why this record was entered in error", FieldErrorCode.MISSING
                )
            ],
        )
    spec = kind_named(kind)
    if attr not in INNER_ROWS.get(kind, ()):
        raise KinwiseError(ErrorCode.NOT_FOUND, "no such record")

    def change(data: dict[str, Any]) -> tuple[str, str]:
        _, items = _items(data, kind)
        at = _find(items, spec.key_field or "", key)
        rows = list(items[at].get(attr) or [])
        if not 0 <= index < len(rows):
            raise KinwiseError(ErrorCode.NOT_FOUND, "no such record")
        del rows[index]
        items[at] = {**items[at], attr: rows}
        return spec.path_of(at), key

    return _apply(
        person=person,
        actor=actor,
        change=change,
        expected=_based_on(kind, key, based_on),
        reasons={(kind, key): reason},
    )


# The rows inside records that can be entered in error on their own (a stage is part of
# its trial's plan, and a trial needs at least one: change the trial instead).
INNER_ROWS: dict[str, tuple[str, ...]] = {
    "meeting": ("contributions", "decisions"),
    "risk_assessment": ("hazards",),
    "graded_trial": ("sessions",),
}


def errors_under(errors: list[FieldError], path: str) -> tuple[dict[str, list[str]], list[str]]:
    """Split errors into those of the record at ``path`` (by the rest of their path, e.g.
    ``present[1]`` or ``contributions[0].by``) and the others (as full text)."""
    mine: dict[str, list[str]] = {}
    others: list[str] = []
    for error in errors:
        if error.path == path:
            mine.setdefault("", []).append(error.message)
        elif error.path.startswith(path + ".") or error.path.startswith(path + "["):
            rest = error.path[len(path) :].lstrip(".")
            mine.setdefault(rest, []).append(error.message)
        else:
            others.append(str(error))
    return mine, others


def record_path(*, casefile: CaseFile, kind: str, original_key: str | None) -> str:
    """Where :func:`record_save` puts a record in ``casefile``: the path its errors have."""
    data = casefile_to_data(casefile)
    spec, items = _items(data, kind)
    if original_key is None:
        return spec.path_of(len(items))
    return spec.path_of(_find(items, spec.key_field or "", original_key))
