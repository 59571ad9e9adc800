"""Charts for the staff pages, drawn with matplotlib as SVG.

Every chart has a title and a text alternative (``TrialChart.description``, from
:mod:`kinwise.readings.trials`); the page also shows the same data as a table, so nothing
depends on seeing the picture.
"""

from __future__ import annotations

import io
import textwrap
import threading
from collections import OrderedDict
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402

from kinwise.casefile import schema as cf  # noqa: E402
from kinwise.readings.trials import trial_progress, trial_progression_text  # noqa: E402


@dataclass(frozen=True)
class TrialChart:
    title: str
    description: str
    svg: str


# Drawing a chart costs tens to hundreds of milliseconds; it depends only on the trial and
# its incidents, so each process keeps the latest charts it drew, keyed by their data.
# The risk page needs only the words (trial_progression_text), never the drawing: the
# picture is its own address (the chart view), which the browser fetches and caches.
CHARTS_KEPT = 256
_charts: OrderedDict[tuple[str, tuple[str, ...]], TrialChart] = OrderedDict()
_charts_lock = threading.Lock()


def trial_progression(trial: cf.Trial, incidents: list[cf.Incident]) -> TrialChart:
    """Sessions in date order on the x axis, the stage reached on the y axis; stopped
    sessions are crosses, completed ones dots, and days with an incident of this trial
    are marked with a red triangle and a dashed line."""
    mine = [i for i in incidents if i.trial == trial.id]
    key = (trial.model_dump_json(), tuple(i.model_dump_json() for i in mine))
    with _charts_lock:
        chart = _charts.get(key)
        if chart is not None:
            _charts.move_to_end(key)
            return chart
    text = trial_progression_text(trial, mine)
    chart = TrialChart(
        title=text.title, description=text.description, svg=_draw(trial, mine, text.title)
    )
    with _charts_lock:
        _charts[key] = chart
        while len(_charts) > CHARTS_KEPT:
            _charts.popitem(last=False)
    return chart


STAGE_LABEL_WIDTH = 24


def stage_label(description: str) -> str:
    """A stage's description as the chart's axis shows it: whole, in lines of at most
    STAGE_LABEL_WIDTH characters (a longer word keeps its own line)."""
    return "\n".join(textwrap.wrap(description, STAGE_LABEL_WIDTH, break_long_words=False) or [""])


def _draw(trial: cf.Trial, incidents: list[cf.Incident], title: str) -> str:
    progress = trial_progress(trial, incidents)
    sessions, ys, incident_days = progress.sessions, progress.stages, progress.incident_days
    xs = list(range(1, len(sessions) + 1))

    # Each stage's description in full, wrapped onto lines of a few words (never cut
    # short); the figure grows with the lines so the labels keep their room.
    labels = [stage_label(s.description) for s in trial.stages]
    lines = sum(label.count("\n") + 1 for label in labels)
    fig = Figure(figsize=(7.5, max(3.2, 1.4 + 0.3 * lines)), dpi=96)
    ax = fig.add_subplot()
    ax.set_title(title, fontsize=11)
    if sessions:
        ax.step(xs, ys, where="post", color="#005eb8", linewidth=1.5)
        for x, y, s in zip(xs, ys, sessions, strict=True):
            if s.outcome == "stopped":
                ax.plot(x, y, marker="x", color="#212b32", markersize=9, markeredgewidth=2)
            else:
                ax.plot(x, y, marker="o", color="#005eb8", markersize=6)
            if s.date in incident_days:
                ax.axvline(x, color="#d5281b", linestyle="--", linewidth=1)
                ax.plot(x, y + 0.3, marker="v", color="#d5281b", markersize=9)
    ax.set_yticks(range(len(trial.stages)), labels, fontsize=9)
    ax.set_ylim(-0.5, len(trial.stages) - 0.4)
    ax.set_xlabel("Session (in date order)")
    if xs:
        ax.set_xticks(xs)
    ax.grid(axis="y", color="#d8dde0")
    fig.tight_layout()
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()
