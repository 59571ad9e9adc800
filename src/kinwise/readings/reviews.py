"""Reviews coming due: every review the worklist has open for a person (overdue, or due
within the notice period of ``as_of``), as the dashboard shows it. Pure: no Django.

There is one reading of what is due — :func:`kinwise.readings.work.work_items`, with
its dates from :mod:`kinwise.rules.terms` — so the dashboard and the worklist list the
same reviews with the same dates (docs/governance.md "Definitions")."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kinwise.casefile import schema as cf
from kinwise.readings.labels import area_label, task_label
from kinwise.readings.names import Names
from kinwise.readings.work import KIND_LABELS, WorkItem, work_items
from kinwise.rules.terms import DUE_NOTICE_DAYS, is_due


@dataclass(frozen=True)
class ReviewDue:
    what: str
    due: dt.date
    overdue: bool
    key: str = ""
    """The work item's key (kinwise.readings.work.WorkItem.key)."""
    owner_member: str | None = None
    """The staff member of the records who owns it (None: the service's team leader)."""
    owner_name: str | None = None


def due_items(items: list[WorkItem], as_of: dt.date) -> list[WorkItem]:
    """The items not yet closed whose due date has passed or is within the notice period
    (:data:`kinwise.rules.terms.DUE_NOTICE_DAYS`) of ``as_of``."""
    return [i for i in items if i.state != "closed" and is_due(i.due, as_of)]


def _what(item: WorkItem, casefile: cf.CaseFile, names: Names) -> str:
    """A short name for the review, for the dashboard's list."""
    kind, _, record = item.subject.partition(":")
    if item.kind == "task_review":
        task = next((t for t in casefile.plan.tasks if t.id == record), None)
        if task is not None:
            return f"{names(task.holder)}: {task_label(task.task)}"
    if item.kind == "risk_assessment_review":
        risk = next((r for r in casefile.risk_assessments if r.id == record), None)
        if risk is not None:
            return f"Risk assessment: {risk.activity}"
    if item.kind == "capacity_review" and item.area is not None:
        return f"Capacity assessment: {area_label(item.area)}"
    if item.kind == "arrangement_review" and kind == "task":
        task = next((t for t in casefile.plan.tasks if t.id == record), None)
        if task is not None:
            return f"Arrangement review: {names(task.holder)}, {task_label(task.task)}"
    label = KIND_LABELS[item.kind]
    return f"{label}: {area_label(item.area)}" if item.area is not None else label


def reviews_due(
    casefile: cf.CaseFile, as_of: dt.date, horizon_days: int = DUE_NOTICE_DAYS
) -> list[ReviewDue]:
    """The person's reviews overdue or coming due at ``as_of``, earliest first: the
    worklist's open and overdue items due within ``horizon_days``."""
    names = Names(casefile)
    limit = as_of + dt.timedelta(days=horizon_days)
    found = [
        ReviewDue(
            _what(i, casefile, names),
            i.due,
            i.state == "overdue",
            i.key,
            i.owner.member,
            i.owner.name,
        )
        for i in due_items(work_items(casefile, as_of=as_of), as_of)
        if i.due <= limit
    ]
    found.sort(key=lambda r: (r.due, not r.overdue, r.what, r.key))
    return found
