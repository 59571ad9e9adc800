from __future__ import annotations

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "kinwise.reports"
    label = "reports"
    verbose_name = "Evidence and reports"
