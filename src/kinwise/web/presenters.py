"""The readings the edit forms and their views use, under the name they import.

The readings themselves live in :mod:`kinwise.readings` (pure, shared with reports and
governance); ``web/forms.py`` and ``web/views/edit.py`` still import them from here
(``from kinwise.web import presenters as p``). Nothing else may: new code imports
``kinwise.readings`` directly, and this module goes when those two do.
"""

from __future__ import annotations

from kinwise.readings.labels import (
    AREA_LABELS,
    AUTHORITY_LABELS,
    CONSENT_LABELS,
    MEETING_KIND_LABELS,
    POSITION_LABELS,
    SETTING_LABELS,
    SUPPORT_LABELS,
    area_label,
    area_title,
    long_date,
    method_label,
    task_label,
)
from kinwise.readings.names import Names
from kinwise.readings.voice import BalanceRow, balance_warning, voice_balance

__all__ = [
    "AREA_LABELS",
    "AUTHORITY_LABELS",
    "CONSENT_LABELS",
    "MEETING_KIND_LABELS",
    "POSITION_LABELS",
    "SETTING_LABELS",
    "SUPPORT_LABELS",
    "BalanceRow",
    "Names",
    "area_label",
    "area_title",
    "balance_warning",
    "long_date",
    "method_label",
    "task_label",
    "voice_balance",
]
