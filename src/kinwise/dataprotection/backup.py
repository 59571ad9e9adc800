"""Backups of the database and their restore (docs/operations.md).

- SQLite: SQLite's online backup API (``sqlite3.Connection.backup``) copies the live
  database page by page into a new file, consistent even while the server writes; a
  restore copies a backup file back over the database the same way.
- PostgreSQL: ``pg_dump --format=custom`` and ``pg_restore --clean --if-exists
  --single-transaction``, which must be on the PATH (the PostgreSQL client package).

Backup files hold every person's records: they are written readable by their owner only,
and whole or not at all (written beside the target, then renamed).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from django.db import connections

from kinwise.errors import ErrorCode, KinwiseError

# Tables every Kinwise database has: a file without them is not a Kinwise backup.
REQUIRED_TABLES = ("django_migrations", "records_person", "core_recordversion")


def _connection(alias: str) -> Any:
    return connections[alias]


def backup(*, out: Path, alias: str = "default") -> str:
    """Back up the database to ``out``; which kind of backup it was ("sqlite" or
    "postgresql")."""
    connection = _connection(alias)
    if connection.vendor == "sqlite":
        sqlite_backup(out=out, alias=alias)
        return "sqlite"
    if connection.vendor == "postgresql":
        postgres_backup(out=out, alias=alias)
        return "postgresql"
    raise KinwiseError(ErrorCode.USAGE, f"no backup for a {connection.vendor} database")


def restore(*, source: Path, alias: str = "default") -> str:
    """Replace the database's content by the backup in ``source``."""
    if not source.is_file():
        raise KinwiseError(ErrorCode.NOT_FOUND, "no backup file at the path given")
    connection = _connection(alias)
    if connection.vendor == "sqlite":
        sqlite_restore(source=source, alias=alias)
        return "sqlite"
    if connection.vendor == "postgresql":
        postgres_restore(source=source, alias=alias)
        return "postgresql"
    raise KinwiseError(ErrorCode.USAGE, f"no restore for a {connection.vendor} database")


def _private_temp(out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".part")
    os.close(handle)
    os.chmod(name, 0o600)
    return Path(name)


# --- SQLite ----------------------------------------------------------------------------------


def sqlite_backup(*, out: Path, alias: str = "default") -> None:
    connection = _connection(alias)
    connection.ensure_connection()
    temp = _private_temp(out)
    try:
        target = sqlite3.connect(temp)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        os.chmod(temp, 0o600)
        os.replace(temp, out)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _check_sqlite_backup(source: Path) -> None:
    try:
        with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as db:
            ok = db.execute("PRAGMA integrity_check").fetchone()
            tables = {
                row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
        db.close()
    except sqlite3.DatabaseError as error:
        raise KinwiseError(ErrorCode.UNREADABLE_FILE, "the file is not a SQLite backup") from error
    if ok is None or ok[0] != "ok":
        raise KinwiseError(ErrorCode.UNREADABLE_FILE, "the backup file is damaged")
    missing = [name for name in REQUIRED_TABLES if name not in tables]
    if missing:
        raise KinwiseError(ErrorCode.UNREADABLE_FILE, "the file is not a backup of Kinwise")


def sqlite_restore(*, source: Path, alias: str = "default") -> None:
    """Copy the backup over the live database (checked first: a damaged file or another
    application's database is refused, and nothing is changed)."""
    _check_sqlite_backup(source)
    connection = _connection(alias)
    connection.close()
    connection.ensure_connection()
    backup_db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        backup_db.backup(connection.connection)
    finally:
        backup_db.close()
        connection.close()


# --- PostgreSQL ------------------------------------------------------------------------------


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise KinwiseError(
            ErrorCode.USAGE,
            f"{name} is not installed (or not on the PATH): install the PostgreSQL client "
            "tools of the server's version, or back up with them directly (docs/operations.md)",
        )
    return found


def _postgres_args(alias: str) -> tuple[list[str], dict[str, str]]:
    """The connection options of pg_dump and pg_restore, and their environment (the
    password goes in PGPASSWORD, never on the command line)."""
    settings = _connection(alias).settings_dict
    args: list[str] = []
    if settings.get("HOST"):
        args += ["--host", str(settings["HOST"])]
    if settings.get("PORT"):
        args += ["--port", str(settings["PORT"])]
    if settings.get("USER"):
        args += ["--username", str(settings["USER"])]
    env = {**os.environ}
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings["PASSWORD"])
    return args + ["--no-password", "--dbname", str(settings["NAME"])], env


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        # the tools' messages name tables and options, not records
        first = (done.stderr.strip().splitlines() or ["no message"])[0]
        raise KinwiseError(ErrorCode.USAGE, f"{what} failed: {first}")


def postgres_backup(*, out: Path, alias: str = "default") -> None:
    tool = _tool("pg_dump")
    args, env = _postgres_args(alias)
    temp = _private_temp(out)
    try:
        _run([tool, "--format=custom", "--no-owner", "--file", str(temp), *args], env, "pg_dump")
        os.chmod(temp, 0o600)
        os.replace(temp, out)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def postgres_restore(*, source: Path, alias: str = "default") -> None:
    """Restore with pg_restore in one transaction: on any error nothing is changed."""
    tool = _tool("pg_restore")
    args, env = _postgres_args(alias)
    _connection(alias).close()
    _run(
        [
            tool,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            *args,
            str(source),
        ],
        env,
        "pg_restore",
    )
