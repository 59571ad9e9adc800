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
from kinwise.casefile.schema import CaseFile, Goal, is_blank
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


@dataclass(frozen=True, slots=True)
class PersonDocuments:
    """One person's case file as its documents: the person's id, name and ways of
    communicating, the format version of the file, and each kind's records as documents
    (their JSON form: dates as ISO text; a field that is absent, null or an empty list is
    the same), by the kind's name, in the file's order. What the database stores, so the
    audit of stored records needs no records built (issue 17); a case file gives its own
    with :func:`casefile_documents`."""

    id: str
    name: str
    methods: tuple[str, ...]
    version: int
    documents: Mapping[str, Sequence[Mapping[str, Any]]]


def casefile_documents(casefile: CaseFile) -> PersonDocuments:
    """The case file's documents (each record's JSON form as the schema dumps it)."""
    documents: dict[str, list[dict[str, Any]]] = {}
    for spec in RECORD_KINDS:
        exclude = set(spec.excluded) or None
        documents[spec.name] = [
            record.model_dump(mode="json", exclude=exclude) for record in spec.records(casefile)
        ]
    person = casefile.person
    return PersonDocuments(
        id=person.id,
        name=person.name,
        methods=tuple(person.communication.methods),
        version=casefile.kinwise,
        documents=documents,
    )


def build_facts(casefile: CaseFile, *, as_of: dt.date) -> PersonFacts:
    """The facts of the case file's person at ``as_of`` (see the module's docstring)."""
    return facts_of_documents(casefile_documents(casefile), as_of=as_of)


_date = dt.date.fromisoformat
_NONE: tuple[Any, ...] = ()
# A goal's review period when its document gives none (the schema's default).
_GOAL_REVIEW_EVERY: int = Goal.model_fields["review_every"].default


def _on(value: str | None, as_of: dt.date) -> dt.date | None:
    """A document's date that records something happening: absent when after as_of."""
    if value is None:
        return None
    day = _date(value)
    return day if day <= as_of else None


def _day(value: str | None) -> dt.date | None:
    return _date(value) if value is not None else None


def facts_of_documents(person: PersonDocuments, *, as_of: dt.date) -> PersonFacts:
    """The facts of one person at ``as_of`` from their documents (the module's "Time")."""
    docs = person.documents
    on = _on
    members = tuple(
        MemberFacts(
            id=m.get("id"),
            name=m.get("name"),
            kind=m.get("kind"),
            trained={
                task: day
                for task, text in (m.get("trained") or {}).items()
                if (day := _date(text)) <= as_of
            },
        )
        for m in docs.get("member", _NONE)
    )
    authorities = tuple(
        AuthorityFacts(
            id=a.get("id"),
            holder=a.get("holder"),
            kind=a.get("kind"),
            registered=registered,
            areas=tuple(areas) if (areas := a.get("areas")) is not None else None,
            revoked=on(a.get("revoked"), as_of),
        )
        for a in docs.get("authority", _NONE)
        if (registered := _day(a.get("registered"))) is None or registered <= as_of
    )
    assessments = tuple(
        AssessmentFacts(
            id=a.get("id"),
            area=a.get("area"),
            date=day,
            outcome=a.get("outcome"),
            support_given=a.get("support_given"),
            review_by=_day(a.get("review_by")),
        )
        for a in docs.get("capacity_assessment", _NONE)
        if (day := _date(a["date"])) <= as_of
    )
    assessment_ids = {a.id for a in assessments}
    best_interests = tuple(
        BestInterestsFacts(
            id=b.get("id"),
            area=b.get("area"),
            date=day,
            decision_maker=b.get("decision_maker"),
            capacity_assessment=(
                ref if (ref := b.get("capacity_assessment")) in assessment_ids else None
            ),
            consulted=tuple(b.get("consulted") or _NONE),
            persons_wishes=b.get("persons_wishes"),
        )
        for b in docs.get("best_interests", _NONE)
        if (day := _date(b["date"])) <= as_of
    )
    consents = tuple(
        ConsentFacts(
            id=c.get("id"),
            kind=c.get("kind"),
            given_by=c.get("given_by"),
            to=tuple(c.get("to") or _NONE),
            areas=tuple(c.get("areas") or _NONE),
            date=day,
            withdrawn=on(c.get("withdrawn"), as_of),
        )
        for c in docs.get("consent", _NONE)
        if (day := _date(c["date"])) <= as_of
    )
    tasks = tuple(
        TaskFacts(
            id=t.get("id"),
            task=t.get("task"),
            area=t.get("area"),
            holder=t.get("holder"),
            since=since,
            agreed=on(t.get("agreed"), as_of),
            reviewed=on(t.get("reviewed"), as_of),
            ended=on(t.get("ended"), as_of),
        )
        for t in docs.get("task", _NONE)
        if (since := _date(t["since"])) <= as_of
    )
    task_ids = {t.id for t in tasks}
    roles = tuple(
        RoleFacts(
            area=r.get("area"),
            decides=r.get("decides"),
            supported_by=tuple(r.get("supported_by") or _NONE),
            contributes=tuple(r.get("contributes") or _NONE),
            informed=tuple(r.get("informed") or _NONE),
            reviewed=on(r.get("reviewed"), as_of),
        )
        for r in docs.get("role", _NONE)
    )
    (plan_doc,) = docs["plan"]
    required = plan_doc.get("required_areas")
    plan = PlanFacts(
        version_date=on(plan_doc.get("version_date"), as_of),
        required_areas=tuple(required if required is not None else DEFAULT_REQUIRED_AREAS),
        roles=roles,
        tasks=tasks,
        emotional_support=tuple(plan_doc.get("emotional_support") or _NONE),
    )
    voice = tuple(
        VoiceFacts(
            id=v.get("id"),
            date=day,
            area=v.get("area"),
            method=v.get("method"),
            setting=v.get("setting"),
            direct=v.get("direct"),
        )
        for v in docs.get("voice", _NONE)
        if (day := _date(v["date"])) <= as_of
    )
    voice_ids = {v.id for v in voice}
    risks = tuple(
        RiskFacts(
            id=r.get("id"),
            area=r.get("area"),
            date=day,
            persons_view=r.get("persons_view"),
            person_agrees=r.get("person_agrees"),
            agreed_position=r.get("agreed_position"),
            review_by=_date(r["review_by"]),
        )
        for r in docs.get("risk_assessment", _NONE)
        if (day := _date(r["date"])) <= as_of
    )
    trials = tuple(
        TrialFacts(
            id=t.get("id"),
            risk_assessment=t.get("risk_assessment"),
            stages=tuple(
                StageFacts(id=s.get("id"), advance_after=s.get("advance_after"))
                for s in t.get("stages") or _NONE
            ),
            # sorted() is stable: sessions on one date keep their order in the file
            sessions=tuple(
                sorted(
                    (
                        SessionFacts(date=day, stage=s.get("stage"), outcome=s.get("outcome"))
                        for s in t.get("sessions") or _NONE
                        if (day := _date(s["date"])) <= as_of
                    ),
                    key=_by_date,
                )
            ),
        )
        for t in docs.get("graded_trial", _NONE)
    )
    incidents = tuple(
        IncidentFacts(
            id=i.get("id"),
            date=day,
            area=i.get("area"),
            severity=i.get("severity"),
            trial=i.get("trial"),
            safeguarding=bool(i.get("safeguarding")),
        )
        for i in docs.get("incident", _NONE)
        if (day := _date(i["date"])) <= as_of
    )
    events = tuple(
        EventFacts(
            id=e.get("id"),
            date=day,
            kind=e.get("kind"),
            areas=tuple(e.get("areas") or _NONE),
            carer=e.get("carer"),
        )
        for e in docs.get("event", _NONE)
        if (day := _date(e["date"])) <= as_of
    )
    medicines = tuple(
        MedicineFacts(
            name=m.get("name"),
            doses_per_day=m.get("doses_per_day"),
            time_critical=bool(m.get("time_critical")),
            controlled=bool(m.get("controlled")),
            prn=bool(m.get("prn")),
            route=m.get("route"),
            started=started,
            stopped=on(m.get("stopped"), as_of),
        )
        for m in docs.get("medicine", _NONE)
        if (started := _day(m.get("started"))) is None or started <= as_of
    )
    med_audits = tuple(
        MedAuditFacts(id=a.get("id"), date=day)
        for a in docs.get("medication_audit", _NONE)
        if (day := _date(a["date"])) <= as_of
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
            id=m.get("id"),
            date=day,
            kind=m.get("kind"),
            facilitator=m.get("facilitator"),
            attendees=tuple(m.get("attendees") or _NONE),
            contributions=tuple(
                ContributionFacts(
                    by=c.get("by"), on_behalf_of=c.get("on_behalf_of"), area=c.get("area")
                )
                for c in m.get("contributions") or _NONE
            ),
            decisions=tuple(
                DecisionFacts(
                    area=d.get("area"),
                    persons_view=view if (view := d.get("persons_view")) in voice_ids else None,
                    disagreement=bool(d.get("disagreement")),
                    rationale=d.get("rationale"),
                    evidence=tuple(e for e in d.get("evidence") or _NONE if e in evidence_ids),
                )
                for d in m.get("decisions") or _NONE
            ),
            reviews_tasks=tuple(t for t in m.get("reviews_tasks") or _NONE if t in task_ids),
        )
        for m in docs.get("meeting", _NONE)
        if (day := _date(m["date"])) <= as_of
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
        person=PersonInfo(id=person.id, name=person.name, methods=frozenset(person.methods)),
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
        **_version_two_facts(docs, as_of),
    )


def _by_date(session: SessionFacts) -> dt.date:
    return session.date


def _version_two_facts(
    docs: Mapping[str, Sequence[Mapping[str, Any]]], as_of: dt.date
) -> dict[str, Any]:
    """The facts of format version 2's records, with "Time" applied (casefile-v2.md)."""
    on = _on
    family_views = tuple(
        FamilyViewFacts(
            id=v.get("id"),
            author=v.get("author"),
            date=day,
            area=v.get("area"),
            meeting=v.get("meeting"),
            risk_assessment=v.get("risk_assessment"),
        )
        for v in docs.get("family_view", _NONE)
        if (day := _date(v["date"])) <= as_of
    )
    concerns = tuple(
        ConcernFacts(
            id=c.get("id"),
            kind=c.get("kind"),
            raised_by=c.get("raised_by"),
            date=day,
            area=c.get("area"),
            about=c.get("about"),
            decision=bool(c.get("decision")),
            acknowledged=on(c.get("acknowledged"), as_of),
            response=on(response["date"], as_of) if (response := c.get("response")) else None,
            delay=on(delay["date"], as_of) if (delay := c.get("delay")) else None,
            imca_referral=on(c.get("imca_referral"), as_of),
            closed=on(c.get("closed"), as_of),
            outcome=c.get("outcome"),
            next_stage_told=bool(c.get("next_stage_told")),
        )
        for c in docs.get("concern", _NONE)
        if (day := _date(c["date"])) <= as_of
    )
    role_changes = tuple(
        RoleChangeFacts(
            id=r.get("id"),
            date=day,
            area=r.get("area"),
            member=r.get("member"),
            role=r.get("role"),
            change=r.get("change"),
            reason=r.get("reason"),
        )
        for r in docs.get("role_change", _NONE)
        if (day := _date(r["date"])) <= as_of
    )
    carer_plans = tuple(
        CarerPlanFacts(
            id=p.get("id"),
            carer=p.get("carer"),
            date=day,
            asked=on(p.get("asked"), as_of),
            contingency_tasks=frozenset(c.get("task") for c in p.get("contingencies") or _NONE),
            uses=tuple(
                sorted(used for u in p.get("used") or _NONE if (used := _date(u["date"])) <= as_of)
            ),
            reviewed=on(p.get("reviewed"), as_of),
        )
        for p in docs.get("carer_plan", _NONE)
        if (day := _date(p["date"])) <= as_of
    )
    goals = tuple(
        GoalFacts(
            id=g.get("id"),
            date=day,
            area=g.get("area"),
            set_by=g.get("set_by"),
            person_agrees=g.get("person_agrees"),
            review_every=g.get("review_every", _GOAL_REVIEW_EVERY),
            review_dates=tuple(
                sorted(
                    reviewed
                    for r in g.get("reviews") or _NONE
                    if (reviewed := _date(r["date"])) <= as_of
                )
            ),
            ended=on(g.get("ended"), as_of),
        )
        for g in docs.get("goal", _NONE)
        if (day := _date(g["date"])) <= as_of
    )
    restrictions = tuple(
        RestrictionFacts(
            id=r.get("id"),
            date=day,
            area=r.get("area"),
            basis=r.get("basis"),
            basis_record=r.get("basis_record"),
            review_by=_date(r["review_by"]),
            ended=on(r.get("ended"), as_of),
            replaced_by=r.get("replaced_by"),
        )
        for r in docs.get("restriction", _NONE)
        if (day := _date(r["date"])) <= as_of
    )
    return {
        "family_views": family_views,
        "concerns": concerns,
        "role_changes": role_changes,
        "carer_plans": carer_plans,
        "goals": goals,
        "restrictions": restrictions,
    }
