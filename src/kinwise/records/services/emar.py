"""Medication audits from an eMAR file (docs/spec/emar.md), written as any other change.

The file is read by :mod:`kinwise.casefile.emar` (pure); this writes its audits to the
person's ``medication.audits`` through the one record-level writer
(:func:`kinwise.records.services.edits._apply`): the whole case file validated as an import
is, one transaction, a version in the history for each audit added or changed, nothing
written on any error. The auditor is the member of staff who imports the file: the staff
directory's entry linked to their login, who must be in the person's circle.

Re-importing a file changes nothing: an audit already held with the same day and counts is
left as it is (its auditor too); one whose counts changed (a corrected export) gets a new
version with the importer as its auditor.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser

from kinwise.casefile.emar import EmarAudit, EmarFile
from kinwise.casefile.kinds import kind_named
from kinwise.core.models import StaffMember
from kinwise.errors import ErrorCode, FieldError, KinwiseError
from kinwise.records.models import Person
from kinwise.records.services.edits import _apply

logger = logging.getLogger(__name__)

AUDIT_KIND = "medication_audit"
EMAR_SOURCE = "emar import"  # the history's source of an audit written from an eMAR file
STAFF_KINDS = ("staff", "professional")


@dataclass
class EmarImported:
    """What an import did to the person's medication audits, by case-file id."""

    person_pk: int
    auditor: str
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    audits: tuple[EmarAudit, ...] = ()

    def summary(self) -> str:
        return (
            f"{len(self.added)} audit(s) added, {len(self.changed)} changed, "
            f"{len(self.unchanged)} unchanged"
        )


def auditor_for(*, person: Person, user: AbstractBaseUser) -> str:
    """The member id of ``user`` in ``person``'s organisation's staff directory (their
    login's entry); refused unless there is one."""
    entry = (
        StaffMember.objects.filter(organisation_id=person.service.organisation_id, user_id=user.pk)
        .values_list("external_id", flat=True)
        .first()
    )
    if entry is None:
        raise KinwiseError(
            ErrorCode.PERMISSION_DENIED,
            "the member of staff importing an eMAR file is its auditor: this login is not "
            "linked to an entry of the organisation's staff directory",
        )
    return entry


def _same(held: dict[str, Any], audit: EmarAudit) -> bool:
    return (
        str(held.get("date")) == audit.date.isoformat()
        and held.get("doses_checked") == audit.doses_checked
        and held.get("errors") == audit.errors
    )


def medication_audits_import(
    *, person: Person, emar: EmarFile, actor: AbstractBaseUser
) -> EmarImported:
    """Add or update the medication audit of each of ``emar``'s audits for ``person``, with
    ``actor`` as its auditor; all or nothing. The caller has decided that ``actor`` may
    change this person's medication audits (kinwise.access)."""
    if emar.person != person.external_id:
        raise KinwiseError(
            ErrorCode.INVALID_INPUT,
            "this eMAR file is about another person",
            [FieldError("person", "the file names another person than the one imported into")],
        )
    auditor = auditor_for(person=person, user=actor)
    done = EmarImported(person_pk=person.pk, auditor=auditor, audits=emar.audits)
    spec = kind_named(AUDIT_KIND)

    def change(data: dict[str, Any]) -> tuple[str, str]:
        circle = {m.get("id"): m.get("kind") for m in data.get("circle") or []}
        if circle.get(auditor) not in STAFF_KINDS:
            raise KinwiseError(
                ErrorCode.INVALID_INPUT,
                "the member of staff importing an eMAR file is its auditor, and must be in "
                "the person's circle: add them to it first",
                [FieldError("circle", "the importing member of staff is not in the circle")],
            )
        items = spec.items_in(data)
        by_id = {item.get("id"): index for index, item in enumerate(items)}
        for audit in emar.audits:
            index = by_id.get(audit.id)
            if index is None:
                items.append(audit.record(auditor=auditor))
                done.added.append(audit.id)
            elif _same(items[index], audit):
                done.unchanged.append(audit.id)
            else:
                items[index] = audit.record(auditor=auditor)
                done.changed.append(audit.id)
        last = by_id.get(emar.audits[-1].id, len(items) - 1)
        return spec.path_of(last), emar.audits[-1].id

    _apply(person=person, actor=actor, change=change, source=EMAR_SOURCE)
    logger.info("eMAR import for person pk=%s: %s", person.pk, done.summary())
    return done
