from __future__ import annotations

from django.apps import AppConfig


class FamilyConfig(AppConfig):
    name = "kinwise.family"
    label = "family"
    verbose_name = "Family and person accounts"
