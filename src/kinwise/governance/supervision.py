"""Supervision prompts on family influence: reflective questions drawn from the records.

Pure Python (no Django). For one staff member, the case files of a service and a period
(``since`` to ``as_of``, both inclusive), :func:`data_prompts` returns a question for
each piece of evidence that a relative's influence may have shaped the work the staff
member is responsible for; :data:`STANDING_PROMPTS` are the seed's themes, asked of
everyone. A staff member with no such evidence gets no data prompts.

Who a staff member is. Case files name staff as circle members, one file per person;
each refers by its member id to the organisation's staff directory (docs/adr/0140), so a
member of staff is identified across a service by their member id alone
(:class:`StaffRef`): ``priya`` in two people's files is one member of staff, whose name,
job and training are the directory's and so the same in every file.

What they are responsible for:

* a meeting's record — when they facilitated it, or when it names no facilitator and
  they attended as staff (with no one facilitating, each staff member present shares
  the responsibility for how it was run and written down); its decisions are the
  decisions they *recorded*;
* a family member's task — when they are named in ``supported_by`` on the Role of the
  task's area, or facilitated the task's last partnership review;
* a voice record — when they captured it.

The prompts (each with its evidence, in the audit's subject forms):

* ``spoken_for`` — a meeting they are responsible for where contributions on the
  person's behalf outnumber the person's own (VO02's test);
* ``decision_without_view`` — a decision they recorded that does not rest on the
  person's own view (VO03's test);
* ``family_prevailed`` — a decision with a disagreement, settled without evidence
  (RK01's test), where a family member spoke on the area in the meeting and the
  family's position prevailed: the latest risk assessment of the area dated on or
  before the meeting records that the person did not agree, or the area's Role names a
  family member as the one who decides;
* ``family_task_overdue`` — a family member's task they are responsible for whose annual
  review is overdue at ``as_of`` (PA01's test);
* ``voice_with_family`` — a voice record they captured as the person's own expression
  (``direct: true``) with a family member present;
* ``carer_plan_suggested`` — a family member holding a current task they are responsible
  for (as for ``family_task_overdue``) with no carer's plan: a suggestion to make one,
  not a finding, so it is asked of version-1 files too (issue 16).

Format version 2's records (docs/spec/rules-v2.md), each asked with the catalogue-2 rule
that judges it, so a prompt and a finding never disagree; a staff member is responsible
for a record in an area when they are named in ``supported_by`` on the area's Role:

* ``concern_handling`` — a concern in one of their areas that CN01 (acknowledged),
  CN02 (answered), CN03 (IMCA referral) or CN04 (closed properly) finds;
* ``role_reduced_after_concern`` — a role change they recorded, or in one of their
  areas, that CN05 finds (a complainant's part removed with no reason);
* ``carer_plan_gaps`` — a carer's plan whose carer holds a task in one of their areas,
  found by CP01 (a task with no contingency) or CP02 (not asked within 365 days);
* ``carer_unwell_uncovered`` — a carer_unwell event about such a carer that CP03 finds;
* ``goal_not_persons`` / ``goal_unreviewed`` — a goal they set, or in one of their
  areas, that GO01 (set for the person without their agreement) or GO02 (review
  overdue) finds;
* ``restriction_questioned`` — a restriction they proposed, or in one of their areas,
  that RS01 (capacity not respected), RS02 (no legal basis) or RS03 (review overdue)
  finds.

Meetings, decisions and voice records count when dated within the period; tasks are
judged as they stand at ``as_of``. The "Time" rules of the audit apply: nothing dated
after ``as_of`` exists.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal

from kinwise.casefile.schema import CaseFile, Voice
from kinwise.casefile.vocab import METHOD_LABELS
from kinwise.rules.base import (
    PP_AUTHORITY,
    PP_DEFERRING,
    PP_HISTORIC,
    PP_RISK,
    AuditContext,
    Hit,
    area_label,
    joined,
    task_label,
    when,
)
from kinwise.rules.catalogue import RULES_BY_ID
from kinwise.rules.facts import MeetingFacts, PersonFacts, TaskFacts, build_facts, is_empty
from kinwise.rules.terms import carers_without_plan, family_tasks_due, is_overdue, task_reviews

PromptKind = Literal[
    "spoken_for",
    "decision_without_view",
    "family_prevailed",
    "family_task_overdue",
    "voice_with_family",
    "carer_plan_suggested",
    "concern_handling",
    "role_reduced_after_concern",
    "carer_plan_gaps",
    "carer_unwell_uncovered",
    "goal_not_persons",
    "goal_unreviewed",
    "restriction_questioned",
]

MEETING_LABELS: dict[str, str] = {
    "care_plan_review": "care plan review",
    "joint_planning": "joint planning meeting",
    "risk_review": "risk review",
    "best_interests": "best-interests meeting",
    "partnership_review": "partnership review",
}


@dataclass(frozen=True, slots=True, order=True)
class StaffRef:
    """A member of staff across a service's case files: their member id (the staff
    directory's); the name is what to call them, not part of who they are."""

    member: str
    name: str = field(compare=False)

    @property
    def key(self) -> str:
        return self.member


@dataclass(frozen=True, slots=True)
class Prompt:
    """A reflective question, the records it rests on, and the theme it serves."""

    key: str
    """Stable: the kind, the person and the record (a supervision record cites it)."""
    kind: PromptKind
    theme: str
    person: str
    person_name: str
    date: dt.date | None
    question: str
    evidence: tuple[str, ...]
    """Records of ``person`` in the audit's subject forms (``meeting:m0``, ``risk:ra0``)."""


@dataclass(frozen=True, slots=True)
class StandingPrompt:
    key: str
    theme: str
    question: str


STANDING_PROMPTS: tuple[StandingPrompt, ...] = (
    StandingPrompt(
        key="standing:deferring",
        theme=PP_DEFERRING,
        question=(
            "Think of a time this month when you went along with a relative's view. Was it "
            "because the evidence supported it, or because you felt less sure than them or "
            "worried about a complaint? What would have helped you say what you saw?"
        ),
    ),
    StandingPrompt(
        key="standing:assuming",
        theme=PP_AUTHORITY,
        question=(
            "Is there anyone you support whose relative you treat as the one who decides? "
            "What in their care plan says who decides, and is there a consent, a power of "
            "attorney or a deputyship behind it?"
        ),
    ),
)


def staff_members(casefiles: Iterable[CaseFile]) -> list[StaffRef]:
    """Every member of staff named in the case files, once each, by name then member id."""
    found: dict[str, StaffRef] = {}
    for casefile in casefiles:
        for m in casefile.circle:
            if m.kind == "staff":
                found.setdefault(m.id, StaffRef(m.id, m.name))
    return sorted(found.values(), key=lambda s: (s.name, s.member))


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


class _Files:
    """One person's case file and facts, seen from one staff member (``me``, None when
    they are not in the person's circle). The facts are built once per case file and
    shared by every member of staff it is seen from."""

    def __init__(
        self, casefile: CaseFile, me: str | None, as_of: dt.date, facts: PersonFacts
    ) -> None:
        self.cf = casefile
        self.facts = facts
        self.as_of = as_of
        self.person = casefile.person
        self.me = me

    def role_in(self, meeting: MeetingFacts) -> str | None:
        """ "you facilitated" / "you attended; no one facilitated" / None."""
        if self.me is None:
            return None
        if meeting.facilitator == self.me:
            return "you facilitated"
        if meeting.facilitator is None and self.me in meeting.attendees:
            return "you attended; no one facilitated"
        return None

    def prompt(
        self,
        kind: PromptKind,
        theme: str,
        record: str,
        date: dt.date | None,
        question: str,
        evidence: Iterable[str],
    ) -> Prompt:
        return Prompt(
            key=f"{kind}:{self.person.id}/{record}",
            kind=kind,
            theme=theme,
            person=self.person.id,
            person_name=self.person.name,
            date=date,
            question=question,
            evidence=tuple(dict.fromkeys(evidence)),
        )


def _meeting_prompts(f: _Files, since: dt.date) -> Iterator[Prompt]:
    person_id, person = f.person.id, f.person.name
    direct_voice = {v.id for v in f.facts.voice if v.direct}
    for meeting in sorted(f.facts.meetings, key=lambda m: (m.date, m.id)):
        role = f.role_in(meeting)
        if role is None or not since <= meeting.date <= f.as_of:
            continue
        label = MEETING_LABELS[meeting.kind]
        at = f"the {label} on {when(meeting.date)} ({role})"
        own = sum(1 for c in meeting.contributions if c.by == person_id)
        for_them = sum(1 for c in meeting.contributions if c.on_behalf_of == person_id)
        if for_them > own:
            yield f.prompt(
                "spoken_for",
                PP_DEFERRING,
                f"meeting:{meeting.id}",
                meeting.date,
                f"At {at}, others spoke on {person}'s behalf {_times(for_them)}, and "
                + (
                    f"{person} spoke {_times(own)}."
                    if own
                    else f"no words of {person}'s own were recorded."
                )
                + f" What made it hard to hear from {person} directly, and what would you do "
                f"differently next time?",
                [f"meeting:{meeting.id}"],
            )
        spoke_on = {c.area for c in meeting.contributions if c.by == person_id}
        for decision in meeting.decisions:
            subject = f"decision:{meeting.id}/{decision.area}"
            area = area_label(decision.area)
            if decision.persons_view not in direct_voice and decision.area not in spoke_on:
                yield f.prompt(
                    "decision_without_view",
                    PP_DEFERRING,
                    subject,
                    meeting.date,
                    f"The decision on {area} recorded at {at} does not show {person}'s own "
                    f"view: no record of {person}'s view is linked to it and {person} did not "
                    f"speak on it in the meeting. How was {person}'s view sought, and whose "
                    f"view did the decision follow?",
                    [subject, f"meeting:{meeting.id}"],
                )
            if not decision.disagreement:
                continue
            if not (is_empty(decision.rationale) or not decision.evidence):
                continue
            prevailed = _family_prevailed(f, meeting, decision.area)
            if prevailed is None:
                continue
            family, basis = prevailed
            family_names = joined([f.facts.name_of(m) for m in family])
            yield f.prompt(
                "family_prevailed",
                PP_RISK,
                subject,
                meeting.date,
                f"At {at}, {person} and {family_names} disagreed about {area}. The decision "
                f"followed {family_names}'s position, with no evidence recorded for it. What "
                f"evidence would have helped settle the disagreement, and what made it "
                f"difficult to put {person}'s wishes forward?",
                [subject, f"meeting:{meeting.id}", *basis],
            )


def _family_prevailed(
    f: _Files, meeting: MeetingFacts, area: str
) -> tuple[list[str], list[str]] | None:
    """The family members who spoke on the area, and the records showing their position
    prevailed; None when it did not (or no family member spoke on it)."""
    family = list(
        dict.fromkeys(
            c.by
            for c in meeting.contributions
            if f.facts.is_family(c.by) and c.area in (area, None) and c.on_behalf_of is None
        )
    )
    if not family:
        return None
    basis: list[str] = []
    earlier = [r for r in f.facts.risks_by_area.get(area, ()) if r.date <= meeting.date]
    if earlier and not earlier[-1].person_agrees:
        basis.append(f"risk:{earlier[-1].id}")
    role = f.facts.roles_by_area.get(area)
    if role is not None and f.facts.is_family(role.decides):
        basis.append(f"role:{area}")
    return (family, basis) if basis else None


def _task_responsibility(
    f: _Files, task: TaskFacts, meetings: Sequence[MeetingFacts]
) -> tuple[str, str] | None:
    """Why ``f.me`` answers for a family member's task, and the record that says so:
    named in ``supported_by`` on the area's Role, or facilitator of its last review."""
    role = f.facts.roles_by_area.get(task.area)
    if role is not None and f.me in role.supported_by:
        return (
            f"you are named as supporting {f.person.name} with {area_label(task.area)}",
            f"role:{task.area}",
        )
    last_meeting = next(iter(reversed(task_reviews(task, meetings))), None)
    if last_meeting is not None and last_meeting.facilitator == f.me:
        return ("you facilitated its last review", f"meeting:{last_meeting.id}")
    return None


def _task_prompts(f: _Files) -> Iterator[Prompt]:
    if f.me is None:
        return
    person = f.person.name
    meetings = sorted(f.facts.meetings, key=lambda m: (m.date, m.id))
    for task, last, due in family_tasks_due(f.facts):
        # the same reading as PA01 and the worklist (kinwise.rules.terms)
        if last is not None and not is_overdue(due, f.as_of):
            continue
        responsible = _task_responsibility(f, task, meetings)
        if responsible is None:
            continue
        why, basis = responsible
        holder = f.facts.name_of(task.holder)
        state = (
            "has never been agreed or reviewed"
            if last is None
            else f"was last reviewed on {when(last)}, more than a year ago"
        )
        yield f.prompt(
            "family_task_overdue",
            PP_HISTORIC,
            f"task:{task.id}",
            last,
            f"{holder}'s arrangement for {task_label(task.task)} for {person} {state}, and "
            f"{why}. What has kept it from being reviewed, and is anything making it hard to "
            f"raise with {holder}?",
            [f"task:{task.id}", basis],
        )


def _voice_prompts(f: _Files, since: dt.date) -> Iterator[Prompt]:
    if f.me is None:
        return
    person = f.person.name
    records: list[Voice] = sorted(f.cf.voice, key=lambda v: (v.date, v.id))
    for voice in records:
        if voice.captured_by != f.me or not voice.direct:
            continue
        if not since <= voice.date <= f.as_of:
            continue
        family = [m for m in voice.present if f.facts.is_family(m)]
        if not family:
            continue
        family_names = joined([f.facts.name_of(m) for m in family])
        method = ""
        if voice.method not in f.cf.person.communication.methods:
            method = (
                f", using {METHOD_LABELS[voice.method]}, which is not among the ways "
                f"{person} communicates"
            )
        yield f.prompt(
            "voice_with_family",
            PP_DEFERRING,
            f"voice:{voice.id}",
            voice.date,
            f"You recorded {person}'s view on {when(voice.date)} as {person}'s own words, "
            f"with {family_names} present{method}. How sure are you that this was "
            f"{person}'s own view, and how could you hear from {person} on their own next "
            f"time?",
            [f"voice:{voice.id}"],
        )


def _carer_plan_suggestions(f: _Files) -> Iterator[Prompt]:
    """A family member holding current tasks ``f.me`` answers for, with no carer's plan:
    one prompt per family member, naming each such task."""
    if f.me is None:
        return
    meetings = sorted(f.facts.meetings, key=lambda m: (m.date, m.id))
    person = f.person.name
    for holder, held in carers_without_plan(f.facts).items():
        tasks = [
            (task, responsible[1])
            for task in held
            if (responsible := _task_responsibility(f, task, meetings)) is not None
        ]
        if not tasks:
            continue
        name = f.facts.name_of(holder)
        what = joined([task_label(task.task) for task, _ in tasks])
        yield f.prompt(
            "carer_plan_suggested",
            PP_HISTORIC,
            f"member:{holder}",
            None,
            f"{name} gives {person} support with {what}, and has no carer's plan: nothing "
            f"records whether {name} is still willing and able to, whether they were offered "
            f"a carer's assessment, or who steps in if they cannot. Could you talk with "
            f"{name} about making a carer's plan?",
            [item for task, basis in tasks for item in (f"task:{task.id}", basis)],
        )


CATALOGUE_TWO_PROMPTED: tuple[str, ...] = (
    *("CN01", "CN02", "CN03", "CN04", "CN05"),
    *("CP01", "CP02", "CP03"),
    *("GO01", "GO02", "RS01", "RS02", "RS03"),
)
"""The catalogue-2 rules a supervision prompt is asked with (docs/spec/rules-v2.md)."""


Hits = dict[str, dict[str, Hit]]
"""The hits of :data:`CATALOGUE_TWO_PROMPTED` on one case file, by rule then subject."""


def _v2_hits(facts: PersonFacts, since: dt.date) -> Hits | None:
    """The catalogue-2 hits of one case file, once for all its staff (None when it has no
    record of format version 2)."""
    if not _has_v2_records(facts):
        return None
    ctx = AuditContext(facts=facts, as_of=facts.as_of, since=since)
    return {
        rule: {hit.subject: hit for hit in RULES_BY_ID[rule].check(ctx)}
        for rule in CATALOGUE_TWO_PROMPTED
    }


def _has_v2_records(facts: PersonFacts) -> bool:
    return bool(
        facts.concerns
        or facts.role_changes
        or facts.carer_plans
        or facts.goals
        or facts.restrictions
        or any(e.kind == "carer_unwell" for e in facts.events)
    )


def _v2_prompts(f: _Files, hits: Hits | None) -> Iterator[Prompt]:
    if f.me is None or hits is None:
        return
    yield from _concern_prompts(f, hits)
    yield from _carer_prompts(f, hits)
    yield from _goal_prompts(f, hits)
    yield from _restriction_prompts(f, hits)


def _supports(f: _Files, area: str) -> bool:
    role = f.facts.roles_by_area.get(area)
    return role is not None and f.me in role.supported_by


def _why(f: _Files, made_by: str | None, own: str, area: str) -> str | None:
    """Why ``f.me`` is asked about a record of ``area``: they made it (``own``), or they
    are named as supporting the person in the area; None when neither."""
    if made_by is not None and made_by == f.me:
        return own
    if _supports(f, area):
        return f"you are named as supporting {f.person.name} with {area_label(area)}"
    return None


def _concern_prompts(f: _Files, hits: Hits) -> Iterator[Prompt]:
    person = f.person.name
    for concern in sorted(f.facts.concerns, key=lambda c: (c.date, c.id)):
        if not _supports(f, concern.area):
            continue
        subject = f"concern:{concern.id}"
        raiser = f.facts.name_of(concern.raised_by)
        gaps = [
            phrase
            for rule, phrase in (
                ("CN01", "was not acknowledged within 3 working days"),
                ("CN02", "had no written response or reason for delay within 20 working days"),
                (
                    "CN03",
                    f"has no referral to an independent advocate (IMCA), though {person} "
                    f"lacks capacity for it and has no one else to speak for them",
                ),
                (
                    "CN04",
                    f"was closed without an outcome, or without telling {raiser} what they "
                    "can do next",
                ),
            )
            if subject in hits[rule]
        ]
        if not gaps:
            continue
        yield f.prompt(
            "concern_handling",
            PP_DEFERRING,
            subject,
            concern.date,
            f"The concern {raiser} raised about {area_label(concern.area)} on "
            f"{when(concern.date)} {joined(gaps)}. You are named as supporting {person} "
            f"with {area_label(concern.area)}. What got in the way of answering it, and did "
            f"worry about the concern change how you worked with {raiser} or {person}?",
            [subject, f"role:{concern.area}"],
        )
    recorded_by = {c.id: c.recorded_by for c in f.cf.role_changes}
    for change in sorted(f.facts.role_changes, key=lambda c: (c.date, c.id)):
        subject = f"role_change:{change.id}"
        hit = hits["CN05"].get(subject)
        if hit is None:
            continue
        why = _why(f, recorded_by.get(change.id), "you recorded the change", change.area)
        if why is None:
            continue
        member = f.facts.name_of(change.member)
        yield f.prompt(
            "role_reduced_after_concern",
            PP_DEFERRING,
            subject,
            change.date,
            f"{member}'s part in {area_label(change.area)} was removed on {when(change.date)}, "
            f"within 90 days of a concern they raised, and no reason was recorded; {why}. "
            f"What led to the change, and how might it look to {member}?",
            [subject, *(f"concern:{c}" for c in hit.evidence[1:])],
        )


def _carer_areas(f: _Files, carer: str) -> set[str]:
    return {t.area for t in f.facts.current_tasks() if t.holder == carer}


def _carer_prompts(f: _Files, hits: Hits) -> Iterator[Prompt]:
    person = f.person.name
    plans = {plan.carer: plan for plan in f.facts.carer_plans}
    for plan in sorted(f.facts.carer_plans, key=lambda c: (c.date, c.id)):
        areas = sorted(a for a in _carer_areas(f, plan.carer) if _supports(f, a))
        if not areas:
            continue
        carer = f.facts.name_of(plan.carer)
        subject = f"carer_plan:{plan.id}"
        missing = [t for t in f.facts.current_tasks() if f"{subject}/task:{t.id}" in hits["CP01"]]
        gaps = []
        if missing:
            gaps.append(
                f"it names nobody to step in for {joined([task_label(t.task) for t in missing])}"
            )
        if subject in hits["CP02"]:
            gaps.append(f"nobody has asked {carer} in the last year whether they can go on")
        if not gaps:
            continue
        yield f.prompt(
            "carer_plan_gaps",
            PP_HISTORIC,
            subject,
            plan.date,
            f"{carer}'s carer's plan has gaps: {joined(gaps)}. You are named as supporting "
            f"{person} with {joined([area_label(a) for a in areas])}. What would happen to "
            f"{person}'s support if {carer} could not carry on tomorrow?",
            [subject, *(f"task:{t.id}" for t in missing)],
        )
    for event in sorted(f.facts.events, key=lambda e: (e.date, e.id)):
        subject = f"event:{event.id}"
        if subject not in hits["CP03"] or event.carer not in plans:
            continue
        areas = sorted(
            a for a in _carer_areas(f, event.carer) | set(event.areas) if _supports(f, a)
        )
        if not areas:
            continue
        carer = f.facts.name_of(event.carer)
        yield f.prompt(
            "carer_unwell_uncovered",
            PP_HISTORIC,
            subject,
            event.date,
            f"{carer} was unwell on {when(event.date)}, and in the 14 days after, the carer's "
            f"plan's contingency was not used and the plan was not reviewed. Who gave {person} "
            f"the support {carer} usually gives, and how would you know next time?",
            [subject, f"carer_plan:{plans[event.carer].id}"],
        )


def _goal_prompts(f: _Files, hits: Hits) -> Iterator[Prompt]:
    person = f.person.name
    set_by = {g.id: g.set_by for g in f.facts.goals}
    for goal in sorted(f.facts.goals, key=lambda g: (g.date, g.id)):
        subject = f"goal:{goal.id}"
        why = _why(f, set_by[goal.id], "you set it", goal.area)
        if why is None:
            continue
        area = area_label(goal.area)
        if subject in hits["GO01"]:
            yield f.prompt(
                "goal_not_persons",
                PP_AUTHORITY,
                subject,
                goal.date,
                f"The goal about {area} set on {when(goal.date)} was set by "
                f"{f.facts.name_of(goal.set_by)}, {person} decides about {area} and has not "
                f"agreed to it; {why}. How could {person} say what they want from it, in "
                f"their own words?",
                [subject, f"role:{goal.area}"],
            )
        if subject in hits["GO02"]:
            last = goal.review_dates[-1] if goal.review_dates else None
            state = f"was last reviewed on {when(last)}" if last else "has never been reviewed"
            yield f.prompt(
                "goal_unreviewed",
                PP_HISTORIC,
                subject,
                last or goal.date,
                f"{person}'s goal about {area}, set on {when(goal.date)}, {state}, and its "
                f"review is overdue; {why}. What has {person} done towards it, and does it "
                f"still matter to them?",
                [subject],
            )


def _restriction_prompts(f: _Files, hits: Hits) -> Iterator[Prompt]:
    person = f.person.name
    proposed = {r.id: r.proposed_by for r in f.cf.restrictions}
    for restriction in sorted(f.facts.restrictions, key=lambda r: (r.date, r.id)):
        subject = f"restriction:{restriction.id}"
        area = area_label(restriction.area)
        why = _why(f, proposed.get(restriction.id), "you proposed it", restriction.area)
        if why is None:
            continue
        gaps = [
            phrase
            for rule, phrase in (
                ("RS01", f"{person} can decide about {area} and has not consented to it"),
                ("RS02", "no legal basis for it is recorded"),
                ("RS03", f"its review was due on {when(restriction.review_by)}"),
            )
            if subject in hits[rule]
        ]
        if not gaps:
            continue
        yield f.prompt(
            "restriction_questioned",
            PP_RISK,
            subject,
            restriction.date,
            f"The restriction about {area} in place since {when(restriction.date)} needs "
            f"looking at again: {joined(gaps)}; {why}. What risk is it meant to manage, and "
            f"what less restrictive way, such as a graded trial, could you try with {person}?",
            [subject],
        )


def _staff_in(casefile: CaseFile) -> list[str]:
    return [m.id for m in casefile.circle if m.kind == "staff"]


def _prompts_of(f: _Files, since: dt.date, hits: Hits | None) -> list[Prompt]:
    return [
        *_meeting_prompts(f, since),
        *_task_prompts(f),
        *_voice_prompts(f, since),
        *_carer_plan_suggestions(f),
        *_v2_prompts(f, hits),
    ]


def _sorted(prompts: list[Prompt], as_of: dt.date) -> list[Prompt]:
    return sorted(prompts, key=lambda p: (p.date is None, p.date or as_of, p.key))


def data_prompts(
    casefiles: Iterable[CaseFile], *, staff: StaffRef, since: dt.date, as_of: dt.date
) -> list[Prompt]:
    """The prompts the records give for ``staff`` over ``since``..``as_of``, by date
    (undated last), then key. Empty when nothing in the records calls for one."""
    if since > as_of:
        raise ValueError("the period cannot start after it ends")
    prompts: list[Prompt] = []
    for casefile in casefiles:
        if staff.member not in _staff_in(casefile):
            continue
        facts = build_facts(casefile, as_of=as_of)
        f = _Files(casefile, staff.member, as_of, facts)
        prompts += _prompts_of(f, since, _v2_hits(facts, since))
    return _sorted(prompts, as_of)


def prompts_by_staff(
    casefiles: Iterable[CaseFile], *, since: dt.date, as_of: dt.date
) -> dict[str, list[Prompt]]:
    """:func:`data_prompts` of every member of staff named in the case files at once, by
    member id: each case file's facts are built once, and each file is seen only from
    the members of staff in its circle (the work grows with the people, not with the
    people times the staff)."""
    if since > as_of:
        raise ValueError("the period cannot start after it ends")
    found: dict[str, list[Prompt]] = {}
    for casefile in casefiles:
        members = _staff_in(casefile)
        if not members:
            continue
        facts = build_facts(casefile, as_of=as_of)
        hits = _v2_hits(facts, since)
        for member in members:
            f = _Files(casefile, member, as_of, facts)
            found.setdefault(member, []).extend(_prompts_of(f, since, hits))
    return {member: _sorted(prompts, as_of) for member, prompts in found.items()}
