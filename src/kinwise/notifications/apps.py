from __future__ import annotations

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "kinwise.notifications"
    label = "notifications"
    verbose_name = "Email notifications"
