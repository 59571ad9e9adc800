"""Backups: `kinwise backup --out FILE` and `kinwise restore --from FILE`, on SQLite (its
backup API) and on PostgreSQL (pg_dump / pg_restore): back up, change the data, restore,
and the data is as it was at the backup. Each runs the real command line on a database
of its own (a SQLite file in a temporary var dir; a PostgreSQL database made for it).

After a restore the access log's chain is checked with ``ACCESS_LOG_VERIFY`` (the
`kinwise access-log verify` command: see :func:`access_log_verified`)."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

CASEFILES = Path(__file__).resolve().parents[2] / "src" / "kinwise" / "demo" / "casefiles"
WAIT = 300

# The command that checks the access log's chain after a restore.
ACCESS_LOG_VERIFY: tuple[str, ...] | None = ("access-log", "verify")


@dataclass
class Installation:
    var: Path
    env: dict[str, str]

    def kinwise(self, *argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "kinwise.cli", *argv],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=WAIT,
            check=False,
        )

    def ok(self, *argv: str) -> str:
        done = self.kinwise(*argv)
        assert done.returncode == 0, done.stderr
        return done.stdout


def _installation(tmp_path: Path, database_url: str) -> Installation:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"KINWISE_DATABASE_URL", "KINWISE_QUEUE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env["KINWISE_VAR_DIR"] = str(tmp_path / "var")
    env["KINWISE_QUEUE_IMMEDIATE"] = "1"
    if database_url:
        env["KINWISE_DATABASE_URL"] = database_url
    here = Installation(tmp_path / "var", env)
    here.ok("migrate")
    return here


def _postgres_url() -> str:
    """A database of this test's own, on the server the tests use (or the local one)."""
    base = os.environ.get("KINWISE_DATABASE_URL", "").strip()
    if not base.startswith(("postgres://", "postgresql://")):
        base = "postgres://postgres@127.0.0.1:5432/kinwise"
    root, _, name = base.rpartition("/")
    return f"{root}/{name.split('?')[0]}_backup_{uuid.uuid4().hex[:8]}"


@pytest.fixture(params=["sqlite", "postgresql"])
def installation(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Installation]:
    if request.param == "sqlite":
        yield _installation(tmp_path, "")
        return
    assert shutil.which("pg_dump") is not None, "pg_dump is needed for the PostgreSQL backups"
    import psycopg

    url = _postgres_url()
    root, _, name = url.rpartition("/")
    with psycopg.connect(f"{root}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _installation(tmp_path, url)
    finally:
        with psycopg.connect(f"{root}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def access_log_verified(here: Installation) -> None:
    """The restored database's access log is intact (exit 0), once the command exists."""
    if ACCESS_LOG_VERIFY is not None:
        here.ok(*ACCESS_LOG_VERIFY)


def test_back_up_change_restore(installation: Installation, tmp_path: Path) -> None:
    here = installation
    here.ok(
        "import",
        str(CASEFILES / "01-risk-and-independence.before.yaml"),
        "--organisation",
        "acme",
        "--create-organisation",
    )
    at_backup = here.ok("export", "sam", "--format", "json")
    backup = tmp_path / "backups" / "kinwise.backup"
    done = here.kinwise("backup", "--out", str(backup))
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    assert backup.is_file() and stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert not [p.name for p in backup.parent.iterdir() if p.name != backup.name]

    # change the data: Sam's newer case file, and a second person
    here.ok("import", str(CASEFILES / "01-risk-and-independence.yaml"), "--organisation", "acme")
    here.ok("import", str(CASEFILES / "03-historic-arrangement.yaml"), "--organisation", "acme")
    assert here.ok("export", "sam", "--format", "json") != at_backup
    assert here.ok("export", "daniel", "--format", "json")

    restored = here.kinwise("restore", "--from", str(backup))
    assert restored.returncode == 0, restored.stderr
    assert here.ok("export", "sam", "--format", "json") == at_backup
    gone = here.kinwise("export", "daniel")
    assert (gone.returncode, gone.stderr) == (2, "kinwise: no person with id 'daniel'\n")
    access_log_verified(here)
    # the restored database takes writes again
    here.ok("import", str(CASEFILES / "03-historic-arrangement.yaml"), "--organisation", "acme")


def test_a_file_that_is_not_a_backup_is_refused(tmp_path: Path) -> None:
    here = _installation(tmp_path, "")
    here.ok(
        "import",
        str(CASEFILES / "01-risk-and-independence.yaml"),
        "--organisation",
        "acme",
        "--create-organisation",
    )
    before = here.ok("export", "sam")
    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"not a database" * 100)
    other = tmp_path / "other.sqlite3"
    import sqlite3

    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE t (x)")
    db.close()
    for path, message in (
        (junk, "kinwise: the file is not a SQLite backup\n"),
        (other, "kinwise: the file is not a backup of Kinwise\n"),
        (tmp_path / "missing", "kinwise: no backup file at the path given\n"),
    ):
        done = here.kinwise("restore", "--from", str(path))
        assert (done.returncode, done.stderr) == (2, message)
    assert here.ok("export", "sam") == before


def test_without_pg_dump_the_backup_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    from kinwise.dataprotection import backup
    from kinwise.errors import KinwiseError

    monkeypatch.setattr(backup.shutil, "which", lambda name: None)
    with pytest.raises(KinwiseError) as refused:
        backup._tool("pg_dump")
    assert refused.value.message.startswith(
        "pg_dump is not installed (or not on the PATH): install the PostgreSQL client tools"
    )
