"""The staff directory seen from the circles: a member of staff is one identity across every
person they support (docs/adr/0140).

A circle member of kind staff refers, by its member id, to the directory entry of the
person's organisation (kinwise.core.staff). Its name, job and training are the
directory's, and every circle record that refers to an entry holds the entry's values:
when a write (an import, the demo, a save from the staff pages) brings a member of staff
with other values, the directory takes them (a new version with its history) and the
circle records of everyone else they support are brought to them in the same
transaction, each with a new version in that person's history. Those people's data
stamps move with the versions, so their stored audits are computed again (docs/adr/0003).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from kinwise.casefile.kinds import RECORD_KINDS
from kinwise.casefile.vocab import TASKS
from kinwise.core.models import RecordVersion, StaffMember, VersionAction
from kinwise.core.staff import StaffValues, staff_directory_apply, staff_versions_write
from kinwise.errors import ErrorCode, FieldError, FieldErrorCode, KinwiseError
from kinwise.records.models import Person, Record

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

MEMBER_KIND = "member"
STAFF = "staff"
# The history's source of a change that the directory made to someone else's circle.
DIRECTORY_SOURCE = "staff directory"
# The reason in the entry's history of a change made on the staff directory page.
DIRECTORY_REASON = "changed in the staff directory"


def staff_documents(documents: Sequence[Mapping[str, Any]]) -> dict[str, StaffValues]:
    """The directory's values of each member of staff among circle members' documents."""
    return {str(d["id"]): StaffValues.of_document(d) for d in documents if d.get("kind") == STAFF}


def staff_circles_sync(
    *,
    person: Person,
    documents: Sequence[Mapping[str, Any]],
    actor: AbstractBaseUser | None,
    source: str,
    now: dt.datetime,
) -> int:
    """Bring the directory to the members of staff among ``documents`` (the circle records
    of ``person`` that this write creates or changes), and the circle records of every
    other current person of the organisation that refer to a changed entry to its new
    values. Returns how many of those others' records were rewritten.

    Part of the caller's transaction. No query when ``documents`` names no member of
    staff; one when every entry agrees; a fixed number when some changed, whatever the
    number of people they support."""
    staff = staff_documents(documents)
    if not staff:
        return 0
    organisation_id = person.service.organisation_id
    changed = staff_directory_apply(
        organisation_id=organisation_id, staff=staff, actor=actor, source=source, at=now
    )
    if not changed:
        return 0
    return circles_refresh(
        organisation_id=organisation_id,
        changed=changed,
        skip_person_pk=person.pk,
        actor=actor,
        source=DIRECTORY_SOURCE,
        now=now,
    )


def circles_refresh(
    *,
    organisation_id: int,
    changed: Mapping[str, StaffValues],
    skip_person_pk: int | None,
    actor: AbstractBaseUser | None,
    source: str,
    now: dt.datetime,
    reason: str = "",
) -> int:
    """Rewrite the current circle records of kind staff that refer to the ``changed``
    entries (member id -> values) in the organisation's current people (but
    ``skip_person_pk``) to those values, each with a new version; the people's
    ``updated_at`` moves. Five queries, whatever the number of records."""
    others = Person.objects.filter(
        service__organisation_id=organisation_id, superseded_at__isnull=True
    )
    if skip_person_pk is not None:
        others = others.exclude(pk=skip_person_pk)
    # the people are locked before their records are read (a save of theirs waits)
    locked = list(others.select_for_update().order_by("pk").values_list("pk", flat=True))
    if not locked:
        return 0
    rows = list(
        Record.objects.filter(
            person_id__in=locked,
            kind=MEMBER_KIND,
            key__in=list(changed),
            superseded_at__isnull=True,
        ).only("pk", "person_id", "key", "version", "data")
    )
    spec = RECORD_KINDS[MEMBER_KIND]
    rewritten: list[Record] = []
    versions: list[RecordVersion] = []
    for row in rows:
        if row.data.get("kind") != STAFF:
            continue
        document = spec.snapshot(spec.from_data(changed[row.key].onto(row.data)))
        if document == row.data:
            continue
        row.data = document
        row.version += 1
        row.updated_at = now
        rewritten.append(row)
        versions.append(
            RecordVersion(
                person_id=row.person_id,
                kind=MEMBER_KIND,
                external_id=row.key,
                version=row.version,
                snapshot=document,
                action=VersionAction.UPDATED,
                reason=reason,
                actor_id=actor.pk if actor is not None else None,
                source=source,
                created_at=now,
            )
        )
    if not rewritten:
        return 0
    Record.objects.bulk_update(rewritten, ["data", "version", "updated_at"])
    RecordVersion.objects.bulk_create(versions)
    Person.objects.filter(pk__in={row.person_id for row in rewritten}).update(updated_at=now)
    return len(rewritten)


# --- a change made in the staff directory itself ------------------------------------------

NAME_LIMIT = 300
JOB_LIMIT = 300


def staff_member_edit(
    *,
    entry_pk: int,
    organisation_id: int,
    name: str,
    job: str | None,
    trained: Mapping[str, dt.date],
    based_on: int,
    actor: AbstractBaseUser | None,
    today: dt.date,
) -> StaffMember:
    """Change a member of staff's name, job and training (``{task: date}``) in the
    directory, as the staff directory page does: a new version of the entry with its
    history (source "web"), and the circle records of everyone they support brought to
    the new values, each with a new version in that person's history (source "staff
    directory"), in one transaction.

    ``based_on`` is the entry's version the form was opened at: a save based on an older
    one is refused (``ErrorCode.STALE``) and changes nothing. A change that leaves the
    values as they are writes nothing. Bad values are refused with one error per field
    (``name``, ``job``, ``trained.<task>``)."""
    values = _edited_values(name=name, job=job, trained=trained, today=today)
    now = timezone.now()
    with transaction.atomic():
        try:
            entry = StaffMember.objects.select_for_update().get(
                pk=entry_pk, organisation_id=organisation_id
            )
        except StaffMember.DoesNotExist:
            raise KinwiseError(ErrorCode.NOT_FOUND, "no such member of staff") from None
        if entry.version != based_on:
            raise KinwiseError(
                ErrorCode.STALE,
                "someone else changed this member of staff after the form was opened",
            )
        if StaffValues.of_entry(entry) == values:
            return entry
        entry.name, entry.job, entry.trained = values.name, values.job, dict(values.trained)
        entry.version += 1
        entry.updated_at = now
        entry.save(update_fields=["name", "job", "trained", "version", "updated_at"])
        staff_versions_write(
            entries=[(entry, VersionAction.UPDATED)],
            actor=actor,
            source="web",
            at=now,
            reason=DIRECTORY_REASON,
        )
        circles_refresh(
            organisation_id=organisation_id,
            changed={entry.external_id: values},
            skip_person_pk=None,
            actor=actor,
            source=DIRECTORY_SOURCE,
            now=now,
        )
    return entry


def _edited_values(
    *, name: str, job: str | None, trained: Mapping[str, dt.date], today: dt.date
) -> StaffValues:
    errors: list[FieldError] = []
    name = name.strip()
    job = (job or "").strip() or None
    if not name:
        errors.append(
            FieldError("name", "Enter the member of staff's name", FieldErrorCode.MISSING)
        )
    elif len(name) > NAME_LIMIT:
        errors.append(FieldError("name", f"The name must be {NAME_LIMIT} characters or fewer"))
    if job is not None and len(job) > JOB_LIMIT:
        errors.append(FieldError("job", f"The job must be {JOB_LIMIT} characters or fewer"))
    for task, date in trained.items():
        if task not in TASKS:
            errors.append(FieldError(f"trained.{task}", "This is not a task Kinwise knows"))
        elif date > today:
            errors.append(
                FieldError(f"trained.{task}", "The date of training cannot be after today")
            )
    if errors:
        raise KinwiseError(
            ErrorCode.INVALID_INPUT, "the member of staff's details have errors", errors
        )
    return StaffValues(
        name=name,
        job=job,
        trained={task: trained[task].isoformat() for task in sorted(trained)},
    )
