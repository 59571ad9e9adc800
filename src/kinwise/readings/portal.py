"""What the family and person portal says, in plain words: a relative's part ("Your
part"), one area's records as a relative or the person may see them, the person's own
words and meetings, and who sees what. Pure: no Django. What may be shown is decided in
:mod:`kinwise.access.portal`; this only arranges what it was given.

Safeguarding: incidents marked safeguarding, events of kind safeguarding_concern and
views gathered separately from family are left out of everything shown to family
(``for_family``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from kinwise.casefile import schema as cf
from kinwise.casefile.vocab import AREAS
from kinwise.readings.labels import area_label, area_title, long_date, method_label, task_label
from kinwise.readings.names import Names
from kinwise.readings.roles import decision_basis
from kinwise.readings.trials import trial_progression_text
from kinwise.rules.facts import PersonFacts
from kinwise.rules.terms import family_tasks_due

# What an authority makes its holder, in a relative's words.
AUTHORITY_ROLE = {
    "lpa_health_welfare": "health and welfare attorney",
    "lpa_property_finance": "property and finance attorney",
    "deputy_personal_welfare": "personal welfare deputy",
    "deputy_property_affairs": "property and affairs deputy",
}
SAFEGUARDING_EVENT = "safeguarding_concern"
# The voice setting never shown to family: views gathered apart from them.
SEPARATE = "separate"


def _first(casefile: cf.CaseFile) -> str:
    return casefile.person.name.split(" ")[0]


def _joined(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


@dataclass(frozen=True)
class DecisionLine:
    date: dt.date
    area: str
    outcome: str
    rationale: str
    disagreement: bool
    their_view: str  # what the relative said about it in the meeting ("" if nothing)


@dataclass(frozen=True)
class YourPart:
    """A relative's part in one person's life, each line in plain words."""

    decides: list[str] = field(default_factory=list)
    helps: list[str] = field(default_factory=list)
    contributes: list[str] = field(default_factory=list)
    told: list[str] = field(default_factory=list)
    tasks: list[str] = field(default_factory=list)
    emotional_support: str = ""
    meetings: list[str] = field(default_factory=list)
    decisions: list[DecisionLine] = field(default_factory=list)
    not_listed: str = ""


def _decider_basis(
    casefile: cf.CaseFile, facts: PersonFacts, member: str, area: str, as_of: dt.date
) -> str:
    first = _first(casefile)
    for authority in facts.usable_authorities(member, area, as_of):
        return f"because you are {first}'s {AUTHORITY_ROLE.get(authority.kind, 'attorney')}"
    for consent in facts.consents:
        if (
            consent.kind == "delegate_decision"
            and consent.given_by == facts.person.id
            and member in consent.to
            and area in consent.areas
            and consent.is_current(as_of)
        ):
            return f"because {first} asked you to, by consent on {long_date(consent.date)}"
    return "but no consent or legal authority for it is recorded: staff will talk this through with you"


def your_part(
    casefile: cf.CaseFile,
    facts: PersonFacts,
    member: str,
    *,
    as_of: dt.date,
    shared: Collection[str],
) -> YourPart:
    """The relative ``member``'s own lines: what they decide (and on what basis), help
    decide, give a view on or are told about; the tasks they hold or held and when each
    is next reviewed; emotional support; their next meetings; the decisions in areas they
    have a part in, with the outcome and reasons. ``shared`` are the areas whose records
    they may see (for "you are told about" lines)."""
    first, names = _first(casefile), Names(casefile)
    part = YourPart()
    involved: set[str] = set()
    for role in casefile.plan.roles:
        label = area_label(role.area)
        if role.decides == member:
            involved.add(role.area)
            basis = _decider_basis(casefile, facts, member, role.area, as_of)
            part.decides.append(f"You decide about {first}'s {label} {basis}.")
        if member in role.supported_by:
            involved.add(role.area)
            part.helps.append(f"You help {first} decide about {label}.")
        if member in role.contributes:
            involved.add(role.area)
            who = "decides" if role.decides else "is decided"
            decider = (
                f"{names(role.decides)} {who}"
                if role.decides and role.decides != member
                else f"{first}'s team decides"
            )
            if role.decides == facts.person.id:
                decider = f"{first} decides"
            part.contributes.append(f"You give your view about {label}; {decider}.")
        if member in role.informed:
            involved.add(role.area)
            if role.area in shared:
                part.told.append(f"You are told about {label}, because {first} agreed to it.")
            else:
                part.told.append(
                    f"The plan says you are told about {label}, but {first}'s agreement to share "
                    "it with you is not recorded, so its records are not shown here."
                )
    due = {task.id: when for task, _, when in family_tasks_due(facts)}
    for task in casefile.plan.tasks:
        if task.holder != member:
            continue
        what = task_label(task.task)
        if task.ended is not None and task.ended <= as_of:
            after = [
                t
                for t in casefile.plan.tasks
                if t.task == task.task and t.holder != member and t.since >= task.ended
            ]
            staff = [t for t in after if names.kind(t.holder) == "staff"]
            if staff:
                holders = _joined([names(t.holder) for t in staff])
                since = long_date(min(t.since for t in staff))
                rest = f" Since {since}, trained staff ({holders}) do it."
            else:
                rest = ""
            what = what[:1].upper() + what[1:]
            part.tasks.append(f"{what} for {first} was yours until {long_date(task.ended)}.{rest}")
        elif task.since <= as_of:
            next_review = due.get(task.id)
            when = f" It is next reviewed by {long_date(next_review)}." if next_review else ""
            what = what[:1].upper() + what[1:]
            part.tasks.append(f"{what} for {first} is yours ({area_label(task.area)}).{when}")
    if member in casefile.plan.emotional_support:
        part = _with(
            part,
            emotional_support=(
                f"You give {first} emotional support. That is a part in its own right: it "
                "does not depend on any task or decision, and it carries no duty to decide."
            ),
        )
    for meeting in sorted(casefile.meetings, key=lambda m: m.date):
        if meeting.date >= as_of and member in meeting.attendees:
            part.meetings.append(f"{long_date(meeting.date)}: {meeting.kind.replace('_', ' ')}")
    for meeting in sorted(casefile.meetings, key=lambda m: m.date, reverse=True):
        if meeting.date > as_of:
            continue
        for decision in meeting.decisions:
            if decision.area not in involved:
                continue
            said = [
                c.text for c in meeting.contributions if c.by == member and c.area == decision.area
            ]
            part.decisions.append(
                DecisionLine(
                    date=meeting.date,
                    area=area_title(decision.area),
                    outcome=decision.outcome,
                    rationale=decision.rationale or "",
                    disagreement=decision.disagreement,
                    their_view=" ".join(said),
                )
            )
    return _with(
        part,
        not_listed=(
            f"Anything not listed here is not yours to decide. {first} decides about their "
            "own life wherever they can, with support; the plan names who decides the rest."
        ),
    )


def _with(part: YourPart, **changes: object) -> YourPart:
    from dataclasses import replace

    return replace(part, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True)
class AreaRecords:
    """One area's records as the portal shows them."""

    area: str
    title: str
    decides: str
    basis: str
    views: list[tuple[dt.date, str, str]]  # date, how it was gathered, what was said
    decisions: list[DecisionLine]
    risks: list[str]
    trials: list[tuple[str, list[str]]]  # the trial's progress in words, its sessions
    incidents: list[tuple[dt.date, str]]
    events: list[tuple[dt.date, str]]
    tasks: list[str]
    medicines: list[str]


def area_records(
    casefile: cf.CaseFile, facts: PersonFacts, area: str, *, as_of: dt.date, for_family: bool
) -> AreaRecords:
    """The records of ``area``; ``for_family`` leaves out what family never see."""
    names = Names(casefile)
    role = next((r for r in casefile.plan.roles if r.area == area), None)
    decides = role.decides if role else None
    views = [
        (v.date, method_label(v.method), v.summary)
        for v in sorted(casefile.voice, key=lambda v: v.date, reverse=True)
        if v.area == area and v.date <= as_of and not (for_family and v.setting == SEPARATE)
    ]
    decisions = [
        DecisionLine(
            date=m.date,
            area=area_title(area),
            outcome=d.outcome,
            rationale=d.rationale or "",
            disagreement=d.disagreement,
            their_view="",
        )
        for m in sorted(casefile.meetings, key=lambda m: m.date, reverse=True)
        if m.date <= as_of
        for d in m.decisions
        if d.area == area
    ]
    risks = [
        f"{long_date(r.date)}: {r.activity}. Agreed: {r.agreed_position.replace('_', ' ')}; "
        f"reviewed by {long_date(r.review_by)}."
        for r in casefile.risk_assessments
        if r.area == area and r.date <= as_of
    ]
    risk_ids = {r.id for r in casefile.risk_assessments if r.area == area}
    visible_incidents = [
        i for i in casefile.incidents if i.date <= as_of and not (for_family and i.safeguarding)
    ]
    trials = []
    for trial in casefile.graded_trials:
        if trial.risk_assessment not in risk_ids:
            continue
        stages = {s.id: s.description for s in trial.stages}
        text = trial_progression_text(trial, visible_incidents).description
        sessions = [
            f"{long_date(s.date)}: {stages.get(s.stage, s.stage)} ({s.outcome})"
            for s in sorted(trial.sessions, key=lambda s: s.date)
            if s.date <= as_of
        ]
        trials.append((text, sessions))
    incidents = [(i.date, i.description) for i in visible_incidents if i.area == area]
    events = [
        (e.date, e.description)
        for e in casefile.events
        if area in e.areas and e.date <= as_of and not (for_family and e.kind == SAFEGUARDING_EVENT)
    ]
    tasks = [
        f"{names(t.holder)}: {task_label(t.task)} since {long_date(t.since)}"
        for t in casefile.plan.tasks
        if t.area == area and t.since <= as_of and (t.ended is None or t.ended > as_of)
    ]
    medicines = (
        [
            m.name
            for m in casefile.medication.regimen
            if (m.started is None or m.started <= as_of)
            and (m.stopped is None or m.stopped > as_of)
        ]
        if area == "medication"
        else []
    )
    return AreaRecords(
        area=area,
        title=area_title(area),
        decides=names(decides) if decides else "Nobody is named yet",
        basis=decision_basis(area, decides, facts, names, as_of),
        views=views,
        decisions=decisions,
        risks=risks,
        trials=trials,
        incidents=sorted(incidents, reverse=True),
        events=sorted(events, reverse=True),
        tasks=tasks,
        medicines=medicines,
    )


def own_words(casefile: cf.CaseFile, *, as_of: dt.date) -> list[tuple[dt.date, str, str]]:
    """What the person said in their own words: their direct views (newest first), with
    the area in their words."""
    return [
        (v.date, area_title(v.area) if v.area else "", v.summary)
        for v in sorted(casefile.voice, key=lambda v: v.date, reverse=True)
        if v.direct and v.date <= as_of
    ]


def upcoming_meetings(casefile: cf.CaseFile, who: str, *, as_of: dt.date) -> list[str]:
    """The meetings from ``as_of`` on that ``who`` is invited to."""
    return [
        f"{long_date(m.date)}: {m.kind.replace('_', ' ')}"
        for m in sorted(casefile.meetings, key=lambda m: m.date)
        if m.date >= as_of and who in m.attendees
    ]


def who_sees_what(
    casefile: cf.CaseFile, seen: Mapping[str, Collection[str]]
) -> list[tuple[str, list[str]]]:
    """For each family member or friend, the areas they can see (``seen``: by member id),
    in the person's words."""
    rows = []
    for member in casefile.circle:
        if member.kind not in ("family", "friend"):
            continue
        areas = [area_title(a) for a in AREAS if a in seen.get(member.id, ())]
        rows.append((member.name, areas))
    return rows


# The ladder of a concern (docs/spec/casefile-v2.md, "Concern stages"), in plain words.
CONCERN_STAGE_WORDS = {
    "local_resolution": "the service is trying to put it right with you",
    "best_interests_meeting": "a best interests meeting",
    "advocacy": "an advocate to speak up for the person",
    "mediation": "mediation, with someone independent",
    "ombudsman_signposted": "the Ombudsman or the regulator",
    "court_of_protection": "the Court of Protection",
}
CONCERN_KIND_WORDS = {
    "complaint": "Complaint",
    "concern": "Concern",
    "disagreement": "Disagreement",
}


@dataclass(frozen=True)
class ConcernProgress:
    """Where one concern a relative raised has got to, in their words."""

    id: str
    title: str  # "Complaint about medication, raised 3 March 2026"
    stage: str  # where it is on the ladder now
    acknowledged: str  # "3 March 2026", or "" when not yet
    responded: str  # the date of the written reply, or ""
    response: str  # the reply's words, or ""
    closed: str  # the date it closed, or ""
    outcome: str  # what was decided, or ""
    next_stage: str  # what they were told they can do next, or ""
    steps: tuple[tuple[str, str], ...]  # (date, stage in words) of each step taken


def _concern_progress(c: cf.Concern) -> ConcernProgress:
    steps = sorted(c.stages, key=lambda s: s.date)
    if steps:
        stage = CONCERN_STAGE_WORDS[steps[-1].stage].capitalize()
    else:
        stage = "Raised: the service has not started looking at it yet"
    current = steps[-1].stage if steps else None
    next_stage = ""
    place = AFTER_STAGE.get(current or "local_resolution")
    if c.closed is not None and c.next_stage_told and place is not None:
        next_stage = f"If you are not happy with the outcome, you can take it further: {place}"
    return ConcernProgress(
        id=c.id,
        title=(
            f"{CONCERN_KIND_WORDS[c.kind]} about {area_label(c.area)}, raised {long_date(c.date)}"
        ),
        stage="Closed" if c.closed is not None else stage,
        acknowledged=long_date(c.acknowledged),
        responded=long_date(c.response.date) if c.response else "",
        response=c.response.text if c.response else "",
        closed=long_date(c.closed),
        outcome=c.outcome or "",
        next_stage=next_stage,
        steps=tuple((long_date(s.date), CONCERN_STAGE_WORDS[s.stage].capitalize()) for s in steps),
    )


# The next stage of the ladder after each (the last one has none beyond it).
AFTER_STAGE = {
    stage: CONCERN_STAGE_WORDS[after]
    for stage, after in zip(
        tuple(CONCERN_STAGE_WORDS), tuple(CONCERN_STAGE_WORDS)[1:], strict=False
    )
}


def concerns_raised_by(
    casefile: cf.CaseFile, member: str, *, as_of: dt.date
) -> list[ConcernProgress]:
    """The concerns ``member`` raised (only theirs), newest first, each with its progress
    on the ladder, as recorded up to ``as_of``."""
    return [
        _concern_progress(c)
        for c in sorted(casefile.concerns, key=lambda c: (c.date, c.id), reverse=True)
        if c.raised_by == member and c.date <= as_of
    ]
