"""The test suite's one way past the access log's append-only guard.

The database refuses UPDATE, DELETE (and TRUNCATE on PostgreSQL) of access-log entries
(kinwise.accesslog.guard). A transactional test ends with Django's ``flush``, which empties
every table; :func:`flush_lifts_the_guard` (installed for the whole run by tests/conftest.py)
drops the triggers for the length of each flush and puts them back after it.
:func:`guard_lifted` is the same for a test that must alter the log behind the
application's back. Nothing in src/ lifts the guard.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connections

from kinwise.accesslog.guard import create_guard, drop_guard


@contextmanager
def guard_lifted(using: str = "default") -> Iterator[None]:
    """The triggers dropped inside, and created again after (even on an error)."""
    connection = connections[using]
    drop_guard(connection)
    try:
        yield
    finally:
        create_guard(connection)


def flush_lifts_the_guard() -> Callable[[], None]:
    """Wrap Django's ``flush`` command in :func:`guard_lifted`; answers the undo."""
    from django.core.management.commands import flush

    original = flush.Command.handle

    def handle(self: Any, *args: Any, **options: Any) -> Any:
        with guard_lifted(options.get("database") or "default"):
            return original(self, *args, **options)

    flush.Command.handle = handle  # type: ignore[method-assign]

    def undo() -> None:
        flush.Command.handle = original  # type: ignore[method-assign]

    return undo
