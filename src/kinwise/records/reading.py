"""Reading stored records fast: one statement for every kind, documents in, records out.

Every stored document was written from a validated case file: imports and edits go
through ``kinwise.casefile.load.validate_data`` (or build a ``CaseFile`` with
``model_validate``) before a record is written, and nothing else writes the records
table. So the selectors read the documents as text with one plain statement (no model
instances, no Django per-value converters) and build the frozen pydantic records with a
trusted constructor (``kinwise.casefile.kinds.trusted``) that sets their fields
directly, without running the schema's validators again (docs/adr/0003, docs/adr/0005).
``validated`` re-checks a case file against the schema (the tests compare it with the
trusted one).
"""

from __future__ import annotations

import datetime as dt
import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import Any

import pydantic_core
from django.db import connections
from django.db.models import QuerySet

from kinwise.casefile import schema as cf


def validated(casefile: cf.CaseFile) -> cf.CaseFile:
    """The case file checked against the schema again (what a trusted read skips)."""
    return cf.CaseFile.model_validate(casefile.model_dump())


# pydantic-core's JSON reader: the same values as the standard library's for the documents
# Kinwise writes (``json.dumps`` of validated records), about twice as fast
_decode = pydantic_core.from_json


def document(value: Any) -> Any:
    """A stored document as the driver gives it: text on SQLite, parsed on PostgreSQL."""
    return _decode(value) if isinstance(value, str) else value


@dataclass(frozen=True)
class PeopleSubquery:
    """A queryset of people's pks compiled once, for the IN of the records' statement."""

    sql: str
    params: tuple[Any, ...]
    using: str

    @classmethod
    def of(cls, pks: QuerySet[Any]) -> PeopleSubquery:
        sql, params = pks.query.get_compiler(using=pks.db).as_sql()
        return cls(sql, tuple(params), pks.db)


# The young generation's threshold while many people are read and audited (Python's
# default is 700 new objects): each case file builds thousands of objects that live
# until the next person, and collecting them every 700 allocations cost about a quarter
# of an audit's time (issue 17). Reference counting frees them as before; only cycles
# (the records make none) wait longer.
BATCH_GC_THRESHOLD = 50_000
_batch_lock = threading.Lock()
_batch_depth = 0
_batch_saved: tuple[int, int, int] = (700, 10, 10)


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Raise the young generation's garbage-collection threshold for a batch of case files
    (nested and concurrent batches share one raise; the last to end restores it)."""
    global _batch_depth, _batch_saved
    with _batch_lock:
        if _batch_depth == 0:
            _batch_saved = gc.get_threshold()
            gc.set_threshold(max(BATCH_GC_THRESHOLD, _batch_saved[0]), *_batch_saved[1:])
        _batch_depth += 1
    try:
        yield
    finally:
        with _batch_lock:
            _batch_depth -= 1
            if _batch_depth == 0:
                gc.set_threshold(*_batch_saved)


# Rows fetched at a time from a streamed read.
STREAM_CHUNK = 2000


@cache
def _current_documents_sql(using: str) -> str:
    from kinwise.records.models import Record

    quote = connections[using].ops.quote_name
    table = quote(Record._meta.db_table)

    def col(name: str) -> str:
        column = getattr(Record._meta.get_field(name), "column", None)
        assert isinstance(column, str)
        return f"{table}.{quote(column)}"

    return (
        f"SELECT {col('person')}, {col('kind')}, {col('data')} FROM {table}"
        f" WHERE {col('superseded_at')} IS NULL AND {col('person')} IN (PEOPLE)"
        f" ORDER BY {col('person')}, {col('kind')}, {col('position')}, {col('id')}"
    )


def current_documents(
    *, people: PeopleSubquery, stream: bool = False
) -> Iterator[tuple[int, str, Any]]:
    """``(person pk, kind, document)`` of every current record of ``people``, by person
    pk, then kind, then in the file's order.

    The statement runs when the first row is asked for. ``stream`` reads through a
    server-side cursor (PostgreSQL; SQLite steps through its rows anyway)
    ``STREAM_CHUNK`` rows at a time, so that reading every person of a large provider
    holds a chunk of the records, not all of them; on PostgreSQL, call it inside a
    transaction (``transaction.atomic``), where the cursor needs no ``WITH HOLD``. A
    database configured with ``DISABLE_SERVER_SIDE_CURSORS`` gets an ordinary cursor.
    """
    template = _current_documents_sql(people.using)
    connection = connections[people.using]
    server_side = stream and not connection.settings_dict.get("DISABLE_SERVER_SIDE_CURSORS")
    with connection.chunked_cursor() if server_side else connection.cursor() as cursor:
        cursor.execute(template.replace("PEOPLE", people.sql), people.params)
        if not stream:
            yield from cursor.fetchall()
            return
        while rows := cursor.fetchmany(STREAM_CHUNK):
            yield from rows


class PersonRows:
    """Rows in person order (first column the person's pk), taken one person at a time.

    The first row is read at once, so building one of these runs its statement."""

    def __init__(self, rows: Iterator[tuple[Any, ...]], person_at: int = 0) -> None:
        self._rows = rows
        self._at = person_at
        self._next = next(rows, None)

    def take(self, person_pk: int) -> list[tuple[Any, ...]]:
        """The rows of ``person_pk``; people must be asked for in increasing pk order."""
        taken = []
        row = self._next
        # rows of people not asked for (none, when the records and the people are read in
        # one snapshot) are passed over
        while row is not None and row[self._at] < person_pk:
            row = next(self._rows, None)
        while row is not None and row[self._at] == person_pk:
            taken.append(row)
            row = next(self._rows, None)
        self._next = row
        return taken

    def close(self) -> None:
        """Release the cursor (a generator left open keeps it until collected)."""
        close = getattr(self._rows, "close", None)
        if close is not None:
            close()


@cache
def _recorded_versions_sql(using: str, timed: bool = False) -> str:
    from kinwise.core.models import RecordVersion

    quote = connections[using].ops.quote_name
    table = quote(RecordVersion._meta.db_table)

    def col(name: str) -> str:
        column = getattr(RecordVersion._meta.get_field(name), "column", None)
        assert isinstance(column, str)
        return f"{table}.{quote(column)}"

    return (
        f"SELECT {col('person')}, {col('kind')}, {col('external_id')}, {col('id')},"
        f" {col('action')}, {col('snapshot')}"
        + (f", {col('created_at')}" if timed else "")
        + f" FROM {table}"
        f" WHERE {col('created_at')} < %s AND {col('person')} IN (PEOPLE)"
        f" ORDER BY {col('person')}, {col('kind')}, {col('external_id')}, {col('version')}"
    )


def recorded_versions(
    *, people: PeopleSubquery, before: dt.datetime, stream: bool = False, timed: bool = False
) -> Iterator[tuple[Any, ...]]:
    """``(person pk, kind, key, version id, action, snapshot)`` of every version of the
    records of ``people`` written before ``before``, by person pk, then kind and key, then
    version: one statement (streamed as :func:`current_documents` is, with ``stream``).
    The last row of each record is its state at ``before``. With ``timed``, each row ends
    with the time the version was written (an aware datetime)."""
    template = _recorded_versions_sql(people.using, timed)
    connection = connections[people.using]
    server_side = stream and not connection.settings_dict.get("DISABLE_SERVER_SIDE_CURSORS")
    with connection.chunked_cursor() if server_side else connection.cursor() as cursor:
        moment = connection.ops.adapt_datetimefield_value(before.astimezone(dt.UTC))
        cursor.execute(template.replace("PEOPLE", people.sql), (moment, *people.params))
        if not stream:
            yield from cursor.fetchall()
            return
        while rows := cursor.fetchmany(STREAM_CHUNK):
            yield from rows
