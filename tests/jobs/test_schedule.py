"""When the periodic jobs run: a time of day in UK time, across the changes of the clocks."""

from __future__ import annotations

import datetime as dt

import pytest

from kinwise.errors import KinwiseError
from kinwise.jobs.schedule import at_local_time, time_of_day, weekday


@pytest.mark.parametrize(
    ("text", "expected"),
    [("02:00", dt.time(2, 0)), ("2:05", dt.time(2, 5)), ("23:59", dt.time(23, 59))],
)
def test_a_time_of_day_is_hh_mm(text: str, expected: dt.time) -> None:
    assert time_of_day(text, setting="KINWISE_NIGHTLY_AUDIT_AT") == expected


@pytest.mark.parametrize("text", ["24:00", "02:60", "0200", "2", "02:0", "-1:00", "ab:cd", ""])
def test_anything_else_is_refused_naming_the_setting(text: str) -> None:
    with pytest.raises(KinwiseError) as caught:
        time_of_day(text, setting="KINWISE_NIGHTLY_AUDIT_AT")
    assert caught.value.message == (
        f"KINWISE_NIGHTLY_AUDIT_AT must be a time written HH:MM, not '{text}'"
    )


def test_days_of_the_week() -> None:
    assert weekday("monday", setting="X") == 0
    assert weekday("sunday", setting="X") == 6
    with pytest.raises(KinwiseError, match="X must be a day of the week, not 'mon'"):
        weekday("mon", setting="X")


def utc(*args: int) -> dt.datetime:
    """What the scheduler passes: a naive UTC time."""
    return dt.datetime(*args)


def test_0200_uk_time_is_0200_utc_in_winter_and_0100_utc_in_summer() -> None:
    due = at_local_time(dt.time(2, 0))
    assert due(utc(2026, 12, 1, 2, 0))
    assert not due(utc(2026, 12, 1, 1, 0))
    assert not due(utc(2026, 12, 1, 2, 1))
    assert due(utc(2026, 7, 1, 1, 0))
    assert not due(utc(2026, 7, 1, 2, 0))
    # the nights the clocks change (29 March and 25 October 2026): once each
    assert [h for h in range(24) if due(utc(2026, 3, 29, h, 0))] == [1]
    assert [h for h in range(24) if due(utc(2026, 10, 25, h, 0))] == [2]


def test_an_aware_time_is_read_in_uk_time_too() -> None:
    due = at_local_time(dt.time(7, 0))
    assert due(dt.datetime(2026, 7, 1, 6, 0, tzinfo=dt.UTC))
    assert not due(dt.datetime(2026, 7, 1, 7, 0, tzinfo=dt.UTC))


def test_a_weekly_time_is_due_on_its_day_only() -> None:
    due = at_local_time(dt.time(7, 0), on=0)  # Mondays
    assert due(utc(2026, 11, 30, 7, 0))  # Monday 30 November 2026
    assert not due(utc(2026, 12, 1, 7, 0))  # Tuesday
