"""When the periodic jobs run: a time of day in UK time (``settings.TIME_ZONE``).

The queue's scheduler asks, once a minute, whether each periodic job is due at that
minute, giving the time in UTC; :func:`at_local_time` answers in UK time, so "02:00"
stays 02:00 on either side of a change of the clocks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.conf import settings

from kinwise.errors import ErrorCode, KinwiseError

WEEKDAYS: tuple[str, ...] = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)


def time_of_day(text: str, *, setting: str) -> dt.time:
    """``HH:MM`` (24-hour) as a time; anything else is a usage error naming the setting."""
    hours, sep, minutes = text.partition(":")
    if (
        sep
        and len(hours) in (1, 2)
        and len(minutes) == 2
        and hours.isdigit()
        and minutes.isdigit()
        and int(hours) < 24
        and int(minutes) < 60
    ):
        return dt.time(int(hours), int(minutes))
    raise KinwiseError(ErrorCode.USAGE, f"{setting} must be a time written HH:MM, not '{text}'")


def weekday(text: str, *, setting: str) -> int:
    """A day's name (``monday``...) as 0 (Monday) to 6."""
    if text in WEEKDAYS:
        return WEEKDAYS.index(text)
    raise KinwiseError(ErrorCode.USAGE, f"{setting} must be a day of the week, not '{text}'")


def at_local_time(at: dt.time, *, on: int | None = None) -> Callable[[dt.datetime], bool]:
    """A test of the scheduler's minute (naive UTC, or aware): true at ``at`` UK time,
    and only on weekday ``on`` (0 = Monday) when it is given."""

    def due(moment: dt.datetime) -> bool:
        aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
        local = aware.astimezone(ZoneInfo(settings.TIME_ZONE))
        return (
            local.hour == at.hour
            and local.minute == at.minute
            and (on is None or local.weekday() == on)
        )

    return due
