"""Reviews coming due: risk assessments, capacity assessments and family tasks whose review
date has passed or falls within the horizon of ``as_of``. Pure: no Django."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kinwise.casefile import schema as cf
from kinwise.casefile.vocab import FAMILY_KINDS
from kinwise.readings.labels import area_label, task_label
from kinwise.readings.names import Names

# A review is "coming due" when its date is within this many days of today (or passed).
REVIEW_HORIZON_DAYS = 28

# Family governance tasks are to be reviewed at least once a year (rules.md PA01).
TASK_REVIEW_DAYS = 365


@dataclass(frozen=True)
class ReviewDue:
    what: str
    due: dt.date
    overdue: bool


def task_last_review(task: cf.Task, casefile: cf.CaseFile, as_of: dt.date) -> dt.date | None:
    """The latest of agreed, reviewed and partnership reviews listing the task (on or before as_of)."""
    dates = [d for d in (task.agreed, task.reviewed) if d is not None and d <= as_of]
    dates += [
        m.date
        for m in casefile.meetings
        if m.kind == "partnership_review" and task.id in m.reviews_tasks and m.date <= as_of
    ]
    return max(dates) if dates else None


def reviews_due(
    casefile: cf.CaseFile, as_of: dt.date, horizon_days: int = REVIEW_HORIZON_DAYS
) -> list[ReviewDue]:
    """Reviews overdue or due within ``horizon_days`` of ``as_of``, earliest first."""
    limit = as_of + dt.timedelta(days=horizon_days)
    names = Names(casefile)
    due: list[ReviewDue] = []
    latest_risk: dict[str, dt.date] = {}
    for risk in casefile.risk_assessments:
        if risk.date <= as_of:
            latest_risk[risk.area] = max(latest_risk.get(risk.area, risk.date), risk.date)
    for risk in casefile.risk_assessments:
        if risk.date > as_of or latest_risk[risk.area] > risk.date:
            continue
        if risk.review_by <= limit:
            due.append(
                ReviewDue(
                    f"Risk assessment: {risk.activity}", risk.review_by, risk.review_by < as_of
                )
            )
    latest_assessment: dict[str, cf.Assessment] = {}
    for a in casefile.capacity_assessments:
        if a.date <= as_of and (
            a.area not in latest_assessment or latest_assessment[a.area].date < a.date
        ):
            latest_assessment[a.area] = a
    for a in latest_assessment.values():
        if a.review_by is not None and a.review_by <= limit:
            due.append(
                ReviewDue(
                    f"Capacity assessment: {area_label(a.area)}", a.review_by, a.review_by < as_of
                )
            )
    for task in casefile.plan.tasks:
        if task.since > as_of or (task.ended is not None and task.ended <= as_of):
            continue
        if names.kind(task.holder) not in FAMILY_KINDS:
            continue
        last = task_last_review(task, casefile, as_of)
        when = (last or task.since) + dt.timedelta(days=TASK_REVIEW_DAYS)
        if last is None:
            when = as_of
        if when <= limit:
            due.append(
                ReviewDue(
                    f"{names(task.holder)}: {task_label(task.task)}",
                    when,
                    when < as_of or last is None,
                )
            )
    due.sort(key=lambda r: (r.due, not r.overdue, r.what))
    return due
