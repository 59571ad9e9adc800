"""The person's evidence pack: what a commissioner or an inspector asks to see about one
person, assembled from the case file at an audit date. Pure Python (no Django).

- who decides what, with the legal basis;
- capacity assessments, best-interests decisions, consents (given and withdrawn) and
  legal authorities, as they stood at the audit date;
- the person's voice and the decisions it shaped (voice -> decision -> outcome, dated);
- risk decisions with their evidence; each graded trial as a chart;
- medication audits as a chart with the date the task changed hands;
- concerns, carers' plans, goals and restrictions (format version 2), each only when
  the person has records of the kind (``kinwise.reports.pack_v2``);
- the current findings and the trend of findings from saved audit runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from kinwise.casefile import schema as cf
from kinwise.casefile.vocab import AREA_LABELS, METHOD_LABELS, TASK_LABELS
from kinwise.readings.findings import FindingView, finding_views
from kinwise.readings.labels import AUTHORITY_LABELS, CONSENT_LABELS, long_date
from kinwise.readings.names import Names
from kinwise.readings.risk import HazardRow, hazard_rows
from kinwise.readings.roles import RoleRow, role_rows
from kinwise.reports.charts import (
    Chart,
    FindingsPoint,
    Handover,
    findings_trend_chart,
    medication_chart,
    trial_chart,
)
from kinwise.reports.measures import Ratio
from kinwise.reports.pack_v2 import V2Sections, v2_sections
from kinwise.rules.audit import PersonAudit, audit_casefile
from kinwise.rules.facts import build_facts


@dataclass(frozen=True)
class VoiceLink:
    """The person's voice behind a decision, the decision and its outcome."""

    meeting: cf.Meeting
    decision: cf.Decision
    voice: cf.Voice | None
    method: str
    own_words: list[str]
    evidence: list[str]

    @property
    def area(self) -> str:
        return AREA_LABELS.get(self.decision.area, self.decision.area)

    @property
    def heard(self) -> bool:
        return (self.voice is not None and self.voice.direct) or bool(self.own_words)


@dataclass(frozen=True)
class RiskEntry:
    risk: cf.Risk
    participants: list[str]
    hazards: list[HazardRow]
    decisions: list[tuple[cf.Meeting, cf.Decision]]
    trials: list[Chart]


# The functional test of the Mental Capacity Act, as the pack words it.
CAPACITY_QUESTIONS = (
    ("impairment", "An impairment of, or disturbance in, the mind or brain"),
    ("understand", "Understands the information relevant to the decision"),
    ("retain", "Retains it long enough to decide"),
    ("weigh", "Uses or weighs it as part of deciding"),
    ("communicate", "Communicates the decision, by any means"),
)


@dataclass(frozen=True)
class CapacityEntry:
    assessment: cf.Assessment
    area: str
    assessor: str
    answers: list[tuple[str, bool]]


@dataclass(frozen=True)
class BestInterestsEntry:
    decision: cf.BestInterests
    area: str
    decision_maker: str
    consulted: list[str]
    assessment: str


@dataclass(frozen=True)
class ConsentEntry:
    consent: cf.Consent
    kind: str
    given_by: str
    to: list[str]
    areas: list[str]
    status: str


@dataclass(frozen=True)
class AuthorityEntry:
    authority: cf.Authority
    kind: str
    holder: str
    areas: list[str]
    status: str


@dataclass(frozen=True)
class LegalBasis:
    """Capacity, best interests, consent and legal authority at the audit date: the
    evidence an inspector asks for first."""

    capacity: list[CapacityEntry]
    best_interests: list[BestInterestsEntry]
    consents: list[ConsentEntry]
    authorities: list[AuthorityEntry]


def _areas(areas: Sequence[str] | None) -> list[str]:
    return [AREA_LABELS.get(a, a) for a in areas or ()]


def legal_basis(casefile: cf.CaseFile, *, as_of: date) -> LegalBasis:
    """The records of capacity, best interests, consent and authority dated on or before
    ``as_of``, newest first, each with its standing on that day."""
    names = Names(casefile)
    assessments = {a.id: a for a in casefile.capacity_assessments}
    capacity = [
        CapacityEntry(
            assessment=a,
            area=AREA_LABELS.get(a.area, a.area),
            assessor=names(a.assessor),
            answers=[(question, bool(getattr(a, field))) for field, question in CAPACITY_QUESTIONS],
        )
        for a in sorted(casefile.capacity_assessments, key=lambda a: a.date, reverse=True)
        if a.date <= as_of
    ]
    best = []
    for b in sorted(casefile.best_interests, key=lambda b: b.date, reverse=True):
        if b.date > as_of:
            continue
        follows = assessments.get(b.capacity_assessment)
        best.append(
            BestInterestsEntry(
                decision=b,
                area=AREA_LABELS.get(b.area, b.area),
                decision_maker=names(b.decision_maker),
                consulted=names.many(b.consulted),
                assessment=(
                    f"the capacity assessment of {long_date(follows.date)}"
                    if follows is not None
                    else "a capacity assessment that is not recorded"
                ),
            )
        )
    consents = []
    for c in sorted(casefile.consents, key=lambda c: c.date, reverse=True):
        if c.date > as_of:
            continue
        if c.withdrawn is not None and c.withdrawn <= as_of:
            status = f"Withdrawn on {long_date(c.withdrawn)}"
        else:
            status = "Current"
        consents.append(
            ConsentEntry(
                consent=c,
                kind=CONSENT_LABELS.get(c.kind, c.kind),
                given_by=names(c.given_by),
                to=names.many(c.to),
                areas=_areas(c.areas),
                status=status,
            )
        )
    authorities = []
    for a in sorted(
        casefile.legal_authorities, key=lambda a: a.registered or date.min, reverse=True
    ):
        if a.revoked is not None and a.revoked <= as_of:
            status = f"Revoked on {long_date(a.revoked)}"
        elif a.registered is None:
            status = "Not registered, so it cannot be used"
        elif a.registered > as_of:
            continue
        else:
            status = f"Registered on {long_date(a.registered)}"
        authorities.append(
            AuthorityEntry(
                authority=a,
                kind=AUTHORITY_LABELS.get(a.kind, a.kind),
                holder=names(a.holder),
                areas=_areas(a.areas),
                status=status,
            )
        )
    return LegalBasis(
        capacity=capacity, best_interests=best, consents=consents, authorities=authorities
    )


@dataclass(frozen=True)
class PersonPack:
    person: cf.Person
    service_name: str
    as_of: date
    since: date
    audit: PersonAudit
    roles: list[RoleRow]
    voice_links: list[VoiceLink]
    disagreements: list[VoiceLink]
    risks: list[RiskEntry]
    trial_charts: list[Chart]
    medication_rates: list[tuple[cf.MedAudit, Ratio]]
    handovers: list[Handover]
    medication: Chart | None
    findings: list[FindingView]
    findings_points: list[FindingsPoint] = field(default_factory=list)
    findings_trend: Chart | None = None
    emotional_support: list[str] = field(default_factory=list)
    legal: LegalBasis = field(default_factory=lambda: LegalBasis([], [], [], []))
    v2: V2Sections = field(default_factory=V2Sections)

    @property
    def charts(self) -> list[Chart]:
        found = list(self.trial_charts)
        if self.medication is not None:
            found.append(self.medication)
        if self.findings_trend is not None:
            found.append(self.findings_trend)
        return found


def handovers(casefile: cf.CaseFile, *, as_of: date, area: str = "medication") -> list[Handover]:
    """Each day a governance task of the area passed from one holder to another: the
    ``since`` of a task that follows a task of the same kind held by someone else."""
    names = Names(casefile)
    by_kind: dict[str, list[cf.Task]] = {}
    for task in casefile.plan.tasks:
        if task.area == area and task.since <= as_of:
            by_kind.setdefault(task.task, []).append(task)
    found: list[Handover] = []
    for kind, tasks in by_kind.items():
        ordered = sorted(tasks, key=lambda t: t.since)
        for before, after in zip(ordered, ordered[1:], strict=False):
            if before.holder != after.holder:
                label = TASK_LABELS.get(kind, kind)
                found.append(
                    Handover(
                        date=after.since,
                        label=f"{label.capitalize()} passed from {names(before.holder)} "
                        f"to {names(after.holder)}",
                    )
                )
    return sorted(found, key=lambda h: h.date)


def _evidence_labels(casefile: cf.CaseFile, ids: Sequence[str], as_of: date) -> list[str]:
    labels: dict[str, str] = {}
    for r in casefile.risk_assessments:
        if r.date <= as_of:
            labels[r.id] = f"Risk assessment of {r.date.isoformat()}: {r.activity}"
    for t in casefile.graded_trials:
        labels[t.id] = f"Graded trial ({len(t.stages)} stages)"
    for i in casefile.incidents:
        if i.date <= as_of:
            labels[i.id] = f"Incident of {i.date.isoformat()} ({i.severity} severity)"
    for e in casefile.events:
        if e.date <= as_of:
            labels[e.id] = f"Event of {e.date.isoformat()} ({e.kind.replace('_', ' ')})"
    for v in casefile.voice:
        if v.date <= as_of:
            labels[v.id] = f"Voice record of {v.date.isoformat()}"
    for a in casefile.capacity_assessments:
        if a.date <= as_of:
            labels[a.id] = f"Capacity assessment of {a.date.isoformat()}"
    for b in casefile.best_interests:
        if b.date <= as_of:
            labels[b.id] = f"Best-interests decision of {b.date.isoformat()}"
    for m in casefile.medication.audits:
        if m.date <= as_of:
            labels[m.id] = (
                f"Medication audit of {m.date.isoformat()}: {m.errors} errors in "
                f"{m.doses_checked} doses"
            )
    return [labels[i] for i in ids if i in labels]


def voice_links(casefile: cf.CaseFile, *, as_of: date) -> list[VoiceLink]:
    """Every decision of a meeting on or before as_of, newest first, with the person's
    voice behind it (the linked voice record, and their own words at the meeting)."""
    person = casefile.person.id
    voices = {v.id: v for v in casefile.voice if v.date <= as_of}
    links: list[VoiceLink] = []
    for meeting in sorted(casefile.meetings, key=lambda m: m.date, reverse=True):
        if meeting.date > as_of:
            continue
        for decision in meeting.decisions:
            voice = voices.get(decision.persons_view or "")
            links.append(
                VoiceLink(
                    meeting=meeting,
                    decision=decision,
                    voice=voice,
                    method=METHOD_LABELS.get(voice.method, voice.method) if voice else "",
                    own_words=[
                        c.text
                        for c in meeting.contributions
                        if c.by == person and c.area == decision.area
                    ],
                    evidence=_evidence_labels(casefile, decision.evidence, as_of),
                )
            )
    return links


def person_pack(
    casefile: cf.CaseFile,
    *,
    as_of: date,
    since: date,
    person_pk: int = 0,
    service_name: str = "",
    findings_points: Sequence[FindingsPoint] = (),
) -> PersonPack:
    """Everything the evidence pack shows about the person at ``as_of``."""
    facts = build_facts(casefile, as_of=as_of)
    audit = audit_casefile(casefile, as_of=as_of, since=since)
    names = Names(casefile)
    links = voice_links(casefile, as_of=as_of)
    incidents = [i for i in casefile.incidents if i.date <= as_of]
    trials_by_risk: dict[str, list[Chart]] = {}
    all_trials: list[Chart] = []
    risks_by_id = {r.id: r for r in casefile.risk_assessments}
    for trial in casefile.graded_trials:
        risk = risks_by_id.get(trial.risk_assessment)
        sessions = [s for s in trial.sessions if s.date <= as_of]
        chart = trial_chart(
            trial.model_copy(update={"sessions": sessions}),
            activity=risk.activity if risk is not None else "a graded trial",
            incidents=incidents,
        )
        trials_by_risk.setdefault(trial.risk_assessment, []).append(chart)
        all_trials.append(chart)
    risks = [
        RiskEntry(
            risk=r,
            participants=names.many(r.participants),
            hazards=hazard_rows(r),
            decisions=[
                (link.meeting, link.decision)
                for link in links
                if r.id in link.decision.evidence
                or any(
                    t.risk_assessment == r.id and t.id in link.decision.evidence
                    for t in casefile.graded_trials
                )
            ],
            trials=trials_by_risk.get(r.id, []),
        )
        for r in sorted(casefile.risk_assessments, key=lambda r: r.date, reverse=True)
        if r.date <= as_of
    ]
    audits = sorted(
        (a for a in casefile.medication.audits if a.date <= as_of), key=lambda a: a.date
    )
    rates = [(a, Ratio(a.errors, a.doses_checked)) for a in audits]
    changes = handovers(casefile, as_of=as_of)
    medication = medication_chart([(a.date, r) for a, r in rates], changes) if rates else None
    points = sorted(findings_points, key=lambda p: p.as_of)
    return PersonPack(
        person=casefile.person,
        service_name=service_name or (casefile.service.name if casefile.service else ""),
        as_of=as_of,
        since=since,
        audit=audit,
        roles=role_rows(casefile, facts, audit.findings, as_of),
        voice_links=links,
        disagreements=[link for link in links if link.decision.disagreement],
        risks=risks,
        trial_charts=all_trials,
        medication_rates=rates,
        handovers=changes,
        medication=medication,
        findings=finding_views(audit, person_pk),
        findings_points=points,
        findings_trend=findings_trend_chart(points) if points else None,
        emotional_support=names.many(casefile.plan.emotional_support),
        legal=legal_basis(casefile, as_of=as_of),
        v2=v2_sections(casefile, as_of=as_of),
    )
