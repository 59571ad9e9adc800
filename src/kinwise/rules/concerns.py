"""Concerns and disagreements (CN01–CN05, catalogue 2).

Seed pressure point: staff deferring to relatives for fear of complaints, and
conflict-driven escalation. A concern is acknowledged and answered in time, follows the
Mental Capacity Act Code's route, is closed with its outcome, and never costs the
complainant their part in decisions (docs/spec/rules-v2.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from kinwise.rules.base import (
    PP_DEFERRING,
    QS_GOVERNANCE,
    QS_LEARNING,
    QS_PARTNERSHIPS,
    QS_SAFEGUARDING,
    AuditContext,
    Hit,
    area_label,
    rule,
    when,
)
from kinwise.rules.facts import is_empty
from kinwise.rules.terms import (
    ACKNOWLEDGE_WORKING_DAYS,
    LACKS_CAPACITY,
    RESPONSE_WORKING_DAYS,
    RETALIATION_DAYS,
    working_days_after,
)


@rule(
    "CN01",
    severity="medium",
    title="Concerns are acknowledged within 3 working days",
    subject_form="concern:<id>",
    pressure_point=PP_DEFERRING,
    quality_statements=(QS_LEARNING, QS_PARTNERSHIPS),
    checks="Each concern was acknowledged on or before the third working day after it was raised.",
    why="A concern left unanswered teaches families that raising one is pointless, or escalates it.",
    fix="Acknowledge the concern to the person who raised it, and record the date.",
    period=True,
)
def cn01_acknowledged(ctx: AuditContext) -> Iterator[Hit]:
    """CN01: see docs/spec/rules-v2.md."""
    for concern in ctx.facts.concerns:
        if not ctx.in_period(concern.date):
            continue
        deadline = working_days_after(concern.date, ACKNOWLEDGE_WORKING_DAYS)
        if deadline >= ctx.as_of:
            continue  # still in time
        if concern.acknowledged is not None and concern.acknowledged <= deadline:
            continue
        yield Hit(
            f"concern:{concern.id}",
            f"The concern {ctx.name(concern.raised_by)} raised on {when(concern.date)} was not "
            f"acknowledged by {when(deadline)}: acknowledge it and record the date.",
            (concern.id,),
        )


@rule(
    "CN02",
    severity="medium",
    title="Concerns have a reasoned written response within 20 working days",
    subject_form="concern:<id>",
    pressure_point=PP_DEFERRING,
    quality_statements=(QS_LEARNING, QS_GOVERNANCE),
    checks=(
        "Each concern had a written response, or a recorded reason for delay, on or before the "
        "twentieth working day after it was raised."
    ),
    why="The Care Act complaints regulations expect a reasoned answer in a known time.",
    fix="Send a reasoned written response, or record why it is delayed and when it will come.",
    period=True,
)
def cn02_responded(ctx: AuditContext) -> Iterator[Hit]:
    """CN02: see docs/spec/rules-v2.md."""
    for concern in ctx.facts.concerns:
        if not ctx.in_period(concern.date):
            continue
        deadline = working_days_after(concern.date, RESPONSE_WORKING_DAYS)
        if deadline >= ctx.as_of:
            continue
        answered = concern.response is not None and concern.response <= deadline
        delayed = concern.delay is not None and concern.delay <= deadline
        if answered or delayed:
            continue
        yield Hit(
            f"concern:{concern.id}",
            f"The concern raised on {when(concern.date)} had no written response and no reason "
            f"for delay by {when(deadline)}: respond in writing, or record the reason for delay.",
            (concern.id,),
        )


@rule(
    "CN03",
    severity="high",
    title="A concern about a decision for someone without capacity and without family has an IMCA",
    subject_form="concern:<id>",
    pressure_point=PP_DEFERRING,
    quality_statements=(QS_SAFEGUARDING, QS_PARTNERSHIPS),
    checks=(
        "A concern about a meeting's decision in an area where the person lacked capacity at the "
        "concern's date, with no family member and no advocate in the circle, records an IMCA "
        "referral."
    ),
    why="The Mental Capacity Act requires an IMCA when the person has no one appropriate to consult.",
    fix="Request an Independent Mental Capacity Advocate and record the date of the referral.",
    period=True,
)
def cn03_imca_referred(ctx: AuditContext) -> Iterator[Hit]:
    """CN03: see docs/spec/rules-v2.md."""
    facts = ctx.facts
    if any(m.is_family or m.kind == "advocate" for m in facts.members):
        return
    for concern in facts.concerns:
        if not concern.decision or not ctx.in_period(concern.date):
            continue
        if facts.capacity(concern.area, concern.date) != LACKS_CAPACITY:
            continue
        if concern.imca_referral is not None:
            continue
        yield Hit(
            f"concern:{concern.id}",
            f"{ctx.person} lacks capacity about {area_label(concern.area)} and has no family or "
            "advocate to consult: the concern about this decision needs an IMCA referral.",
            (concern.id,),
        )


@rule(
    "CN04",
    severity="medium",
    title="A closed concern records its outcome and the next stage open to the complainant",
    subject_form="concern:<id>",
    pressure_point=PP_DEFERRING,
    quality_statements=(QS_LEARNING,),
    checks="A closed concern has an outcome and the complainant was told of the next stage.",
    why="People who are not told where to go next feel closed down, not heard.",
    fix="Record the outcome, and tell the complainant about the next stage open to them.",
    period=True,
)
def cn04_closed_properly(ctx: AuditContext) -> Iterator[Hit]:
    """CN04: see docs/spec/rules-v2.md."""
    for concern in ctx.facts.concerns:
        if concern.closed is None or not ctx.in_period(concern.date):
            continue
        if not is_empty(concern.outcome) and concern.next_stage_told:
            continue
        yield Hit(
            f"concern:{concern.id}",
            f"The concern closed on {when(concern.closed)} does not record its outcome and that "
            f"{ctx.name(concern.raised_by)} was told of the next stage: record both.",
            (concern.id,),
        )


@rule(
    "CN05",
    severity="high",
    title="No one loses their part in decisions for raising a concern",
    subject_form="role_change:<id>",
    pressure_point=PP_DEFERRING,
    quality_statements=(QS_SAFEGUARDING, QS_PARTNERSHIPS),
    checks=(
        "No role of someone who raised a concern (deciding, supporting, contributing or being "
        "informed) is removed within 90 days after the concern without a recorded reason."
    ),
    why="Reducing a complainant's part in decisions after a complaint looks like retaliation.",
    fix="Record the reason for the change, or restore the role.",
    period=True,
)
def cn05_no_retaliation(ctx: AuditContext) -> Iterator[Hit]:
    """CN05: see docs/spec/rules-v2.md."""
    facts = ctx.facts
    for change in facts.role_changes:
        if change.change != "removed" or not is_empty(change.reason):
            continue
        if not ctx.in_period(change.date):
            continue
        concerns = [
            c
            for c in facts.concerns
            if c.raised_by == change.member
            and c.date < change.date <= c.date + timedelta(days=RETALIATION_DAYS)
        ]
        if not concerns:
            continue
        yield Hit(
            f"role_change:{change.id}",
            f"{ctx.name(change.member)}'s part in {area_label(change.area)} was reduced on "
            f"{when(change.date)}, within 90 days of their concern, with no reason recorded: "
            "record the reason or restore the role.",
            (change.id, *(c.id for c in concerns)),
        )
