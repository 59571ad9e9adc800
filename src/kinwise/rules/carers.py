"""Family carers (CP01–CP03, catalogue 2).

Seed pressure point: historic arrangements continuing despite changed needs — here the
carer's own. A carer who holds a task has a contingency for it, is asked whether they
are willing and able, and is covered when unwell (Care Act 2014 s.10, NICE NG150;
docs/spec/rules-v2.md). Only members with a carer's plan are judged.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from kinwise.rules.base import (
    PP_HISTORIC,
    QS_PARTNERSHIPS,
    QS_SAFEGUARDING,
    AuditContext,
    Hit,
    rule,
    task_label,
    when,
)
from kinwise.rules.terms import (
    CARER_ASKED_DAYS,
    FOLLOW_UP_DAYS,
    follow_up_closed,
    review_stale,
)


@rule(
    "CP01",
    severity="high",
    title="Every task a carer holds has a contingency",
    subject_form="carer_plan:<id>/task:<task>",
    pressure_point=PP_HISTORIC,
    quality_statements=(QS_PARTNERSHIPS, QS_SAFEGUARDING),
    checks="Each current task held by a member with a carer's plan has a contingency in the plan.",
    why="When a carer cannot go on, a task without a contingency is simply not done.",
    fix="Agree who steps in for the task and how they are reached, and add it to the plan.",
    period=False,
)
def cp01_contingency(ctx: AuditContext) -> Iterator[Hit]:
    """CP01: see docs/spec/rules-v2.md."""
    facts = ctx.facts
    for plan in facts.carer_plans:
        for task in facts.current_tasks():
            if task.holder != plan.carer or task.id in plan.contingency_tasks:
                continue
            yield Hit(
                f"carer_plan:{plan.id}/task:{task.id}",
                f"{ctx.name(plan.carer)}'s carer's plan has no contingency for "
                f"{task_label(task.task)}: agree who steps in.",
                (plan.id, task.id),
            )


@rule(
    "CP02",
    severity="medium",
    title="Carers are asked each year whether they are willing and able",
    subject_form="carer_plan:<id>",
    pressure_point=PP_HISTORIC,
    quality_statements=(QS_PARTNERSHIPS,),
    checks="A carer's plan records that the carer was asked within the last 365 days.",
    why="A carer's willingness and ability change; an arrangement assumed for years may not hold.",
    fix="Ask the carer whether they are still willing and able, and record the answer.",
    period=False,
)
def cp02_willing_asked(ctx: AuditContext) -> Iterator[Hit]:
    """CP02: see docs/spec/rules-v2.md."""
    for plan in ctx.facts.carer_plans:
        if plan.asked is not None and not review_stale(plan.asked, ctx.as_of, CARER_ASKED_DAYS):
            continue
        state = "never been asked" if plan.asked is None else f"last asked on {when(plan.asked)}"
        yield Hit(
            f"carer_plan:{plan.id}",
            f"{ctx.name(plan.carer)} has {state} whether they are willing and able to go on: "
            "ask them.",
            (plan.id,),
        )


@rule(
    "CP03",
    severity="high",
    title="When a carer is unwell, the contingency is used or the plan reviewed",
    subject_form="event:<id>",
    pressure_point=PP_HISTORIC,
    quality_statements=(QS_SAFEGUARDING, QS_PARTNERSHIPS),
    checks=(
        "A carer_unwell event about a member with a carer's plan is followed within 14 days by a "
        "use of the plan's contingency, a review of the plan or a partnership review meeting."
    ),
    why="The person's care must not lapse because the family carer is ill.",
    fix="Put the contingency into action, or review the carer's plan.",
    period=True,
)
def cp03_carer_unwell_covered(ctx: AuditContext) -> Iterator[Hit]:
    """CP03: see docs/spec/rules-v2.md."""
    facts = ctx.facts
    plans = {p.carer: p for p in facts.carer_plans}
    for event in facts.events:
        if event.kind != "carer_unwell" or event.carer not in plans:
            continue
        if not ctx.in_period(event.date) or not follow_up_closed(event.date, ctx.as_of):
            continue
        plan = plans[event.carer]
        end = event.date + timedelta(days=FOLLOW_UP_DAYS)
        followed = [*plan.uses, *([plan.reviewed] if plan.reviewed is not None else [])]
        followed += [m.date for m in facts.meetings if m.kind == "partnership_review"]
        if any(event.date <= day <= end for day in followed):
            continue
        yield Hit(
            f"event:{event.id}",
            f"{ctx.name(plan.carer)} was unwell on {when(event.date)} and within 14 days the "
            "contingency was not used and the carer's plan was not reviewed.",
            (event.id, plan.id),
        )
