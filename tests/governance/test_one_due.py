"""One reading of what is due: for a synthetic service of 50 people over 3 years, the
dashboard's reviews coming due and the worklist's items due within the same notice
period are the same set — the same items, the same dates, the same overdue flags — on
five days, three of them the boundaries of one review (the day it reaches the edge of the
notice period, the day it is due, the day after)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from kinwise.audits.overview import people_overview
from kinwise.core.models import Service
from kinwise.governance.selectors import service_worklist, supported_casefiles
from kinwise.readings.work import work_items
from kinwise.rules.terms import DUE_NOTICE_DAYS
from tests.audits.conftest import AS_OF, populate  # noqa: F401, F811 - the synthetic service

Row = tuple[int, str, dt.date, bool]
NOTICE = dt.timedelta(days=DUE_NOTICE_DAYS)


def dashboard(service: Service, as_of: dt.date) -> set[Row]:
    return {
        (person.pk, review.key, review.due, review.overdue)
        for person in people_overview(service=service, as_of=as_of)
        for review in person.reviews
    }


def worklist(service: Service, as_of: dt.date) -> tuple[set[Row], set[Row]]:
    """The worklist's items about people that are still to do: those due within the
    notice period, and all of them."""
    rows = [
        r
        for r in service_worklist(service=service, as_of=as_of).rows
        if r.person_pk is not None and r.state != "closed"
    ]
    todo = {(r.person_pk, r.key, r.due, r.state == "overdue") for r in rows}
    return {row for row in todo if row[2] <= as_of + NOTICE}, todo


def a_review_date_item(service: Service) -> tuple[int, str, dt.date]:
    """A review-date item (a capacity, risk assessment or task review) due in the last
    year of the history, still open on its due date and the day after, and with no other
    item of anyone due on the same day (so each boundary is that item's alone)."""
    casefiles = supported_casefiles(service=service, as_of=AS_OF)
    candidates: list[tuple[int, str, dt.date]] = []
    for pk, casefile in sorted(casefiles.items()):
        for item in work_items(casefile, as_of=AS_OF):
            if item.kind not in ("capacity_review", "risk_assessment_review", "task_review"):
                continue
            if not AS_OF - dt.timedelta(days=300) <= item.due <= AS_OF - dt.timedelta(days=60):
                continue
            after = {i.key: i for i in work_items(casefile, as_of=item.due + dt.timedelta(days=1))}
            if item.key in after and after[item.key].state == "overdue":
                candidates.append((pk, item.key, item.due))
    assert candidates
    return candidates[0]


@pytest.mark.django_db
def test_the_dashboard_and_the_worklist_list_the_same_reviews_due(
    populate: Callable[..., Service],  # noqa: F811 - the fixture
) -> None:
    service = populate("agree", people=50, years=3)
    pk, key, due = a_review_date_item(service)
    edge, day_of, day_after = due - NOTICE, due, due + dt.timedelta(days=1)
    days = [edge - dt.timedelta(days=1), edge, day_of, day_after, AS_OF]

    seen: dict[dt.date, set[Row]] = {}
    for day in days:
        shown = dashboard(service, day)
        due_within, todo = worklist(service, day)
        assert shown == due_within, day
        # nothing the worklist still has to do falls outside the notice period
        assert todo == due_within, day
        seen[day] = shown

    # the boundaries of the one review, on both screens
    assert not any(r[:2] == (pk, key) for r in seen[edge - dt.timedelta(days=1)])
    assert (pk, key, due, False) in seen[edge]  # exactly at the edge of the notice period
    assert (pk, key, due, False) in seen[day_of]  # due today: still in time
    assert (pk, key, due, True) in seen[day_after]  # overdue the day after
    assert all(seen[day] for day in days[1:])
    assert sum(len(rows) for rows in seen.values()) > 50
