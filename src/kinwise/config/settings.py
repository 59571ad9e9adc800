"""Django settings of Kinwise: one module, configured by environment variables.

- ``KINWISE_DATABASE_URL``: a database URL (``postgres://user@host:5432/name`` selects
  PostgreSQL through psycopg 3); without it, SQLite at ``$KINWISE_VAR_DIR/kinwise.sqlite3``.
- ``KINWISE_VAR_DIR``: where local data lives (default ``./var`` of the current directory).
- ``KINWISE_SECRET_KEY``: required to serve the web application with debug off (at least
  50 characters); without it a development key is used, which ``kinwise.config.wsgi``
  refuses unless debug is on.
- ``KINWISE_SECRET_KEY_FILE``: read the secret key from this file instead, generating it
  (owner-only) when missing: what ``make run`` uses for a local key kept in ``var/``.
- ``KINWISE_DEBUG``: ``1`` turns debug on (off by default).
- ``KINWISE_ALLOWED_HOSTS``: comma-separated host names (default ``localhost,127.0.0.1``).
- ``KINWISE_LOG_LEVEL``: level of Kinwise's own log (default ``WARNING``).
- ``KINWISE_SECURE_COOKIES``: ``1`` when served over HTTPS (production): cookies marked
  ``Secure`` with ``__Host-`` names, HSTS, and plain-HTTP requests redirected to HTTPS.
- ``KINWISE_TRUST_X_FORWARDED_PROTO``: ``1`` when a proxy in front terminates TLS and sets
  ``X-Forwarded-Proto`` (and strips any the client sent).
- ``KINWISE_HSTS_SECONDS``: how long browsers keep to HTTPS (default one year, with
  ``KINWISE_SECURE_COOKIES=1``).
- ``KINWISE_SESSION_IDLE_MINUTES``: a session ends after this many minutes without a
  request (default 30); a warning offers to stay signed in two minutes before.
- ``KINWISE_SESSION_MAX_HOURS``: a session ends this many hours after sign-in, whatever
  its activity (default 12).
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
- ``KINWISE_JOB_TIME_LIMIT``: seconds a job may run before it is ended (default 3600).

Data protection (kinwise.dataprotection, docs/security.md):

- ``KINWISE_RETENTION_YEARS``: years a person's records are kept after their support
  ended (default 8), then erased by ``kinwise retention --apply``.
- ``KINWISE_RETENTION_APPLY``: ``1`` lets the weekly retention job erase the people past
  the policy; without it (the default) the job only logs how many there are.
- ``KINWISE_RETENTION_AT`` / ``KINWISE_RETENTION_ON``: when the weekly retention job runs,
  ``HH:MM`` UK time (default ``03:00``) on a day name (default ``sunday``).
- ``KINWISE_ARCHIVE_DIR``: where erased people's archives are written (default
  ``$KINWISE_VAR_DIR/archive``, owner-only).
- ``KINWISE_REQUEST_TIMEOUT``: seconds ``kinwise serve`` lets a worker process go silent
  before it is restarted (gunicorn's timeout, default 120; read by the command).
- ``KINWISE_REQUEST_TIME_LIMIT``: seconds one request may run before it is stopped with
  "this took too long" (default 60; 0: no limit; kinwise.web.time_limit).

"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import dj_database_url

from kinwise.config.security import (
    ensure_private_dir,
    ensure_private_file,
    int_setting,
    secret_key_from_file,
)

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


DEBUG = _flag("KINWISE_DEBUG")

# A development key: fine for the command line and tests (nothing signed there leaves
# the machine); kinwise.config.wsgi refuses to serve with it unless DEBUG is on.
DEVELOPMENT_SECRET_KEY = "django-insecure-kinwise-development-only"
# The shortest key accepted outside development (Django's deploy check asks for 50).
SECRET_KEY_MIN_LENGTH = 50
_secret_key_file = os.environ.get("KINWISE_SECRET_KEY_FILE", "").strip()
SECRET_KEY = (
    os.environ.get("KINWISE_SECRET_KEY")
    or (secret_key_from_file(Path(_secret_key_file)) if _secret_key_file else "")
    or DEVELOPMENT_SECRET_KEY
)

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
    # people's records: the directory and the file readable by their owner only (SQLite
    # gives its journal files the database file's permissions)
    ensure_private_dir(VAR_DIR)
    ensure_private_file(VAR_DIR / "kinwise.sqlite3")
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
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "kinwise.core",
    "kinwise.records",
    "kinwise.family",
    "kinwise.drafts",
    "kinwise.accesslog",
    "kinwise.governance",
    "kinwise.audits",
    "kinwise.web",
    "kinwise.reports",
    "kinwise.notifications",
    "kinwise.jobs",
    "kinwise.dataprotection",
    "kinwise.accounts",
    "kinwise.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # a request past its time limit is stopped here, outside everything it runs
    "kinwise.web.time_limit.RequestTimeLimitMiddleware",
    # static files leave here, before sessions, headers for pages and the checks below
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # kinwise.accesslog: where each page's access decisions come from, for the access log
    "kinwise.accesslog.middleware.AccessContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # kinwise.accounts: no-store on what a signed-in user is sent; sessions ended when
    # idle, too old or the account changed; the second factor before any other page
    "kinwise.accounts.middleware.NoStoreMiddleware",
    "kinwise.accounts.middleware.SessionLimitsMiddleware",
    "kinwise.accounts.middleware.SecondFactorMiddleware",
    # kinwise.portal: a family or person account reaches only its own portal (every
    # staff page answers it 404, logged: kinwise.access.portal)
    "kinwise.portal.middleware.PortalOnlyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # the sign-in throttle (django-axes) answers a locked-out attempt; last, as it asks
    "axes.middleware.AxesMiddleware",
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
                "kinwise.accounts.context.session_warning",
            ],
        },
    },
    # the record sections of the person pages (kinwise/web/jinja2/, docs/adr/0278),
    # rendered inside their Django page by {% record_section %}
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"environment": "kinwise.web.jinja.environment"},
    },
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

# --- Security: sign-in, sessions, cookies and headers (docs/security.md) -----------------

# Over HTTPS (production): Secure cookies with __Host- names, HSTS, HTTP redirected.
HTTPS = not DEBUG and _flag("KINWISE_SECURE_COOKIES")

AUTHENTICATION_BACKENDS = [
    # refuses a locked-out username or address before any password is hashed
    "kinwise.accounts.backends.SignInThrottleBackend",
    "kinwise.accounts.backends.StaffBackend",
]

# NCSC: length over complexity, a list of breached and common passwords (shipped with
# Kinwise), nothing like the username.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {
        "NAME": "django.contrib.auth.password_validation.CommonPasswordValidator",
        "OPTIONS": {
            "password_list_path": PACKAGE_DIR / "accounts" / "data" / "common-passwords.txt.gz"
        },
    },
]

# Sign-in throttle (django-axes): 10 failures for one username from any address lock that
# username, 10 from one address lock that address, each until 15 minutes after its last
# failure. Unknown usernames count the same. Kinwise logs failures itself (no username).
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = dt.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_LOCKOUT_CALLABLE = "kinwise.accounts.views.signin_refused"
AXES_CLIENT_STR_CALLABLE = "kinwise.accounts.throttle.client_str"
AXES_CLIENT_IP_CALLABLE = "kinwise.accounts.throttle.client_address"
AXES_DISABLE_ACCESS_LOG = True
AXES_RESET_ON_SUCCESS = False
# attempts while locked do not extend the lock: it passes 15 minutes after the 10th failure
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_VERBOSE = False
# Behind a proxy that terminates TLS: trust its X-Forwarded-Proto, and take the client's
# address from the last X-Forwarded-For hop (the one the proxy added).
BEHIND_PROXY = _flag("KINWISE_BEHIND_PROXY")
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Second factor: TOTP (django-otp), required for registered managers and quality leads.
OTP_TOTP_ISSUER = "Kinwise"
# Step-up: sensitive actions ask for the password or a code again after this long.
KINWISE_STEP_UP_MINUTES = 5

# Sessions: ended after KINWISE_SESSION_IDLE_MINUTES without a request, and
# KINWISE_SESSION_MAX_HOURS after sign-in (kinwise.accounts.middleware); the cookie
# itself lasts until the browser closes.
KINWISE_REQUEST_TIME_LIMIT = int_setting("KINWISE_REQUEST_TIME_LIMIT", 60, least=0, most=3600)
KINWISE_SESSION_IDLE_MINUTES = int_setting("KINWISE_SESSION_IDLE_MINUTES", 30, least=3, most=1440)
KINWISE_SESSION_MAX_HOURS = int_setting("KINWISE_SESSION_MAX_HOURS", 12, least=1, most=168)
SESSION_COOKIE_AGE = KINWISE_SESSION_MAX_HOURS * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
# __Host- names: the browser keeps them only when Secure, for this host, on path /
SESSION_COOKIE_NAME = "__Host-kinwise-session" if HTTPS else "kinwise-session"
CSRF_COOKIE_NAME = "__Host-kinwise-csrf" if HTTPS else "kinwise-csrf"

SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = (
    int_setting("KINWISE_HSTS_SECONDS", 31_536_000, least=0, most=63_072_000) if HTTPS else 0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): scripts only from Kinwise's own static files,
# nothing from another origin, never framed. The drawn charts (matplotlib SVG, inline
# in report pages) carry presentation in style attributes and one fixed <style>, allowed
# by its hash; no inline script is allowed anywhere.
_CHART_STYLE_HASH = "'sha256-2Iqu4MW0P4n79bqVmTDfLWhO8TS7MxwRJn7HVNDr7EQ='"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", _CHART_STYLE_HASH],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

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
        # django-axes names usernames in its messages: Kinwise logs sign-in failures itself
        "axes": {"handlers": ["console"], "level": "CRITICAL", "propagate": False},
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
    "retention_at": os.environ.get("KINWISE_RETENTION_AT", "03:00").strip(),
    "retention_on": os.environ.get("KINWISE_RETENTION_ON", "sunday").strip().lower(),
    # a job running longer is ended (kinwise.jobs.limits)
    "job_time_limit": int_setting("KINWISE_JOB_TIME_LIMIT", 3600, least=1, most=86_400),
}

# --- data protection (kinwise.dataprotection, docs/security.md) ----------------------------
KINWISE_RETENTION_YEARS = int_setting("KINWISE_RETENTION_YEARS", 8, least=1, most=100)
# the weekly job erases only when asked; otherwise it counts and logs
KINWISE_RETENTION_APPLY = _flag("KINWISE_RETENTION_APPLY")
KINWISE_ARCHIVE_DIR = Path(os.environ.get("KINWISE_ARCHIVE_DIR") or VAR_DIR / "archive")
SITE_URL = os.environ.get("KINWISE_SITE_URL", "http://127.0.0.1:8000").strip().rstrip("/")

# The API (docs/api.md): calls a minute per token before 429 with Retry-After. Counted in
# the default cache: give a shared one when several processes serve the API.
KINWISE_API_RATE = int_setting("KINWISE_API_RATE", 120, least=1, most=100_000)
