"""Goals and restrictions (GO01–GO02, RS01–RS03, catalogue 2).

Seed pressure points: the person's rights and voice, and disagreement about what is
safe. A goal is the person's own or agreed by them and is reviewed; a restriction has a
lawful basis, respects capacity and is reviewed; a graded trial that replaces it closes
it (docs/spec/rules-v2.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from kinwise.rules.base import (
    PP_AUTHORITY,
    PP_RISK,
    QS_CONSENT,
    QS_INDEPENDENCE,
    QS_PERSON_CENTRED,
    QS_RISK,
    AuditContext,
    Hit,
    area_label,
    rule,
    when,
)
from kinwise.rules.facts import GoalFacts, PersonFacts, RestrictionFacts
from kinwise.rules.terms import HAS_CAPACITY, is_current, is_overdue, restriction_current


def current_goals(facts: PersonFacts) -> list[GoalFacts]:
    """Goals set on or before as_of and not ended on or before it."""
    return [g for g in facts.goals if is_current(g.date, g.ended, facts.as_of)]


def current_restrictions(facts: PersonFacts) -> list[RestrictionFacts]:
    """Restrictions current at as_of: begun, not ended, and not replaced by a graded trial
    that has a session on or before as_of."""
    started = {t.id for t in facts.trials if t.sessions}
    return [
        r
        for r in facts.restrictions
        if restriction_current(r.ended, r.replaced_by in started, r.date, facts.as_of)
    ]


@rule(
    "GO01",
    severity="high",
    title="A goal set by someone else, in an area the person decides, has their agreement",
    subject_form="goal:<id>",
    pressure_point=PP_AUTHORITY,
    quality_statements=(QS_PERSON_CENTRED, QS_INDEPENDENCE),
    checks=(
        "A current goal set by someone other than the person, in an area whose Role names the "
        "person as deciding, records that the person agrees."
    ),
    why="Where the person decides, a goal that is not theirs overrides them.",
    fix="Ask the person whether this is their goal, in the way they communicate, and record it.",
    period=False,
)
def go01_persons_agreement(ctx: AuditContext) -> Iterator[Hit]:
    """GO01: see docs/spec/rules-v2.md."""
    facts = ctx.facts
    for goal in current_goals(facts):
        if goal.set_by == facts.person.id or goal.person_agrees is True:
            continue
        role = facts.roles_by_area.get(goal.area)
        if role is None or role.decides != facts.person.id:
            continue
        yield Hit(
            f"goal:{goal.id}",
            f"{ctx.name(goal.set_by)} set a goal about {area_label(goal.area)}, which "
            f"{ctx.person} decides, without {ctx.person}'s agreement recorded.",
            (goal.id,),
        )


@rule(
    "GO02",
    severity="medium",
    title="Goals are reviewed within their review period",
    subject_form="goal:<id>",
    pressure_point=PP_AUTHORITY,
    quality_statements=(QS_PERSON_CENTRED,),
    checks="A current goal's last review (or its date) is no more than its review period ago.",
    why="Outcomes nobody reviews are not outcomes.",
    fix="Review the goal with the person and record a score and the evidence.",
    period=False,
)
def go02_goal_reviewed(ctx: AuditContext) -> Iterator[Hit]:
    """GO02: see docs/spec/rules-v2.md."""
    for goal in current_goals(ctx.facts):
        last = goal.review_dates[-1] if goal.review_dates else goal.date
        due = last + timedelta(days=goal.review_every)
        if not is_overdue(due, ctx.as_of):
            continue
        yield Hit(
            f"goal:{goal.id}",
            f"The goal set on {when(goal.date)} was due for review on {when(due)}: review it.",
            (goal.id,),
        )


@rule(
    "RS01",
    severity="high",
    title="No restriction where the person has capacity and has not consented",
    subject_form="restriction:<id>",
    pressure_point=PP_RISK,
    quality_statements=(QS_CONSENT, QS_INDEPENDENCE),
    checks=(
        "A current restriction in an area where the person has capacity rests on a consent the "
        "person gave that is current."
    ),
    why="Restricting someone who can decide, without their consent, is unlawful.",
    fix="Ask the person; without their consent, lift the restriction.",
    period=False,
)
def rs01_capacity_respected(ctx: AuditContext) -> Iterator[Hit]:
    """RS01: see docs/spec/rules-v2.md."""
    facts = ctx.facts
    consents = {
        c.id for c in facts.consents if c.given_by == facts.person.id and c.is_current(ctx.as_of)
    }
    for restriction in current_restrictions(facts):
        if facts.capacity(restriction.area, ctx.as_of) != HAS_CAPACITY:
            continue
        if restriction.basis == "consent" and restriction.basis_record in consents:
            continue
        yield Hit(
            f"restriction:{restriction.id}",
            f"{ctx.person} has capacity about {area_label(restriction.area)} and has not "
            "consented to this restriction.",
            (restriction.id,),
        )


@rule(
    "RS02",
    severity="high",
    title="Every restriction has a legal basis",
    subject_form="restriction:<id>",
    pressure_point=PP_RISK,
    quality_statements=(QS_CONSENT, QS_RISK),
    checks=(
        "A current restriction has a basis, and the record it rests on exists and is current at "
        "the audit date (a court order needs no record)."
    ),
    why="A restriction without a lawful basis is a deprivation nobody authorised.",
    fix="Record the consent, best-interests decision, authority or court order it rests on.",
    period=False,
)
def rs02_legal_basis(ctx: AuditContext) -> Iterator[Hit]:
    """RS02: see docs/spec/rules-v2.md."""
    facts = ctx.facts
    good: set[str] = {c.id for c in facts.consents if c.is_current(ctx.as_of)}
    good |= {b.id for b in facts.best_interests}
    good |= {a.id for a in facts.authorities if a.is_current(ctx.as_of)}
    for restriction in current_restrictions(facts):
        if restriction.basis == "court_order":
            continue
        if restriction.basis is not None and restriction.basis_record in good:
            continue
        yield Hit(
            f"restriction:{restriction.id}",
            f"The restriction about {area_label(restriction.area)} has no current legal basis.",
            (restriction.id,),
        )


@rule(
    "RS03",
    severity="medium",
    title="Restrictions are reviewed by their review date",
    subject_form="restriction:<id>",
    pressure_point=PP_RISK,
    quality_statements=(QS_RISK, QS_INDEPENDENCE),
    checks="A current restriction's review_by is not before the audit date.",
    why="Restrictions nobody reviews become permanent.",
    fix="Review the restriction; replace it with a graded trial where it can be.",
    period=False,
)
def rs03_restriction_reviewed(ctx: AuditContext) -> Iterator[Hit]:
    """RS03: see docs/spec/rules-v2.md."""
    for restriction in current_restrictions(ctx.facts):
        if not is_overdue(restriction.review_by, ctx.as_of):
            continue
        yield Hit(
            f"restriction:{restriction.id}",
            f"The restriction about {area_label(restriction.area)} was due for review on "
            f"{when(restriction.review_by)}.",
            (restriction.id,),
        )
