"""``/api/v1/`` (mounted by kinwise.config.urls): the operations and the OpenAPI document.
Ninja's root address stays (the document's paths are reversed from it) and answers 404:
the API has no page of its own."""

from __future__ import annotations

from kinwise.api.handlers import build_api

api = build_api()
app_name = "api"
urlpatterns = list(api.urls[0])
