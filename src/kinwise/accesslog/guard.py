"""The access log's append-only guard: triggers that make the database itself refuse
UPDATE and DELETE of its entries (and TRUNCATE on PostgreSQL), whoever asks.

Created by the access app's first migration. The product never removes them; only the
migration's reverse and the test suite (to empty its test database between transactional
tests, tests/logguard.py) call :func:`drop_guard`.
"""

from __future__ import annotations

from django.db.backends.base.base import BaseDatabaseWrapper

TABLE = "access_log_entry"
REFUSAL = "the access log is append-only"

SQLITE_CREATE = (
    f"CREATE TRIGGER IF NOT EXISTS access_log_no_update BEFORE UPDATE ON {TABLE}"
    f" BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END",
    f"CREATE TRIGGER IF NOT EXISTS access_log_no_delete BEFORE DELETE ON {TABLE}"
    f" BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END",
)
SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS access_log_no_update",
    "DROP TRIGGER IF EXISTS access_log_no_delete",
)

POSTGRES_CREATE = (
    "CREATE OR REPLACE FUNCTION access_log_refuse() RETURNS trigger LANGUAGE plpgsql AS"
    f" $$ BEGIN RAISE EXCEPTION '{REFUSAL}' USING ERRCODE = 'insufficient_privilege'; END $$",
    f"CREATE OR REPLACE TRIGGER access_log_no_change BEFORE UPDATE OR DELETE ON {TABLE}"
    " FOR EACH ROW EXECUTE FUNCTION access_log_refuse()",
    f"CREATE OR REPLACE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON {TABLE}"
    " FOR EACH STATEMENT EXECUTE FUNCTION access_log_refuse()",
)
POSTGRES_DROP = (
    f"DROP TRIGGER IF EXISTS access_log_no_change ON {TABLE}",
    f"DROP TRIGGER IF EXISTS access_log_no_truncate ON {TABLE}",
    "DROP FUNCTION IF EXISTS access_log_refuse()",
)


def _statements(connection: BaseDatabaseWrapper, *, create: bool) -> tuple[str, ...]:
    if connection.vendor == "sqlite":
        return SQLITE_CREATE if create else SQLITE_DROP
    if connection.vendor == "postgresql":
        return POSTGRES_CREATE if create else POSTGRES_DROP
    raise NotImplementedError(f"no append-only guard for {connection.vendor}")


def create_guard(connection: BaseDatabaseWrapper) -> None:
    """Install the triggers (again: each statement replaces or skips what exists)."""
    with connection.cursor() as cursor:
        for sql in _statements(connection, create=True):
            cursor.execute(sql)


def drop_guard(connection: BaseDatabaseWrapper) -> None:
    """Remove the triggers: the migration's reverse, and the tests' flush only."""
    with connection.cursor() as cursor:
        for sql in _statements(connection, create=False):
            cursor.execute(sql)


def guard_installed(connection: BaseDatabaseWrapper) -> bool:
    """Whether the triggers are in place (the checks and the tests ask)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                [TABLE],
            )
            return bool(cursor.fetchone()[0] == len(SQLITE_CREATE))
        cursor.execute(
            "SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
            " WHERE c.relname = %s AND NOT t.tgisinternal",
            [TABLE],
        )
        return bool(cursor.fetchone()[0] == len(POSTGRES_CREATE) - 1)
