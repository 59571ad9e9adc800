"""`kinwise check --deploy`: Django's deploy checks under production settings give no
warning; the same checks on a development configuration fail, naming what is missing."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

KINWISE = str(Path(sys.executable).with_name("kinwise"))


def check(tmp_path: Path, *argv: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("KINWISE_")}
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    clean.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests' conftest
    return subprocess.run(
        [KINWISE, "check", *argv],
        env={**clean, "KINWISE_VAR_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
    )


def test_production_settings_pass_the_deploy_checks_with_no_warning(tmp_path: Path) -> None:
    run = check(
        tmp_path,
        "--deploy",
        KINWISE_SECURE_COOKIES="1",
        KINWISE_SECRET_KEY=secrets.token_urlsafe(64),
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "System check identified no issues (0 silenced)."


def test_a_development_configuration_fails_the_deploy_checks(tmp_path: Path) -> None:
    run = check(tmp_path, "--deploy")
    assert run.returncode == 1
    for warning in ("security.W004", "security.W008", "security.W009", "security.W012"):
        assert warning in run.stderr


def test_the_ordinary_checks_pass_in_development(tmp_path: Path) -> None:
    run = check(tmp_path)
    assert run.returncode == 0, run.stderr
