from __future__ import annotations

from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "kinwise.records"
    label = "records"
    verbose_name = "Case-file records"
