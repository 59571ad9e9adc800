from __future__ import annotations

from django.apps import AppConfig


class DraftsConfig(AppConfig):
    name = "kinwise.drafts"
    label = "drafts"
    verbose_name = "Unsaved form input"
