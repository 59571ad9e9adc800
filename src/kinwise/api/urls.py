"""``/api/v1/`` (mounted by kinwise.config.urls)."""

from __future__ import annotations

from kinwise.api.handlers import build_api

api = build_api()
urlpatterns = [*api.urls[0]]
