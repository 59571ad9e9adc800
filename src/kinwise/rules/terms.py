"""The derived ideas every screen shares, each defined once on the facts, with their
constants (docs/governance.md "Definitions").

The audit rules, the readings (the dashboard's reviews coming due, the worklist), the
supervision prompts, the reports and the FHIR export all read these and nothing else:
a date or a number of days that decides whether something is current, reviewed, due or
overdue lives here, so two screens cannot disagree about it.

Pure Python over :mod:`kinwise.rules.facts` (no Django).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, Literal, Protocol, TypeVar

from kinwise.casefile.vocab import FAMILY_KINDS

if TYPE_CHECKING:  # the facts import these definitions; only their types are needed here
    from kinwise.rules.facts import AssessmentFacts, MeetingFacts, PersonFacts, TaskFacts

__all__ = [
    "AUDIT_PERIOD_DAYS",
    "CAPACITY_REVIEW_DAYS",
    "COMPLEX_MEDICATION",
    "DUE_NOTICE_DAYS",
    "FOLLOW_UP_DAYS",
    "HAS_CAPACITY",
    "LACKS_CAPACITY",
    "REMINDER_DAYS",
    "TASK_REVIEW_DAYS",
    "VOICE_WINDOW_DAYS",
    "capacity_review_due",
    "family_tasks_due",
    "follow_up_closed",
    "follow_up_due",
    "is_current",
    "is_due",
    "is_overdue",
    "review_stale",
    "task_last_review",
    "task_review_due",
    "task_reviews",
    "trial_progress",
    "session_clean",
    "TrialProgress",
    "voice_category",
]

# --- the constants (rules.md "Terms"; each used by every reader) -----------------------

HAS_CAPACITY = "has_capacity"
LACKS_CAPACITY = "lacks_capacity"
COMPLEX_MEDICATION = 12
"""Medication complexity at or above which a regimen is *complex* (casefile.md): the sum,
over the medicines active at the date, of doses a day, +2 time-critical, +2 controlled,
+1 as-needed, +2 by injection, enteral or another complex route
(:meth:`kinwise.rules.facts.PersonFacts.medication_complexity`)."""

TASK_REVIEW_DAYS = 365
"""A family member's task is reviewed at least once every this many days (PA01)."""
CAPACITY_REVIEW_DAYS = 365
"""A lack-of-capacity assessment without a ``review_by`` is due for review this many
days after its date (CA01)."""
FOLLOW_UP_DAYS = 14
"""An incident or event is followed up within this many days of its date, both
inclusive (RK04, PA05, and the worklist's trigger reviews)."""
DUE_NOTICE_DAYS = 30
"""The notice period: a review is *coming due* from this many days before its due date
(the dashboard's reviews coming due and the worklist's review-date items)."""
VOICE_WINDOW_DAYS = 30
"""A direct voice record counts for a meeting from this many days before it (VO01)."""
AUDIT_PERIOD_DAYS = 365
"""The default audit period ends at as_of and starts this many days before it."""
REMINDER_DAYS = 7
"""The daily email counts a review as due soon when its due date is at most this many
days after today (a reminder, narrower than the notice period)."""


# --- current ----------------------------------------------------------------------------


def is_current(own: dt.date | None, ended: dt.date | None, at: dt.date) -> bool:
    """A record is *current* at ``at`` when its own date is on or before ``at`` and it
    was not withdrawn, revoked or ended on or before ``at``. A record without an own
    date is not current (rules.md "Terms")."""
    if own is None or own > at:
        return False
    return ended is None or ended > at


# --- voice balance ------------------------------------------------------------------------

VoiceCategory = Literal["own", "for", "family", "staff", "advocate"]


def voice_category(
    by: str, on_behalf_of: str | None, person: str, kind: str | None
) -> VoiceCategory | None:
    """Whose voice a meeting contribution is, for the *voice balance*: the person's own
    (``by`` the person), someone speaking for them (``on_behalf_of`` the person: VO02
    weighs these two), else by the speaker's kind (``kind``): family and friends, staff
    and professionals, advocates. None for a speaker the circle does not know."""
    if by == person:
        return "own"
    if on_behalf_of == person:
        return "for"
    if kind in FAMILY_KINDS:
        return "family"
    if kind in ("staff", "professional"):
        return "staff"
    if kind == "advocate":
        return "advocate"
    return None


# --- last review, due, overdue -----------------------------------------------------------


def is_overdue(due: dt.date, as_of: dt.date) -> bool:
    """A review is *overdue* at ``as_of`` when ``as_of`` is after its due date; the due
    date itself is still in time."""
    return as_of > due


def is_due(due: dt.date, as_of: dt.date) -> bool:
    """A review is *coming due* (or overdue) at ``as_of`` when its due date is at most
    :data:`DUE_NOTICE_DAYS` after ``as_of``."""
    return due <= as_of + dt.timedelta(days=DUE_NOTICE_DAYS)


def review_stale(last: dt.date, as_of: dt.date, days: int) -> bool:
    """ "More than ``days`` days before as_of": strictly earlier than as_of − days, which
    is the same as a review due ``days`` after ``last`` being overdue."""
    return is_overdue(last + dt.timedelta(days=days), as_of)


def task_reviews(task: TaskFacts, meetings: Iterable[MeetingFacts]) -> list[MeetingFacts]:
    """The partnership_review meetings that list the task in ``reviews_tasks``."""
    return [m for m in meetings if m.kind == "partnership_review" and task.id in m.reviews_tasks]


def task_last_review(task: TaskFacts, meetings: Iterable[MeetingFacts]) -> dt.date | None:
    """A task's *last review*: the latest of its ``agreed``, its ``reviewed`` and the
    dates of partnership_review meetings listing it (rules.md, partnership arrangements).
    The facts already leave out whatever is after as_of."""
    dates = [d for d in (task.agreed, task.reviewed) if d is not None]
    dates += [m.date for m in task_reviews(task, meetings)]
    return max(dates) if dates else None


def task_review_due(task: TaskFacts, last: dt.date | None) -> dt.date:
    """When a family member's task is due for review: :data:`TASK_REVIEW_DAYS` after its
    last review; never agreed or reviewed, on its ``since`` — PA01 finds a task with no
    last review from the day it is held, so its review was due the day it began."""
    if last is None:
        return task.since
    return last + dt.timedelta(days=TASK_REVIEW_DAYS)


def capacity_review_due(assessment: AssessmentFacts) -> dt.date | None:
    """When a capacity assessment is due for review: its ``review_by``; without one, an
    assessment that found a lack of capacity is due :data:`CAPACITY_REVIEW_DAYS` after
    its date (CA01), and one that found capacity is never due."""
    if assessment.review_by is not None:
        return assessment.review_by
    if assessment.outcome == LACKS_CAPACITY:
        return assessment.date + dt.timedelta(days=CAPACITY_REVIEW_DAYS)
    return None


def follow_up_due(date: dt.date) -> dt.date:
    """The last day of the follow-up window of an incident or event dated ``date``."""
    return date + dt.timedelta(days=FOLLOW_UP_DAYS)


def follow_up_closed(date: dt.date, as_of: dt.date) -> bool:
    """The follow-up window has closed at ``as_of`` (date + 14 days is before as_of):
    only then is a missing follow-up a finding (rules.md "Follow-up windows")."""
    return is_overdue(follow_up_due(date), as_of)


def family_tasks_due(facts: PersonFacts) -> list[tuple[TaskFacts, dt.date | None, dt.date]]:
    """Each current task a family member holds, with its last review and due date."""
    found = []
    for task in facts.current_tasks():
        if not facts.is_family(task.holder):
            continue
        last = task_last_review(task, facts.meetings)
        found.append((task, last, task_review_due(task, last)))
    return found


def carers_without_plan(facts: PersonFacts) -> dict[str, list[TaskFacts]]:
    """Each family member who holds a task current at ``facts.as_of`` and has no carer's
    plan, with those tasks by ``since`` then id: the one reading of the carer's-plan
    suggestion (worklist and supervision; a prompt, not a finding)."""
    planned = {plan.carer for plan in facts.carer_plans}
    held: dict[str, list[TaskFacts]] = {}
    for task in sorted(facts.current_tasks(), key=lambda t: (t.since, t.id)):
        if facts.is_family(task.holder) and task.holder not in planned:
            held.setdefault(task.holder, []).append(task)
    return dict(sorted(held.items()))


# --- catalogue 2 (docs/spec/rules-v2.md) ---------------------------------------------------

ACKNOWLEDGE_WORKING_DAYS = 3
"""A concern is acknowledged within 3 working days of being raised (CN01)."""
RESPONSE_WORKING_DAYS = 20
"""A reasoned written response within 20 working days, or a reason for delay (CN02)."""
RETALIATION_DAYS = 90
"""A complainant's role reduced within 90 days after their concern, with no reason (CN05)."""
CARER_ASKED_DAYS = 365
"""A carer is asked whether willing and able at least every 365 days (CP02)."""


def working_days_after(day: dt.date, count: int) -> dt.date:
    """The ``count``-th Monday-to-Friday after ``day``, not counting ``day`` itself:
    "within N working days of d" means on or before this date (no bank-holiday table)."""
    current = day
    left = count
    while left:
        current += dt.timedelta(days=1)
        if current.weekday() < 5:
            left -= 1
    return current


def restriction_current(
    ended: dt.date | None, replaced_by_started: bool, own: dt.date, at: dt.date
) -> bool:
    """A restriction is current at ``at`` when it began on or before it, has not ended on
    or before it, and the graded trial replacing it (if any) has no session on or before
    it (``replaced_by_started``)."""
    return is_current(own, ended, at) and not replaced_by_started


# --- trial progress -------------------------------------------------------------------------
# A graded trial's progress is read the same way by the trial chart of the risk page, the
# evidence pack's chart, the FHIR export (is the goal achieved?) and RK05 (the clean
# sessions a stage needs before the next): over the case file's trial or its facts alike.


class _Stage(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def advance_after(self) -> int: ...


class _Session(Protocol):
    @property
    def date(self) -> dt.date: ...
    @property
    def stage(self) -> str: ...
    @property
    def outcome(self) -> str: ...


S = TypeVar("S", bound=_Session)
S_co = TypeVar("S_co", bound=_Session, covariant=True)


class _Trial(Protocol[S_co]):
    @property
    def stages(self) -> Sequence[_Stage]: ...
    @property
    def sessions(self) -> Sequence[S_co]: ...


COMPLETED = "completed"
STOPPED = "stopped"


def session_clean(session: _Session, incident_days: Collection[dt.date]) -> bool:
    """A *clean* session: completed, and no incident of its trial (of any severity) on
    the session's day (RK05)."""
    return session.outcome == COMPLETED and session.date not in incident_days


@dataclass(frozen=True)
class TrialProgress(Generic[S]):
    """A graded trial's progress at a date (rules.md "Terms", trial progress)."""

    sessions: tuple[S, ...]
    """The sessions on or before the date, in date order (file order within a day)."""
    stages: tuple[int, ...]
    """The index (from 0, in the trial's order) of the stage each session was at."""
    incident_days: frozenset[dt.date]
    """The days with an incident of the trial, on or before the date."""
    furthest: int
    """The index of the furthest stage reached (0, the first, before any session)."""
    completed: int
    stopped: int
    achieved: bool
    """The last stage has at least its ``advance_after`` clean sessions: the trial's goal
    is met."""

    @property
    def reached(self) -> int:
        """The furthest stage reached, counted from 1 (0 before any session)."""
        return self.furthest + 1 if self.sessions else 0


def trial_progress(
    trial: _Trial[S], incident_days: Collection[dt.date], as_of: dt.date | None = None
) -> TrialProgress[S]:
    """A trial's progress at ``as_of`` (None: every recorded session), given the days of
    the incidents of this trial. The one definition of trial progress."""
    index = {stage.id: i for i, stage in enumerate(trial.stages)}
    # sorted() is stable: sessions on one date keep their order in the file
    sessions = tuple(
        sorted(
            (s for s in trial.sessions if as_of is None or s.date <= as_of),
            key=lambda s: s.date,
        )
    )
    days = frozenset(d for d in incident_days if as_of is None or d <= as_of)
    stages = tuple(index.get(s.stage, 0) for s in sessions)
    last = trial.stages[-1]
    clean_last = sum(1 for s in sessions if s.stage == last.id and session_clean(s, days))
    return TrialProgress(
        sessions=sessions,
        stages=stages,
        incident_days=days,
        furthest=max(stages, default=0),
        completed=sum(1 for s in sessions if s.outcome == COMPLETED),
        stopped=sum(1 for s in sessions if s.outcome == STOPPED),
        achieved=clean_last >= last.advance_after,
    )
