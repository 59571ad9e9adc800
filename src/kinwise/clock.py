"""The one place the pages read the date: every judgement below takes it as ``as_of``.

Only the edges read today's date (the web views through :func:`today`; the command line
through its own ``_today``); everything else is given the date.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def today() -> dt.date:
    """Today's date in the service's time zone (settings.TIME_ZONE)."""
    return timezone.localdate()
