"""Starting Django from the command line (`kinwise import`, `kinwise demo`, ...)."""

from __future__ import annotations

import os

SETTINGS_MODULE = "kinwise.config.settings"


def setup_django() -> None:
    """Point Django at Kinwise's settings unless told otherwise, and set it up (idempotent)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()
