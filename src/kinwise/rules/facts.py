"""The facts of one person at an audit date: what the rules judge.

:func:`build_facts` applies the "Time" section of the audit rules once, so that no rule
has to think about it:

* a record whose own date is after ``as_of`` is dropped, as if not yet written
  (assessments, best interests, consents, voice records, meetings with their
  contributions and decisions, risk assessments, trial sessions, incidents, events,
  medication audits, tasks by ``since``, authorities by ``registered``, medicines by
  ``started``);
* a reference to a dropped record (a decision's ``persons_view`` or ``evidence``, a
  meeting's ``reviews_tasks``, a best-interests record's ``capacity_assessment``)
  counts as no reference;
* every other date that records something happening (``agreed``, ``reviewed``,
  ``withdrawn``, ``revoked``, ``ended``, ``stopped``, ``version_date`` and the dates in
  ``trained``) becomes ``None`` when it is after ``as_of``;
* due dates (``review_by``) are kept as they are; the plan, its roles, circle members,
  trials and stages have no own date and are always kept.

Everything here is plain Python: no Django, no database.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from kinwise.casefile.kinds import RECORD_KINDS
from kinwise.casefile.schema import CaseFile, is_blank
from kinwise.casefile.vocab import (
    AREA_CATEGORY,
    AUTHORITY_CATEGORY,
    DEFAULT_REQUIRED_AREAS,
    FAMILY_KINDS,
    LPA_KINDS,
)
from kinwise.rules.terms import COMPLEX_MEDICATION as COMPLEX_MEDICATION
from kinwise.rules.terms import HAS_CAPACITY as HAS_CAPACITY
from kinwise.rules.terms import LACKS_CAPACITY as LACKS_CAPACITY
from kinwise.rules.terms import is_current

T = TypeVar("T")

_COMPLEX_ROUTES = frozenset({"injection", "enteral", "other"})


def is_empty(text: str | None) -> bool:
    """*Empty* text: absent, null, or only (Unicode) white space."""
    return text is None or is_blank(text)


def _upto(value: dt.date | None, as_of: dt.date) -> dt.date | None:
    """A date that records something happening: absent when it is after as_of."""
    return value if value is not None and value <= as_of else None


@dataclass(frozen=True, slots=True)
class PersonInfo:
    id: str
    name: str
    methods: frozenset[str]


@dataclass(frozen=True, slots=True)
class MemberFacts:
    id: str
    name: str
    kind: str
    trained: Mapping[str, dt.date]

    @property
    def is_family(self) -> bool:
        """Family means a circle member of kind family or friend."""
        return self.kind in FAMILY_KINDS


@dataclass(frozen=True, slots=True)
class AuthorityFacts:
    id: str
    holder: str
    kind: str
    registered: dt.date | None
    areas: tuple[str, ...] | None
    revoked: dt.date | None

    def is_current(self, at: dt.date) -> bool:
        """Registered on or before ``at`` and not revoked on or before it."""
        return is_current(self.registered, self.revoked, at)

    def covers(self, area: str) -> bool:
        """The area is in its areas, or (an LPA without areas) is of its category."""
        if self.areas is not None:
            return area in self.areas
        return self.kind in LPA_KINDS and AREA_CATEGORY[area] == AUTHORITY_CATEGORY[self.kind]


@dataclass(frozen=True, slots=True)
class AssessmentFacts:
    id: str
    area: str
    date: dt.date
    outcome: str
    support_given: str | None
    review_by: dt.date | None


@dataclass(frozen=True, slots=True)
class BestInterestsFacts:
    id: str
    area: str
    date: dt.date
    decision_maker: str
    capacity_assessment: str | None
    consulted: tuple[str, ...]
    persons_wishes: str | None


@dataclass(frozen=True, slots=True)
class ConsentFacts:
    id: str
    kind: str
    given_by: str
    to: tuple[str, ...]
    areas: tuple[str, ...]
    date: dt.date
    withdrawn: dt.date | None

    def is_current(self, at: dt.date) -> bool:
        """Given on or before ``at`` and not withdrawn on or before it."""
        return is_current(self.date, self.withdrawn, at)


@dataclass(frozen=True, slots=True)
class RoleFacts:
    area: str
    decides: str | None
    supported_by: tuple[str, ...]
    contributes: tuple[str, ...]
    informed: tuple[str, ...]
    reviewed: dt.date | None


@dataclass(frozen=True, slots=True)
class TaskFacts:
    id: str
    task: str
    area: str
    holder: str
    since: dt.date
    agreed: dt.date | None
    reviewed: dt.date | None
    ended: dt.date | None

    def is_current(self, at: dt.date) -> bool:
        """Held since on or before ``at`` and not ended on or before it."""
        return is_current(self.since, self.ended, at)


@dataclass(frozen=True, slots=True)
class PlanFacts:
    version_date: dt.date | None
    required_areas: tuple[str, ...]
    roles: tuple[RoleFacts, ...]
    tasks: tuple[TaskFacts, ...]
    emotional_support: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class VoiceFacts:
    id: str
    date: dt.date
    area: str | None
    method: str
    setting: str
    direct: bool


@dataclass(frozen=True, slots=True)
class ContributionFacts:
    by: str
    on_behalf_of: str | None
    area: str | None


@dataclass(frozen=True, slots=True)
class DecisionFacts:
    area: str
    persons_view: str | None
    disagreement: bool
    rationale: str | None
    evidence: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class MeetingFacts:
    id: str
    date: dt.date
    kind: str
    facilitator: str | None
    attendees: tuple[str, ...]
    contributions: tuple[ContributionFacts, ...]
    decisions: tuple[DecisionFacts, ...]
    reviews_tasks: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RiskFacts:
    id: str
    area: str
    date: dt.date
    persons_view: str | None
    person_agrees: bool
    agreed_position: str
    review_by: dt.date


@dataclass(frozen=True, slots=True)
class StageFacts:
    id: str
    advance_after: int


@dataclass(frozen=True, slots=True)
class SessionFacts:
    date: dt.date
    stage: str
    outcome: str


@dataclass(frozen=True, slots=True)
class TrialFacts:
    id: str
    risk_assessment: str
    stages: tuple[StageFacts, ...]
    sessions: tuple[SessionFacts, ...]
    """Sessions on or before as_of, ordered by date, then by their order in the file."""


@dataclass(frozen=True, slots=True)
class IncidentFacts:
    id: str
    date: dt.date
    area: str
    severity: str
    trial: str | None
    safeguarding: bool


@dataclass(frozen=True, slots=True)
class EventFacts:
    id: str
    date: dt.date
    kind: str
    areas: tuple[str, ...]
    carer: str | None = None
    """Format version 2: the carer a carer_unwell event is about."""


@dataclass(frozen=True, slots=True)
class MedicineFacts:
    name: str
    doses_per_day: float
    time_critical: bool
    controlled: bool
    prn: bool
    route: str
    started: dt.date | None
    stopped: dt.date | None

    def is_active(self, at: dt.date) -> bool:
        return (self.started is None or self.started <= at) and (
            self.stopped is None or self.stopped > at
        )

    def complexity(self) -> float:
        score = self.doses_per_day
        score += 2 if self.time_critical else 0
        score += 2 if self.controlled else 0
        score += 1 if self.prn else 0
        score += 2 if self.route in _COMPLEX_ROUTES else 0
        return score


@dataclass(frozen=True, slots=True)
class MedAuditFacts:
    id: str
    date: dt.date


# --- format version 2 (docs/spec/casefile-v2.md, "Time"; docs/spec/rules-v2.md) ---------


@dataclass(frozen=True, slots=True)
class FamilyViewFacts:
    id: str
    author: str
    date: dt.date
    area: str
    meeting: str | None
    risk_assessment: str | None


@dataclass(frozen=True, slots=True)
class ConcernFacts:
    id: str
    kind: str
    raised_by: str
    date: dt.date
    area: str
    about: str | None
    decision: bool
    acknowledged: dt.date | None
    response: dt.date | None
    """The date of the reasoned written response (absent when after as_of)."""
    delay: dt.date | None
    """The date a reason for delay was recorded (absent when after as_of)."""
    imca_referral: dt.date | None
    closed: dt.date | None
    outcome: str | None
    next_stage_told: bool


@dataclass(frozen=True, slots=True)
class RoleChangeFacts:
    id: str
    date: dt.date
    area: str
    member: str
    role: str
    change: str
    reason: str | None


@dataclass(frozen=True, slots=True)
class CarerPlanFacts:
    id: str
    carer: str
    date: dt.date
    asked: dt.date | None
    contingency_tasks: frozenset[str]
    uses: tuple[dt.date, ...]
    """The dates the plan's contingencies were used, on or before as_of."""
    reviewed: dt.date | None


@dataclass(frozen=True, slots=True)
class GoalFacts:
    id: str
    date: dt.date
    area: str
    set_by: str
    person_agrees: bool | None
    review_every: int
    review_dates: tuple[dt.date, ...]
    """Its reviews' dates on or before as_of, in order."""
    ended: dt.date | None


@dataclass(frozen=True, slots=True)
class RestrictionFacts:
    id: str
    date: dt.date
    area: str
    basis: str | None
    basis_record: str | None
    review_by: dt.date
    ended: dt.date | None
    replaced_by: str | None


@dataclass(frozen=True, slots=True)
class PersonFacts:
    """Everything the rules may consult about one person at ``as_of``, with indexes."""

    as_of: dt.date
    person: PersonInfo
    members: tuple[MemberFacts, ...]
    authorities: tuple[AuthorityFacts, ...]
    assessments: tuple[AssessmentFacts, ...]
    best_interests: tuple[BestInterestsFacts, ...]
    consents: tuple[ConsentFacts, ...]
    plan: PlanFacts
    voice: tuple[VoiceFacts, ...]
    meetings: tuple[MeetingFacts, ...]
    risks: tuple[RiskFacts, ...]
    trials: tuple[TrialFacts, ...]
    incidents: tuple[IncidentFacts, ...]
    events: tuple[EventFacts, ...]
    medicines: tuple[MedicineFacts, ...]
    med_audits: tuple[MedAuditFacts, ...]
    # Indexes, built once by build_facts.
    members_by_id: Mapping[str, MemberFacts]
    roles_by_area: Mapping[str, RoleFacts]
    assessments_by_area: Mapping[str, tuple[AssessmentFacts, ...]]
    """Per area, sorted by date (validation forbids two on one date for one area)."""
    authorities_by_holder: Mapping[str, tuple[AuthorityFacts, ...]]
    voice_by_id: Mapping[str, VoiceFacts]
    risks_by_area: Mapping[str, tuple[RiskFacts, ...]]
    """Per area, sorted by date."""
    best_interests_by_area: Mapping[str, tuple[BestInterestsFacts, ...]]
    incident_days_by_trial: Mapping[str, frozenset[dt.date]]
    evidence_ids: frozenset[str]
    """Ids of the records a decision's evidence may point to, as they exist at as_of."""
    # Format version 2's records (none in a version-1 file).
    family_views: tuple[FamilyViewFacts, ...] = ()
    concerns: tuple[ConcernFacts, ...] = ()
    role_changes: tuple[RoleChangeFacts, ...] = ()
    carer_plans: tuple[CarerPlanFacts, ...] = ()
    goals: tuple[GoalFacts, ...] = ()
    restrictions: tuple[RestrictionFacts, ...] = ()

    # --- names -----------------------------------------------------------------------

    def name_of(self, ref: str) -> str:
        """The person's or a member's name (the id itself only for an unknown id)."""
        if ref == self.person.id:
            return self.person.name
        member = self.members_by_id.get(ref)
        return member.name if member is not None else ref

    def is_family(self, ref: str | None) -> bool:
        member = self.members_by_id.get(ref) if ref is not None else None
        return member is not None and member.is_family

    def kind_of(self, ref: str | None) -> str | None:
        """``"person"``, a member's kind, or None for an unknown id."""
        if ref is None:
            return None
        if ref == self.person.id:
            return "person"
        member = self.members_by_id.get(ref)
        return member.kind if member is not None else None

    @property
    def has_family(self) -> bool:
        return any(m.is_family for m in self.members)

    # --- derived values (casefile.md) --------------------------------------------------

    def current_assessment(self, area: str, at: dt.date) -> AssessmentFacts | None:
        """The latest assessment for the area dated on or before ``at``."""
        found = self.assessments_by_area.get(area, ())
        index = bisect.bisect_right(found, at, key=lambda a: a.date)
        return found[index - 1] if index else None

    def capacity(self, area: str, at: dt.date) -> str:
        """Current capacity for the area at ``at``; with no assessment, presumed."""
        current = self.current_assessment(area, at)
        return current.outcome if current is not None else HAS_CAPACITY

    def authority_usable(self, authority: AuthorityFacts, area: str, at: dt.date) -> bool:
        """Current at ``at``, covers the area, and (except a property and finance LPA)
        the person's current capacity for the area at ``at`` is lacks_capacity."""
        if not authority.is_current(at) or not authority.covers(area):
            return False
        if authority.kind == "lpa_property_finance":
            return True
        return self.capacity(area, at) == LACKS_CAPACITY

    def usable_authorities(self, holder: str, area: str, at: dt.date) -> list[AuthorityFacts]:
        return [
            a
            for a in self.authorities_by_holder.get(holder, ())
            if self.authority_usable(a, area, at)
        ]

    def medication_complexity(self, at: dt.date) -> float:
        return sum(m.complexity() for m in self.medicines if m.is_active(at))

    def current_tasks(self) -> tuple[TaskFacts, ...]:
        return tuple(t for t in self.plan.tasks if t.is_current(self.as_of))


def _group_sorted(items: list[tuple[str, dt.date, T]]) -> dict[str, tuple[T, ...]]:
    grouped: dict[str, list[tuple[dt.date, T]]] = defaultdict(list)
    for key, when, item in items:
        grouped[key].append((when, item))
    return {
        key: tuple(item for _, item in sorted(values, key=lambda v: v[0]))
        for key, values in grouped.items()
    }


# The facts of each kind of record in a person's facts, by the kind's name in the registry
# (the plan's roles and tasks are inside the plan's facts). Every registered kind has its
# facts here: tests/rules/test_facts_of_every_kind.py fails naming a kind that has none.
FACTS_OF: Mapping[str, Callable[[PersonFacts], Sequence[Any]]] = {
    "member": lambda f: f.members,
    "authority": lambda f: f.authorities,
    "capacity_assessment": lambda f: f.assessments,
    "best_interests": lambda f: f.best_interests,
    "consent": lambda f: f.consents,
    "plan": lambda f: (f.plan,),
    "role": lambda f: f.plan.roles,
    "task": lambda f: f.plan.tasks,
    "voice": lambda f: f.voice,
    "meeting": lambda f: f.meetings,
    "risk_assessment": lambda f: f.risks,
    "graded_trial": lambda f: f.trials,
    "incident": lambda f: f.incidents,
    "event": lambda f: f.events,
    "medicine": lambda f: f.medicines,
    "medication_audit": lambda f: f.med_audits,
    "family_view": lambda f: f.family_views,
    "concern": lambda f: f.concerns,
    "role_change": lambda f: f.role_changes,
    "carer_plan": lambda f: f.carer_plans,
    "goal": lambda f: f.goals,
    "restriction": lambda f: f.restrictions,
}


def _evidence_ids(facts_by_kind: Mapping[str, Sequence[Any]]) -> frozenset[str]:
    """The ids of the records of every kind the registry lets a decision cite as evidence
    (``facts_by_kind`` holds the facts of each of those kinds by its name)."""
    return frozenset(
        record.id for spec in RECORD_KINDS if spec.evidence for record in facts_by_kind[spec.name]
    )


def build_facts(casefile: CaseFile, *, as_of: dt.date) -> PersonFacts:
    """The facts of the case file's person at ``as_of`` (see the module's docstring)."""
    cf = casefile
    person = PersonInfo(
        id=cf.person.id,
        name=cf.person.name,
        methods=frozenset(cf.person.communication.methods),
    )
    members = tuple(
        MemberFacts(
            id=m.id,
            name=m.name,
            kind=m.kind,
            trained={task: d for task, d in m.trained.items() if d <= as_of},
        )
        for m in cf.circle
    )
    authorities = tuple(
        AuthorityFacts(
            id=a.id,
            holder=a.holder,
            kind=a.kind,
            registered=a.registered,
            areas=tuple(a.areas) if a.areas is not None else None,
            revoked=_upto(a.revoked, as_of),
        )
        for a in cf.legal_authorities
        if a.registered is None or a.registered <= as_of
    )
    assessments = tuple(
        AssessmentFacts(
            id=a.id,
            area=a.area,
            date=a.date,
            outcome=a.outcome,
            support_given=a.support_given,
            review_by=a.review_by,
        )
        for a in cf.capacity_assessments
        if a.date <= as_of
    )
    assessment_ids = {a.id for a in assessments}
    best_interests = tuple(
        BestInterestsFacts(
            id=b.id,
            area=b.area,
            date=b.date,
            decision_maker=b.decision_maker,
            capacity_assessment=(
                b.capacity_assessment if b.capacity_assessment in assessment_ids else None
            ),
            consulted=tuple(b.consulted),
            persons_wishes=b.persons_wishes,
        )
        for b in cf.best_interests
        if b.date <= as_of
    )
    consents = tuple(
        ConsentFacts(
            id=c.id,
            kind=c.kind,
            given_by=c.given_by,
            to=tuple(c.to),
            areas=tuple(c.areas),
            date=c.date,
            withdrawn=_upto(c.withdrawn, as_of),
        )
        for c in cf.consents
        if c.date <= as_of
    )
    tasks = tuple(
        TaskFacts(
            id=t.id,
            task=t.task,
            area=t.area,
            holder=t.holder,
            since=t.since,
            agreed=_upto(t.agreed, as_of),
            reviewed=_upto(t.reviewed, as_of),
            ended=_upto(t.ended, as_of),
        )
        for t in cf.plan.tasks
        if t.since <= as_of
    )
    task_ids = {t.id for t in tasks}
    roles = tuple(
        RoleFacts(
            area=r.area,
            decides=r.decides,
            supported_by=tuple(r.supported_by),
            contributes=tuple(r.contributes),
            informed=tuple(r.informed),
            reviewed=_upto(r.reviewed, as_of),
        )
        for r in cf.plan.roles
    )
    required = (
        cf.plan.required_areas if cf.plan.required_areas is not None else DEFAULT_REQUIRED_AREAS
    )
    plan = PlanFacts(
        version_date=_upto(cf.plan.version_date, as_of),
        required_areas=tuple(required),
        roles=roles,
        tasks=tasks,
        emotional_support=tuple(cf.plan.emotional_support),
    )
    voice = tuple(
        VoiceFacts(
            id=v.id, date=v.date, area=v.area, method=v.method, setting=v.setting, direct=v.direct
        )
        for v in cf.voice
        if v.date <= as_of
    )
    voice_ids = {v.id for v in voice}
    risks = tuple(
        RiskFacts(
            id=r.id,
            area=r.area,
            date=r.date,
            persons_view=r.persons_view,
            person_agrees=r.person_agrees,
            agreed_position=r.agreed_position,
            review_by=r.review_by,
        )
        for r in cf.risk_assessments
        if r.date <= as_of
    )
    trials = tuple(
        TrialFacts(
            id=t.id,
            risk_assessment=t.risk_assessment,
            stages=tuple(StageFacts(id=s.id, advance_after=s.advance_after) for s in t.stages),
            # sorted() is stable: sessions on one date keep their order in the file
            sessions=tuple(
                sorted(
                    (
                        SessionFacts(date=s.date, stage=s.stage, outcome=s.outcome)
                        for s in t.sessions
                        if s.date <= as_of
                    ),
                    key=lambda s: s.date,
                )
            ),
        )
        for t in cf.graded_trials
    )
    incidents = tuple(
        IncidentFacts(
            id=i.id,
            date=i.date,
            area=i.area,
            severity=i.severity,
            trial=i.trial,
            safeguarding=i.safeguarding,
        )
        for i in cf.incidents
        if i.date <= as_of
    )
    events = tuple(
        EventFacts(id=e.id, date=e.date, kind=e.kind, areas=tuple(e.areas), carer=e.carer)
        for e in cf.events
        if e.date <= as_of
    )
    medicines = tuple(
        MedicineFacts(
            name=m.name,
            doses_per_day=m.doses_per_day,
            time_critical=m.time_critical,
            controlled=m.controlled,
            prn=m.prn,
            route=m.route,
            started=m.started,
            stopped=_upto(m.stopped, as_of),
        )
        for m in cf.medication.regimen
        if m.started is None or m.started <= as_of
    )
    med_audits = tuple(
        MedAuditFacts(id=a.id, date=a.date) for a in cf.medication.audits if a.date <= as_of
    )
    evidence_ids = _evidence_ids(
        {
            "capacity_assessment": assessments,
            "best_interests": best_interests,
            "voice": voice,
            "risk_assessment": risks,
            "graded_trial": trials,
            "incident": incidents,
            "event": events,
            "medication_audit": med_audits,
        }
    )
    meetings = tuple(
        MeetingFacts(
            id=m.id,
            date=m.date,
            kind=m.kind,
            facilitator=m.facilitator,
            attendees=tuple(m.attendees),
            contributions=tuple(
                ContributionFacts(by=c.by, on_behalf_of=c.on_behalf_of, area=c.area)
                for c in m.contributions
            ),
            decisions=tuple(
                DecisionFacts(
                    area=d.area,
                    persons_view=d.persons_view if d.persons_view in voice_ids else None,
                    disagreement=d.disagreement,
                    rationale=d.rationale,
                    evidence=tuple(e for e in d.evidence if e in evidence_ids),
                )
                for d in m.decisions
            ),
            reviews_tasks=tuple(t for t in m.reviews_tasks if t in task_ids),
        )
        for m in cf.meetings
        if m.date <= as_of
    )
    incident_days: dict[str, set[dt.date]] = defaultdict(set)
    for incident in incidents:
        if incident.trial is not None:
            incident_days[incident.trial].add(incident.date)
    by_holder: dict[str, list[AuthorityFacts]] = defaultdict(list)
    for authority in authorities:
        by_holder[authority.holder].append(authority)

    return PersonFacts(
        as_of=as_of,
        person=person,
        members=members,
        authorities=authorities,
        assessments=assessments,
        best_interests=best_interests,
        consents=consents,
        plan=plan,
        voice=voice,
        meetings=meetings,
        risks=risks,
        trials=trials,
        incidents=incidents,
        events=events,
        medicines=medicines,
        med_audits=med_audits,
        members_by_id={m.id: m for m in members},
        roles_by_area={r.area: r for r in roles},
        assessments_by_area=_group_sorted([(a.area, a.date, a) for a in assessments]),
        authorities_by_holder={k: tuple(v) for k, v in by_holder.items()},
        voice_by_id={v.id: v for v in voice},
        risks_by_area=_group_sorted([(r.area, r.date, r) for r in risks]),
        best_interests_by_area=_group_sorted([(b.area, b.date, b) for b in best_interests]),
        incident_days_by_trial={k: frozenset(v) for k, v in incident_days.items()},
        evidence_ids=evidence_ids,
        **_version_two_facts(cf, as_of),
    )


def _version_two_facts(cf: CaseFile, as_of: dt.date) -> dict[str, Any]:
    """The facts of format version 2's records, with "Time" applied (casefile-v2.md)."""
    family_views = tuple(
        FamilyViewFacts(
            id=v.id,
            author=v.author,
            date=v.date,
            area=v.area,
            meeting=v.meeting,
            risk_assessment=v.risk_assessment,
        )
        for v in cf.family_views
        if v.date <= as_of
    )
    concerns = tuple(
        ConcernFacts(
            id=c.id,
            kind=c.kind,
            raised_by=c.raised_by,
            date=c.date,
            area=c.area,
            about=c.about,
            decision=c.decision,
            acknowledged=_upto(c.acknowledged, as_of),
            response=_upto(c.response.date, as_of) if c.response is not None else None,
            delay=_upto(c.delay.date, as_of) if c.delay is not None else None,
            imca_referral=_upto(c.imca_referral, as_of),
            closed=_upto(c.closed, as_of),
            outcome=c.outcome,
            next_stage_told=c.next_stage_told,
        )
        for c in cf.concerns
        if c.date <= as_of
    )
    role_changes = tuple(
        RoleChangeFacts(
            id=r.id,
            date=r.date,
            area=r.area,
            member=r.member,
            role=r.role,
            change=r.change,
            reason=r.reason,
        )
        for r in cf.role_changes
        if r.date <= as_of
    )
    carer_plans = tuple(
        CarerPlanFacts(
            id=p.id,
            carer=p.carer,
            date=p.date,
            asked=_upto(p.asked, as_of),
            contingency_tasks=frozenset(c.task for c in p.contingencies),
            uses=tuple(sorted(u.date for u in p.used if u.date <= as_of)),
            reviewed=_upto(p.reviewed, as_of),
        )
        for p in cf.carer_plans
        if p.date <= as_of
    )
    goals = tuple(
        GoalFacts(
            id=g.id,
            date=g.date,
            area=g.area,
            set_by=g.set_by,
            person_agrees=g.person_agrees,
            review_every=g.review_every,
            review_dates=tuple(sorted(r.date for r in g.reviews if r.date <= as_of)),
            ended=_upto(g.ended, as_of),
        )
        for g in cf.goals
        if g.date <= as_of
    )
    restrictions = tuple(
        RestrictionFacts(
            id=r.id,
            date=r.date,
            area=r.area,
            basis=r.basis,
            basis_record=r.basis_record,
            review_by=r.review_by,
            ended=_upto(r.ended, as_of),
            replaced_by=r.replaced_by,
        )
        for r in cf.restrictions
        if r.date <= as_of
    )
    return {
        "family_views": family_views,
        "concerns": concerns,
        "role_changes": role_changes,
        "carer_plans": carer_plans,
        "goals": goals,
        "restrictions": restrictions,
    }
