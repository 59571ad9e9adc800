"""WSGI entry point. Refuses to serve with the development secret key unless debug is on."""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kinwise.config.settings")

application = get_wsgi_application()

from django.conf import settings  # noqa: E402 - settings are ready only after the line above

if settings.SECRET_KEY == settings.DEVELOPMENT_SECRET_KEY and not settings.DEBUG:
    raise ImproperlyConfigured(
        "set KINWISE_SECRET_KEY to serve Kinwise (or KINWISE_DEBUG=1 on a development machine)"
    )
