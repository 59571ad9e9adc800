"""Writes for supervision: a supervision record, its agreed actions, and the outcomes of
earlier actions (which resolve them)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from kinwise.access import may_supervise
from kinwise.core.models import Service
from kinwise.errors import ErrorCode, FieldError, KinwiseError
from kinwise.governance.history import change_write
from kinwise.governance.models import SupervisionAction, SupervisionRecord
from kinwise.governance.supervision import STANDING_PROMPTS, StaffRef, data_prompts, staff_members
from kinwise.records.selectors import casefiles_for_service

TEXT_LENGTH = 5000
# An agreed action is a line of the worklist.
ACTION_LENGTH = 2000
# Database ids are signed 64-bit integers: anything else names no action.
_MAX_PK = 2**63 - 1


@dataclass(frozen=True)
class ActionInput:
    text: str
    due: dt.date


def supervision_record_create(
    *,
    service: Service,
    staff: StaffRef,
    date: dt.date,
    supervisor: AbstractBaseUser,
    since: dt.date,
    prompt_keys: Sequence[str],
    reflections: str,
    actions: Sequence[ActionInput],
    outcomes: Mapping[int, str],
    actor: AbstractBaseUser,
    as_of: dt.date,
) -> SupervisionRecord:
    """Record a supervision session with ``staff`` held on ``date`` (on or before
    ``as_of``, today), over the period ``since``..``date``.

    ``prompt_keys`` name the prompts discussed — data prompts for that period, or
    standing prompts — and each is kept as shown. ``actions`` are agreed actions (they
    join the worklist, due on their date). ``outcomes`` maps the pk of an open action
    agreed in an earlier supervision with the same staff member to what came of it: the
    action is resolved by this record. Every problem is reported at once, with the field
    it concerns; nothing is written unless all is well.
    """
    errors: list[FieldError] = []
    casefiles = casefiles_for_service(service=service)
    if staff not in staff_members(casefiles.values()):
        raise KinwiseError(ErrorCode.NOT_FOUND, "no such staff member in this service")
    if not may_supervise(user=supervisor, service=service):
        errors.append(
            FieldError("supervisor", "The supervisor must be a team leader or registered manager")
        )
    if date > as_of:
        errors.append(FieldError("date", "The date of supervision must be today or in the past"))
    if since > date:
        errors.append(FieldError("since", "The period must start on or before the supervision"))
    if "\x00" in reflections:
        errors.append(
            FieldError("reflections", "The text holds a null character, which cannot be saved")
        )
    if not reflections.strip():
        errors.append(FieldError("reflections", "Enter the staff member's reflections"))
    elif len(reflections) > TEXT_LENGTH:
        errors.append(
            FieldError("reflections", f"Reflections must be {TEXT_LENGTH} characters or fewer")
        )

    shown = {}
    if since <= date <= as_of:
        for prompt in data_prompts(casefiles.values(), staff=staff, since=since, as_of=date):
            shown[prompt.key] = {
                "key": prompt.key,
                "kind": prompt.kind,
                "person": prompt.person,
                "question": prompt.question,
                "evidence": list(prompt.evidence),
            }
    for standing in STANDING_PROMPTS:
        shown[standing.key] = {
            "key": standing.key,
            "kind": "standing",
            "question": standing.question,
        }
    for index, key in enumerate(prompt_keys):
        if key not in shown:
            errors.append(
                FieldError(f"prompts[{index}]", "This prompt is not one shown for the period")
            )

    for index, agreed in enumerate(actions):
        if not agreed.text.strip():
            errors.append(FieldError(f"actions[{index}].text", "Enter the action agreed"))
        elif "\x00" in agreed.text:
            errors.append(
                FieldError(
                    f"actions[{index}].text",
                    "The text holds a null character, which cannot be saved",
                )
            )
        elif len(agreed.text) > ACTION_LENGTH:
            errors.append(
                FieldError(
                    f"actions[{index}].text",
                    f"The action must be {ACTION_LENGTH} characters or fewer",
                )
            )
        if agreed.due < date:
            errors.append(
                FieldError(
                    f"actions[{index}].due", "The action must be due on or after the supervision"
                )
            )

    earlier = {
        a.pk: a
        for a in SupervisionAction.objects.filter(
            pk__in=[pk for pk in outcomes if 0 < pk <= _MAX_PK],
            record__service=service,
            record__staff_member=staff.member,
            resolved_by__isnull=True,
        ).select_related("record")
    }
    for pk, outcome in outcomes.items():
        found = earlier.get(pk)
        if found is None or found.record.date > date:
            errors.append(
                FieldError(f"outcomes[{pk}]", "This is not an open action of this staff member")
            )
        elif not outcome.strip():
            errors.append(FieldError(f"outcomes[{pk}]", "Enter what came of this action"))
        elif "\x00" in outcome:
            errors.append(
                FieldError(
                    f"outcomes[{pk}]", "The text holds a null character, which cannot be saved"
                )
            )
        elif len(outcome) > TEXT_LENGTH:
            errors.append(
                FieldError(
                    f"outcomes[{pk}]", f"What came of it must be {TEXT_LENGTH} characters or fewer"
                )
            )
    if errors:
        raise KinwiseError(ErrorCode.INVALID_INPUT, "the supervision record was not saved", errors)

    now = timezone.now()
    with transaction.atomic():
        record = SupervisionRecord.objects.create(
            service=service,
            staff_member=staff.member,
            staff_name=staff.name,
            date=date,
            supervisor_id=supervisor.pk,
            period_since=since,
            period_until=date,
            prompts=[shown[k] for k in dict.fromkeys(prompt_keys)],
            reflections=reflections.strip(),
            created_at=now,
        )
        change_write(
            entity="supervision_record",
            entity_pk=record.pk,
            action="created",
            snapshot={
                "service": service.pk,
                "staff_member": staff.member,
                "staff_name": staff.name,
                "date": date.isoformat(),
                "supervisor": supervisor.pk,
                "since": since.isoformat(),
                "prompts": [p["key"] for p in record.prompts],
                "reflections": record.reflections,
            },
            actor=actor,
            at=now,
        )
        for position, agreed in enumerate(actions):
            created = SupervisionAction.objects.create(
                record=record, position=position, text=agreed.text.strip(), due=agreed.due
            )
            change_write(
                entity="supervision_action",
                entity_pk=created.pk,
                action="created",
                snapshot={"record": record.pk, "text": created.text, "due": agreed.due.isoformat()},
                actor=actor,
                at=now,
            )
        for pk, outcome in outcomes.items():
            resolved = earlier[pk]
            resolved.outcome = outcome.strip()
            resolved.resolved_by = record
            resolved.save(update_fields=["outcome", "resolved_by"])
            change_write(
                entity="supervision_action",
                entity_pk=pk,
                action="resolved",
                snapshot={"resolved_by": record.pk, "outcome": resolved.outcome},
                actor=actor,
                at=now,
            )
    return record
