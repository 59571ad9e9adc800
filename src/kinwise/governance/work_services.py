"""Writes for the review worklist: reassigning an item and keeping notes on it.

There is deliberately no service that closes an item: an item closes when the record
that resolves it exists (kinwise.readings.work).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from kinwise.access import SUPERVISOR_ROLES, has_role_for, may_own_work
from kinwise.errors import ErrorCode, FieldError, KinwiseError
from kinwise.governance.history import change_write
from kinwise.governance.models import WorkItem
from kinwise.readings.work import work_items
from kinwise.records.models import Person
from kinwise.records.selectors import casefile_export

NOTE_LENGTH = 2000


def work_item_update(
    *,
    person: Person,
    key: str,
    owner: AbstractBaseUser | None,
    note: str,
    actor: AbstractBaseUser,
    as_of: dt.date,
) -> WorkItem:
    """Reassign a work item of ``person`` (``owner`` None: back to the owner the records
    give) and replace its note. The item must be on the person's worklist at ``as_of``;
    the new owner must be staff of the person's service (``may_own_work``). Writes its history in the same
    transaction."""
    keys = {item.key for item in work_items(casefile_export(person=person), as_of=as_of)}
    if key not in keys:
        raise KinwiseError(ErrorCode.NOT_FOUND, "no such work item for this person")
    errors = []
    if owner is not None and not may_own_work(user=owner, service=person.service):
        errors.append(FieldError("owner", "Choose a member of staff of this person's service"))
    if len(note) > NOTE_LENGTH:
        errors.append(FieldError("note", f"The note must be {NOTE_LENGTH} characters or fewer"))
    if errors:
        raise KinwiseError(ErrorCode.INVALID_INPUT, "the work item was not changed", errors)
    now = timezone.now()
    with transaction.atomic():
        item, created = WorkItem.objects.select_for_update().get_or_create(
            person=person, key=key, defaults={"created_at": now, "updated_at": now}
        )
        item.owner_id = owner.pk if owner is not None else None
        item.note = note.strip()
        item.updated_at = now
        item.save(update_fields=["owner", "note", "updated_at"])
        change_write(
            entity="work_item",
            entity_pk=item.pk,
            action="created" if created else "updated",
            snapshot={
                "person": person.pk,
                "key": key,
                "owner": item.owner_id,
                "note": item.note,
            },
            actor=actor,
            at=now,
        )
    return item


def work_item_reassign(
    *,
    person: Person,
    key: str,
    owner: AbstractBaseUser | None,
    actor: AbstractBaseUser,
    as_of: dt.date,
) -> WorkItem:
    """Give a work item of ``person`` to ``owner`` (None: back to the owner the records
    give), keeping its note. Only a team leader or registered manager of the person's
    service may reassign (PERMISSION_DENIED otherwise); the item must be on the worklist
    at ``as_of`` (NOT_FOUND) and the new owner must be staff of the service who may own
    its work (``may_own_work``; INVALID_INPUT).
    The history row records who, when, the owner before and the owner after."""
    if not has_role_for(user=actor, service=person.service, roles=SUPERVISOR_ROLES):
        raise KinwiseError(ErrorCode.PERMISSION_DENIED, "only a team leader or manager reassigns")
    keys = {item.key for item in work_items(casefile_export(person=person), as_of=as_of)}
    if key not in keys:
        raise KinwiseError(ErrorCode.NOT_FOUND, "no such work item for this person")
    if owner is not None and not may_own_work(user=owner, service=person.service):
        raise KinwiseError(
            ErrorCode.INVALID_INPUT,
            "the work item was not changed",
            [FieldError("owner", "Choose a member of staff of this person's service")],
        )
    now = timezone.now()
    with transaction.atomic():
        item, created = WorkItem.objects.select_for_update().get_or_create(
            person=person, key=key, defaults={"created_at": now, "updated_at": now}
        )
        previous = item.owner_id
        item.owner_id = owner.pk if owner is not None else None
        item.updated_at = now
        item.save(update_fields=["owner", "updated_at"])
        change_write(
            entity="work_item",
            entity_pk=item.pk,
            action="created" if created else "updated",
            snapshot={
                "person": person.pk,
                "key": key,
                "owner": item.owner_id,
                "previous_owner": previous,
                "note": item.note,
            },
            actor=actor,
            at=now,
        )
    return item
