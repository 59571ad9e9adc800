"""The findings page at a chosen audit date and over a chosen period."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from kinwise.records.models import Person


def pairs(html: str) -> set[tuple[str, str]]:
    return set(re.findall(r'data-rule="([A-Z]{2}\d{2})" data-subject="([^"]+)"', html))


AISHA_BEFORE = {
    ("IC01", "role:health_treatment/informed:imran"),
    ("VO01", "meeting:m1"),
    ("VO02", "meeting:m1"),
    ("VO03", "decision:m1/daily_living"),
    ("VO04", "voice:v0"),
    ("VO05", "meeting:m1"),
}


@pytest.fixture
def aisha_findings(
    people: dict[str, Person],
    as_user: Callable[[str], Client],
    today: Callable[[dt.date], None],
) -> Callable[[str], Any]:
    today(dt.date(2026, 9, 30))
    client = as_user("worker")
    return lambda query: client.get(f"/people/{people['aisha'].pk}/findings/{query}")


def test_default_is_today_over_the_year_before(aisha_findings: Callable[[str], Any]) -> None:
    response = aisha_findings("")
    assert response.status_code == 200
    assert pairs(response.content.decode()) == AISHA_BEFORE
    assert "at today's date, 30 September 2026, over the period from 30 September 2025" in (
        response.content.decode()
    )


def test_a_period_after_the_april_review_leaves_out_what_happened_before_it(
    aisha_findings: Callable[[str], Any],
) -> None:
    # the review was on 14 April 2026 and the voice record on 20 January: both before the
    # period; the consent finding is about the current state, so it stays
    response = aisha_findings("?since=2026-04-15")
    assert response.status_code == 200
    assert pairs(response.content.decode()) == {("IC01", "role:health_treatment/informed:imran")}
    # the period's first day is inclusive
    assert pairs(aisha_findings("?since=2026-04-14").content.decode()) == AISHA_BEFORE - {
        ("VO04", "voice:v0")
    }


def test_an_earlier_audit_date_leaves_out_later_records(
    aisha_findings: Callable[[str], Any],
) -> None:
    # on 13 April the review had not happened yet; the plan's consent (14 April) had not
    # been given either, and the January view is in the period
    # As recorded (the default for a past day), nothing had been written by 13 April: the
    # file was imported today.
    recorded = aisha_findings("?as_of=2026-04-13")
    assert recorded.status_code == 200
    assert pairs(recorded.content.decode()) == set()
    response = aisha_findings("?as_of=2026-04-13&view=corrected")
    html = response.content.decode()
    assert response.status_code == 200
    assert pairs(html) == {
        ("IC01", "role:health_treatment/informed:imran"),
        ("IC02", "plan"),
        ("VO04", "voice:v0"),
    }
    assert (
        "about 13 April 2026 with the corrections made since, over the period from 13 April 2025"
        in html
    )


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        (
            "?as_of=2026-02-30",
            "id_as_of",
            "Enter the audit date as year-month-day, for example 2026-03-31",
        ),
        (
            "?as_of=30/09/2026",
            "id_as_of",
            "Enter the audit date as year-month-day, for example 2026-03-31",
        ),
        ("?as_of=2026-10-01", "id_as_of", "The audit date must be today or in the past"),
        ("?since=2026-10-01", "id_since", "The period must not start after the audit date"),
        (
            "?as_of=2026-05-01&since=2026-05-02",
            "id_since",
            "The period must not start after the audit date",
        ),
    ],
)
def test_bad_dates_are_explained_and_kept(
    aisha_findings: Callable[[str], Any], query: str, field: str, message: str
) -> None:
    response = aisha_findings(query)
    html = response.content.decode()
    assert response.status_code == 400
    assert f'<li><a href="#{field}">{message}</a></li>' in html
    typed = query.split("=")[1].split("&")[0]
    assert f'value="{typed}"' in html
    assert pairs(html) == AISHA_BEFORE
