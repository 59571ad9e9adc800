"""Inserting many rows of one table with one statement per batch (docs/adr/0245).

``Model.objects.bulk_create`` builds a model instance per row and passes every value of
every row through its field's preparation, which costs an import of a long history ten
times the insert itself. :func:`rows_insert` writes the same rows, with the same stored
values, as one multi-row ``INSERT`` per batch of :data:`BATCH_ROWS` rows (fewer when
the database caps the parameters of a statement): each column's values are adapted the
way its field adapts them (a JSON document by ``json.dumps``, as a ``JSONField`` without
an encoder stores it; a date and time by the connection's own adapter), once per
distinct date and time. On PostgreSQL the same values go in one ``COPY ... FROM STDIN``
per call instead: psycopg places a statement's parameters on the client, and splitting
the text of a thousand-row ``INSERT`` cost more than the write. It returns the number of
rows written, never their ids: no caller needs them.

Only the columns it knows how to adapt are accepted (text, numbers, booleans, foreign
keys, JSON, date and time); anything else is refused, so that a new column cannot be
stored differently from its field's way by accident.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import connections, models, router

# Rows in one statement at most (the parameters of a statement are capped below).
BATCH_ROWS = 1000
# PostgreSQL's wire protocol counts a statement's parameters in 16 bits.
_POSTGRES_PARAMS = 65535

_PLAIN = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BooleanField,
    models.ForeignKey,
)


def _params_cap(connection: Any) -> int:
    if connection.vendor == "sqlite":
        import sqlite3

        connection.ensure_connection()
        limit: int = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        return limit
    if connection.vendor == "postgresql":
        return _POSTGRES_PARAMS
    return int(connection.features.max_query_params or 999)


class JsonMemo:
    """Documents already encoded, by identity: a document written to two tables (a record
    and its version) is encoded once. Holds each document, so that its id stays its own."""

    def __init__(self) -> None:
        self._texts: dict[int, tuple[Any, str]] = {}

    def encode(self, value: Any) -> str:
        known = self._texts.get(id(value))
        if known is not None and known[0] is value:
            return known[1]
        text = json.dumps(value)
        self._texts[id(value)] = (value, text)
        return text


def _adapter(
    field: models.Field[Any, Any], connection: Any, memo: JsonMemo | None
) -> tuple[str, Callable[[Any], Any]]:
    """(placeholder, adapt) for one column of ``field``."""
    if isinstance(field, models.JSONField):
        if field.encoder is not None:
            raise ValueError(f"{field.name}: a JSON field with an encoder is not supported")
        placeholder = "%s::jsonb" if connection.vendor == "postgresql" else "%s"
        return placeholder, (memo.encode if memo is not None else json.dumps)
    if isinstance(field, models.DateTimeField):
        cache: dict[Any, Any] = {}
        adapt = connection.ops.adapt_datetimefield_value

        def when(value: Any) -> Any:
            if value not in cache:
                cache[value] = adapt(value)
            return cache[value]

        return "%s", when
    if isinstance(field, _PLAIN):
        return "%s", _same
    raise ValueError(f"{field.name}: {type(field).__name__} is not supported")


def _same(value: Any) -> Any:
    return value


def rows_insert(
    *,
    model: type[models.Model],
    fields: Sequence[str],
    rows: Iterable[Sequence[Any]],
    using: str | None = None,
    memo: JsonMemo | None = None,
) -> int:
    """Insert ``rows`` (one value per name in ``fields``, in that order; a foreign key by
    its ``attname``, ``person_id``) into ``model``'s table; the number of rows written.
    Part of the caller's transaction: call it inside one. ``memo`` shares the encoding
    of documents with another call (the same dict written twice is encoded once)."""
    connection = connections[using or router.db_for_write(model)]
    meta = model._meta
    columns: list[models.Field[Any, Any]] = []
    for name in fields:
        field = meta.get_field(name)
        if not isinstance(field, models.Field) or field.column is None:
            raise ValueError(f"{name}: not a column of {meta.db_table}")
        columns.append(field)
    adapters = [_adapter(field, connection, memo) for field in columns]
    quote = connection.ops.quote_name
    head = (
        f"INSERT INTO {quote(meta.db_table)} ("
        + ", ".join(quote(field.column) for field in columns)
        + ") VALUES "
    )
    adapt_row = _row_adapter([adapt for _, adapt in adapters])
    if connection.vendor == "postgresql":
        return _rows_copy(connection, meta.db_table, columns, adapt_row, rows)
    one = "(" + ", ".join(placeholder for placeholder, _ in adapters) + ")"
    per = max(1, min(BATCH_ROWS, _params_cap(connection) // max(1, len(columns))))
    written = 0
    batch: list[Any] = []
    count = 0
    with connection.cursor() as cursor:
        for row in rows:
            batch.extend(adapt_row(row))
            count += 1
            if count == per:
                cursor.execute(head + ", ".join([one] * count), batch)
                written += count
                batch, count = [], 0
        if count:
            cursor.execute(head + ", ".join([one] * count), batch)
            written += count
    return written


def _row_adapter(adapts: Sequence[Callable[[Any], Any]]) -> Callable[[Sequence[Any]], list[Any]]:
    """What turns a row into its stored values: only the columns whose values change
    (a document, a date and time) are passed through their adapter, once per row, not a
    call for every value of every row. A row of the wrong length is refused."""
    changed = [(index, adapt) for index, adapt in enumerate(adapts) if adapt is not _same]
    width = len(adapts)

    def adapt_row(row: Sequence[Any]) -> list[Any]:
        values = list(row)
        if len(values) != width:
            raise ValueError(f"a row of {len(values)} values for {width} columns")
        for index, adapt in changed:
            values[index] = adapt(values[index])
        return values

    return adapt_row


def _rows_copy(
    connection: Any,
    table: str,
    columns: Sequence[models.Field[Any, Any]],
    adapt_row: Callable[[Sequence[Any]], list[Any]],
    rows: Iterable[Sequence[Any]],
) -> int:
    """PostgreSQL: every row in one ``COPY ... FROM STDIN`` (docs/adr/0245). The values
    are the ones the ``INSERT`` would bind, written by psycopg's own text dumpers; a JSON
    document goes as its text, which the server parses into ``jsonb`` as it parses the
    ``INSERT``'s ``%s::jsonb``. Nothing is sent for no rows."""
    quote = connection.ops.quote_name
    statement = (
        f"COPY {quote(table)} ("
        + ", ".join(quote(field.column) for field in columns)
        + ") FROM STDIN"
    )
    pending = iter(rows)
    first = next(pending, None)
    if first is None:
        return 0
    written = 0
    with connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in itertools.chain((first,), pending):
            copy.write_row(adapt_row(row))
            written += 1
    return written
