from __future__ import annotations

from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "kinwise.governance"
    label = "governance"
    verbose_name = "Governance"
