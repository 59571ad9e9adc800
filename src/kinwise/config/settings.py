"""Django settings of Kinwise: one module, configured by environment variables.

- ``KINWISE_DATABASE_URL``: a database URL (``postgres://user@host:5432/name`` selects
  PostgreSQL through psycopg 3); without it, SQLite at ``$KINWISE_VAR_DIR/kinwise.sqlite3``.
- ``KINWISE_VAR_DIR``: where local data lives (default ``./var`` of the current directory).
- ``KINWISE_SECRET_KEY``: required to serve the web application with debug off; without
  it a development key is used, which ``kinwise.config.wsgi`` refuses unless debug is on.
- ``KINWISE_DEBUG``: ``1`` turns debug on (off by default).
- ``KINWISE_ALLOWED_HOSTS``: comma-separated host names (default ``localhost,127.0.0.1``).
- ``KINWISE_LOG_LEVEL``: level of Kinwise's own log (default ``WARNING``).
- ``KINWISE_SECURE_COOKIES``: ``1`` marks session and CSRF cookies secure (behind HTTPS).
- ``KINWISE_EMAIL_HOST`` (and ``_PORT``, ``_USER``, ``_PASSWORD``, ``_USE_TLS``, ``_FROM``):
  the SMTP server for invitations and password resets; without a host, emails are
  printed on the console (development).

Background jobs (kinwise.jobs, docs/adr/0040-job-queue.md):

- ``KINWISE_QUEUE_URL``: the job queue: ``redis://host:6379/0`` or
  ``postgres://user@host:5432/name`` for workers on several machines; without it, a
  SQLite file at ``$KINWISE_VAR_DIR/queue.sqlite3`` (workers on this machine only).
- ``KINWISE_QUEUE_IMMEDIATE``: ``1`` runs each job at once in the process that asks for it
  (no worker; for tests and debugging).
- ``KINWISE_NIGHTLY_AUDIT_AT``: when the nightly audit of every service runs, ``HH:MM`` UK
  time (default ``02:00``).
- ``KINWISE_EMAIL_DAILY_AT``: when the daily work-item emails go out, ``HH:MM`` UK time
  (default ``07:00``); the registered managers' weekly summary goes at the same time on
  ``KINWISE_EMAIL_WEEKLY_ON`` (a day name, default ``monday``).
- ``KINWISE_SITE_URL``: the address the emails link to (default ``http://127.0.0.1:8000``).

"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


DEBUG = _flag("KINWISE_DEBUG")

# A development key: fine for the command line and tests (nothing signed there leaves
# the machine); kinwise.config.wsgi refuses to serve with it unless DEBUG is on.
DEVELOPMENT_SECRET_KEY = "django-insecure-kinwise-development-only"
SECRET_KEY = os.environ.get("KINWISE_SECRET_KEY") or DEVELOPMENT_SECRET_KEY

ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("KINWISE_ALLOWED_HOSTS", "localhost,127.0.0.1").split(",")
    if host.strip()
]

VAR_DIR = Path(os.environ.get("KINWISE_VAR_DIR") or Path.cwd() / "var")

# Each server thread keeps its connection for a minute (checked before reuse): opening
# one per request costs more than a page that is already built.
_database_url = os.environ.get("KINWISE_DATABASE_URL", "").strip()
if _database_url:
    DATABASES = {
        "default": dj_database_url.parse(_database_url, conn_max_age=60, conn_health_checks=True)
    }
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "kinwise.sqlite3"),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            # write-ahead logging: the server's processes read while another writes; a
            # writer waits up to 30 s for another's lock (kinwise.records.transactions)
            "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL", "timeout": 30},
        }
    }

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "kinwise.core",
    "kinwise.records",
    "kinwise.governance",
    "kinwise.audits",
    "kinwise.web",
    "kinwise.reports",
    "kinwise.notifications",
    "kinwise.jobs",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "kinwise.config.urls"
WSGI_APPLICATION = "kinwise.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    }
]

# Per-process caches. "template_fragments" keeps the read pages about a person, keyed by
# the state of their records (kinwise/web/templates/web/person/page.html).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "template_fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "kinwise-template-fragments",
        "TIMEOUT": None,
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:people"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Collected static files, when a deployment runs collectstatic; none otherwise (WhiteNoise
# then serves from the finders, below).
_static_root = VAR_DIR / "static"
STATIC_ROOT = _static_root if _static_root.is_dir() else None
# Front-end packages installed from the npm registry by `make install` (package.json),
# served as they are from node_modules: the NHS.UK frontend, HTMX and (for tests) axe-core.
NODE_MODULES = Path(
    os.environ.get("KINWISE_NODE_MODULES") or PACKAGE_DIR.parent.parent / "node_modules"
)
STATICFILES_DIRS = [
    ("nhsuk", NODE_MODULES / "nhsuk-frontend" / "dist" / "nhsuk"),
    ("htmx", NODE_MODULES / "htmx.org" / "dist"),
]
# WhiteNoise serves them under any server (`kinwise serve`), straight from the finders'
# locations above and the apps' static folders: no collectstatic step.
WHITENOISE_USE_FINDERS = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Email: invitations and password resets, each carrying only a link (no personal data).
# On the console unless an SMTP server is named.
EMAIL_HOST = os.environ.get("KINWISE_EMAIL_HOST", "").strip()
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("KINWISE_EMAIL_PORT") or 25)
    EMAIL_HOST_USER = os.environ.get("KINWISE_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("KINWISE_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = _flag("KINWISE_EMAIL_USE_TLS")
    EMAIL_TIMEOUT = 30
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("KINWISE_EMAIL_FROM") or "kinwise@localhost"
# How long an invitation or password-reset link works (seconds): three days.
PASSWORD_RESET_TIMEOUT = 3 * 24 * 60 * 60

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG and _flag("KINWISE_SECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"

# Logging never carries personal data: records are named by kind and database id only,
# SQL (whose parameters hold names and notes) is never logged, and request errors are
# reported by path without the request body.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "kinwise": {
            "handlers": ["console"],
            "level": os.environ.get("KINWISE_LOG_LEVEL", "WARNING").upper(),
            "propagate": False,
        },
        "django.db.backends": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

# --- background jobs (kinwise.jobs) -------------------------------------------------------
KINWISE_QUEUE: dict[str, Any] = {
    "url": os.environ.get("KINWISE_QUEUE_URL", "").strip(),
    "sqlite_path": VAR_DIR / "queue.sqlite3",
    "immediate": _flag("KINWISE_QUEUE_IMMEDIATE"),
    "nightly_audit_at": os.environ.get("KINWISE_NIGHTLY_AUDIT_AT", "02:00").strip(),
    "email_daily_at": os.environ.get("KINWISE_EMAIL_DAILY_AT", "07:00").strip(),
    "email_weekly_on": os.environ.get("KINWISE_EMAIL_WEEKLY_ON", "monday").strip().lower(),
}
SITE_URL = os.environ.get("KINWISE_SITE_URL", "http://127.0.0.1:8000").strip().rstrip("/")

