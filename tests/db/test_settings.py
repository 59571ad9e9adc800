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


LONG_KEY = "a-secret-key-for-this-test-only-" + "x7" * 10  # 52 characters


@pytest.mark.parametrize(
    ("env", "serves"),
    [
        ({}, False),
        ({"KINWISE_DEBUG": "1"}, True),
        ({"KINWISE_SECRET_KEY": LONG_KEY}, True),
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


@pytest.mark.parametrize(
    ("key", "serves"),
    [("abc", False), (LONG_KEY[:49], False), (LONG_KEY[:50], True)],
)
def test_a_secret_key_shorter_than_50_characters_is_refused_outside_development(
    key: str, serves: bool, tmp_path: Path
) -> None:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("KINWISE_")}
    run = subprocess.run(
        [sys.executable, "-c", "import kinwise.config.wsgi"],
        env={**clean, "KINWISE_SECRET_KEY": key, "KINWISE_VAR_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
    )
    assert (run.returncode == 0) is serves
    if not serves:
        assert f"KINWISE_SECRET_KEY is {len(key)} characters long: it must be at least 50" in (
            run.stderr
        )
        assert key not in run.stderr  # the key itself is never shown
    # in development (debug on) a short key is allowed
    debug = subprocess.run(
        [sys.executable, "-c", "import kinwise.config.wsgi"],
        env={
            **clean,
            "KINWISE_SECRET_KEY": key,
            "KINWISE_DEBUG": "1",
            "KINWISE_VAR_DIR": str(tmp_path),
        },
        capture_output=True,
        text=True,
    )
    assert debug.returncode == 0


def test_the_var_directory_and_the_sqlite_file_are_created_owner_only(tmp_path: Path) -> None:
    settings_with({}, tmp_path)
    assert oct((tmp_path / "var").stat().st_mode & 0o777) == "0o700"
    assert oct((tmp_path / "var" / "kinwise.sqlite3").stat().st_mode & 0o777) == "0o600"
    clean = {k: v for k, v in os.environ.items() if not k.startswith("KINWISE_")}
    subprocess.run(
        [sys.executable, "-m", "kinwise.cli", "migrate"],
        env={**clean, "KINWISE_VAR_DIR": str(tmp_path / "var")},
        cwd=tmp_path,
        capture_output=True,
        check=True,
    )
    made = sorted(p.name for p in (tmp_path / "var").iterdir())
    assert "kinwise.sqlite3" in made
    for name in made:  # the database and its write-ahead log files
        assert oct((tmp_path / "var" / name).stat().st_mode & 0o077) == "0o0", name


def test_a_local_key_file_is_generated_owner_only_once_and_kept(tmp_path: Path) -> None:
    key_file = tmp_path / "var" / "secret-key"
    read = "import kinwise.config.settings as s; print(s.SECRET_KEY)"
    clean = {k: v for k, v in os.environ.items() if not k.startswith("KINWISE_")}
    env = {
        **clean,
        "KINWISE_SECRET_KEY_FILE": str(key_file),
        "KINWISE_VAR_DIR": str(tmp_path / "var"),
    }
    first = subprocess.run(
        [sys.executable, "-c", read], env=env, capture_output=True, text=True, check=True
    )
    second = subprocess.run(
        [sys.executable, "-c", read], env=env, capture_output=True, text=True, check=True
    )
    assert first.stdout == second.stdout
    assert len(first.stdout.strip()) >= 80
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    served = subprocess.run(
        [sys.executable, "-c", "import kinwise.config.wsgi"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert served.returncode == 0, served.stderr


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, {"secure": False, "session": "kinwise-session", "hsts": 0, "redirect": False}),
        (
            {"KINWISE_SECURE_COOKIES": "1"},
            {
                "secure": True,
                "session": "__Host-kinwise-session",
                "hsts": 31536000,
                "redirect": True,
            },
        ),
        (
            {"KINWISE_SECURE_COOKIES": "1", "KINWISE_DEBUG": "1"},
            {"secure": False, "session": "kinwise-session", "hsts": 0, "redirect": False},
        ),
    ],
)
def test_https_settings(env: dict[str, str], expected: dict[str, object], tmp_path: Path) -> None:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("KINWISE_")}
    show = (
        "import json, kinwise.config.settings as s; print(json.dumps({'secure': s.SESSION_COOKIE_SECURE "
        "and s.CSRF_COOKIE_SECURE, 'session': s.SESSION_COOKIE_NAME, 'hsts': s.SECURE_HSTS_SECONDS, "
        "'redirect': s.SECURE_SSL_REDIRECT}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", show],
        env={**clean, **env, "KINWISE_VAR_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert json.loads(out) == expected


def test_a_session_limit_that_is_not_a_number_stops_the_start(tmp_path: Path) -> None:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("KINWISE_")}
    run = subprocess.run(
        [sys.executable, "-c", "import kinwise.config.settings"],
        env={**clean, "KINWISE_SESSION_IDLE_MINUTES": "thirty", "KINWISE_VAR_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
    )
    assert run.returncode != 0
    assert "KINWISE_SESSION_IDLE_MINUTES must be a whole number from 3 to 1440" in run.stderr
