"""A graded trial's progress: its sessions in order, the stage each reached, the days with
an incident, and the same in words (the title and text alternative of its chart).
Pure: no Django, no drawing (kinwise.web.charts draws it)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kinwise.casefile import schema as cf
from kinwise.readings.labels import long_date
from kinwise.rules.terms import TrialProgress
from kinwise.rules.terms import trial_progress as terms_progress

__all__ = ["ChartText", "TrialProgress", "trial_progress", "trial_progression_text"]


@dataclass(frozen=True)
class ChartText:
    """What a chart shows, in words: its title and its text alternative."""

    title: str
    description: str


def trial_progress(
    trial: cf.Trial, incidents: list[cf.Incident], as_of: dt.date | None = None
) -> TrialProgress[cf.Session]:
    """The trial's progress (:func:`kinwise.rules.terms.trial_progress`, the one
    definition) from the case file's incidents."""
    return terms_progress(trial, {i.date for i in incidents if i.trial == trial.id}, as_of)


def trial_progression_text(trial: cf.Trial, incidents: list[cf.Incident]) -> ChartText:
    """The title and text alternative of the trial's progress chart, without drawing it."""
    progress = trial_progress(trial, incidents)
    sessions, incident_days = progress.sessions, progress.incident_days
    reached = trial.stages[progress.furthest].description
    stopped = progress.stopped
    marked = sorted(d for d in incident_days if any(s.date == d for s in sessions))
    description = (
        f"{len(sessions)} session(s) over {len(trial.stages)} stage(s); furthest stage reached: "
        f"{reached}. {stopped} session(s) stopped."
        + (
            " Incidents on " + ", ".join(long_date(d) for d in marked) + "."
            if marked
            else " No incidents on session days."
        )
    )
    return ChartText(
        title="Progress through the stages of the graded trial", description=description
    )
