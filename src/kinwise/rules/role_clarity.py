"""Role clarity and authority (RC01–RC04).

Seed pressure point: families assuming decision-making authority without consent or
capacity clarity. The care plan must say, area by area, who decides, and on what basis.
"""

from __future__ import annotations

from collections.abc import Iterator

from kinwise.rules.base import (
    PP_AUTHORITY,
    QS_CONSENT,
    QS_GOVERNANCE,
    QS_INDEPENDENCE,
    QS_PERSON_CENTRED,
    AuditContext,
    Hit,
    area_label,
    rule,
)
from kinwise.rules.facts import LACKS_CAPACITY, is_empty


@rule(
    "RC01",
    severity="high",
    title="Every decision area has a named decision-maker",
    subject_form="role:<area>",
    pressure_point=PP_AUTHORITY,
    quality_statements=(QS_CONSENT, QS_GOVERNANCE),
    checks=(
        "Each required area of the plan, and the area of every current task, has a role; "
        "every role names who decides; and the person is not named as deciding an area "
        "they currently lack capacity for."
    ),
    why=(
        "Without a named decision-maker, decisions drift to whoever is most present, "
        "often a relative, with no legal basis on record."
    ),
    fix=(
        "Add the missing role and name who decides. Where the person lacks capacity, name "
        "the attorney or deputy, or the best-interests decision-maker."
    ),
    period=False,
)
def rc01_decision_maker_named(ctx: AuditContext) -> Iterator[Hit]:
    """RC01: an area with no role, a role with no decides, or the person deciding without capacity."""
    facts = ctx.facts
    roles = facts.roles_by_area
    tasks_by_area: dict[str, list[str]] = {}
    for task in facts.current_tasks():
        tasks_by_area.setdefault(task.area, []).append(task.id)
    needed = set(facts.plan.required_areas) | set(tasks_by_area)
    for area in sorted(needed - roles.keys()):
        yield Hit(
            f"role:{area}",
            f"The care plan for {ctx.person} has no role for {area_label(area)}, so nobody is "
            f"recorded as deciding about it. Add a role for {area_label(area)} that names "
            "who decides, who contributes and who is informed.",
            tuple(tasks_by_area.get(area, ())),
        )
    for role in facts.plan.roles:
        label = area_label(role.area)
        if role.decides is None:
            yield Hit(
                f"role:{role.area}",
                f"The care plan for {ctx.person} does not say who decides about {label}. "
                f"Name the decision-maker for {label} in the plan.",
            )
        elif role.decides == facts.person.id:
            current = facts.current_assessment(role.area, ctx.as_of)
            if current is not None and current.outcome == LACKS_CAPACITY:
                yield Hit(
                    f"role:{role.area}",
                    f"{ctx.person} is recorded as deciding about {label}, but the current "
                    f"capacity assessment found that {ctx.person} lacks capacity for this "
                    "decision. Name the attorney or deputy who holds authority for it, or a "
                    "best-interests decision-maker.",
                    (current.id,),
                )


@rule(
    "RC02",
    severity="high",
    title="A relative who decides has a delegation or a legal authority",
    subject_form="role:<area>",
    pressure_point=PP_AUTHORITY,
    quality_statements=(QS_CONSENT, QS_INDEPENDENCE),
    checks=(
        "When a family member or friend is named as deciding an area, either the person "
        "(with capacity for it) has delegated that decision to them by a current consent, "
        "or they hold a registered power of attorney or deputyship usable for the area."
    ),
    why=(
        "A relative deciding without delegation or legal authority overrides the person's "
        "right to decide, or decides for them with no lawful basis."
    ),
    fix=(
        "Record the person as the decision-maker, record the person's delegation, or "
        "record the relative's registered authority (or name a best-interests "
        "decision-maker)."
    ),
    period=False,
)
def rc02_family_decides_with_basis(ctx: AuditContext) -> Iterator[Hit]:
    """RC02: a family decision-maker with neither a current delegation nor a usable authority."""
    facts = ctx.facts
    person_id = facts.person.id
    for role in facts.plan.roles:
        decider = role.decides
        if decider is None or not facts.is_family(decider):
            continue
        area = role.area
        capacity = facts.capacity(area, ctx.as_of)
        delegations = [
            c
            for c in facts.consents
            if c.kind == "delegate_decision"
            and c.given_by == person_id
            and decider in c.to
            and area in c.areas
            and c.is_current(ctx.as_of)
        ]
        if delegations and capacity != LACKS_CAPACITY:
            continue
        if facts.usable_authorities(decider, area, ctx.as_of):
            continue
        current = facts.current_assessment(area, ctx.as_of)
        held = facts.authorities_by_holder.get(decider, ())
        evidence = tuple(
            [decider]
            + [c.id for c in delegations]
            + [a.id for a in held]
            + ([current.id] if current is not None else [])
        )
        relative, label = ctx.name(decider), area_label(area)
        if capacity == LACKS_CAPACITY:
            message = (
                f"{relative} is recorded as deciding about {label}. {ctx.person} lacks "
                f"capacity for this decision, and no current, registered power of attorney "
                f"or deputyship held by {relative} covers it. Record {relative}'s registered "
                "authority for this area, or name a best-interests decision-maker."
            )
        else:
            message = (
                f"{relative} is recorded as deciding about {label}, but {ctx.person} has "
                f"capacity for this decision and no current delegation of it from "
                f"{ctx.person} to {relative} is recorded. Record {ctx.person} as the "
                f"decision-maker, or record {ctx.person}'s delegation of this decision."
            )
        yield Hit(f"role:{area}", message, evidence)


@rule(
    "RC03",
    severity="high",
    title="The provider decides only in the person's best interests, and only when no one else can",
    subject_form="role:<area>",
    pressure_point=PP_AUTHORITY,
    quality_statements=(QS_CONSENT, QS_INDEPENDENCE),
    checks=(
        "When staff or a professional is named as deciding an area: the person currently "
        "lacks capacity for it, a best-interests decision for the area is dated on or "
        "after the current capacity assessment, and no attorney or deputy holds an "
        "authority usable for the area."
    ),
    why=(
        "Staff may decide for someone only when the person lacks capacity, through a "
        "recorded best-interests decision, and not where an attorney or deputy holds the "
        "decision."
    ),
    fix=(
        "Record the person (or the attorney or deputy) as the decision-maker, or record "
        "the best-interests decision that follows the current capacity assessment."
    ),
    period=False,
)
def rc03_provider_decides_lawfully(ctx: AuditContext) -> Iterator[Hit]:
    """RC03: staff or a professional deciding while the person has capacity, without a
    best-interests decision after the current assessment, or over an attorney or deputy."""
    facts = ctx.facts
    for role in facts.plan.roles:
        decider = role.decides
        if facts.kind_of(decider) not in ("staff", "professional") or decider is None:
            continue
        area, label = role.area, area_label(role.area)
        staff = ctx.name(decider)
        current = facts.current_assessment(area, ctx.as_of)
        reasons: list[str] = []
        evidence: list[str] = [current.id] if current is not None else []
        if current is None or current.outcome != LACKS_CAPACITY:
            reasons.append(f"{ctx.person} has capacity for this decision")
        else:
            later = [
                b for b in facts.best_interests_by_area.get(area, ()) if b.date >= current.date
            ]
            if not later:
                reasons.append(
                    "no best-interests decision is recorded since the current capacity assessment"
                )
            evidence.extend(b.id for b in later)
        holders = [a for a in facts.authorities if facts.authority_usable(a, area, ctx.as_of)]
        if holders:
            attorneys = sorted({ctx.name(a.holder) for a in holders})
            reasons.append(
                f"{' and '.join(attorneys)} holds a legal authority for it, so the "
                "decision is theirs"
            )
            evidence.extend(a.id for a in holders)
        if not reasons:
            continue
        yield Hit(
            f"role:{area}",
            f"{staff} is recorded as deciding about {label} for {ctx.person}, but "
            + "; and ".join(reasons)
            + f". Record who lawfully decides about {label}: {ctx.person}, the attorney or "
            "deputy, or (when the person lacks capacity and no one holds authority) a "
            "best-interests decision following the current assessment.",
            tuple(evidence),
        )


@rule(
    "RC04",
    severity="medium",
    title="Best-interests decisions record the person's wishes and who was consulted",
    subject_form="best_interests:<id>",
    pressure_point=PP_AUTHORITY,
    quality_statements=(QS_CONSENT, QS_PERSON_CENTRED),
    checks=(
        "Each best-interests decision in the audit period records the person's wishes, "
        "and names who was consulted whenever the person has family or friends in the "
        "circle."
    ),
    why=(
        "The Mental Capacity Act requires the decision-maker to consider the person's "
        "wishes and to consult those close to them."
    ),
    fix="Record the person's wishes and feelings, and who was consulted, on the decision.",
    period=True,
)
def rc04_best_interests_complete(ctx: AuditContext) -> Iterator[Hit]:
    """RC04: a best-interests record without the person's wishes, or with no one consulted."""
    facts = ctx.facts
    has_family = facts.has_family
    for record in facts.best_interests:
        if not ctx.in_period(record.date):
            continue
        missing: list[str] = []
        if is_empty(record.persons_wishes):
            missing.append(f"{ctx.person}'s wishes and feelings")
        if not record.consulted and has_family:
            missing.append("who was consulted")
        if not missing:
            continue
        yield Hit(
            f"best_interests:{record.id}",
            f"The best-interests decision about {area_label(record.area)} for {ctx.person} "
            f"does not record {' or '.join(missing)}. Add "
            + " and ".join(missing)
            + " to the decision.",
            (record.id,),
        )
