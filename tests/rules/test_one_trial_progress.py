"""Trial progress has one definition (kinwise.rules.terms.trial_progress), on the case
file's trial and on its facts alike, and every reader gives its answer: the risk page's
chart words (kinwise.readings.trials), the evidence pack's chart (kinwise.reports.charts),
the FHIR export's goal (achieved or not) and RK05's clean sessions."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

import kinwise
from kinwise.casefile import schema as cf
from kinwise.casefile.load import load_casefile
from kinwise.readings.trials import trial_progression_text
from kinwise.reports.charts import trial_chart
from kinwise.reports.fhir import person_bundle
from kinwise.rules.facts import build_facts
from kinwise.rules.terms import session_clean, trial_progress

SAM = (
    Path(kinwise.__file__).resolve().parent / "demo" / "casefiles" / "01-risk-and-independence.yaml"
)
# before any session, the incident's day (a session of stage 2), the day before the last
# stage's third session, that day, and long after
DATES = [
    dt.date(2026, 6, 14),
    dt.date(2026, 7, 13),
    dt.date(2026, 8, 23),
    dt.date(2026, 8, 24),
    dt.date(2026, 12, 1),
]


@pytest.fixture(scope="module")
def sam() -> cf.CaseFile:
    return load_casefile(SAM)


def _incident_days(casefile: cf.CaseFile, trial: cf.Trial) -> set[dt.date]:
    return {i.date for i in casefile.incidents if i.trial == trial.id}


def _at(casefile: cf.CaseFile, as_of: dt.date) -> cf.CaseFile:
    """The file as it stood at as_of: the sessions and incidents dated after it left out
    (what the pages and the evidence pack read for a past day)."""
    trials = [
        t.model_copy(update={"sessions": [s for s in t.sessions if s.date <= as_of]})
        for t in casefile.graded_trials
    ]
    incidents = [i for i in casefile.incidents if i.date <= as_of]
    return casefile.model_copy(update={"graded_trials": trials, "incidents": incidents})


@pytest.mark.parametrize("as_of", DATES)
def test_the_facts_and_the_file_give_the_same_progress(sam: cf.CaseFile, as_of: dt.date) -> None:
    trial = sam.graded_trials[0]
    on_file = trial_progress(trial, _incident_days(sam, trial), as_of)
    facts = build_facts(sam, as_of=as_of)
    fact_trial = facts.trials[0]
    on_facts = trial_progress(fact_trial, facts.incident_days_by_trial.get(trial.id, frozenset()))
    assert (on_file.stages, on_file.furthest, on_file.completed, on_file.stopped) == (
        on_facts.stages,
        on_facts.furthest,
        on_facts.completed,
        on_facts.stopped,
    )
    assert on_file.achieved is on_facts.achieved
    assert on_file.incident_days == on_facts.incident_days


EXPECTED = {
    # as_of: (sessions, furthest stage from 1, achieved)
    dt.date(2026, 6, 14): (0, 0, False),
    dt.date(2026, 7, 13): (5, 2, False),
    dt.date(2026, 8, 23): (10, 3, False),
    dt.date(2026, 8, 24): (11, 3, True),
    dt.date(2026, 12, 1): (12, 3, True),
}


@pytest.mark.parametrize("as_of", DATES)
def test_every_reader_gives_the_definition_s_answer(sam: cf.CaseFile, as_of: dt.date) -> None:
    then = _at(sam, as_of)
    trial = then.graded_trials[0]
    progress = trial_progress(trial, _incident_days(then, trial))
    assert (len(progress.sessions), progress.reached, progress.achieved) == EXPECTED[as_of]
    # the risk page's chart, in words
    words = trial_progression_text(trial, list(then.incidents)).description
    assert words.startswith(
        f"{len(progress.sessions)} session(s) over 3 stage(s); furthest stage reached: "
        f"{trial.stages[progress.furthest].description}. {progress.stopped} session(s) stopped."
    )
    # the evidence pack's chart
    pack = trial_chart(trial, activity="Going out alone", incidents=list(then.incidents))
    assert f"{progress.completed} completed and {progress.stopped} stopped" in pack.description
    assert f"stage {progress.reached} of 3 reached" in pack.description
    # the FHIR export's goal, from today's file at as_of
    goal = next(
        e["resource"]
        for e in person_bundle(sam, as_of=as_of)["entry"]
        if e["resource"]["resourceType"] == "Goal"
    )
    assert goal["lifecycleStatus"] == ("completed" if progress.achieved else "active")


def test_an_incident_on_a_session_s_day_makes_it_unclean_for_rk05_and_the_goal(
    sam: cf.CaseFile,
) -> None:
    trial = sam.graded_trials[0]
    facts = build_facts(sam, as_of=dt.date(2026, 12, 1))
    fact_trial = facts.trials[0]
    days = facts.incident_days_by_trial[trial.id]
    incident_day = [s for s in fact_trial.sessions if s.date == dt.date(2026, 7, 13)]
    assert [session_clean(s, days) for s in incident_day] == [False]
    assert session_clean(fact_trial.sessions[0], days) is True
    # an incident on two of the last stage's four sessions: two clean, fewer than 3
    more = {dt.date(2026, 8, 10), dt.date(2026, 8, 17)}
    assert trial_progress(trial, _incident_days(sam, trial) | more).achieved is False
    # on one of them: three clean, achieved
    assert trial_progress(trial, _incident_days(sam, trial) | {dt.date(2026, 8, 10)}).achieved


def test_a_stopped_session_counts_as_stopped_and_not_clean(sam: cf.CaseFile) -> None:
    trial = sam.graded_trials[0]
    sessions = [*trial.sessions]
    sessions[-1] = sessions[-1].model_copy(update={"outcome": "stopped"})
    stopped = trial.model_copy(update={"sessions": sessions})
    progress = trial_progress(stopped, set())
    assert (progress.completed, progress.stopped, progress.achieved) == (11, 1, True)
    sessions[-2] = sessions[-2].model_copy(update={"outcome": "stopped"})
    two = trial_progress(trial.model_copy(update={"sessions": sessions}), set())
    assert (two.completed, two.stopped, two.achieved) == (10, 2, False)
    text = trial_chart(
        trial.model_copy(update={"sessions": sessions}), activity="Going out", incidents=[]
    ).description
    assert "10 completed and 2 stopped" in text
    assert re.search(r"stage 3 of 3 reached", text)
