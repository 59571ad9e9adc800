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
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from kinwise.casefile.load import casefile_to_data, validate_data
from kinwise.casefile.schema import CaseFile
from kinwise.errors import ErrorCode, FieldError, KinwiseError
from kinwise.records.models import Person
from kinwise.records.selectors import casefile_export
from kinwise.records.services.casefiles import ImportResult, casefile_import

logger = logging.getLogger(__name__)

WEB_SOURCE = "web"

# Where each kind of record sits in a case file's data, and the field that names it.
COLLECTIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "circle": (("circle",), "id"),
    "legal_authorities": (("legal_authorities",), "id"),
    "capacity_assessments": (("capacity_assessments",), "id"),
    "best_interests": (("best_interests",), "id"),
    "consents": (("consents",), "id"),
    "roles": (("plan", "roles"), "area"),
    "tasks": (("plan", "tasks"), "id"),
    "voice": (("voice",), "id"),
    "meetings": (("meetings",), "id"),
    "risk_assessments": (("risk_assessments",), "id"),
    "graded_trials": (("graded_trials",), "id"),
    "incidents": (("incidents",), "id"),
    "events": (("events",), "id"),
}


@dataclass(frozen=True)
class Saved:
    """What a change did: the validated case file, the import's counts, and the path of
    the record it wrote (``voice[3]``), which form errors are mapped back to."""

    casefile: CaseFile
    result: ImportResult
    path: str
    key: str


def _collection(data: dict[str, Any], collection: str) -> tuple[list[dict[str, Any]], str, str]:
    if collection not in COLLECTIONS:
        raise KinwiseError(ErrorCode.USAGE, f"unknown collection '{collection}'")
    where, key_field = COLLECTIONS[collection]
    parent = data
    for part in where[:-1]:
        parent = parent.setdefault(part, {})
    items = parent.setdefault(where[-1], [])
    return items, ".".join(where), key_field


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
) -> Saved:
    with transaction.atomic():
        # Lock the person so two changes made at once cannot both start from the same file.
        Person.objects.select_for_update().filter(pk=person.pk).first()
        data = casefile_to_data(casefile_export(person=person))
        path, key = change(data)
        casefile, errors = validate_data(data)
        if casefile is None:
            raise KinwiseError(
                ErrorCode.INVALID_INPUT,
                f"the change does not pass validation ({len(errors)} error(s))",
                errors,
            )
        result = casefile_import(
            casefile=casefile, service=person.service, actor=actor, source=WEB_SOURCE
        )
    logger.info("web change to person pk=%s at %s: %s", person.pk, path, result.summary())
    return Saved(casefile=casefile, result=result, path=path, key=key)


def _find(items: list[dict[str, Any]], key_field: str, key: str) -> int:
    for index, item in enumerate(items):
        if item.get(key_field) == key:
            return index
    raise KinwiseError(ErrorCode.NOT_FOUND, "no such record")


def record_save(
    *,
    person: Person,
    collection: str,
    record: dict[str, Any],
    actor: AbstractBaseUser | None,
    original_key: str | None = None,
    id_prefix: str | None = None,
) -> Saved:
    """Add a record to one of the case file's lists, or replace the one named
    ``original_key``. A new record without an id gets ``<id_prefix>-<n>``."""

    def change(data: dict[str, Any]) -> tuple[str, str]:
        items, where, key_field = _collection(data, collection)
        new = dict(record)
        if original_key is not None:
            index = _find(items, key_field, original_key)
            items[index] = new
        else:
            if key_field == "id" and not new.get("id"):
                new["id"] = new_id(data, id_prefix or collection[:1])
            index = len(items)
            items.append(new)
        return f"{where}[{index}]", str(new.get(key_field, ""))

    return _apply(person=person, actor=actor, change=change)


def record_remove(
    *, person: Person, collection: str, key: str, actor: AbstractBaseUser | None
) -> Saved:
    """Take a record entered in error out of the case file. It is superseded, never
    deleted: its history keeps every version and says who took it out."""

    def change(data: dict[str, Any]) -> tuple[str, str]:
        items, where, key_field = _collection(data, collection)
        index = _find(items, key_field, key)
        del items[index]
        return f"{where}[{index}]", key

    return _apply(person=person, actor=actor, change=change)


def _update(
    *,
    person: Person,
    collection: str,
    key: str,
    actor: AbstractBaseUser | None,
    fields: dict[str, Any],
) -> Saved:
    def change(data: dict[str, Any]) -> tuple[str, str]:
        items, where, key_field = _collection(data, collection)
        index = _find(items, key_field, key)
        items[index] = {**items[index], **fields}
        return f"{where}[{index}]", key

    return _apply(person=person, actor=actor, change=change)


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
    *, person: Person, task_id: str, on: dt.date | str, actor: AbstractBaseUser | None
) -> Saved:
    """Record that a governance task was reviewed on a date."""
    return _update(
        person=person, collection="tasks", key=task_id, actor=actor, fields={"reviewed": on}
    )


def task_end(
    *, person: Person, task_id: str, on: dt.date | str, actor: AbstractBaseUser | None
) -> Saved:
    """End a governance task: from that date it is history."""
    return _update(
        person=person, collection="tasks", key=task_id, actor=actor, fields={"ended": on}
    )


def consent_withdraw(
    *, person: Person, consent_id: str, on: dt.date | str, actor: AbstractBaseUser | None
) -> Saved:
    """Record that a consent was withdrawn on a date."""
    return _update(
        person=person,
        collection="consents",
        key=consent_id,
        actor=actor,
        fields={"withdrawn": on},
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
) -> Saved:
    """Hand a governance task to another member (a trained member of staff): the task
    ends on ``on`` and a new task for ``to_member`` starts that day, agreed on
    ``agreed``; ``trained_on`` records the member's training for the task. The path of
    the new task is returned."""

    def change(data: dict[str, Any]) -> tuple[str, str]:
        items, where, key_field = _collection(data, "tasks")
        index = _find(items, key_field, task_id)
        old = items[index]
        items[index] = {**old, "ended": on}
        new: dict[str, Any] = {
            "id": new_id(data, "t"),
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
        return f"{where}[{len(items) - 1}]", new["id"]

    return _apply(person=person, actor=actor, change=change)


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
        items, where, key_field = _collection(data, "circle")
        index = _find(items, key_field, member_id)
        trained = dict(items[index].get("trained") or {})
        trained[task] = on
        items[index] = {**items[index], "trained": trained}
        return f"{where}[{index}]", member_id

    return _apply(person=person, actor=actor, change=change)


def trial_session_add(
    *, person: Person, trial_id: str, session: dict[str, Any], actor: AbstractBaseUser | None
) -> Saved:
    """Log a session of a graded trial (appended: sessions on one date keep their order)."""

    def change(data: dict[str, Any]) -> tuple[str, str]:
        items, where, key_field = _collection(data, "graded_trials")
        index = _find(items, key_field, trial_id)
        sessions = list(items[index].get("sessions") or [])
        sessions.append(session)
        items[index] = {**items[index], "sessions": sessions}
        return f"{where}[{index}].sessions[{len(sessions) - 1}]", trial_id

    return _apply(person=person, actor=actor, change=change)


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


def record_path(*, casefile: CaseFile, collection: str, original_key: str | None) -> str:
    """Where :func:`record_save` puts a record in ``casefile``: the path its errors have."""
    data = casefile_to_data(casefile)
    items, where, key_field = _collection(data, collection)
    if original_key is None:
        return f"{where}[{len(items)}]"
    return f"{where}[{_find(items, key_field, original_key)}]"
