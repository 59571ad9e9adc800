"""The one place the web pages read the date: every judgement below takes it as ``as_of``."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def today() -> dt.date:
    """Today's date in the service's time zone (settings.TIME_ZONE)."""
    return timezone.localdate()
