"""Settings come from the environment; read in a fresh interpreter for each case."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PRINT = (
    "import json, kinwise.config.settings as s; "
    "print(json.dumps({'engine': s.DATABASES['default']['ENGINE'], "
    "'name': str(s.DATABASES['default']['NAME']), 'debug': s.DEBUG, "
    "'tz': s.TIME_ZONE, 'use_tz': s.USE_TZ, 'dev_key': s.SECRET_KEY == s.DEVELOPMENT_SECRET_KEY}))"
)


def settings_with(env: dict[str, str], cwd: Path) -> dict[str, object]:
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


def test_sqlite_in_the_var_directory_of_the_current_directory_by_default(tmp_path: Path) -> None:
    found = settings_with({}, tmp_path)
    assert found == {
        "engine": "django.db.backends.sqlite3",
        "name": str(tmp_path / "var" / "kinwise.sqlite3"),
        "debug": False,
        "tz": "Europe/London",
        "use_tz": True,
        "dev_key": True,
    }
    assert (tmp_path / "var").is_dir()


def test_var_directory_database_url_debug_and_secret_key_from_the_environment(
    tmp_path: Path,
) -> None:
    found = settings_with({"KINWISE_VAR_DIR": str(tmp_path / "data")}, tmp_path)
    assert found["name"] == str(tmp_path / "data" / "kinwise.sqlite3")

    found = settings_with(
        {
            "KINWISE_DATABASE_URL": "postgres://kw@db.example:5432/kinwise",
            "KINWISE_DEBUG": "1",
            "KINWISE_SECRET_KEY": "s3cret-for-this-test",
        },
        tmp_path / "data",
    )
    assert (found["engine"], found["name"], found["debug"], found["dev_key"]) == (
        "django.db.backends.postgresql",
        "kinwise",
        True,
        False,
    )


@pytest.mark.parametrize(
    ("env", "serves"),
    [
        ({}, False),
        ({"KINWISE_DEBUG": "1"}, True),
        ({"KINWISE_SECRET_KEY": "s3cret-for-this-test"}, True),
    ],
)
def test_the_wsgi_application_refuses_the_development_key_without_debug(
    env: dict[str, str], serves: bool, tmp_path: Path
) -> None:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("KINWISE_")}
    run = subprocess.run(
        [sys.executable, "-c", "import kinwise.config.wsgi"],
        env={**clean, **env, "KINWISE_VAR_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
    )
    assert (run.returncode == 0) is serves
    if not serves:
        assert "set KINWISE_SECRET_KEY to serve Kinwise" in run.stderr
