"""The start and the end of a person's support by a service.

A new person is written as a minimal case file (the person and their plan, with the
circle's first members when known) through the import
(:func:`kinwise.records.services.casefiles.casefile_import`), so that a person entered in
the web has the same validation and history as one imported from a file.

The end of their support (moved to another service, left, died) is a date and a reason
on the person: from that date they leave the service's active lists, their records stay
and their pages can still be opened.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from kinwise.casefile.load import validate_data
from kinwise.casefile.schema import FORMAT_VERSION, parse_date_text
from kinwise.core.history import VersionEntry, versions_write
from kinwise.core.ids import id_from_name
from kinwise.core.models import Service, VersionAction
from kinwise.errors import ErrorCode, FieldError, KinwiseError
from kinwise.records.models import Person
from kinwise.records.models.people import SUPPORT_END_REASONS
from kinwise.records.services.casefiles import ImportResult, casefile_import

PERSON_KIND = "person"
END_REASONS: frozenset[str] = frozenset(value for value, _ in SUPPORT_END_REASONS)


@dataclass(frozen=True)
class NewMember:
    """One member of the person's circle, as typed: ``detail`` is the relationship of
    family and friends, or the job of staff and professionals."""

    name: str
    kind: str
    detail: str = ""
    informal_carer: bool = False
    """They give care unpaid (the case file's ``informal_carer``)."""


@dataclass(frozen=True)
class NewPerson:
    """A new person as typed (dates as YYYY-MM-DD text; empty text means not given)."""

    name: str
    date_of_birth: str
    methods: Sequence[str]
    notes: str
    version_date: str
    required_areas: Sequence[str]
    circle: Sequence[NewMember] = field(default_factory=tuple)


def _text(value: str) -> str | None:
    value = value.strip()
    return value or None


def new_person_data(*, person: NewPerson, service: Service) -> dict[str, Any]:
    """The case file of a new person of ``service``, as data to validate: ids are made from
    the names, unique among the service's current people and within the circle."""
    taken = set(
        Person.objects.filter(service=service, superseded_at__isnull=True).values_list(
            "external_id", flat=True
        )
    )
    person_id = id_from_name(person.name, taken=taken, fallback="person")
    member_ids: set[str] = {person_id}
    circle: list[dict[str, Any]] = []
    for member in person.circle:
        member_id = id_from_name(member.name, taken=member_ids, fallback="member")
        member_ids.add(member_id)
        record: dict[str, Any] = {"id": member_id, "name": member.name.strip()}
        if member.kind.strip():
            record["kind"] = member.kind.strip()
        detail = _text(member.detail)
        if detail is not None:
            record["job" if member.kind in {"staff", "professional"} else "relationship"] = detail
        if member.informal_carer:
            record["informal_carer"] = True
        circle.append(record)
    profile: dict[str, Any] = {
        "id": person_id,
        "name": person.name.strip(),
        "communication": {"methods": list(person.methods)},
    }
    if _text(person.date_of_birth) is not None:
        profile["date_of_birth"] = person.date_of_birth.strip()
    if _text(person.notes) is not None:
        profile["communication"]["notes"] = person.notes.strip()
    plan: dict[str, Any] = {"required_areas": list(person.required_areas)}
    if _text(person.version_date) is not None:
        plan["version_date"] = person.version_date.strip()
    data: dict[str, Any] = {
        "kinwise": FORMAT_VERSION,
        "service": {"id": service.external_id, "name": service.name},
        "person": profile,
        "plan": plan,
    }
    if circle:
        data["circle"] = circle
    return data


def support_start(
    *,
    service: Service,
    person: NewPerson,
    actor: AbstractBaseUser | None,
    today: dt.date,
    at: dt.datetime | None = None,
) -> ImportResult:
    """A new person supported by ``service``, written through the import (source "web").

    Errors carry the case file's paths (``person.name``, ``plan.version_date``,
    ``circle[0].kind``) and the import's messages; a date of birth or a plan date after
    ``today`` is refused too. Nothing is written on any error."""
    data = new_person_data(person=person, service=service)
    casefile, errors = validate_data(data)
    for path, text, what in (
        ("person.date_of_birth", person.date_of_birth, "A date of birth"),
        ("plan.version_date", person.version_date, "The plan's date"),
    ):
        day = parse_date_text(text.strip())
        if day is not None and day > today:
            errors.append(FieldError(path, f"{what} cannot be after today"))
    if errors or casefile is None:
        raise KinwiseError(ErrorCode.INVALID_CASEFILE, f"{len(errors)} error(s)", errors)
    return casefile_import(casefile=casefile, service=service, actor=actor, source="web", at=at)


def person_snapshot_of(person: Person) -> dict[str, Any]:
    """The person's record as its case-file dict, with the end of their support when set."""
    communication: dict[str, Any] = {"methods": list(person.communication_methods)}
    if person.communication_notes:
        communication["notes"] = person.communication_notes
    snapshot: dict[str, Any] = {
        "id": person.external_id,
        "name": person.name,
        "communication": communication,
    }
    if person.date_of_birth is not None:
        snapshot["date_of_birth"] = person.date_of_birth.isoformat()
    if person.support_ended is not None:
        snapshot["support_ended"] = person.support_ended.isoformat()
        snapshot["support_end_reason"] = person.support_end_reason
    return snapshot


def support_end(
    *,
    person: Person,
    ended: str,
    reason: str,
    actor: AbstractBaseUser | None,
    at: dt.datetime | None = None,
) -> Person:
    """Record the end of ``person``'s support: ``ended`` (YYYY-MM-DD; a planned end may be
    ahead) and ``reason`` ("moved", "left" or "died"). The person keeps every record; a
    new version of their "person" record holds the end. Errors are at "ended" and
    "reason"; nothing is written on any error."""
    now = at or timezone.now()
    errors: list[FieldError] = []
    day = parse_date_text(ended.strip())
    if not ended.strip():
        errors.append(FieldError("ended", "Enter the date their support ended"))
    elif day is None:
        errors.append(FieldError("ended", "Enter a real date, for example 2026-03-27"))
    elif person.date_of_birth is not None and day < person.date_of_birth:
        errors.append(
            FieldError("ended", "The end of support cannot be before their date of birth")
        )
    if reason not in END_REASONS:
        errors.append(FieldError("reason", "Choose why their support ended"))
    if errors or day is None:
        raise KinwiseError(ErrorCode.INVALID_INPUT, f"{len(errors)} error(s)", errors)
    with transaction.atomic():
        locked = Person.objects.select_for_update().get(pk=person.pk)
        if locked.support_ended == day and locked.support_end_reason == reason:
            return locked
        locked.support_ended = day
        locked.support_end_reason = reason
        locked.updated_at = now
        locked.save(update_fields=["support_ended", "support_end_reason", "updated_at"])
        versions_write(
            person=locked,
            entries=[
                VersionEntry(
                    PERSON_KIND,
                    locked.external_id,
                    person_snapshot_of(locked),
                    VersionAction.UPDATED,
                )
            ],
            actor=actor,
            source="web",
            at=now,
        )
    return locked


def is_supported(person: Person, *, as_of: dt.date) -> bool:
    """Whether the service still supported ``person`` on ``as_of``: no end, or an end
    after that day."""
    return person.support_ended is None or person.support_ended > as_of
