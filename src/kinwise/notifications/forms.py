from __future__ import annotations

from django import forms


class EmailPreferenceForm(forms.Form):
    """Which emails the user wants: two yes/no choices (nothing to get wrong)."""

    daily_work_items = forms.BooleanField(required=False)
    weekly_summary = forms.BooleanField(required=False)
