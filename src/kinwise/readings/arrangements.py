"""Family arrangements: each family member's decision roles, governance tasks (with their
last review) and emotional support, at ``as_of``. Pure: no Django."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from kinwise.casefile import schema as cf
from kinwise.casefile.vocab import FAMILY_KINDS
from kinwise.readings.findings import findings_by_subject
from kinwise.readings.labels import area_label, task_label
from kinwise.readings.names import Names
from kinwise.rules.engine import Finding
from kinwise.rules.facts import build_facts
from kinwise.rules.terms import is_current, task_last_review


@dataclass(frozen=True)
class TaskRow:
    id: str
    task: str
    area: str
    holder: str
    holder_id: str
    since: dt.date
    agreed: dt.date | None
    last_review: dt.date | None
    ended: dt.date | None
    current: bool
    findings: list[Finding] = field(default_factory=list)


@dataclass(frozen=True)
class MemberArrangements:
    id: str
    name: str
    relationship: str
    decision_roles: list[str]
    tasks: list[TaskRow]
    emotional_support: bool


def task_rows(casefile: cf.CaseFile, findings: Sequence[Finding], as_of: dt.date) -> list[TaskRow]:
    names = Names(casefile)
    by_subject = findings_by_subject(findings)
    facts = build_facts(casefile, as_of=as_of)
    held = {t.id: t for t in facts.plan.tasks}  # tasks held by as_of, as the audit sees them
    return [
        TaskRow(
            id=t.id,
            task=task_label(t.task),
            area=area_label(t.area),
            holder=names(t.holder),
            holder_id=t.holder,
            since=t.since,
            agreed=t.agreed,
            last_review=task_last_review(held[t.id], facts.meetings) if t.id in held else None,
            ended=t.ended,
            current=is_current(t.since, t.ended, as_of),
            findings=by_subject.get(f"task:{t.id}", []),
        )
        for t in casefile.plan.tasks
    ]


def family_arrangements(
    casefile: cf.CaseFile, findings: Sequence[Finding], as_of: dt.date
) -> list[MemberArrangements]:
    """Each family member's roles, split into decision roles, governance tasks and
    emotional support."""
    tasks = task_rows(casefile, findings, as_of)
    out = []
    for member in casefile.circle:
        if member.kind not in FAMILY_KINDS:
            continue
        roles = []
        for role in casefile.plan.roles:
            label = area_label(role.area)
            if role.decides == member.id:
                roles.append(f"Decides about {label}")
            if member.id in role.supported_by:
                roles.append(f"Supports the decision about {label}")
            if member.id in role.contributes:
                roles.append(f"Contributes to decisions about {label}")
            if member.id in role.informed:
                roles.append(f"Is told about decisions on {label}")
        out.append(
            MemberArrangements(
                id=member.id,
                name=member.name,
                relationship=member.relationship or member.kind,
                decision_roles=roles,
                tasks=[t for t in tasks if t.holder_id == member.id],
                emotional_support=member.id in casefile.plan.emotional_support,
            )
        )
    return out
