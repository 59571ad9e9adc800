"""Turning stored rows into case-file records fast: tuples in, records out, no validation.

Every row of the record tables was written from a validated case file: imports, edits
and the demo all go through ``kinwise.casefile.load.validate_data`` (or build a
``CaseFile`` with ``model_validate``) before ``casefile_import`` writes a row, and
nothing else writes these tables. So the selectors read rows as tuples
(``values_list``, no model instances) and build the frozen pydantic records with a
trusted constructor that sets their fields directly, without running the schema's
validators again (docs/adr/0003). ``validated`` re-checks a case file against the schema
(the tests compare it with the trusted one).

What the database gives back differs from the schema's values in two places only, and
each kind's reader converts them: a float column holds a whole number as ``1.0`` where
the case file has ``1``, and a JSON column that holds dates (a member's ``trained``)
holds them as text.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any, TypeVar, get_args

from django.db import connections, models
from django.db.models import QuerySet
from pydantic import BaseModel, TypeAdapter

from kinwise.casefile import schema as cf

R = TypeVar("R", bound=BaseModel)
Converter = Callable[[Any], Any]

_set = object.__setattr__


def trusted(schema: type[R], values: dict[str, Any], unset: Collection[str] = ()) -> R:
    """A record of ``schema`` from values already in the schema's types, every field given
    in the schema's order (what ``model_construct`` does, without its per-field search for
    aliases and defaults); ``unset`` are fields left at their default, as validation would."""
    record = schema.__new__(schema)
    _set(record, "__dict__", values)
    _set(record, "__pydantic_fields_set__", set(values).difference(unset) if unset else set(values))
    _set(record, "__pydantic_extra__", None)
    _set(record, "__pydantic_private__", None)
    return record


def validated(casefile: cf.CaseFile) -> cf.CaseFile:
    """The case file checked against the schema again (what a trusted read skips)."""
    return cf.CaseFile.model_validate(casefile.model_dump())


def whole_number(value: float) -> float | int:
    """A float column's value as the case file writes it: 2.0 is 2."""
    return int(value) if float(value).is_integer() else value


def _mentions_date(annotation: Any) -> bool:
    if annotation is dt.date:
        return True
    return any(_mentions_date(arg) for arg in get_args(annotation))


def _field_adapter(schema: type[BaseModel], name: str) -> Converter:
    info = schema.model_fields[name]
    annotated: Any = Annotated[(info.annotation, *info.metadata)]
    adapter: TypeAdapter[Any] = TypeAdapter(annotated)
    return adapter.validate_python


def _converter(
    model: type[models.Model], column: str, schema: type[BaseModel], name: str
) -> Converter | None:
    """What turns the database driver's value of ``column`` into the schema's ``name``.

    JSON comes as text, which Django's ``JSONField`` would ``json.loads``, as this does;
    a float column's whole number is the case file's integer.
    """
    field = model._meta.get_field(column)
    if isinstance(field, models.FloatField):
        return whole_number
    if isinstance(field, models.JSONField):
        if _mentions_date(schema.model_fields[name].annotation):
            adapter = _field_adapter(schema, name)
            return lambda text: adapter(_json(text))
        return _json
    return None


_decode = json.JSONDecoder().decode


def _json(text: str) -> Any:
    return [] if text == "[]" else _decode(text)


def _db_column(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field) or field.column is None:
        raise TypeError(f"{model.__name__}.{name} is not a column")
    column: str = field.column
    return column


@cache
def _current_rows_sql(
    model: type[models.Model], columns: tuple[str, ...], parent_field: str | None, using: str
) -> str:
    quote = connections[using].ops.quote_name
    table = quote(model._meta.db_table)

    def col(name: str, of: str = table) -> str:
        return f"{of}.{quote(_db_column(model, name))}"

    if parent_field is None:
        person = col("person")
        keys = f"{col('id')}, {person}"
        source = table
        order = person
    else:
        key = col(parent_field)
        parent = model._meta.get_field(parent_field).related_model
        assert parent is not None and not isinstance(parent, str)
        parent_table = quote(parent._meta.db_table)
        source = f"{table} INNER JOIN {parent_table} ON {key} = {parent_table}.{quote('id')}"
        person = f"{parent_table}.{quote(_db_column(parent, 'person'))}"
        keys = f"{person}, {key}"
        order = f"{person}, {key}"
    selected = ", ".join(col(c) for c in columns)
    return (
        f"SELECT {keys}, {selected} FROM {source}"
        f" WHERE {col('superseded_at')} IS NULL AND {person} IN (PEOPLE)"
        f" ORDER BY {order}, {col('position')}, {col('id')}"
    )


@dataclass(frozen=True)
class PeopleSubquery:
    """A queryset of people's pks compiled once, for the IN of every table's statement."""

    sql: str
    params: tuple[Any, ...]
    using: str

    @classmethod
    def of(cls, pks: QuerySet[Any]) -> PeopleSubquery:
        sql, params = pks.query.get_compiler(using=pks.db).as_sql()
        return cls(sql, tuple(params), pks.db)


# Rows fetched at a time from a streamed table.
STREAM_CHUNK = 2000


def current_rows(
    *,
    model: type[models.Model],
    columns: tuple[str, ...],
    people: PeopleSubquery,
    parent_field: str | None = None,
    stream: bool = False,
) -> Iterator[tuple[Any, ...]]:
    """The current rows of a record table (``parent_field`` None: each row's pk, person pk
    and ``columns``) or of a table of rows inside records (the person's pk, the parent's
    pk and ``columns``) for ``people``, by person pk and then in the file's order.

    The statement runs when the first row is asked for. ``stream`` reads through a
    server-side cursor (PostgreSQL; SQLite steps through its rows anyway)
    ``STREAM_CHUNK`` rows at a time, so that reading every person of a large provider
    holds a chunk of each table, not the tables; on PostgreSQL, call it inside a
    transaction (``transaction.atomic``), where the cursor needs no ``WITH HOLD``. A
    database configured with ``DISABLE_SERVER_SIDE_CURSORS`` gets ordinary cursors: the
    driver then holds each table's result while it is read.

    The statement is built once per table from the models' metadata and the people's
    subquery is compiled once per read: building a Django query costs about a
    millisecond, 21 of them more than reading a person's rows. The values are the
    database driver's, without Django's per-value converters: both drivers give dates,
    booleans, integers and text as Python values (SQLite through the converters Django
    registers for its column types), and the readers convert the rest (:func:`_converter`).
    """
    template = _current_rows_sql(model, columns, parent_field, people.using)
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
    """A table's rows in person order (:func:`current_rows`), taken one person at a time.

    The first row is read at once, so building one of these per table runs the tables'
    statements in the order they are built."""

    def __init__(self, rows: Iterator[tuple[Any, ...]], person_at: int) -> None:
        self._rows = rows
        self._at = person_at
        self._next = next(rows, None)

    def take(self, person_pk: int) -> list[tuple[Any, ...]]:
        """The rows of ``person_pk``; people must be asked for in increasing pk order."""
        taken = []
        row = self._next
        # rows of people not asked for (none, when the tables and the people are read in
        # one snapshot) are passed over
        while row is not None and row[self._at] < person_pk:
            row = next(self._rows, None)
        while row is not None and row[self._at] == person_pk:
            taken.append(row)
            row = next(self._rows, None)
        self._next = row
        return taken

    def close(self) -> None:
        """Release the table's cursor (a generator left open keeps it until collected)."""
        close = getattr(self._rows, "close", None)
        if close is not None:
            close()


def _column(name: str) -> str:
    return "external_id" if name == "id" else name


@dataclass(frozen=True)
class RowReader:
    """How one table's rows become records of ``schema``.

    ``columns`` are the table's columns for the schema's stored fields ``names`` (in the
    same order), read from position ``offset`` of a row; the schema's other fields (rows
    inside the record, the plan's roles and tasks) are given to ``build`` by name.
    ``build(row, extra)`` is compiled once per kind: a record is one dictionary display in
    the schema's field order (which is the order ``model_dump`` writes), no loop per field.
    """

    schema: type[BaseModel]
    names: tuple[str, ...]
    columns: tuple[str, ...]
    offset: int
    build: Callable[[Sequence[Any], Mapping[str, Any]], Any]


def _compile(
    schema: type[BaseModel],
    names: tuple[str, ...],
    converters: Mapping[int, Converter],
    offset: int,
) -> Callable[[Sequence[Any], Mapping[str, Any]], Any]:
    where = {name: index for index, name in enumerate(names)}
    items = []
    for name in schema.model_fields:
        if name not in where:
            items.append(f"{name!r}: extra[{name!r}]")
            continue
        index = where[name]
        value = f"row[{offset + index}]"
        if index in converters:
            value = f"(None if {value} is None else convert_{index}({value}))"
        items.append(f"{name!r}: {value}")
    source = "def build(row, extra):\n    return trusted(schema, {" + ", ".join(items) + "})\n"
    namespace: dict[str, Any] = {"trusted": trusted, "schema": schema}
    namespace.update({f"convert_{index}": convert for index, convert in converters.items()})
    exec(compile(source, f"<reader of {schema.__name__}>", "exec"), namespace)  # noqa: S102
    build: Callable[[Sequence[Any], Mapping[str, Any]], Any] = namespace["build"]
    return build


@cache
def row_reader(
    model: type[models.Model], schema: type[BaseModel], names: tuple[str, ...], offset: int
) -> RowReader:
    """The reader of ``model``'s rows into ``schema`` for the stored fields ``names``, which
    start at ``offset`` in a row (computed once per kind)."""
    if schema.__pydantic_post_init__ or schema.__private_attributes__:
        raise TypeError(f"{schema.__name__} needs its constructor")  # not the case of any record
    if any(not name.isidentifier() for name in schema.model_fields):
        raise TypeError(f"{schema.__name__} has a field that is not an identifier")
    columns = tuple(_column(n) for n in names)
    converters = {}
    for index, (name, column) in enumerate(zip(names, columns, strict=True)):
        convert = _converter(model, column, schema, name)
        if convert is not None:
            converters[index] = convert
    return RowReader(schema, names, columns, offset, _compile(schema, names, converters, offset))
