"""The evidence pack's sections for format version 2's kinds of record
(docs/spec/casefile-v2.md): concerns, carers' plans, goals and restrictions, in plain
words, as they stood at the audit date. Pure Python (no Django).

A section is only drawn when the person has records of its kind on or before the audit
date, so a version-1 person's pack is unchanged. Every date that records something
happening after the audit date is read as not happened yet, as the rules read it
(``kinwise.rules.facts``); whether a concern was acknowledged and answered in time uses
the rules' own deadlines (CN01, CN02: ``kinwise.rules.terms``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from kinwise.casefile import schema as cf
from kinwise.casefile.vocab import AREA_LABELS, TASK_LABELS
from kinwise.readings.labels import (
    CARER_ASSESSMENT_LABELS,
    CONCERN_KIND_LABELS,
    CONCERN_STAGE_LABELS,
    RESTRICTION_BASIS_LABELS,
    long_date,
)
from kinwise.readings.names import Names
from kinwise.rules.terms import (
    ACKNOWLEDGE_WORKING_DAYS,
    RESPONSE_WORKING_DAYS,
    working_days_after,
)


def _upto(value: date | None, as_of: date) -> date | None:
    return value if value is not None and value <= as_of else None


def _area(area: str) -> str:
    return AREA_LABELS.get(area, area)


@dataclass(frozen=True)
class ConcernEntry:
    heading: str  # "Complaint about daily living: raised 6 March 2026"
    raised_by: str
    stage: str
    acknowledged: str
    responded: str
    response: str
    outcome: str


@dataclass(frozen=True)
class ContingencyRow:
    task: str
    cover: str


@dataclass(frozen=True)
class CarerPlanEntry:
    carer: str
    willing_able: str
    assessment: str
    contingencies: list[ContingencyRow]
    used: list[str]
    reviewed: str


@dataclass(frozen=True)
class GoalEntry:
    heading: str
    words: str
    set_by: str
    agreed: str
    latest_review: str
    review_notes: str


@dataclass(frozen=True)
class RestrictionEntry:
    heading: str
    what: str
    proposed_by: str
    basis: str
    alternatives: str
    review: str
    replaced: str


@dataclass(frozen=True)
class V2Sections:
    concerns: list[ConcernEntry] = field(default_factory=list)
    carer_plans: list[CarerPlanEntry] = field(default_factory=list)
    goals: list[GoalEntry] = field(default_factory=list)
    restrictions: list[RestrictionEntry] = field(default_factory=list)


def _in_time(done: date | None, deadline: date, as_of: date, what: str) -> str:
    """When a concern was acknowledged (or answered), and whether in time, as CN01 and
    CN02 judge it: in time on or before the deadline; not late while the deadline is on
    or after the audit date."""
    if done is not None:
        timing = "in time" if done <= deadline else "late"
        return f"{long_date(done)} ({timing}: due by {long_date(deadline)})"
    if deadline >= as_of:
        return f"not yet; due by {long_date(deadline)}"
    return f"not {what} by {long_date(deadline)}, so late"


def concern_entries(casefile: cf.CaseFile, *, as_of: date) -> list[ConcernEntry]:
    names = Names(casefile)
    found = []
    for c in sorted(casefile.concerns, key=lambda c: c.date, reverse=True):
        if c.date > as_of:
            continue
        steps = sorted((s for s in c.stages if s.date <= as_of), key=lambda s: s.date)
        closed = _upto(c.closed, as_of)
        if steps:
            last = steps[-1]
            stage = f"{CONCERN_STAGE_LABELS[last.stage]}, from {long_date(last.date)}"
        else:
            stage = "no stage started yet"
        if closed is not None:
            stage = f"closed on {long_date(closed)}; the last stage was {stage}"
        response = c.response if c.response is not None and c.response.date <= as_of else None
        delay = c.delay if c.delay is not None and c.delay.date <= as_of else None
        answer_deadline = working_days_after(c.date, RESPONSE_WORKING_DAYS)
        responded = _in_time(
            response.date if response else None, answer_deadline, as_of, "answered"
        )
        if delay is not None:
            on_time = "in time" if delay.date <= answer_deadline else "late"
            responded += (
                f". A reason for the delay was recorded on {long_date(delay.date)} "
                f"({on_time}): {delay.reason}"
            )
        if closed is not None:
            outcome = c.outcome or "not recorded"
            told = "was" if c.next_stage_told else "was not"
            outcome += f" The person who raised it {told} told of the next stage open to them."
        else:
            outcome = "still open"
        found.append(
            ConcernEntry(
                heading=(
                    f"{CONCERN_KIND_LABELS[c.kind]} about {_area(c.area)}: "
                    f"raised {long_date(c.date)}"
                ),
                raised_by=names(c.raised_by),
                stage=stage,
                acknowledged=_in_time(
                    _upto(c.acknowledged, as_of),
                    working_days_after(c.date, ACKNOWLEDGE_WORKING_DAYS),
                    as_of,
                    "acknowledged",
                ),
                responded=responded,
                response=(f"{names(response.by)} wrote: “{response.text}”" if response else ""),
                outcome=outcome,
            )
        )
    return found


def _yes_no(value: bool | None, yes: str, no: str) -> str:
    if value is None:
        return f"not recorded whether {yes}"
    return yes if value else no


def carer_plan_entries(casefile: cf.CaseFile, *, as_of: date) -> list[CarerPlanEntry]:
    names = Names(casefile)
    tasks = {t.id: t for t in casefile.plan.tasks}
    found = []
    for p in sorted(casefile.carer_plans, key=lambda p: p.date, reverse=True):
        if p.date > as_of:
            continue
        asked = _upto(p.asked, as_of)
        if asked is None:
            willing_able = "not asked yet"
        else:
            willing = _yes_no(p.willing, "willing", "not willing")
            able = _yes_no(p.able, "able", "not able")
            willing_able = f"{willing} and {able} (asked on {long_date(asked)})"
        assessed = _upto(p.assessment_date, as_of)
        assessment = CARER_ASSESSMENT_LABELS[p.assessment].capitalize()
        if assessed is not None:
            assessment += f" on {long_date(assessed)}"
        cover = {c.task: c for c in p.contingencies}
        held = [
            t.id
            for t in sorted(casefile.plan.tasks, key=lambda t: t.since)
            if t.holder == p.carer and t.since <= as_of
        ]
        rows = []
        for task_id in [*held, *(t for t in cover if t not in held)]:
            task = tasks.get(task_id)
            label = (
                f"{TASK_LABELS.get(task.task, task.task).capitalize()} ({_area(task.area)})"
                if task is not None
                else "A task no longer in the plan"
            )
            c = cover.get(task_id)
            rows.append(
                ContingencyRow(
                    task=label,
                    cover=(
                        f"{names(c.steps_in)} steps in, reached by: {c.contact}"
                        if c is not None
                        else "No contingency is recorded"
                    ),
                )
            )
        used = [
            f"{long_date(u.date)}: {u.notes}" if u.notes else long_date(u.date)
            for u in sorted(p.used, key=lambda u: u.date)
            if u.date <= as_of
        ]
        reviewed = _upto(p.reviewed, as_of)
        found.append(
            CarerPlanEntry(
                carer=names(p.carer),
                willing_able=willing_able,
                assessment=assessment,
                contingencies=rows,
                used=used,
                reviewed=long_date(reviewed) if reviewed else "",
            )
        )
    return found


def goal_entries(casefile: cf.CaseFile, *, as_of: date) -> list[GoalEntry]:
    names = Names(casefile)
    person = casefile.person
    found = []
    for g in sorted(casefile.goals, key=lambda g: g.date, reverse=True):
        if g.date > as_of:
            continue
        if g.set_by == person.id:
            agreed = f"set by {person.name}"
        elif g.person_agrees is None:
            agreed = f"{person.name} has not been asked"
        else:
            agreed = f"{person.name} {'agrees' if g.person_agrees else 'does not agree'}"
        reviews = sorted((r for r in g.reviews if r.date <= as_of), key=lambda r: r.date)
        if reviews:
            last = reviews[-1]
            latest = f"scored {last.score} out of 10 on {long_date(last.date)}"
            notes = last.notes or ""
        else:
            latest = "not reviewed yet"
            notes = ""
        latest += f" (starting point {g.baseline} out of 10; reviewed every {g.review_every} days)"
        ended = _upto(g.ended, as_of)
        found.append(
            GoalEntry(
                heading=f"{_area(g.area).capitalize()}: set {long_date(g.date)}"
                + (f", ended {long_date(ended)}" if ended else ""),
                words=g.words,
                set_by=names(g.set_by),
                agreed=agreed,
                latest_review=latest,
                review_notes=notes,
            )
        )
    return found


def restriction_entries(casefile: cf.CaseFile, *, as_of: date) -> list[RestrictionEntry]:
    names = Names(casefile)
    risks = {r.id: r for r in casefile.risk_assessments}
    trials = {t.id: t for t in casefile.graded_trials}
    found = []
    for r in sorted(casefile.restrictions, key=lambda r: r.date, reverse=True):
        if r.date > as_of:
            continue
        trial = trials.get(r.replaced_by or "")
        if trial is None:
            replaced = "No"
        else:
            risk = risks.get(trial.risk_assessment)
            activity = risk.activity if risk is not None else "an activity"
            began = sorted(s.date for s in trial.sessions if s.date <= as_of)
            replaced = f"Yes, by the graded trial of {activity.lower()}, " + (
                f"which began on {long_date(began[0])}, so the restriction has ended"
                if began
                else "which has not begun yet, so the restriction still applies"
            )
        ended = _upto(r.ended, as_of)
        review = f"by {long_date(r.review_by)}"
        if ended is not None:
            review += f"; the restriction ended on {long_date(ended)}"
        found.append(
            RestrictionEntry(
                heading=f"{_area(r.area).capitalize()}: from {long_date(r.date)}",
                what=r.what,
                proposed_by=names(r.proposed_by),
                basis=(
                    RESTRICTION_BASIS_LABELS[r.basis].capitalize()
                    if r.basis is not None
                    else "None recorded"
                ),
                alternatives=r.alternatives or "None recorded",
                review=review,
                replaced=replaced,
            )
        )
    return found


def v2_sections(casefile: cf.CaseFile, *, as_of: date) -> V2Sections:
    """The four sections' entries at ``as_of`` (each empty when there is nothing to show)."""
    return V2Sections(
        concerns=concern_entries(casefile, as_of=as_of),
        carer_plans=carer_plan_entries(casefile, as_of=as_of),
        goals=goal_entries(casefile, as_of=as_of),
        restrictions=restriction_entries(casefile, as_of=as_of),
    )
