"""Capacity and consent (CA01–CA02, IC01–IC02).

Seed pressure point: families assuming decision-making authority without consent or
capacity clarity; the article's audit checks "on consent and voice".
"""

from __future__ import annotations

from collections.abc import Iterator

from kinwise.rules.base import (
    PP_AUTHORITY,
    QS_ASSESSING,
    QS_CONSENT,
    QS_INDEPENDENCE,
    QS_PARTNERSHIPS,
    QS_PERSON_CENTRED,
    AuditContext,
    Hit,
    area_label,
    rule,
    when,
)
from kinwise.rules.facts import LACKS_CAPACITY, is_empty
from kinwise.rules.sharing import consent_valid, covering_consents
from kinwise.rules.terms import capacity_review_due, is_overdue


@rule(
    "CA01",
    severity="medium",
    title="A lack-of-capacity finding that someone else relies on is kept under review",
    subject_form="capacity:<id>",
    pressure_point=PP_AUTHORITY,
    quality_statements=(QS_CONSENT, QS_ASSESSING),
    checks=(
        "When someone other than the person decides an area because the current "
        "assessment found the person lacks capacity, that assessment's review date has "
        "not passed (without a review date: it is no more than 365 days old)."
    ),
    why=(
        "Capacity can change. Someone else deciding on the strength of an old assessment "
        "may be taking a decision the person could now make."
    ),
    fix="Reassess the person's capacity for this decision and record the outcome.",
    period=False,
)
def ca01_capacity_reviewed(ctx: AuditContext) -> Iterator[Hit]:
    """CA01: the current lacks-capacity assessment behind someone else deciding is overdue."""
    facts = ctx.facts
    for role in facts.plan.roles:
        if role.decides is None or role.decides == facts.person.id:
            continue
        current = facts.current_assessment(role.area, ctx.as_of)
        if current is None or current.outcome != LACKS_CAPACITY:
            continue
        due = capacity_review_due(current)
        if due is None or not is_overdue(due, ctx.as_of):
            continue
        if current.review_by is not None:
            detail = f"was due for review by {when(current.review_by)}"
        else:
            detail = f"dates from {when(current.date)}, more than a year ago, with no review date"
        label = area_label(role.area)
        yield Hit(
            f"capacity:{current.id}",
            f"{ctx.name(role.decides)} decides about {label} because {ctx.person} was "
            f"assessed as lacking capacity for it, but that assessment {detail}. Reassess "
            f"{ctx.person}'s capacity for this decision and record the outcome.",
            (current.id,),
        )


@rule(
    "CA02",
    severity="medium",
    title="A lack-of-capacity finding records the support given to decide",
    subject_form="capacity:<id>",
    pressure_point=PP_AUTHORITY,
    quality_statements=(QS_CONSENT, QS_INDEPENDENCE),
    checks=(
        "Each assessment in the audit period that found the person lacks capacity records "
        "the practicable steps taken to help them decide."
    ),
    why=(
        "A person is not to be treated as unable to decide unless all practicable steps "
        "to help them have been taken without success."
    ),
    fix=(
        "Record the support given (communication aids, timing, people present), or "
        "reassess with that support in place."
    ),
    period=True,
)
def ca02_support_recorded(ctx: AuditContext) -> Iterator[Hit]:
    """CA02: a lacks-capacity assessment with empty ``support_given``."""
    for assessment in ctx.facts.assessments:
        if (
            assessment.outcome == LACKS_CAPACITY
            and is_empty(assessment.support_given)
            and ctx.in_period(assessment.date)
        ):
            yield Hit(
                f"capacity:{assessment.id}",
                f"The capacity assessment of {when(assessment.date)} found that "
                f"{ctx.person} lacks capacity to decide about "
                f"{area_label(assessment.area)}, but it does not record what was done to "
                f"help {ctx.person} decide. Record the support given, or reassess with "
                "that support in place.",
                (assessment.id,),
            )


@rule(
    "IC01",
    severity="high",
    title="Relatives kept informed have consent to receive the information",
    subject_form="role:<area>/informed:<member>",
    pressure_point=PP_AUTHORITY,
    quality_statements=(QS_CONSENT, QS_PARTNERSHIPS),
    checks=(
        "Every family member or friend the plan keeps informed about an area is named in "
        "a current consent to share information about that area, given by the person "
        "(with capacity to give it) or by an attorney or deputy who can act for them."
    ),
    why=(
        "Sharing someone's information with relatives without a lawful basis breaches "
        "their confidentiality, however well meant."
    ),
    fix=(
        "Ask the person whether they agree to share this information with the relative "
        "and record their consent; otherwise stop sharing it."
    ),
    period=False,
)
def ic01_informed_with_consent(ctx: AuditContext) -> Iterator[Hit]:
    """IC01: a family member in a role's ``informed`` without a current, valid sharing consent."""
    facts = ctx.facts
    for role in facts.plan.roles:
        for member in role.informed:
            if not facts.is_family(member):
                continue
            covering = covering_consents(facts, member, role.area, ctx.as_of)
            if any(consent_valid(facts, c, ctx.as_of) for c in covering):
                continue
            relative, label = ctx.name(member), area_label(role.area)
            yield Hit(
                f"role:{role.area}/informed:{member}",
                f"The care plan keeps {relative} informed about {label} for {ctx.person}, "
                f"but no current consent to share information about {label} with "
                f"{relative} is recorded. Ask {ctx.person} whether they agree and record "
                "the consent (or the attorney's or deputy's consent), or stop sharing this "
                "information.",
                (member, *(c.id for c in covering)),
            )


@rule(
    "IC02",
    severity="medium",
    title="The person has consented to the current care plan",
    subject_form="plan",
    pressure_point=PP_AUTHORITY,
    quality_statements=(QS_CONSENT, QS_PERSON_CENTRED),
    checks=("A current consent to the care plan is dated on or after the plan's current version."),
    why="The plan is the person's; changes made to it need their agreement on record.",
    fix=(
        "Go through the current plan with the person in their preferred way and record "
        "their consent."
    ),
    period=False,
)
def ic02_plan_consented(ctx: AuditContext) -> Iterator[Hit]:
    """IC02: no current care_plan consent dated on or after the plan's ``version_date``."""
    facts = ctx.facts
    version = facts.plan.version_date
    consents = [c for c in facts.consents if c.kind == "care_plan" and c.is_current(ctx.as_of)]
    if any(version is None or c.date >= version for c in consents):
        return
    dated = f" of {when(version)}" if version is not None else ""
    yield Hit(
        "plan",
        f"No current consent to the care plan{dated} is recorded for {ctx.person}. Go "
        f"through the current plan with {ctx.person} and record their consent.",
        tuple(c.id for c in consents),
    )
