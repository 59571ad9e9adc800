"""Charts of the evidence pack and the service report: SVG from matplotlib.

Each chart is a :class:`Chart` with a title, a text alternative and the SVG itself; the
SVG carries the title and the alternative as ``<title>`` and ``<desc>`` and is labelled
by them (``role="img"``), so the same markup serves the web page (inside an
``aria-labelledby`` figure) and the PDF. Text stays text in the SVG (``svg.fonttype:
none``) and the output has no creation date, so the same data gives the same SVG.
"""

from __future__ import annotations

import functools
import html
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import matplotlib

matplotlib.use("Agg")

from matplotlib import dates as mdates  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from kinwise.casefile.schema import Incident, Trial  # noqa: E402
from kinwise.reports.measures import (  # noqa: E402
    VOICE_CATEGORIES,
    VOICE_CATEGORY_LABELS,
    Measure,
    Ratio,
    VoiceBalance,
)
from kinwise.rules.terms import trial_progress  # noqa: E402

matplotlib.rcParams.update(
    {
        "svg.fonttype": "none",
        "svg.hashsalt": "kinwise",
        "font.family": "sans-serif",
        "font.size": 10,
    }
)

# Colours with enough contrast on white, told apart by marker shape as well as colour.
BLUE = "#005eb8"
DARK = "#212b32"
RED = "#d5281b"
GREEN = "#007f3b"
GREY = "#4c6272"
PURPLE = "#330072"
ORANGE = "#b35900"
VOICE_COLOURS = {
    "person": BLUE,
    "on_behalf": RED,
    "family": PURPLE,
    "staff": GREY,
    "advocate": GREEN,
}


@dataclass(frozen=True, slots=True)
class Chart:
    key: str
    title: str
    description: str
    svg: str

    @property
    def title_id(self) -> str:
        return f"chart-{self.key}-title"

    @property
    def desc_id(self) -> str:
        return f"chart-{self.key}-desc"


def _to_svg(fig: Figure, *, key: str, title: str, description: str) -> Chart:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.S)
    title_id, desc_id = f"chart-{key}-title", f"chart-{key}-desc"
    svg = svg.replace(
        "<svg ",
        f'<svg role="img" aria-labelledby="{title_id} {desc_id}" ',
        1,
    )
    head_end = svg.index(">", svg.index("<svg")) + 1
    svg = (
        svg[:head_end]
        + f'<title id="{title_id}">{html.escape(title)}</title>'
        + f'<desc id="{desc_id}">{html.escape(description)}</desc>'
        + svg[head_end:]
    )
    return Chart(key=key, title=title, description=description, svg=svg)


def _figure(width: float = 7.5, height: float = 3.2) -> Figure:
    return Figure(figsize=(width, height), dpi=96, layout="constrained")


def _date_axis(ax: object) -> None:
    axis = ax.xaxis  # type: ignore[attr-defined]
    locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
    axis.set_major_locator(locator)
    axis.set_major_formatter(mdates.ConciseDateFormatter(locator))


def _num(d: date) -> float:
    """A date as matplotlib's date number."""
    return float(mdates.date2num(d))


def long_date(d: date) -> str:
    return f"{d.day} {d.strftime('%B')} {d.year}"


# --- graded trial ---------------------------------------------------------------------------


def trial_chart(trial: Trial, *, activity: str, incidents: Sequence[Incident]) -> Chart:
    """The stage reached over time: each session a point at its stage (completed: dot,
    stopped: cross), incidents of the trial as red triangles with a dashed line."""
    mine = sorted((i for i in incidents if i.trial == trial.id), key=lambda i: i.date)
    # the one definition of trial progress (kinwise.rules.terms), stages counted from 1
    progress = trial_progress(trial, {i.date for i in mine})
    sessions = list(progress.sessions)
    numbers = [stage + 1 for stage in progress.stages]
    fig = _figure()
    ax = fig.add_subplot()
    if sessions:
        xs = [_num(s.date) for s in sessions]
        ax.step(xs, numbers, where="post", color=BLUE, linewidth=1.5, label="Stage")
        done = [
            (_num(s.date), n)
            for s, n in zip(sessions, numbers, strict=True)
            if s.outcome == "completed"
        ]
        stopped = [
            (s.date, n) for s, n in zip(sessions, numbers, strict=True) if s.outcome == "stopped"
        ]
        if done:
            ax.plot(*zip(*done, strict=True), "o", color=BLUE, label="Session completed")
        if stopped:
            ax.plot(
                *zip(*stopped, strict=True), "x", color=RED, markersize=9, label="Session stopped"
            )
    for n, incident in enumerate(mine):
        ax.axvline(_num(incident.date), color=RED, linestyle="--", linewidth=1)
        ax.plot(
            [_num(incident.date)],
            [len(trial.stages) + 0.35],
            "v",
            color=RED,
            markersize=9,
            label="Incident" if n == 0 else None,
        )
    ax.set_yticks(range(1, len(trial.stages) + 1))
    ax.set_yticklabels([f"{i + 1}. {s.support}" for i, s in enumerate(trial.stages)])
    ax.set_ylim(0.5, len(trial.stages) + 0.7)
    ax.set_ylabel("Stage")
    _date_axis(ax)
    title = f"Graded trial: {activity}"
    ax.set_title(title, loc="left", fontsize=11)
    ax.grid(axis="y", color="#d8dde0")
    if ax.get_legend_handles_labels()[1]:  # a trial with no sessions yet has no key
        ax.legend(loc="lower right", fontsize=8, frameon=False)
    reached, completed, stopped_n = progress.reached, progress.completed, progress.stopped
    parts = [
        f"{len(sessions)} sessions"
        + (
            f" from {long_date(sessions[0].date)} to {long_date(sessions[-1].date)}"
            if sessions
            else ""
        ),
        f"{completed} completed and {stopped_n} stopped",
        f"stage {reached} of {len(trial.stages)} reached",
    ]
    if mine:
        parts.append(
            "incidents on "
            + ", ".join(f"{long_date(i.date)} ({i.severity} severity)" for i in mine)
        )
    else:
        parts.append("no incidents")
    return _to_svg(fig, key=f"trial-{trial.id}", title=title, description="; ".join(parts) + ".")


# --- medication audits ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Handover:
    """The day a task passed from one holder to another."""

    date: date
    label: str


def medication_chart(
    audits: Sequence[tuple[date, Ratio]], handovers: Sequence[Handover], *, key: str = "medication"
) -> Chart:
    """The error rate of each medication audit, with each handover of the task marked."""
    fig = _figure()
    ax = fig.add_subplot()
    points = [(_num(d), float(r.value) * 100) for d, r in audits if r.value is not None]
    if points:
        ax.plot(*zip(*points, strict=True), "o-", color=BLUE, label="Error rate of an audit")
        for d, v in points:
            ax.annotate(
                f"{v:.1f}%",
                (d, v),
                textcoords="offset points",
                xytext=(0, 6),
                ha="center",
                fontsize=8,
            )
    top = max((v for _, v in points), default=10.0)
    for h in handovers:
        ax.axvline(
            _num(h.date),
            color=GREEN,
            linestyle="--",
            linewidth=1.5,
            label=f"{h.label} ({long_date(h.date)})",
        )
    if points or handovers:
        ax.legend(loc="upper right", fontsize=8, frameon=False)
    ax.set_ylim(0, top * 1.3 + 1)
    ax.set_ylabel("Errors per 100 doses checked")
    _date_axis(ax)
    title = "Medication audits: error rate"
    ax.set_title(title, loc="left", fontsize=11)
    ax.grid(axis="y", color="#d8dde0")
    rates = ", ".join(
        f"{long_date(d)}: {r.numerator} of {r.denominator} ({r.percent()})" for d, r in audits
    )
    description = f"Error rate of each audit. {rates or 'No audits.'}"
    if handovers:
        description += " " + " ".join(f"{h.label} on {long_date(h.date)}." for h in handovers)
    return _to_svg(fig, key=key, title=title, description=description)


# --- findings trend ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FindingsPoint:
    """The findings of one saved audit run, by severity."""

    as_of: date
    high: int
    medium: int
    low: int

    @property
    def total(self) -> int:
        return self.high + self.medium + self.low


def findings_trend_chart(points: Sequence[FindingsPoint], *, key: str = "findings") -> Chart:
    """Findings by severity in each saved audit run, by the run's audit date."""
    fig = _figure(height=2.8)
    ax = fig.add_subplot()
    if points:
        xs = [_num(p.as_of) for p in points]
        for attr, colour, marker, label in (
            ("high", RED, "^", "High"),
            ("medium", ORANGE, "s", "Medium"),
            ("low", GREY, "o", "Low"),
        ):
            ax.plot(
                xs, [getattr(p, attr) for p in points], marker=marker, color=colour, label=label
            )
        ax.legend(loc="upper right", fontsize=8, frameon=False)
    ax.set_ylim(bottom=0)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel("Findings")
    _date_axis(ax)
    title = "Audit findings over time"
    ax.set_title(title, loc="left", fontsize=11)
    ax.grid(axis="y", color="#d8dde0")
    if points:
        description = (
            "Findings in each saved audit run: "
            + "; ".join(
                f"{long_date(p.as_of)}: {p.high} high, {p.medium} medium, {p.low} low"
                for p in points
            )
            + "."
        )
    else:
        description = "No audit runs have been saved yet."
    return _to_svg(fig, key=key, title=title, description=description)


# --- service measures --------------------------------------------------------------------------


# Drawing a measure's chart costs a tenth of a second or more, and a service report draws
# one per measure; the same measure (its months and ratios) gives the same SVG, so each
# process keeps the latest it drew, as the trial charts do (kinwise.web.charts). A Measure
# is frozen: its value is the key.
MEASURE_CHARTS_KEPT = 256


@functools.lru_cache(maxsize=MEASURE_CHARTS_KEPT)
def measure_chart(measure: Measure) -> Chart:
    """A measure's monthly percentages as bars; months with no data are labelled so."""
    fig = _figure(height=2.6)
    ax = fig.add_subplot()
    labels = [m.month.label for m in measure.months]
    values = [
        float(m.ratio.value) * 100 if m.ratio.value is not None else 0.0 for m in measure.months
    ]
    colour = ORANGE if measure.lower_is_better else BLUE
    bars = ax.bar(range(len(labels)), values, color=colour)
    for bar, m in zip(bars, measure.months, strict=True):
        text = m.ratio.percent() if m.ratio.denominator else "no data"
        ax.annotate(
            text,
            (bar.get_x() + bar.get_width() / 2, bar.get_height()),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            fontsize=7,
            color=DARK if m.ratio.denominator else GREY,
        )
    ax.set_xticks(range(len(labels)))
    ax.set_xticklabels(labels, rotation=45, ha="right", fontsize=8)
    ax.set_ylim(0, 115)
    ax.set_ylabel("%")
    ax.set_title(measure.title, loc="left", fontsize=10, wrap=True)
    ax.grid(axis="y", color="#d8dde0")
    description = (
        f"{measure.title}, by month: "
        + "; ".join(
            f"{m.month.label}: "
            + (
                f"{m.ratio.numerator} of {m.ratio.denominator} ({m.ratio.percent()})"
                if m.ratio.denominator
                else "no data"
            )
            for m in measure.months
        )
        + "."
    )
    return _to_svg(fig, key=measure.key, title=measure.title, description=description)


def voice_balance_chart(balance: VoiceBalance) -> Chart:
    """Contributions at meetings each month, stacked by who spoke and for whom."""
    fig = _figure(height=2.8)
    ax = fig.add_subplot()
    labels = [m.label for m, _ in balance.months]
    bottoms = [0] * len(labels)
    for category in VOICE_CATEGORIES:
        counts = [c.get(category, 0) for _, c in balance.months]
        ax.bar(
            range(len(labels)),
            counts,
            bottom=bottoms,
            color=VOICE_COLOURS[category],
            label=VOICE_CATEGORY_LABELS[category],
            hatch="//" if category == "on_behalf" else None,
        )
        bottoms = [b + c for b, c in zip(bottoms, counts, strict=True)]
    ax.set_xticks(range(len(labels)))
    ax.set_xticklabels(labels, rotation=45, ha="right", fontsize=8)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel("Contributions")
    title = "Meeting voice balance"
    ax.set_title(title, loc="left", fontsize=11)
    ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    description = (
        "Contributions at meetings in the period: "
        + "; ".join(
            f"{VOICE_CATEGORY_LABELS[c]}: {balance.overall.get(c, 0)} ({balance.share(c).percent()})"
            for c in VOICE_CATEGORIES
        )
        + "."
    )
    return _to_svg(fig, key="voice-balance", title=title, description=description)
