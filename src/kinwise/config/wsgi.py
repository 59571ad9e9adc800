"""WSGI entry point. Refuses to serve, outside development (debug on), with the
development secret key or a key shorter than 50 characters."""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kinwise.config.settings")

application = get_wsgi_application()

from django.conf import settings  # noqa: E402 - settings are ready only after the line above

from kinwise.config.security import secret_key_problem  # noqa: E402

_problem = secret_key_problem(
    key=settings.SECRET_KEY,
    development_key=settings.DEVELOPMENT_SECRET_KEY,
    debug=settings.DEBUG,
    least=settings.SECRET_KEY_MIN_LENGTH,
)
if _problem is not None:
    raise ImproperlyConfigured(_problem)
