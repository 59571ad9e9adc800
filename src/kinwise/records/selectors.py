"""Reads of stored case files, in bulk: a fixed number of queries however many people.

Each table is read once with a filter on the people wanted (one person, a service,
...), and the rows are grouped in Python; nothing is read per person or per record.
The case files are built from the rows as tuples, without model instances and without
validating again what was validated when it was written (kinwise.records.reading);
``current_records`` gives the rows as model instances, for the import that updates them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any, NamedTuple, TypeVar

from django.db import connections, transaction
from django.db.models import QuerySet

from kinwise.casefile import schema as cf
from kinwise.core.models import Service
from kinwise.errors import ErrorCode, KinwiseError
from kinwise.records.kinds import RECORD_KINDS, assemble_casefile
from kinwise.records.models import Person
from kinwise.records.models.base import CaseChild, CaseRecord
from kinwise.records.reading import (
    STREAM_CHUNK,
    PeopleSubquery,
    PersonRows,
    current_rows,
    row_reader,
    trusted,
)

T = TypeVar("T")


@dataclass(frozen=True)
class StoredRecord:
    """A current row and the case-file record it holds."""

    row: CaseRecord
    record: cf.Record


def current_records(
    *, person_filter: Mapping[str, Any]
) -> dict[int, dict[str, list[StoredRecord]]]:
    """The current records of the people matching ``person_filter`` (lookups on Person),
    by person pk and kind, each kind in the file's order. One query per table."""
    out: dict[int, dict[str, list[StoredRecord]]] = defaultdict(lambda: defaultdict(list))
    person_lookups = {f"person__{k}": v for k, v in person_filter.items()}
    for spec in RECORD_KINDS:
        children: dict[str, dict[int, list[CaseChild]]] = {}
        for child in spec.children:
            grouped: dict[int, list[CaseChild]] = defaultdict(list)
            rows = child.model._default_manager.filter(
                superseded_at__isnull=True,
                **{f"{child.parent_field}__{k}": v for k, v in person_lookups.items()},
            ).order_by(f"{child.parent_field}_id", "position", "id")
            for child_row in rows:
                grouped[getattr(child_row, f"{child.parent_field}_id")].append(child_row)
            children[child.attr] = grouped
        for row in spec.model._default_manager.filter(
            superseded_at__isnull=True, **person_lookups
        ).order_by("person_id", "position", "id"):
            mine = {attr: grouped.get(row.pk, []) for attr, grouped in children.items()}
            out[row.person_id][spec.kind].append(StoredRecord(row, spec.record(row, mine)))
    return out


class _PersonRow(NamedTuple):
    pk: int
    external_id: str
    service_id: int
    service_external_id: str
    casefile: cf.CaseFile


_PERSON_COLUMNS = (
    "pk",
    "external_id",
    "name",
    "date_of_birth",
    "communication_methods",
    "communication_notes",
    "service_id",
    "service__external_id",
    "service__name",
)


def _casefiles_read(people: QuerySet[Person], *, stream: bool = False) -> Iterator[_PersonRow]:
    """The people's case files, one at a time in person pk order: the people in one query,
    then one query per table of records however many people, each table's rows in person
    order and taken a person at a time (:class:`PersonRows`).

    With ``stream`` (inside a transaction), the people and every table are read through
    server-side cursors a chunk at a time, so memory holds one person's records and a
    chunk of each table, however many people are read; without, each table is read
    whole (one round trip each: what a page about a few people wants)."""
    people = people.order_by("pk")
    people_rows: Iterable[tuple[Any, ...]] = (
        people.values_list(*_PERSON_COLUMNS).iterator(chunk_size=STREAM_CHUNK)
        if stream
        else list(people.values_list(*_PERSON_COLUMNS))
    )
    if not stream and not people_rows:
        return
    wanted = PeopleSubquery.of(people.order_by().values("pk"))
    with ExitStack() as opened:

        def table(rows: Iterator[tuple[Any, ...]], person_at: int) -> PersonRows:
            taken = PersonRows(rows, person_at)
            opened.callback(taken.close)
            return taken

        tables = []
        for spec in RECORD_KINDS:
            children = []
            for child in spec.children:
                child_reader = row_reader(child.model, child.schema, child.names, 2)
                child_rows = current_rows(
                    model=child.model,
                    columns=child_reader.columns,
                    people=wanted,
                    parent_field=child.parent_field,
                    stream=stream,
                )
                children.append((child.attr, child_reader, table(child_rows, 0)))
            reader = row_reader(spec.model, spec.schema, spec.names, 2)
            rows = current_rows(
                model=spec.model, columns=reader.columns, people=wanted, stream=stream
            )
            tables.append((spec, reader, table(rows, 1), children))

        for row in people_rows:
            pk, external_id, name, born, methods, notes, service_pk, service_id, service_name = row
            records: dict[str, list[cf.Record]] = {}
            for spec, reader, rows_of, children in tables:
                inside: dict[str, dict[int, list[Any]]] = {}
                for attr, child_reader, child_rows_of in children:
                    grouped: dict[int, list[Any]] = defaultdict(list)
                    for child_row in child_rows_of.take(pk):
                        grouped[child_row[1]].append(child_reader.build(child_row, _NO_EXTRA))
                    inside[attr] = grouped
                extra: dict[str, Any] = dict.fromkeys(spec.excluded, ())
                built = []
                for record_row in rows_of.take(pk):
                    for attr, grouped in inside.items():
                        extra[attr] = grouped.get(record_row[0], [])
                    built.append(reader.build(record_row, extra))
                if built:
                    records[spec.kind] = built
            person = trusted(
                cf.Person,
                {
                    "id": external_id,
                    "name": name,
                    "date_of_birth": born,
                    "communication": trusted(
                        cf.Communication, {"methods": methods, "notes": notes}
                    ),
                },
            )
            casefile = assemble_casefile(
                service=(service_id, service_name), person=person, records=records, trust=True
            )
            yield _PersonRow(pk, external_id, service_pk, service_id, casefile)


_NO_EXTRA: dict[str, Any] = {}


def _casefiles(people: QuerySet[Person]) -> list[_PersonRow]:
    """The people's case files (:func:`_casefiles_read`), all read at once, by case-file id
    then service."""
    return sorted(_casefiles_read(people), key=lambda row: (row.external_id, row.service_id))


def casefile_export(*, person: Person) -> cf.CaseFile:
    """The person's current records as a case file (without as_of)."""
    found = _casefiles(Person.objects.filter(pk=person.pk))
    if not found:
        raise KinwiseError(ErrorCode.NOT_FOUND, "no such person")
    return found[0].casefile


def casefiles_for_service(*, service: Service) -> dict[int, cf.CaseFile]:
    """Every current person of the service, by person pk in the order of their case-file ids."""
    people = Person.objects.filter(service_id=service.pk, superseded_at__isnull=True)
    return {row.pk: row.casefile for row in _casefiles(people)}


def casefiles_for_people(*, person_pks: Collection[int]) -> dict[int, cf.CaseFile]:
    """The case files of these people (current or not), by person pk: a fixed number of
    queries however many people."""
    people = Person.objects.filter(pk__in=list(person_pks))
    return {row.pk: row.casefile for row in _casefiles(people)}


def people_matching(
    *, person: str | None = None, service: str | None = None, organisation: str | None = None
) -> QuerySet[Person]:
    """Current people by case-file id, service id and organisation slug (each optional)."""
    people = Person.objects.filter(superseded_at__isnull=True)
    if organisation is not None:
        people = people.filter(service__organisation__slug=organisation)
    if service is not None:
        people = people.filter(service__external_id=service)
    if person is not None:
        people = people.filter(external_id=person)
    return people


def casefiles_for_audit(
    *, service: str | None, person: str | None, organisation: str | None = None
) -> list[cf.CaseFile]:
    """The case files to audit (see :func:`casefiles_map`), all in memory."""
    return casefiles_map(
        service=service, person=person, organisation=organisation, each=lambda casefile: casefile
    )


def casefiles_map(
    *,
    service: str | None,
    person: str | None,
    organisation: str | None = None,
    each: Callable[[cf.CaseFile], T],
) -> list[T]:
    """``each`` of the case files to audit: one person, a service, or everyone; in the
    order of service id, then person id. An unknown service or person is an error, as is
    a service id that names services of more than one organisation (name the
    organisation).

    The case files are streamed (:func:`_casefiles_read`) in one transaction that sees one
    state of the database (on PostgreSQL a read-only REPEATABLE READ transaction, unless
    the caller is already inside one; SQLite's read transaction is a snapshot): each is
    built, given to ``each`` and dropped, so memory holds what ``each`` returns (an
    audit's findings), not every case file of a large provider."""
    if service is not None:
        services = Service.objects.filter(external_id=service)
        if organisation is not None:
            services = services.filter(organisation__slug=organisation)
        found = list(services)
        if not found:
            raise KinwiseError(ErrorCode.NOT_FOUND, f"no service with id '{service}'")
        if len(found) > 1:
            raise KinwiseError(
                ErrorCode.USAGE,
                f"service id '{service}' is used by more than one organisation: name the organisation",
            )
    people = people_matching(person=person, service=service, organisation=organisation)
    results: list[tuple[tuple[str, str, int], T]] = []
    connection = connections[people.db]
    snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
    with transaction.atomic(using=people.db):
        if snapshot:
            # every table read at the same moment, as SQLite's read transaction does
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        for row in _casefiles_read(people, stream=True):
            key = (row.service_external_id, row.external_id, row.service_id)
            results.append((key, each(row.casefile)))
    if person is not None and not results:
        where = f" in service '{service}'" if service is not None else ""
        raise KinwiseError(ErrorCode.NOT_FOUND, f"no person with id '{person}'{where}")
    results.sort(key=lambda pair: pair[0])
    return [result for _, result in results]


def person_for_export(
    *, person: str, service: str | None = None, organisation: str | None = None
) -> Person:
    """The one current person with this case-file id (in the service, if named)."""
    found = list(people_matching(person=person, service=service, organisation=organisation)[:2])
    if not found:
        where = f" in service '{service}'" if service is not None else ""
        raise KinwiseError(ErrorCode.NOT_FOUND, f"no person with id '{person}'{where}")
    if len(found) > 1:
        raise KinwiseError(
            ErrorCode.USAGE,
            f"more than one person has the id '{person}': name the service with --service"
            + (" (and the organisation with --organisation)" if service is not None else ""),
        )
    return found[0]
