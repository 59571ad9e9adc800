"""A trial's chart is drawn once per process for the same trial and incidents."""

from __future__ import annotations

import datetime as dt

import pytest

from kinwise.casefile import schema as cf
from kinwise.readings.trials import trial_progression_text
from kinwise.web import charts


def trial(outcome: str = "completed") -> cf.Trial:
    return cf.Trial(
        id="gt",
        risk_assessment="r1",
        stages=[
            cf.Stage(id="s1", description="With staff", support="accompanied", advance_after=1),
            cf.Stage(id="s2", description="Alone", support="independent", advance_after=1),
        ],
        sessions=[
            cf.Session(date=dt.date(2026, 2, 1), stage="s1", outcome="completed"),
            cf.Session(date=dt.date(2026, 2, 8), stage="s2", outcome=outcome),
        ],
    )


def incident(trial_id: str | None) -> cf.Incident:
    return cf.Incident(
        id="i1",
        date=dt.date(2026, 2, 8),
        area="mobility_outdoors",
        severity="low",
        trial=trial_id,
        description="Missed the stop",
    )


def test_the_same_trial_and_incidents_give_the_chart_already_drawn() -> None:
    first = charts.trial_progression(trial(), [incident("gt")])
    again = charts.trial_progression(trial(), [incident("gt"), incident(None)])
    assert again is first  # another trial's incident is not part of this chart


def test_a_change_to_the_trial_or_its_incidents_draws_again() -> None:
    base = charts.trial_progression(trial(), [incident("gt")])
    stopped = charts.trial_progression(trial("stopped"), [incident("gt")])
    without = charts.trial_progression(trial(), [])
    assert "0 session(s) stopped" in base.description
    assert "1 session(s) stopped" in stopped.description
    assert without.description.endswith("No incidents on session days.")
    assert base.description.endswith("Incidents on 8 February 2026.")


def test_the_charts_kept_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(charts, "CHARTS_KEPT", 1)
    first = charts.trial_progression(trial(), [])
    charts.trial_progression(trial("stopped"), [])
    assert len(charts._charts) == 1
    assert charts.trial_progression(trial(), []) is not first


def test_the_words_of_a_chart_are_those_of_the_drawn_chart_without_drawing_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    drawn = charts.trial_progression(trial("stopped"), [incident("gt")])

    def refuse(*args: object) -> str:
        raise AssertionError("drawn")

    monkeypatch.setattr(charts, "_draw", refuse)
    text = trial_progression_text(trial("stopped"), [incident("gt")])
    assert (text.title, text.description) == (drawn.title, drawn.description)
    assert text.description == (
        "2 session(s) over 2 stage(s); furthest stage reached: Alone. 1 session(s) stopped. "
        "Incidents on 8 February 2026."
    )


def test_stage_labels_are_whole_and_wrapped() -> None:
    """The chart's axis shows each stage's description in full, a few words a line."""
    assert charts.stage_label("Route A with staff following at a distance") == (
        "Route A with staff\nfollowing at a distance"
    )
    assert charts.stage_label("Alone") == "Alone"
    long_word = "Supercalifragilisticexpialidocious"
    assert charts.stage_label(f"{long_word} daily") == f"{long_word}\ndaily"
    assert charts.stage_label("") == ""


def test_a_trial_with_no_sessions_yet_is_drawn_without_a_key() -> None:
    import warnings

    from kinwise.reports.charts import trial_chart

    planned = trial().model_copy(update={"sessions": []})
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warned of a key with nothing in it
        chart = trial_chart(planned, activity="Bus to college", incidents=[])
    assert chart.description.startswith("0 sessions")
    assert "<svg" in chart.svg
