from __future__ import annotations

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "kinwise.web"
    label = "web"
    verbose_name = "Staff web pages"
