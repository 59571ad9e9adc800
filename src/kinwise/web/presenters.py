"""What the staff pages show, worked out from a person's case file, its facts and its audit.

Pure functions over the case file (no database): the views fetch, these arrange, the
templates only print. Every judgement takes ``as_of`` from the view.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from kinwise.casefile import schema as cf
from kinwise.casefile.vocab import (
    AREA_LABELS,
    AREAS,
    DEFAULT_REQUIRED_AREAS,
    FAMILY_KINDS,
    METHOD_LABELS,
    TASK_LABELS,
)
from kinwise.rules.audit import PersonAudit
from kinwise.rules.catalogue import RULES_BY_ID
from kinwise.rules.engine import Finding
from kinwise.rules.facts import PersonFacts

SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}
# A review is "coming due" when its date is within this many days of today (or passed).
REVIEW_HORIZON_DAYS = 28
# Family governance tasks are to be reviewed at least once a year (rules.md PA01).
TASK_REVIEW_DAYS = 365

SETTING_LABELS = {
    "separate": "gathered separately",
    "joint_meeting": "in a meeting",
    "with_advocate": "with an advocate",
    "everyday": "in everyday life",
}
MEETING_KIND_LABELS = {
    "care_plan_review": "Care plan review",
    "joint_planning": "Joint planning meeting",
    "risk_review": "Risk review",
    "best_interests": "Best-interests meeting",
    "partnership_review": "Partnership review",
}
POSITION_LABELS = {
    "proceed": "go ahead",
    "proceed_with_controls": "go ahead with the controls",
    "graded_trial": "try it step by step (graded trial)",
    "not_proceed": "do not go ahead",
}
AUTHORITY_LABELS = {
    "lpa_health_welfare": "registered health and welfare LPA",
    "lpa_property_finance": "registered property and financial affairs LPA",
    "deputy_personal_welfare": "Court of Protection personal welfare deputyship",
    "deputy_property_affairs": "Court of Protection property and affairs deputyship",
}
CONSENT_LABELS = {
    "share_information": "Share information",
    "delegate_decision": "Delegate a decision",
    "care_plan": "Consent to the care plan",
}
SUPPORT_LABELS = {
    "accompanied": "accompanied",
    "shadowed": "shadowed",
    "remote": "remote support",
    "independent": "independent",
}
KIND_LABELS = {
    "person": "Communication profile",
    "member": "Circle member",
    "authority": "Legal authority",
    "capacity_assessment": "Capacity assessment",
    "best_interests": "Best-interests decision",
    "consent": "Consent",
    "plan": "Care plan",
    "role": "Who decides",
    "task": "Governance task",
    "voice": "Voice record",
    "meeting": "Meeting",
    "risk_assessment": "Risk assessment",
    "graded_trial": "Graded trial",
    "incident": "Incident",
    "event": "Event",
    "medicine": "Medicine",
    "medication_audit": "Medication audit",
}


def area_label(area: str | None) -> str:
    if area is None:
        return "general"
    return AREA_LABELS.get(area, area)


def area_title(area: str | None) -> str:
    label = area_label(area)
    return label[:1].upper() + label[1:]


def method_label(method: str) -> str:
    return METHOD_LABELS.get(method, method)


def task_label(task: str) -> str:
    return TASK_LABELS.get(task, task)


def long_date(value: dt.date | None) -> str:
    """3 March 2026."""
    if value is None:
        return ""
    return f"{value.day} {value.strftime('%B')} {value.year}"


class Names:
    """Names of the person and the circle, by id."""

    def __init__(self, casefile: cf.CaseFile) -> None:
        self.person_id = casefile.person.id
        self._names = {casefile.person.id: casefile.person.name}
        self._kinds = {casefile.person.id: "person"}
        for member in casefile.circle:
            self._names[member.id] = member.name
            self._kinds[member.id] = member.kind

    def __call__(self, ref: str | None) -> str:
        if ref is None:
            return ""
        return self._names.get(ref, ref)

    def kind(self, ref: str | None) -> str | None:
        return self._kinds.get(ref) if ref is not None else None

    def many(self, refs: Iterable[str]) -> list[str]:
        return [self(r) for r in refs]


# --- findings ----------------------------------------------------------------------


@dataclass(frozen=True)
class FindingView:
    rule: str
    severity: str
    title: str
    subject: str
    message: str
    fix: str
    link: str
    link_text: str


def finding_link(subject: str, person_pk: int) -> tuple[str, str]:
    """Where to go to put a finding right: the page (and anchor) of its record."""
    base = f"/people/{person_pk}"
    head, _, rest = subject.partition(":")
    record = rest.split("/")[0]
    if head == "role":
        return f"{base}/#role-{record}", "Change who decides"
    if head == "capacity":
        return f"{base}/capacity/#capacity-{record}", "Go to the capacity assessment"
    if head == "best_interests":
        return f"{base}/capacity/#best-interests-{record}", "Go to the best-interests decision"
    if head == "plan":
        return f"{base}/capacity/#consents", "Record consent to the care plan"
    if head in {"meeting", "decision"}:
        return f"{base}/meetings/{record}/", "Go to the meeting"
    if head == "voice":
        return f"{base}/voice/?record={record}#voice-{record}", "Go to the voice record"
    if head == "risk":
        return f"{base}/risk/#risk-{record}", "Go to the risk assessment"
    if head == "trial":
        return f"{base}/risk/#trial-{record}", "Go to the graded trial"
    if head in {"incident", "event"}:
        return f"{base}/risk/#{head}-{record}", f"Go to the {head}"
    if head == "task":
        return f"{base}/arrangements/#task-{record}", "Go to the task"
    return f"{base}/findings/", "Go to the findings"


def finding_views(audit: PersonAudit, person_pk: int) -> list[FindingView]:
    """The audit's findings, most severe first, each with its fix and its link."""
    out = []
    for f in sorted(audit.findings, key=lambda f: (SEVERITY_ORDER[f.severity], f.rule, f.subject)):
        rule = RULES_BY_ID.get(f.rule)
        link, link_text = finding_link(f.subject, person_pk)
        out.append(
            FindingView(
                rule=f.rule,
                severity=f.severity,
                title=rule.title if rule else f.rule,
                subject=f.subject,
                message=f.message,
                fix=rule.fix if rule else "",
                link=link,
                link_text=link_text,
            )
        )
    return out


def findings_by_subject(findings: Sequence[Finding]) -> dict[str, list[Finding]]:
    out: dict[str, list[Finding]] = {}
    for f in findings:
        out.setdefault(f.subject, []).append(f)
    return out


def severity_counts(findings: Iterable[Finding]) -> dict[str, int]:
    counts: Counter[str] = Counter(f.severity for f in findings)
    return {s: counts[s] for s in SEVERITY_ORDER}


# --- who decides what --------------------------------------------------------------


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


# --- reviews coming due --------------------------------------------------------------


@dataclass(frozen=True)
class ReviewDue:
    what: str
    due: dt.date
    overdue: bool


def task_last_review(task: cf.Task, casefile: cf.CaseFile, as_of: dt.date) -> dt.date | None:
    """The latest of agreed, reviewed and partnership reviews listing the task (on or before as_of)."""
    dates = [d for d in (task.agreed, task.reviewed) if d is not None and d <= as_of]
    dates += [
        m.date
        for m in casefile.meetings
        if m.kind == "partnership_review" and task.id in m.reviews_tasks and m.date <= as_of
    ]
    return max(dates) if dates else None


def reviews_due(
    casefile: cf.CaseFile, as_of: dt.date, horizon_days: int = REVIEW_HORIZON_DAYS
) -> list[ReviewDue]:
    """Reviews overdue or due within ``horizon_days`` of ``as_of``, earliest first."""
    limit = as_of + dt.timedelta(days=horizon_days)
    names = Names(casefile)
    due: list[ReviewDue] = []
    latest_risk: dict[str, dt.date] = {}
    for risk in casefile.risk_assessments:
        if risk.date <= as_of:
            latest_risk[risk.area] = max(latest_risk.get(risk.area, risk.date), risk.date)
    for risk in casefile.risk_assessments:
        if risk.date > as_of or latest_risk[risk.area] > risk.date:
            continue
        if risk.review_by <= limit:
            due.append(
                ReviewDue(
                    f"Risk assessment: {risk.activity}", risk.review_by, risk.review_by < as_of
                )
            )
    latest_assessment: dict[str, cf.Assessment] = {}
    for a in casefile.capacity_assessments:
        if a.date <= as_of and (
            a.area not in latest_assessment or latest_assessment[a.area].date < a.date
        ):
            latest_assessment[a.area] = a
    for a in latest_assessment.values():
        if a.review_by is not None and a.review_by <= limit:
            due.append(
                ReviewDue(
                    f"Capacity assessment: {area_label(a.area)}", a.review_by, a.review_by < as_of
                )
            )
    for task in casefile.plan.tasks:
        if task.since > as_of or (task.ended is not None and task.ended <= as_of):
            continue
        if names.kind(task.holder) not in FAMILY_KINDS:
            continue
        last = task_last_review(task, casefile, as_of)
        when = (last or task.since) + dt.timedelta(days=TASK_REVIEW_DAYS)
        if last is None:
            when = as_of
        if when <= limit:
            due.append(
                ReviewDue(
                    f"{names(task.holder)}: {task_label(task.task)}",
                    when,
                    when < as_of or last is None,
                )
            )
    due.sort(key=lambda r: (r.due, not r.overdue, r.what))
    return due


# --- meetings ------------------------------------------------------------------------


@dataclass(frozen=True)
class BalanceRow:
    key: str
    label: str
    count: int


def voice_balance(
    contributions: Iterable[tuple[str, str | None]], names: Names
) -> list[BalanceRow]:
    """Who spoke in a meeting: the person's own contributions, others speaking for them,
    family, and staff and professionals (advocates counted apart). ``contributions`` are
    (by, on_behalf_of) pairs; unknown speakers are left out."""
    counts: Counter[str] = Counter()
    for by, on_behalf_of in contributions:
        if not by:
            continue
        if by == names.person_id:
            counts["own"] += 1
        elif on_behalf_of == names.person_id:
            counts["for"] += 1
        elif names.kind(by) in FAMILY_KINDS:
            counts["family"] += 1
        elif names.kind(by) == "advocate":
            counts["advocate"] += 1
        elif names.kind(by) in {"staff", "professional"}:
            counts["staff"] += 1
    person = names(names.person_id)
    return [
        BalanceRow("own", f"{person}'s own contributions", counts["own"]),
        BalanceRow("for", f"Others speaking for {person}", counts["for"]),
        BalanceRow("family", "Family and friends", counts["family"]),
        BalanceRow("staff", "Staff and professionals", counts["staff"]),
        BalanceRow("advocate", "Advocates", counts["advocate"]),
    ]


def balance_warning(rows: Sequence[BalanceRow], person: str) -> str:
    counts = {r.key: r.count for r in rows}
    if counts["for"] > counts["own"]:
        return (
            f"Others have spoken for {person} more often than {person} has spoken: "
            f"ask {person} directly, with their communication method."
        )
    return ""


# --- risk ----------------------------------------------------------------------------


def risk_rating(likelihood: int, severity: int) -> str:
    """A 5x5 risk score in words: 1-3 low, 4-6 moderate, 8-12 high, 15-25 very high."""
    score = likelihood * severity
    if score <= 3:
        return "low"
    if score <= 6:
        return "moderate"
    if score <= 12:
        return "high"
    return "very high"


@dataclass(frozen=True)
class HazardRow:
    hazard: str
    controls: list[str]
    before: int
    before_rating: str
    after: int
    after_rating: str
    likelihood: int
    severity: int
    residual_likelihood: int
    residual_severity: int


def hazard_rows(risk: cf.Risk) -> list[HazardRow]:
    return [
        HazardRow(
            hazard=h.hazard,
            controls=list(h.controls),
            before=h.likelihood * h.severity,
            before_rating=risk_rating(h.likelihood, h.severity),
            after=h.residual_likelihood * h.residual_severity,
            after_rating=risk_rating(h.residual_likelihood, h.residual_severity),
            likelihood=h.likelihood,
            severity=h.severity,
            residual_likelihood=h.residual_likelihood,
            residual_severity=h.residual_severity,
        )
        for h in risk.hazards
    ]


# --- arrangements ---------------------------------------------------------------------


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
    return [
        TaskRow(
            id=t.id,
            task=task_label(t.task),
            area=area_label(t.area),
            holder=names(t.holder),
            holder_id=t.holder,
            since=t.since,
            agreed=t.agreed,
            last_review=task_last_review(t, casefile, as_of),
            ended=t.ended,
            current=t.since <= as_of and (t.ended is None or t.ended > as_of),
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


# --- history ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


def snapshot_changes(before: dict[str, object] | None, after: dict[str, object]) -> list[Change]:
    """The fields that differ between two snapshots of a record, as text."""
    before = before or {}
    keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
    return [
        Change(k, _show(before.get(k)), _show(after.get(k)))
        for k in keys
        if before.get(k) != after.get(k)
    ]


def _show(value: object) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "; ".join(_show(v) for v in value) or "(none)"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_show(v)}" for k, v in value.items()) or "(none)"
    return str(value)
