"""Who decides what: each area's decision-maker, the people around the decision, and the
basis of the decision in plain words, at ``as_of``. Pure: no Django."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from kinwise.casefile import schema as cf
from kinwise.casefile.vocab import AREAS, DEFAULT_REQUIRED_AREAS, FAMILY_KINDS
from kinwise.readings.labels import AUTHORITY_LABELS, area_title, long_date
from kinwise.readings.names import Names
from kinwise.rules.engine import Finding
from kinwise.rules.facts import PersonFacts


@dataclass(frozen=True)
class RoleRow:
    area: str
    label: str
    decides: str
    decides_is_person: bool
    supported_by: list[str]
    contributes: list[str]
    informed: list[str]
    basis: str
    reviewed: dt.date | None
    findings: list[Finding] = field(default_factory=list)


def role_areas(casefile: cf.CaseFile, facts: PersonFacts) -> list[str]:
    """Areas with a Role, the required areas and the areas of current tasks, in vocabulary order."""
    plan = casefile.plan
    required = plan.required_areas if plan.required_areas is not None else DEFAULT_REQUIRED_AREAS
    wanted = {r.area for r in plan.roles} | set(required)
    wanted |= {t.area for t in facts.current_tasks()}
    return [a for a in AREAS if a in wanted]


def decision_basis(
    area: str, decides: str | None, facts: PersonFacts, names: Names, as_of: dt.date
) -> str:
    """The basis of the decision-maker for an area at ``as_of``, in plain words."""
    if decides is None:
        return "Nobody is named to decide."
    person = facts.person
    assessment = facts.current_assessment(area, as_of)
    capacity = facts.capacity(area, as_of)
    lacks_since = (
        f"{person.name} lacks capacity for this decision since {long_date(assessment.date)}"
        if assessment is not None and capacity == "lacks_capacity"
        else ""
    )
    if decides == person.id:
        if capacity == "lacks_capacity":
            return f"{lacks_since}: someone with authority, or a best-interests decision-maker, must be named."
        if assessment is None:
            return "Has capacity for this decision (presumed: no assessment)."
        return f"Has capacity for this decision (assessed {long_date(assessment.date)})."
    kind = names.kind(decides)
    if kind in FAMILY_KINDS:
        bases = []
        for consent in facts.consents:
            if (
                consent.kind == "delegate_decision"
                and consent.given_by == person.id
                and decides in consent.to
                and area in consent.areas
                and consent.is_current(as_of)
                and capacity == "has_capacity"
            ):
                bases.append(f"Delegation by consent on {long_date(consent.date)}.")
        for authority in facts.usable_authorities(decides, area, as_of):
            text = AUTHORITY_LABELS.get(authority.kind, authority.kind)
            text = text[:1].upper() + text[1:]
            bases.append(f"{text}" + (f", {lacks_since}." if lacks_since else "."))
        return " ".join(bases) if bases else "No consent or legal authority is recorded."
    if kind in {"staff", "professional"}:
        bi = [
            b
            for b in facts.best_interests_by_area.get(area, ())
            if b.date <= as_of and (assessment is None or b.date >= assessment.date)
        ]
        if capacity == "lacks_capacity" and bi:
            return f"Best-interests decision on {long_date(bi[-1].date)}" + (
                f"; {lacks_since}." if lacks_since else "."
            )
        if capacity == "has_capacity":
            return f"{person.name} has capacity for this decision: the decision is theirs."
        return "No best-interests decision is recorded after the capacity assessment."
    if kind == "advocate":
        return "An advocate supports but never decides."
    return "Not recorded."


def role_rows(
    casefile: cf.CaseFile,
    facts: PersonFacts,
    findings: Sequence[Finding],
    as_of: dt.date,
) -> list[RoleRow]:
    names = Names(casefile)
    roles: dict[str, cf.Role] = {r.area: r for r in casefile.plan.roles}
    rows = []
    for area in role_areas(casefile, facts):
        role = roles.get(area)
        decides = role.decides if role else None
        rows.append(
            RoleRow(
                area=area,
                label=area_title(area),
                decides=names(decides) if decides else "Nobody named",
                decides_is_person=decides == casefile.person.id,
                supported_by=names.many(role.supported_by) if role else [],
                contributes=names.many(role.contributes) if role else [],
                informed=names.many(role.informed) if role else [],
                basis=decision_basis(area, decides, facts, names, as_of),
                reviewed=role.reviewed if role else None,
                findings=[
                    f
                    for f in findings
                    if f.subject == f"role:{area}" or f.subject.startswith(f"role:{area}/")
                ],
            )
        )
    # The person's own decisions first: "Sam decides" before "staff decide".
    rows.sort(key=lambda r: not r.decides_is_person)
    return rows
