from __future__ import annotations

from django.apps import AppConfig


class AccessLogConfig(AppConfig):
    name = "kinwise.accesslog"
    label = "accesslog"
    verbose_name = "Access log"
