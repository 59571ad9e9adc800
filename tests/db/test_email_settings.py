"""Email settings come from the environment (read in a fresh interpreter for each case):
the console by default, SMTP when a host is named."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PRINT = (
    "import json, kinwise.config.settings as s; "
    "print(json.dumps({k: getattr(s, k, None) for k in ("
    "'EMAIL_BACKEND', 'EMAIL_HOST', 'EMAIL_PORT', 'EMAIL_HOST_USER', 'EMAIL_HOST_PASSWORD', "
    "'EMAIL_USE_TLS', 'DEFAULT_FROM_EMAIL')}))"
)


def email_settings(env: dict[str, str], cwd: Path) -> dict[str, object]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("KINWISE_")}
    out = subprocess.run(
        [sys.executable, "-c", PRINT],
        env={**clean, **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result: dict[str, object] = json.loads(out)
    return result


def test_emails_go_to_the_console_without_a_host(tmp_path: Path) -> None:
    assert email_settings({}, tmp_path) == {
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
        "EMAIL_HOST": "",
        "EMAIL_PORT": None,
        "EMAIL_HOST_USER": None,
        "EMAIL_HOST_PASSWORD": None,
        "EMAIL_USE_TLS": None,
        "DEFAULT_FROM_EMAIL": "kinwise@localhost",
    }


def test_smtp_when_a_host_is_named(tmp_path: Path) -> None:
    env = {
        "KINWISE_EMAIL_HOST": "smtp.care.example",
        "KINWISE_EMAIL_PORT": "587",
        "KINWISE_EMAIL_USER": "kinwise",
        "KINWISE_EMAIL_PASSWORD": "secret",
        "KINWISE_EMAIL_USE_TLS": "1",
        "KINWISE_EMAIL_FROM": "no-reply@care.example",
    }
    assert email_settings(env, tmp_path) == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "smtp.care.example",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "kinwise",
        "EMAIL_HOST_PASSWORD": "secret",
        "EMAIL_USE_TLS": True,
        "DEFAULT_FROM_EMAIL": "no-reply@care.example",
    }


def test_smtp_defaults_to_port_25_without_tls(tmp_path: Path) -> None:
    found = email_settings({"KINWISE_EMAIL_HOST": "mail.internal"}, tmp_path)
    assert (found["EMAIL_PORT"], found["EMAIL_USE_TLS"], found["EMAIL_HOST_USER"]) == (
        25,
        False,
        "",
    )
