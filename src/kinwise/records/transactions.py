"""The transaction every write of records runs in.

On SQLite a transaction that reads and then writes can fail with "database is locked"
when another one wrote in between (the lock cannot be upgraded, so SQLite does not wait
for it). A write therefore starts as ``BEGIN IMMEDIATE``: it takes the write lock first,
and a second writer waits for it (up to the connection's busy timeout, see
``kinwise.config.settings``) instead of failing. Reads are not affected. On PostgreSQL
it is an ordinary transaction; writers serialise on the person's row lock
(``select_for_update``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections, transaction


@contextmanager
def write_transaction(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """``transaction.atomic()``, begun IMMEDIATE on SQLite when it is the outermost."""
    connection = connections[using]
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        with transaction.atomic(using=using):
            yield
        return
    connection.ensure_connection()
    previous = getattr(connection, "transaction_mode", None)
    connection.transaction_mode = "IMMEDIATE"  # type: ignore[attr-defined]
    try:
        atomic = transaction.atomic(using=using)
        atomic.__enter__()
    finally:
        connection.transaction_mode = previous  # type: ignore[attr-defined]
    try:
        yield
    except BaseException as exc:
        atomic.__exit__(type(exc), exc, exc.__traceback__)
        raise
    else:
        atomic.__exit__(None, None, None)
