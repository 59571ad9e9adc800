"""Query counts with the access log's queries counted apart (and asserted flat and exact):
each logged decision costs ACCESS_LOG_QUERIES, every one of which names a table of the log
(kinwise.accesslog.log)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

# the chain's head made sure of, read under its lock (with the viewer's role), the entry
# written and the head moved on
ACCESS_LOG_QUERIES = 4
ACCESS_LOG_TABLES = ("access_log_entry", "access_log_head")


def is_access_log(sql: str) -> bool:
    return any(table in sql for table in ACCESS_LOG_TABLES)


def split(queries: Iterable[Mapping[str, str]]) -> tuple[int, int]:
    """(the other queries, the access log's) of captured queries."""
    sqls = [q["sql"] for q in queries]
    logged = sum(1 for sql in sqls if is_access_log(sql))
    return len(sqls) - logged, logged
