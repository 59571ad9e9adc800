from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class EmailPreference(models.Model):
    """Which of Kinwise's emails a user gets. A user with no row gets them all (the
    emails are on unless turned off); the row is written by
    :func:`kinwise.notifications.services.email_preference_update`, with its history."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_preference"
    )
    daily_work_items = models.BooleanField(
        default=True, help_text="the daily email of work items due or overdue"
    )
    weekly_summary = models.BooleanField(
        default=True, help_text="the registered manager's weekly summary"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"email preference {self.pk}"
