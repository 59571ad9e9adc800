from __future__ import annotations

from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "kinwise.portal"
    label = "portal"
    verbose_name = "Family and person portal"
