"""The review worklist: what the records say must be reviewed, by whom and by when.

The one reading of what is due: the worklist (kinwise.governance), the dashboard's
reviews coming due (:mod:`kinwise.readings.reviews`) and the emails all read
:func:`work_items`, and its dates come from :mod:`kinwise.rules.terms`.

Pure Python (no Django): :func:`work_items` takes one case file and an ``as_of`` date
and returns every review the records have opened, each with its owner, due date, what
resolves it, and — derived from the records, never ticked — whether it is closed.

Triggers (docs/governance.md gives the reasons):

* **Arrangement review** — an event of kind needs_change, diagnosis,
  hospital_discharge, medication_change or capacity_change opens a review of the
  arrangements in every area it names: each task held in the area since before the
  event, and the area's Role. Due 14 days after the event (inclusive).
* **Risk review** — an incident of severity moderate, high or severe. Due 14 days after.
* **Partnership review** — a safeguarding incident or a safeguarding_concern event.
  Due 14 days after.
* **Capacity review** — a capacity assessment's ``review_by`` (with none, an assessment
  that found a lack of capacity is due 365 days after its date, as CA01 judges).
* **Risk assessment review** — a risk assessment's ``review_by``.
* **Task review** — a family member's task: due 365 days after its last review (PA01's
  definition of *last review*), or on its ``since`` date when it has never been agreed
  or reviewed (:func:`kinwise.rules.terms.task_review_due`).

Format version 2 (docs/spec/rules-v2.md; none of these in a version-1 file):

* **Concern acknowledgement** — a concern, due on the 3rd working day after its date
  (CN01); closed by its ``acknowledged``.
* **Concern response** — a concern, due on the 20th working day after its date (CN02);
  closed by its response or its recorded reason for delay.
* **Carer asked** — a carer's plan, due 365 days after ``asked`` (on the plan's date when
  never asked, as CP02 finds it from the start); a review-date item.
* **Carer unwell follow-up** — a carer_unwell event, due 14 days after (CP03); closed by
  a use of the carer's plan's contingencies, the plan's ``reviewed``, or a
  partnership_review meeting, dated from the event's date on.
* **Goal review** — a current goal, due its ``review_every`` days after its last review
  (GO02); a review-date item.
* **Restriction review** — a current restriction's ``review_by`` (RS03); a review-date item.

Suggestions (:func:`carer_plan_suggestions`, issue 16; any format version): a family
member holding a current task with no carer's plan is suggested one. A suggestion is
not a work item: it has no due date, is never overdue, sends no email and changes no
finding; it goes when a carer's plan for the family member exists, or their last task
ends. Its owner is found as the task's (the area's first supporting staff member, else
the team leader).

Review-date items open :data:`~kinwise.rules.terms.DUE_NOTICE_DAYS` before they are
due; trigger items open on the trigger's date. An item is *overdue* when ``as_of`` is
after its due date (the due date itself is still in time), and *closed* when the resolving record exists at
``as_of``. A resolving record dated after the due date still closes the item, marked
late (the audit's RK04/PA05 findings keep the lateness on record).

The "Time" rules of the audit apply (:func:`kinwise.rules.facts.build_facts`): a record
dated after ``as_of`` does not exist, so the same call with an earlier ``as_of`` shows
the worklist as it stood on that day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

from kinwise.casefile.schema import CaseFile
from kinwise.rules.base import area_label, joined, task_label, when
from kinwise.rules.facts import (
    AssessmentFacts,
    IncidentFacts,
    MeetingFacts,
    PersonFacts,
    RiskFacts,
    TaskFacts,
    build_facts,
)
from kinwise.rules.outcomes import current_goals, current_restrictions
from kinwise.rules.terms import (
    ACKNOWLEDGE_WORKING_DAYS,
    CARER_ASKED_DAYS,
    DUE_NOTICE_DAYS,
    RESPONSE_WORKING_DAYS,
    capacity_review_due,
    carers_without_plan,
    follow_up_due,
    is_due,
    is_overdue,
    task_review_due,
    task_reviews,
    working_days_after,
)

ARRANGEMENT_EVENT_KINDS: tuple[str, ...] = (
    "needs_change",
    "diagnosis",
    "hospital_discharge",
    "medication_change",
    "capacity_change",
)
"""Events that change what the person needs or can do, so the arrangements in their
areas may no longer fit. A complaint is handled by the complaints procedure, and a
safeguarding concern opens a partnership review of its own."""
RISK_SEVERITIES: frozenset[str] = frozenset({"moderate", "high", "severe"})
RISK_REVIEW_MEETINGS: frozenset[str] = frozenset({"risk_review", "partnership_review"})
ROLE_REVIEW_MEETINGS: frozenset[str] = frozenset({"partnership_review", "care_plan_review"})

ItemKind = Literal[
    "arrangement_review",
    "risk_review",
    "partnership_review",
    "capacity_review",
    "risk_assessment_review",
    "task_review",
    "concern_acknowledgement",
    "concern_response",
    "carer_asked",
    "carer_unwell_follow_up",
    "goal_review",
    "restriction_review",
]
State = Literal["open", "overdue", "closed"]
OwnerBasis = Literal["supported_by", "facilitator", "assessor", "participant", "team_leader"]
Section = Literal["meetings", "risk", "capacity", "plan"]

KIND_LABELS: dict[str, str] = {
    "arrangement_review": "Arrangement review",
    "risk_review": "Risk review",
    "partnership_review": "Partnership review",
    "capacity_review": "Capacity review",
    "risk_assessment_review": "Risk assessment review",
    "task_review": "Annual arrangement review",
    "concern_acknowledgement": "Acknowledge a concern",
    "concern_response": "Respond to a concern",
    "carer_asked": "Ask a carer if they can go on",
    "carer_unwell_follow_up": "Cover for an unwell carer",
    "goal_review": "Goal review",
    "restriction_review": "Restriction review",
    "supervision_action": "Supervision action",
}
EVENT_LABELS: dict[str, str] = {
    "needs_change": "change in need",
    "diagnosis": "diagnosis",
    "hospital_discharge": "hospital discharge",
    "medication_change": "medication change",
    "capacity_change": "change in capacity",
    "complaint": "complaint",
    "safeguarding_concern": "safeguarding concern",
}


@dataclass(frozen=True, slots=True)
class Owner:
    """Who the item is for: a staff member of the circle, or — when the records name
    none — the service's team leader (``member`` None, resolved by the caller)."""

    member: str | None
    name: str | None
    basis: OwnerBasis


@dataclass(frozen=True, slots=True)
class Resolution:
    """The record that resolves an item (``meeting:m1``, ``risk:ra2``, ``task:t1`` ...)
    and the date it was made."""

    record: str
    date: dt.date


@dataclass(frozen=True, slots=True)
class WorkItem:
    key: str
    """Unique within the person and stable over time (notes and reassignments hang on it)."""
    kind: ItemKind
    person: str
    person_name: str
    subject: str
    """The record to review, in the audit's subject form (``task:t1``, ``role:medication``)."""
    trigger: str
    """The record that opened the item (the event, incident, assessment or task)."""
    area: str | None
    opened: dt.date
    due: dt.date
    owner: Owner
    title: str
    resolves: str
    """What record closes the item, in plain English."""
    section: Section
    """The part of the person's page where that record is made."""
    resolution: Resolution | None
    state: State

    @property
    def late(self) -> bool:
        """Closed by a record dated after the due date."""
        return self.resolution is not None and self.resolution.date > self.due

    def days_overdue(self, as_of: dt.date) -> int:
        """Days past the due date at ``as_of`` (0 when not overdue)."""
        return max(0, (as_of - self.due).days) if self.state == "overdue" else 0


def _state(*, due: dt.date, resolution: Resolution | None, as_of: dt.date) -> State:
    if resolution is not None:
        return "closed"
    return "overdue" if is_overdue(due, as_of) else "open"


def _earliest(candidates: Iterable[Resolution | None]) -> Resolution | None:
    found = [c for c in candidates if c is not None]
    # earliest date first; on one date a meeting is named before a field of the record
    return min(found, key=lambda r: (r.date, not r.record.startswith("meeting:")), default=None)


class _Person:
    """One person's facts with the lookups the triggers share."""

    def __init__(self, casefile: CaseFile, facts: PersonFacts) -> None:
        self.facts = facts
        self.as_of = facts.as_of
        self.meetings = sorted(facts.meetings, key=lambda m: (m.date, m.id))
        # the facts leave out who assessed and who took part; the case file has them
        self.assessors = {a.id: a.assessor for a in casefile.capacity_assessments}
        self.participants = {r.id: tuple(r.participants) for r in casefile.risk_assessments}

    def name(self, ref: str) -> str:
        return self.facts.name_of(ref)

    def staff(self, ref: str | None) -> bool:
        return self.facts.kind_of(ref) == "staff"

    def supported_by_staff(self, area: str) -> str | None:
        role = self.facts.roles_by_area.get(area)
        if role is None:
            return None
        return next((m for m in role.supported_by if self.staff(m)), None)

    def latest_facilitator(self, meetings: Iterable[MeetingFacts]) -> str | None:
        for meeting in sorted(meetings, key=lambda m: (m.date, m.id), reverse=True):
            if self.staff(meeting.facilitator):
                return meeting.facilitator
        return None

    def owner(self, area: str | None, *fallbacks: tuple[OwnerBasis, str | None]) -> Owner:
        """The area's first supporting staff member, else the first fallback that names
        a staff member, else the team leader."""
        candidates: list[tuple[OwnerBasis, str | None]] = [
            ("supported_by", self.supported_by_staff(area) if area else None),
            *fallbacks,
        ]
        for basis, member in candidates:
            if member is not None and self.staff(member):
                return Owner(member=member, name=self.name(member), basis=basis)
        return Owner(member=None, name=None, basis="team_leader")

    def decided_on(self, area: str, kinds: frozenset[str]) -> list[MeetingFacts]:
        return [
            m for m in self.meetings if m.kind in kinds and any(d.area == area for d in m.decisions)
        ]

    def reviewing(self, task: TaskFacts) -> list[MeetingFacts]:
        return task_reviews(task, self.meetings)

    def item(
        self,
        *,
        key: str,
        kind: ItemKind,
        subject: str,
        trigger: str,
        area: str | None,
        opened: dt.date,
        due: dt.date,
        owner: Owner,
        title: str,
        resolves: str,
        section: Section,
        resolution: Resolution | None,
    ) -> WorkItem:
        return WorkItem(
            key=key,
            kind=kind,
            person=self.facts.person.id,
            person_name=self.facts.person.name,
            subject=subject,
            trigger=trigger,
            area=area,
            opened=opened,
            due=due,
            owner=owner,
            title=title,
            resolves=resolves,
            section=section,
            resolution=resolution,
            state=_state(due=due, resolution=resolution, as_of=self.as_of),
        )


# --- arrangement reviews -------------------------------------------------------------


def _arrangement_reviews(p: _Person) -> Iterator[WorkItem]:
    for event in sorted(p.facts.events, key=lambda e: (e.date, e.id)):
        if event.kind not in ARRANGEMENT_EVENT_KINDS:
            continue
        due = follow_up_due(event.date)
        what = f"the {EVENT_LABELS[event.kind]} on {when(event.date)}"
        for area in event.areas:
            for task in p.facts.plan.tasks:
                if task.area != area or not task.since < event.date:
                    continue
                if task.ended is not None and task.ended < event.date:
                    continue
                yield _task_after_event(p, task, event.id, event.date, due, what)
            role = p.facts.roles_by_area.get(area)
            if role is None:
                continue
            meetings = [m for m in p.decided_on(area, ROLE_REVIEW_MEETINGS) if m.date >= event.date]
            resolution = _earliest(
                [Resolution(f"meeting:{m.id}", m.date) for m in meetings]
                + [
                    Resolution(f"role:{area}", role.reviewed)
                    if role.reviewed is not None and role.reviewed >= event.date
                    else None
                ]
            )
            yield p.item(
                key=f"arrangement_review:event:{event.id}/role:{area}",
                kind="arrangement_review",
                subject=f"role:{area}",
                trigger=f"event:{event.id}",
                area=area,
                opened=event.date,
                due=due,
                owner=p.owner(
                    area,
                    ("facilitator", p.latest_facilitator(p.decided_on(area, ROLE_REVIEW_MEETINGS))),
                ),
                title=(
                    f"Review who decides, contributes and is informed about "
                    f"{area_label(area)} for {p.facts.person.name} after {what}"
                ),
                resolves=(
                    f"A partnership review or care plan review with a decision on "
                    f"{area_label(area)}, dated on or after {when(event.date)} (or the role "
                    f"marked reviewed on or after that date)"
                ),
                section="meetings",
                resolution=resolution,
            )


def _task_after_event(
    p: _Person, task: TaskFacts, event_id: str, event_date: dt.date, due: dt.date, what: str
) -> WorkItem:
    meetings = [m for m in p.reviewing(task) if m.date >= event_date]
    fields = [
        Resolution(f"task:{task.id}", d)
        for d in (task.reviewed, task.agreed, task.ended)
        if d is not None and d >= event_date
    ]
    resolution = _earliest([Resolution(f"meeting:{m.id}", m.date) for m in meetings] + fields)
    holder = p.name(task.holder)
    return p.item(
        key=f"arrangement_review:event:{event_id}/task:{task.id}",
        kind="arrangement_review",
        subject=f"task:{task.id}",
        trigger=f"event:{event_id}",
        area=task.area,
        opened=event_date,
        due=due,
        owner=p.owner(
            task.area,
            ("facilitator", p.latest_facilitator(p.reviewing(task))),
            ("facilitator", p.latest_facilitator(p.decided_on(task.area, ROLE_REVIEW_MEETINGS))),
        ),
        title=(
            f"Review {holder}'s arrangement for {task_label(task.task)} for "
            f"{p.facts.person.name} after {what}"
        ),
        resolves=(
            f"A partnership review that lists this arrangement among the tasks it reviews, "
            f"dated on or after {when(event_date)}"
        ),
        section="meetings",
        resolution=resolution,
    )


# --- risk and partnership reviews after incidents and concerns -----------------------


def _risk_reviews(p: _Person) -> Iterator[WorkItem]:
    for incident in sorted(p.facts.incidents, key=lambda i: (i.date, i.id)):
        if incident.severity not in RISK_SEVERITIES:
            continue
        yield _risk_review(p, incident)


def _risk_review(p: _Person, incident: IncidentFacts) -> WorkItem:
    area = incident.area
    meetings = [m for m in p.decided_on(area, RISK_REVIEW_MEETINGS) if m.date >= incident.date]
    risks = [r for r in p.facts.risks_by_area.get(area, ()) if r.date >= incident.date]
    resolution = _earliest(
        [Resolution(f"meeting:{m.id}", m.date) for m in meetings]
        + [Resolution(f"risk:{r.id}", r.date) for r in risks]
    )
    return p.item(
        key=f"risk_review:incident:{incident.id}",
        kind="risk_review",
        subject=f"incident:{incident.id}",
        trigger=f"incident:{incident.id}",
        area=area,
        opened=incident.date,
        due=follow_up_due(incident.date),
        owner=p.owner(
            area, ("facilitator", p.latest_facilitator(p.decided_on(area, RISK_REVIEW_MEETINGS)))
        ),
        title=(
            f"Review the risks in {area_label(area)} for {p.facts.person.name} after the "
            f"{incident.severity} incident on {when(incident.date)}"
        ),
        resolves=(
            f"A risk assessment for {area_label(area)}, or a risk review or partnership review "
            f"with a decision on {area_label(area)}, dated on or after {when(incident.date)}"
        ),
        section="risk",
        resolution=resolution,
    )


def _partnership_reviews(p: _Person) -> Iterator[WorkItem]:
    triggers: list[tuple[dt.date, str, str, tuple[str, ...]]] = [
        (i.date, f"incident:{i.id}", "safeguarding incident", (i.area,))
        for i in p.facts.incidents
        if i.safeguarding
    ] + [
        (e.date, f"event:{e.id}", "safeguarding concern", e.areas)
        for e in p.facts.events
        if e.kind == "safeguarding_concern"
    ]
    reviews = [m for m in p.meetings if m.kind == "partnership_review"]
    for date, trigger, label, areas in sorted(triggers):
        resolution = _earliest(
            Resolution(f"meeting:{m.id}", m.date) for m in reviews if m.date >= date
        )
        supported = next((s for s in (p.supported_by_staff(a) for a in areas) if s), None)
        yield p.item(
            key=f"partnership_review:{trigger}",
            kind="partnership_review",
            subject=trigger,
            trigger=trigger,
            area=areas[0],
            opened=date,
            due=follow_up_due(date),
            owner=p.owner(
                None,
                ("supported_by", supported),
                ("facilitator", p.latest_facilitator(reviews)),
            ),
            title=(
                f"Hold a partnership review with {p.facts.person.name} and the people around "
                f"them after the {label} on {when(date)}"
            ),
            resolves=f"A partnership review meeting dated on or after {when(date)}",
            section="meetings",
            resolution=resolution,
        )


# --- review dates: capacity, risk assessments, family-held tasks ---------------------


def _appears(as_of: dt.date, due: dt.date, resolution: Resolution | None) -> bool:
    """A review-date item is on the worklist once it is coming due (DUE_NOTICE_DAYS
    before its due date); one resolved before it would have appeared never does."""
    return is_due(due, as_of) and (resolution is None or is_due(due, resolution.date))


def _opens(due: dt.date) -> dt.date:
    return due - dt.timedelta(days=DUE_NOTICE_DAYS)


def _capacity_reviews(p: _Person) -> Iterator[WorkItem]:
    for area, assessments in sorted(p.facts.assessments_by_area.items()):
        for index, assessment in enumerate(assessments):
            due = capacity_review_due(assessment)
            if due is None:
                continue
            newer = assessments[index + 1] if index + 1 < len(assessments) else None
            resolution = Resolution(f"capacity:{newer.id}", newer.date) if newer else None
            if not _appears(p.as_of, due, resolution):
                continue
            yield p.item(
                key=f"capacity_review:capacity:{assessment.id}",
                kind="capacity_review",
                subject=f"capacity:{assessment.id}",
                trigger=f"capacity:{assessment.id}",
                area=area,
                opened=_opens(due),
                due=due,
                owner=p.owner(area, ("assessor", _assessor(p, assessment))),
                title=(
                    f"Review {p.facts.person.name}'s capacity for {area_label(area)} "
                    f"(assessed on {when(assessment.date)})"
                ),
                resolves=f"A new capacity assessment for {area_label(area)}",
                section="capacity",
                resolution=resolution,
            )


def _assessor(p: _Person, assessment: AssessmentFacts) -> str | None:
    return p.assessors.get(assessment.id)


def _risk_assessment_reviews(p: _Person) -> Iterator[WorkItem]:
    for area, risks in sorted(p.facts.risks_by_area.items()):
        for risk in risks:
            newer = next((r for r in risks if r.date > risk.date), None)
            resolution = Resolution(f"risk:{newer.id}", newer.date) if newer else None
            if not _appears(p.as_of, risk.review_by, resolution):
                continue
            yield p.item(
                key=f"risk_assessment_review:risk:{risk.id}",
                kind="risk_assessment_review",
                subject=f"risk:{risk.id}",
                trigger=f"risk:{risk.id}",
                area=area,
                opened=_opens(risk.review_by),
                due=risk.review_by,
                owner=p.owner(area, ("participant", _staff_participant(p, risk))),
                title=(
                    f"Review the risk assessment for {area_label(area)} for "
                    f"{p.facts.person.name} (made on {when(risk.date)})"
                ),
                resolves=f"A new risk assessment for {area_label(area)}",
                section="risk",
                resolution=resolution,
            )


def _staff_participant(p: _Person, risk: RiskFacts) -> str | None:
    return next((m for m in p.participants.get(risk.id, ()) if p.staff(m)), None)


def _task_reviews(p: _Person) -> Iterator[WorkItem]:
    for task in p.facts.current_tasks():
        if not p.facts.is_family(task.holder):
            continue
        reviews: dict[dt.date, Resolution] = {}
        for d in (task.agreed, task.reviewed):
            if d is not None:
                reviews.setdefault(d, Resolution(f"task:{task.id}", d))
        for meeting in p.reviewing(task):
            # a meeting names the review in preference to a date on the task itself
            reviews[meeting.date] = Resolution(f"meeting:{meeting.id}", meeting.date)
        ordered = [reviews[d] for d in sorted(reviews)]
        cycles: list[tuple[dt.date, Resolution | None, str]] = []
        if not ordered or ordered[0].date > task.since:
            cycles.append(
                (
                    task_review_due(task, None),
                    ordered[0] if ordered else None,
                    "has never been agreed or reviewed",
                )
            )
        for index, review in enumerate(ordered):
            nxt = ordered[index + 1] if index + 1 < len(ordered) else None
            cycles.append(
                (
                    task_review_due(task, review.date),
                    nxt,
                    f"was last reviewed on {when(review.date)}",
                )
            )
        holder = p.name(task.holder)
        for due, resolution, state in cycles:
            never = state == "has never been agreed or reviewed"
            if not never and not _appears(p.as_of, due, resolution):
                continue
            if never and resolution is not None and resolution.date <= task.since:
                continue
            yield p.item(
                key=f"task_review:task:{task.id}@{due.isoformat()}",
                kind="task_review",
                subject=f"task:{task.id}",
                trigger=f"task:{task.id}",
                area=task.area,
                opened=task.since if never else _opens(due),
                due=due,
                owner=p.owner(task.area, ("facilitator", p.latest_facilitator(p.reviewing(task)))),
                title=(
                    f"Review {holder}'s arrangement for {task_label(task.task)} for "
                    f"{p.facts.person.name}: it {state}"
                ),
                resolves="A partnership review that lists this arrangement among the tasks it reviews",
                section="meetings",
                resolution=resolution,
            )


# --- format version 2: concerns, carers, goals, restrictions -------------------------


def _concern_items(p: _Person) -> Iterator[WorkItem]:
    for concern in sorted(p.facts.concerns, key=lambda c: (c.date, c.id)):
        raised = f"{p.name(concern.raised_by)}'s concern raised on {when(concern.date)}"
        owner = p.owner(concern.area, ("facilitator", p.latest_facilitator(p.meetings)))
        acknowledged = (
            Resolution(f"concern:{concern.id}", concern.acknowledged)
            if concern.acknowledged is not None
            else None
        )
        yield p.item(
            key=f"concern_acknowledgement:concern:{concern.id}",
            kind="concern_acknowledgement",
            subject=f"concern:{concern.id}",
            trigger=f"concern:{concern.id}",
            area=concern.area,
            opened=concern.date,
            due=working_days_after(concern.date, ACKNOWLEDGE_WORKING_DAYS),
            owner=owner,
            title=f"Acknowledge {raised}, about {area_label(concern.area)}",
            resolves="The date the concern was acknowledged to the person who raised it",
            section="meetings",
            resolution=acknowledged,
        )
        answered = _earliest(
            Resolution(f"concern:{concern.id}", day)
            for day in (concern.response, concern.delay)
            if day is not None
        )
        yield p.item(
            key=f"concern_response:concern:{concern.id}",
            kind="concern_response",
            subject=f"concern:{concern.id}",
            trigger=f"concern:{concern.id}",
            area=concern.area,
            opened=concern.date,
            due=working_days_after(concern.date, RESPONSE_WORKING_DAYS),
            owner=owner,
            title=f"Send a written response to {raised}, about {area_label(concern.area)}",
            resolves="A reasoned written response, or a recorded reason for the delay",
            section="meetings",
            resolution=answered,
        )


def _carer_items(p: _Person) -> Iterator[WorkItem]:
    plans = {plan.carer: plan for plan in p.facts.carer_plans}
    for plan in sorted(p.facts.carer_plans, key=lambda c: (c.date, c.id)):
        never = plan.asked is None
        due = plan.date if plan.asked is None else plan.asked + dt.timedelta(days=CARER_ASKED_DAYS)
        if not never and not _appears(p.as_of, due, None):
            continue
        state = (
            "they have never been asked"
            if never
            else f"they were last asked on {when(due - dt.timedelta(days=CARER_ASKED_DAYS))}"
        )
        yield p.item(
            key=f"carer_asked:carer_plan:{plan.id}@{due.isoformat()}",
            kind="carer_asked",
            subject=f"carer_plan:{plan.id}",
            trigger=f"carer_plan:{plan.id}",
            area=None,
            opened=plan.date if never else _opens(due),
            due=due,
            owner=p.owner(None, ("facilitator", p.latest_facilitator(p.meetings))),
            title=(
                f"Ask {p.name(plan.carer)} whether they are still willing and able to care "
                f"for {p.facts.person.name}: {state}"
            ),
            resolves="The carer's plan updated with the date the carer was asked",
            section="plan",
            resolution=None,
        )
    reviews = [m for m in p.meetings if m.kind == "partnership_review"]
    for event in sorted(p.facts.events, key=lambda e: (e.date, e.id)):
        if event.kind != "carer_unwell" or event.carer is None:
            continue
        carer_plan = plans.get(event.carer)
        found: list[Resolution | None] = [
            Resolution(f"meeting:{m.id}", m.date) for m in reviews if m.date >= event.date
        ]
        if carer_plan is not None:
            found += [
                Resolution(f"carer_plan:{carer_plan.id}", u)
                for u in carer_plan.uses
                if u >= event.date
            ]
            if carer_plan.reviewed is not None and carer_plan.reviewed >= event.date:
                found.append(Resolution(f"carer_plan:{carer_plan.id}", carer_plan.reviewed))
        yield p.item(
            key=f"carer_unwell_follow_up:event:{event.id}",
            kind="carer_unwell_follow_up",
            subject=f"event:{event.id}",
            trigger=f"event:{event.id}",
            area=event.areas[0] if event.areas else None,
            opened=event.date,
            due=follow_up_due(event.date),
            owner=p.owner(None, ("facilitator", p.latest_facilitator(reviews))),
            title=(
                f"Make sure {p.facts.person.name}'s care goes on: {p.name(event.carer)} was "
                f"unwell on {when(event.date)}"
            ),
            resolves=(
                "The carer's plan's contingency used, the carer's plan reviewed, or a "
                f"partnership review, dated on or after {when(event.date)}"
            ),
            section="plan",
            resolution=_earliest(found),
        )


def _goal_reviews(p: _Person) -> Iterator[WorkItem]:
    for goal in sorted(current_goals(p.facts), key=lambda g: (g.date, g.id)):
        last = goal.review_dates[-1] if goal.review_dates else goal.date
        due = last + dt.timedelta(days=goal.review_every)
        if not _appears(p.as_of, due, None):
            continue
        yield p.item(
            key=f"goal_review:goal:{goal.id}@{due.isoformat()}",
            kind="goal_review",
            subject=f"goal:{goal.id}",
            trigger=f"goal:{goal.id}",
            area=goal.area,
            opened=_opens(due),
            due=due,
            owner=p.owner(goal.area),
            title=(
                f"Review {p.facts.person.name}'s goal about {area_label(goal.area)} "
                f"(set on {when(goal.date)})"
            ),
            resolves="A review of the goal with a score and what it rests on",
            section="plan",
            resolution=None,
        )


def _restriction_reviews(p: _Person) -> Iterator[WorkItem]:
    for restriction in sorted(current_restrictions(p.facts), key=lambda r: (r.date, r.id)):
        due = restriction.review_by
        if not _appears(p.as_of, due, None):
            continue
        yield p.item(
            key=f"restriction_review:restriction:{restriction.id}@{due.isoformat()}",
            kind="restriction_review",
            subject=f"restriction:{restriction.id}",
            trigger=f"restriction:{restriction.id}",
            area=restriction.area,
            opened=_opens(due),
            due=due,
            owner=p.owner(restriction.area),
            title=(
                f"Review the restriction about {area_label(restriction.area)} for "
                f"{p.facts.person.name} (in place since {when(restriction.date)})"
            ),
            resolves="The restriction reviewed with a new review date, or ended",
            section="risk",
            resolution=None,
        )


# --- suggestions --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Suggestion:
    """Something the records suggest doing that no rule requires (a prompt, not a finding)."""

    key: str
    """Unique within the person: ``carer_plan:member:<id>``."""
    person: str
    person_name: str
    member: str
    """The family member it is about."""
    tasks: tuple[str, ...]
    """The tasks they hold, in the audit's subject form."""
    owner: Owner
    text: str
    section: Section


def carer_plan_suggestions(casefile: CaseFile, *, as_of: dt.date) -> list[Suggestion]:
    """A carer's plan suggested for each family member who holds a task current at
    ``as_of`` and has no carer's plan, by family member id."""
    return _suggestions(_Person(casefile, build_facts(casefile, as_of=as_of)))


def _suggestions(p: _Person) -> list[Suggestion]:
    person = p.facts.person.name
    found = []
    for member, tasks in carers_without_plan(p.facts).items():
        name = p.name(member)
        what = joined([task_label(t.task) for t in tasks])
        found.append(
            Suggestion(
                key=f"carer_plan:member:{member}",
                person=p.facts.person.id,
                person_name=person,
                member=member,
                tasks=tuple(f"task:{t.id}" for t in tasks),
                owner=p.owner(tasks[0].area),
                text=(
                    f"Suggest a carer's plan to {name}: they give {person} support with "
                    f"{what}, and nothing records whether they are willing and able to go on, "
                    f"a carer's assessment, or who steps in if they cannot."
                ),
                section="plan",
            )
        )
    return found


# --- the worklist ----------------------------------------------------------------------


def work_items(casefile: CaseFile, *, as_of: dt.date) -> list[WorkItem]:
    """Every review the person's records have opened by ``as_of``, open or closed,
    ordered by due date, then key."""
    return _work_items(_Person(casefile, build_facts(casefile, as_of=as_of)))


def work_items_and_suggestions(
    casefile: CaseFile, *, as_of: dt.date
) -> tuple[list[WorkItem], list[Suggestion]]:
    """:func:`work_items` and :func:`carer_plan_suggestions` from one reading of the facts."""
    p = _Person(casefile, build_facts(casefile, as_of=as_of))
    return _work_items(p), _suggestions(p)


def _work_items(p: _Person) -> list[WorkItem]:
    items = [
        *_arrangement_reviews(p),
        *_risk_reviews(p),
        *_partnership_reviews(p),
        *_capacity_reviews(p),
        *_risk_assessment_reviews(p),
        *_task_reviews(p),
        *_concern_items(p),
        *_carer_items(p),
        *_goal_reviews(p),
        *_restriction_reviews(p),
    ]
    return sorted(items, key=lambda i: (i.due, i.key))
