"""Partnership arrangements (PA01–PA06).

Seed pressure point: historic arrangements continuing despite changed needs. Governance
responsibilities that family members hold are agreed, reviewed as needs change, and
separated from emotional support.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from kinwise.rules.base import (
    PP_HISTORIC,
    QS_ASSESSING,
    QS_GOVERNANCE,
    QS_MEDICINES,
    QS_PARTNERSHIPS,
    QS_SAFEGUARDING,
    QS_STAFFING,
    AuditContext,
    Hit,
    area_label,
    rule,
    task_label,
    when,
)
from kinwise.rules.facts import PersonFacts, TaskFacts
from kinwise.rules.terms import (
    COMPLEX_MEDICATION,
    family_tasks_due,
    follow_up_closed,
    follow_up_due,
    is_overdue,
    task_last_review,
)

MEDICATION_TASK = "administer_medication"


def last_review(task: TaskFacts, facts: PersonFacts) -> date | None:
    """The task's *last review* (:func:`kinwise.rules.terms.task_last_review`)."""
    return task_last_review(task, facts.meetings)


def _evidence(task: TaskFacts, facts: PersonFacts) -> tuple[str, ...]:
    return (task.id,) + tuple(
        m.id
        for m in facts.meetings
        if m.kind == "partnership_review" and task.id in m.reviews_tasks
    )


@rule(
    "PA01",
    severity="medium",
    title="Family arrangements are reviewed at least once a year",
    subject_form="task:<id>",
    pressure_point=PP_HISTORIC,
    quality_statements=(QS_PARTNERSHIPS, QS_GOVERNANCE),
    checks=(
        "Each current task a family member or friend holds has been agreed or reviewed "
        "within the last 365 days."
    ),
    why="Arrangements that are never reviewed carry on after the person's needs have changed.",
    fix="Review the arrangement with the person and the relative at a partnership review.",
    period=False,
)
def pa01_family_task_reviewed(ctx: AuditContext) -> Iterator[Hit]:
    """PA01: a family member's task with no last review, or one more than 365 days old."""
    facts = ctx.facts
    for task, last, due in family_tasks_due(facts):
        # with no last review the task is found from the day it is held
        if last is not None and not is_overdue(due, ctx.as_of):
            continue
        state = (
            "has never been agreed or reviewed"
            if last is None
            else f"was last reviewed on {when(last)}, more than a year ago"
        )
        yield Hit(
            f"task:{task.id}",
            f"{ctx.name(task.holder)}'s arrangement for {task_label(task.task)} for "
            f"{ctx.person} {state}. Review it with {ctx.person} and "
            f"{ctx.name(task.holder)} at a partnership review and record the outcome.",
            _evidence(task, facts),
        )


@rule(
    "PA02",
    severity="high",
    title="Arrangements are reviewed after a change in need",
    subject_form="task:<id>",
    pressure_point=PP_HISTORIC,
    quality_statements=(QS_ASSESSING, QS_PARTNERSHIPS),
    checks=(
        "No current task has had a change (an event of any kind in its area) since it "
        "was last reviewed."
    ),
    why=(
        "A diagnosis, discharge or change in need can make an arrangement that used to work unsafe."
    ),
    fix="Review the arrangement against the person's current needs and record the review.",
    period=False,
)
def pa02_reviewed_after_change(ctx: AuditContext) -> Iterator[Hit]:
    """PA02: an event naming the task's area dated strictly after its last review (or,
    with none, after its ``since``)."""
    facts = ctx.facts
    for task in facts.current_tasks():
        last = last_review(task, facts)
        baseline = last if last is not None else task.since
        changes = sorted(
            (e for e in facts.events if task.area in e.areas and e.date > baseline),
            key=lambda e: (e.date, e.id),
        )
        if not changes:
            continue
        latest = changes[-1]
        yield Hit(
            f"task:{task.id}",
            f"{ctx.name(task.holder)}'s arrangement for {task_label(task.task)} for "
            f"{ctx.person} has not been reviewed since a change about "
            f"{area_label(task.area)} recorded on {when(latest.date)} "
            f"({latest.kind.replace('_', ' ')}). Review the arrangement against "
            f"{ctx.person}'s current needs and record the review.",
            _evidence(task, facts) + tuple(e.id for e in changes),
        )


@rule(
    "PA03",
    severity="high",
    title="Relatives giving complex medication are trained",
    subject_form="task:<id>",
    pressure_point=PP_HISTORIC,
    quality_statements=(QS_MEDICINES, QS_STAFFING),
    checks=(
        "No family member or friend gives medication without a recorded competency "
        "assessment while the regimen is complex (medication complexity 12 or more)."
    ),
    why=(
        "A complex, time-critical regimen needs assessed competence; errors harm the "
        "person and place an unfair burden on the relative."
    ),
    fix=(
        "Arrange training and a competency assessment for the relative, or move giving "
        "medication to trained staff while the relative keeps their other roles."
    ),
    period=False,
)
def pa03_family_medication_trained(ctx: AuditContext) -> Iterator[Hit]:
    """PA03: a family member administers medication untrained while the regimen is complex."""
    facts = ctx.facts
    complexity = facts.medication_complexity(ctx.as_of)
    if complexity < COMPLEX_MEDICATION:
        return
    for task in facts.current_tasks():
        if task.task != MEDICATION_TASK or not facts.is_family(task.holder):
            continue
        if MEDICATION_TASK in facts.members_by_id[task.holder].trained:
            continue
        relative = ctx.name(task.holder)
        yield Hit(
            f"task:{task.id}",
            f"{relative} gives {ctx.person}'s medication, which is now complex "
            f"(complexity {complexity:g}), and no competency assessment for {relative} "
            f"is recorded. Arrange training and a competency assessment for {relative}, "
            f"or move giving medication to trained staff with {relative}'s and "
            f"{ctx.person}'s agreement.",
            (task.id,),
        )


@rule(
    "PA04",
    severity="medium",
    title="Family arrangements are formally agreed",
    subject_form="task:<id>",
    pressure_point=PP_HISTORIC,
    quality_statements=(QS_PARTNERSHIPS, QS_GOVERNANCE),
    checks="Each current task a family member or friend holds records when it was agreed.",
    why="An arrangement nobody agreed is one nobody owns, reviews or can end cleanly.",
    fix="Agree the arrangement with the person and the relative, and record the date.",
    period=False,
)
def pa04_family_task_agreed(ctx: AuditContext) -> Iterator[Hit]:
    """PA04: a family member's task with no ``agreed`` date."""
    facts = ctx.facts
    for task in facts.current_tasks():
        if facts.is_family(task.holder) and task.agreed is None:
            relative = ctx.name(task.holder)
            yield Hit(
                f"task:{task.id}",
                f"{relative}'s arrangement for {task_label(task.task)} for {ctx.person} "
                f"has no record of being formally agreed. Agree it with {ctx.person} and "
                f"{relative}, and record the date.",
                (task.id,),
            )


@rule(
    "PA05",
    severity="high",
    title="Safeguarding concerns are followed by a partnership review within 14 days",
    subject_form="incident:<id> or event:<id>",
    pressure_point=PP_HISTORIC,
    quality_statements=(QS_SAFEGUARDING, QS_PARTNERSHIPS),
    checks=(
        "Each safeguarding incident or safeguarding concern in the audit period is "
        "followed within 14 days by a partnership review meeting. It is judged once its "
        "14 days have passed."
    ),
    why=(
        "A safeguarding concern is when the partnership arrangements most need "
        "re-examining with the person, the family and the service together."
    ),
    fix="Hold a partnership review and record it.",
    period=True,
)
def pa05_safeguarding_reviewed(ctx: AuditContext) -> Iterator[Hit]:
    """PA05: a safeguarding incident or concern with no partnership_review meeting within
    14 days (both ends inclusive), judged once the window has closed."""
    facts = ctx.facts
    review_dates = [m.date for m in facts.meetings if m.kind == "partnership_review"]
    subjects = [
        (f"incident:{i.id}", i.id, i.date, "safeguarding incident")
        for i in facts.incidents
        if i.safeguarding
    ] + [
        (f"event:{e.id}", e.id, e.date, "safeguarding concern")
        for e in facts.events
        if e.kind == "safeguarding_concern"
    ]
    for subject, record_id, happened, what in subjects:
        if not ctx.in_period(happened):
            continue
        if not follow_up_closed(happened, ctx.as_of):
            continue  # the follow-up is still due, not missing
        end = follow_up_due(happened)
        if any(happened <= d <= end for d in review_dates):
            continue
        yield Hit(
            subject,
            f"The {what} of {when(happened)} for {ctx.person} was not followed within "
            f"14 days by a partnership review. Hold a partnership review with {ctx.person}, "
            "the family and the service, and record it.",
            (record_id,),
        )


@rule(
    "PA06",
    severity="high",
    title="Staff giving medication are trained",
    subject_form="task:<id>",
    pressure_point=PP_HISTORIC,
    quality_statements=(QS_MEDICINES, QS_STAFFING),
    checks="Each staff member who gives medication has a recorded competency assessment.",
    why="Medication moved to staff must go to staff assessed as competent.",
    fix="Record the staff member's competency assessment, or give the task to trained staff.",
    period=False,
)
def pa06_staff_medication_trained(ctx: AuditContext) -> Iterator[Hit]:
    """PA06: a staff member holds administer_medication with no training date."""
    facts = ctx.facts
    for task in facts.current_tasks():
        if task.task != MEDICATION_TASK or facts.kind_of(task.holder) != "staff":
            continue
        if MEDICATION_TASK in facts.members_by_id[task.holder].trained:
            continue
        staff = ctx.name(task.holder)
        yield Hit(
            f"task:{task.id}",
            f"{staff} gives {ctx.person}'s medication, but no competency assessment for "
            f"{staff} is recorded. Record {staff}'s competency assessment, or give the "
            "task to staff who are trained.",
            (task.id,),
        )
