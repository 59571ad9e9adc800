from __future__ import annotations

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kinwise.core"
    label = "core"
    verbose_name = "Kinwise core"
