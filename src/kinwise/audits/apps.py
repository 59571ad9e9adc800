from __future__ import annotations

from django.apps import AppConfig


class AuditsConfig(AppConfig):
    name = "kinwise.audits"
    label = "audits"
    verbose_name = "Stored audits"
