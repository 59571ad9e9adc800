"""The retention policy: a person's records are kept for ``KINWISE_RETENTION_YEARS``
(default 8) after their support ended, then erased (docs/security.md, docs/adr/0110).

A person is past the policy on ``as_of`` when the anniversary of the end of their support
``years`` later is on or before ``as_of`` (an end on 29 February reaches its anniversary on
1 March of a year that has no 29 February). People still supported on ``as_of`` (no end,
or an end after it) are never past it.

Erasing a person is the one documented exception to "nothing is hard-deleted". It first
writes an archive (the subject-access export, :mod:`kinwise.dataprotection.subject_access`)
to a directory readable by its owner only, then in one transaction:

- every record's content (``Record.data``) and every version's snapshot and reason are
  replaced by an empty document; the rows stay (kind, version numbers, dates, authors),
- the person's name becomes :data:`TOMBSTONE`, their case-file id ``erased-<pk>``, their
  date of birth and communication are removed; ``erased_totals`` keeps how many records
  of each kind there were and how many versions; ``erased_at`` and ``superseded_at`` are
  set, so no list, page, audit or job reads them again,
- their stored audits (a cache) and any unsaved form input about them (drafts, forms sent
  after a session ended: kinwise.drafts) are removed, their entries in saved audit runs keep only
  each finding's rule and severity, their work items' notes (and the notes' history) are
  emptied,
- the access log's entries about them stay (they hold ids only), and one more is added.

Applying the policy again changes nothing: an erased person is not past it any more.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from kinwise.audits.models import AuditSnapshot
from kinwise.core.models import RecordVersion
from kinwise.dataprotection.accesslog import access_log
from kinwise.dataprotection.subject_access import subject_access
from kinwise.drafts.services import person_form_inputs_erase
from kinwise.errors import ErrorCode, KinwiseError
from kinwise.governance.models import AuditRun, GovernanceChange, WorkItem
from kinwise.records.models import Person, Record

logger = logging.getLogger("kinwise.dataprotection")

TOMBSTONE = "Record erased"
ERASED_ID_PREFIX = "erased-"


def retention_years() -> int:
    """The policy's period in whole years (``settings.KINWISE_RETENTION_YEARS``)."""
    return int(settings.KINWISE_RETENTION_YEARS)


def anniversary(day: dt.date, *, years: int) -> dt.date:
    """``day`` ``years`` later; 29 February goes to 1 March when that year has none."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return dt.date(day.year + years, 3, 1)


def latest_end_past(*, as_of: dt.date, years: int) -> dt.date:
    """The latest end of support past the policy on ``as_of``: ``as_of`` ``years``
    earlier, 29 February going to 28 February (the inverse of :func:`anniversary`)."""
    try:
        return as_of.replace(year=as_of.year - years)
    except ValueError:
        return dt.date(as_of.year - years, 2, 28)


def is_past_policy(person: Person, *, as_of: dt.date, years: int) -> bool:
    return (
        person.erased_at is None
        and person.support_ended is not None
        and person.support_ended <= as_of
        and anniversary(person.support_ended, years=years) <= as_of
    )


@dataclass(frozen=True)
class Due:
    """A person past the policy: ids and the end of their support only."""

    person_pk: int
    service_pk: int
    external_id: str
    support_ended: dt.date

    def line(self) -> str:
        return (
            f"person {self.person_pk} (case-file id {self.external_id}, service "
            f"{self.service_pk}): support ended {self.support_ended.isoformat()}"
        )


def retention_due(*, as_of: dt.date, years: int | None = None) -> list[Due]:
    """The people past the policy on ``as_of``, by person pk (one query)."""
    years = retention_years() if years is None else years
    if years < 1:
        raise KinwiseError(ErrorCode.USAGE, "the retention period must be at least one year")
    rows = (
        Person.objects.filter(
            erased_at__isnull=True,
            support_ended__isnull=False,
            support_ended__lte=min(as_of, latest_end_past(as_of=as_of, years=years)),
        )
        .order_by("pk")
        .values_list("pk", "service_id", "external_id", "support_ended")
    )
    return [
        Due(pk, service_pk, external_id, ended)
        for pk, service_pk, external_id, ended in rows
        if ended is not None
    ]


def default_archive_dir() -> Path:
    return Path(settings.KINWISE_ARCHIVE_DIR)


def _private_dir(path: Path) -> None:
    """``path`` made readable by its owner only; an existing directory that others can
    read is refused (it is not Kinwise's to change)."""
    if not path.exists():
        path.mkdir(parents=True, mode=0o700)
        os.chmod(path, 0o700)
        return
    if not path.is_dir():
        raise KinwiseError(ErrorCode.USAGE, "the archive directory is not a directory")
    if path.stat().st_mode & 0o077:
        raise KinwiseError(
            ErrorCode.USAGE,
            "the archive directory must be readable by its owner only (chmod 700)",
        )


def archive_write(*, person: Person, archive_dir: Path, at: dt.datetime) -> Path:
    """Write the person's subject-access export to ``archive_dir`` (made owner-only),
    as ``person-<pk>.json``, readable by its owner only. Written whole or not at all."""
    _private_dir(archive_dir)
    target = archive_dir / f"person-{person.pk}.json"
    text = subject_access(person=person, made_at=at).to_json()
    handle, temp = tempfile.mkstemp(dir=archive_dir, prefix=".person-", suffix=".json")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, 0o600)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return target


@dataclass(frozen=True)
class Erased:
    person_pk: int
    archive: Path
    totals: dict[str, Any]


def person_erase(
    *,
    person: Person,
    as_of: dt.date,
    at: dt.datetime,
    archive_dir: Path,
    years: int | None = None,
    actor_id: int | None = None,
) -> Erased:
    """Archive, then erase, one person past the policy on ``as_of`` (see the module).
    A person still supported, or not yet past the policy, or already erased, is refused
    (nothing is written)."""
    years = retention_years() if years is None else years
    current = Person.objects.get(pk=person.pk)
    if current.erased_at is not None:
        raise KinwiseError(ErrorCode.CONFLICT, f"person {person.pk} is erased already")
    if current.support_ended is None or current.support_ended > as_of:
        raise KinwiseError(ErrorCode.CONFLICT, f"person {person.pk} is still supported")
    if not is_past_policy(current, as_of=as_of, years=years):
        raise KinwiseError(
            ErrorCode.CONFLICT, f"person {person.pk} is not past the retention policy yet"
        )
    archive = archive_write(person=current, archive_dir=archive_dir, at=at)
    with transaction.atomic():
        locked = Person.objects.select_for_update().get(pk=person.pk)
        if locked.erased_at is not None:  # erased by another process meanwhile
            raise KinwiseError(ErrorCode.CONFLICT, f"person {person.pk} is erased already")
        totals = _totals(locked)
        old_id = locked.external_id
        Record.objects.filter(person_id=locked.pk).update(data={}, updated_at=at)
        Record.objects.filter(person_id=locked.pk, superseded_at__isnull=True).update(
            superseded_at=at
        )
        RecordVersion.objects.filter(person_id=locked.pk).update(snapshot={}, reason="")
        AuditSnapshot.objects.filter(person_id=locked.pk).delete()  # a cache, not records
        person_form_inputs_erase(person_id=locked.pk)  # unsaved form input, not records
        _audit_runs_erase(locked, old_id)
        items = list(WorkItem.objects.filter(person_id=locked.pk).values_list("pk", flat=True))
        WorkItem.objects.filter(pk__in=items).update(note="", updated_at=at)
        for change in GovernanceChange.objects.filter(entity="work_item", entity_pk__in=items):
            if change.snapshot.get("note"):
                change.snapshot = {**change.snapshot, "note": ""}
                change.save(update_fields=["snapshot"])
        locked.name = TOMBSTONE
        locked.external_id = f"{ERASED_ID_PREFIX}{locked.pk}"
        locked.date_of_birth = None
        locked.communication_methods = []
        locked.communication_notes = None
        locked.erased_totals = totals
        locked.erased_at = at
        locked.superseded_at = locked.superseded_at or at
        locked.updated_at = at
        locked.save()
        access_log().note(person=locked, user_id=actor_id, action="erased")
    logger.warning(
        "retention: person pk=%s of service pk=%s erased, archive written",
        locked.pk,
        locked.service_id,
    )
    return Erased(locked.pk, archive, totals)


def _totals(person: Person) -> dict[str, Any]:
    """How many records of each kind, and how many versions, the person had: no content."""
    kinds = Counter(Record.objects.filter(person_id=person.pk).values_list("kind", flat=True))
    versions = RecordVersion.objects.filter(person_id=person.pk).count()
    return {"records": dict(sorted(kinds.items())), "versions": versions}


def _audit_runs_erase(person: Person, old_id: str) -> None:
    """The person's entries in saved audit runs keep each finding's rule and severity
    only. Runs of their service hold them by case-file id; runs over several services
    too, when no one else ever had that id."""
    scope = Q(service_id=person.service_id)
    if not Person.objects.filter(external_id=old_id).exclude(pk=person.pk).exists():
        scope |= Q(service__isnull=True)
    for run in AuditRun.objects.filter(scope).select_for_update():
        if not isinstance(run.findings, list):
            continue
        changed = False
        entries: list[Any] = []
        for entry in run.findings:
            if isinstance(entry, dict) and entry.get("person") == old_id:
                entry = _entry_erased(entry, person)
                changed = True
            entries.append(entry)
        if changed:
            run.findings = entries
            run.save(update_fields=["findings"])


def _entry_erased(entry: dict[str, Any], person: Person) -> dict[str, Any]:
    findings = entry.get("findings")
    kept: list[dict[str, Any]] = [
        {
            "rule": f.get("rule"),
            "severity": f.get("severity"),
            "subject": "",
            "message": TOMBSTONE,
            "evidence": [],
        }
        for f in (findings if isinstance(findings, list) else [])
        if isinstance(f, dict)
    ]
    out = {**entry, "person": f"{ERASED_ID_PREFIX}{person.pk}", "findings": kept}
    if "person_name" in out:
        out["person_name"] = TOMBSTONE
    return out


@dataclass(frozen=True)
class RetentionRun:
    due: list[Due]
    erased: list[Erased]


def retention_apply(
    *,
    as_of: dt.date,
    at: dt.datetime,
    archive_dir: Path | None = None,
    years: int | None = None,
    actor_id: int | None = None,
) -> RetentionRun:
    """Erase every person past the policy on ``as_of`` (each archived first, each in its
    own transaction). Idempotent: a second run finds no one."""
    years = retention_years() if years is None else years
    directory = archive_dir if archive_dir is not None else default_archive_dir()
    due = retention_due(as_of=as_of, years=years)
    erased = [
        person_erase(
            person=Person.objects.get(pk=row.person_pk),
            as_of=as_of,
            at=at,
            archive_dir=directory,
            years=years,
            actor_id=actor_id,
        )
        for row in due
    ]
    logger.warning("retention: %s person(s) past the policy, %s erased", len(due), len(erased))
    return RetentionRun(due, erased)
