"""The one place the pages read the date: every judgement below takes it as ``as_of``.

Only the edges read today's date (the web views through :func:`today`; the command line
through its own ``_today``); everything else is given the date.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.utils import timezone


def today() -> dt.date:
    """Today's date in the service's time zone (settings.TIME_ZONE)."""
    return timezone.localdate()


UK = zoneinfo.ZoneInfo("Europe/London")


def end_of_day(day: dt.date) -> dt.datetime:
    """The instant day ``day`` ends in UK time (Europe/London, whatever settings.TIME_ZONE
    says): midnight at the start of the next day. What was recorded "by the end of ``day``"
    was written strictly before it."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=UK)
