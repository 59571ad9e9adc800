"""A graded trial's progress: its sessions in order, the stage each reached, the days with
an incident, and the same in words (the title and text alternative of its chart).
Pure: no Django, no drawing (kinwise.web.charts draws it)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kinwise.casefile import schema as cf
from kinwise.readings.labels import long_date


@dataclass(frozen=True)
class ChartText:
    """What a chart shows, in words: its title and its text alternative."""

    title: str
    description: str


@dataclass(frozen=True)
class TrialProgress:
    """A trial's sessions in date order (file order within a day), the stage index each
    reached, and the days with an incident of the trial."""

    sessions: list[cf.Session]
    stages: list[int]
    incident_days: set[dt.date]


def trial_progress(trial: cf.Trial, incidents: list[cf.Incident]) -> TrialProgress:
    stage_index = {s.id: i for i, s in enumerate(trial.stages)}
    sessions = [s for _, s in sorted(enumerate(trial.sessions), key=lambda p: (p[1].date, p[0]))]
    return TrialProgress(
        sessions=sessions,
        stages=[stage_index.get(s.stage, 0) for s in sessions],
        incident_days={i.date for i in incidents if i.trial == trial.id},
    )


def trial_progression_text(trial: cf.Trial, incidents: list[cf.Incident]) -> ChartText:
    """The title and text alternative of the trial's progress chart, without drawing it."""
    progress = trial_progress(trial, incidents)
    sessions, ys, incident_days = progress.sessions, progress.stages, progress.incident_days
    reached = trial.stages[max(ys)].description if ys else trial.stages[0].description
    stopped = sum(1 for s in sessions if s.outcome == "stopped")
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
