"""Reads of stored case files, in bulk: a fixed number of queries however many people.

Each table is read once with a filter on the people wanted (one person, a service,
...), and the rows are grouped in Python; nothing is read per person or per record.
The case files are built from the rows as tuples, without model instances and without
validating again what was validated when it was written (kinwise.records.reading);
``current_records`` gives the rows as model instances, for the import that updates them.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple, TypeVar

from django.db import connections, transaction
from django.db.models import QuerySet

from kinwise.casefile import schema as cf
from kinwise.casefile.kinds import (
    PERSON_KIND,
    RECORD_KINDS,
    assemble_casefile,
    documents_version,
    trusted,
)
from kinwise.casefile.stamp import ExportStamp
from kinwise.core.history import versions_latest
from kinwise.core.models import Service, VersionAction
from kinwise.deadline import check_deadline
from kinwise.errors import ErrorCode, KinwiseError
from kinwise.records.models import Person, Record
from kinwise.records.reading import (
    STREAM_CHUNK,
    PeopleSubquery,
    PersonRows,
    current_documents,
    document,
    fewer_collections,
    recorded_versions,
)
from kinwise.rules.facts import PersonDocuments, casefile_documents

T = TypeVar("T")


@dataclass(frozen=True)
class StoredRecord:
    """A current row and the case-file record it holds."""

    row: Record
    record: cf.Record


def current_records(
    *, person_filter: Mapping[str, Any]
) -> dict[int, dict[str, list[StoredRecord]]]:
    """The current records of the people matching ``person_filter`` (lookups on Person),
    by person pk and kind, each kind in the file's order. One query."""
    out: dict[int, dict[str, list[StoredRecord]]] = defaultdict(lambda: defaultdict(list))
    person_lookups = {f"person__{k}": v for k, v in person_filter.items()}
    rows = Record.objects.filter(superseded_at__isnull=True, **person_lookups).order_by(
        "person_id", "kind", "position", "id"
    )
    for row in rows:
        spec = RECORD_KINDS[row.kind]
        out[row.person_id][row.kind].append(StoredRecord(row, spec.from_data(row.data)))
    return out


class _PersonRow(NamedTuple):
    pk: int
    external_id: str
    service_id: int
    service_external_id: str
    casefile: cf.CaseFile
    support_ended: dt.date | None = None
    """As recorded (read from the history only): the end of support the person's record
    held then."""


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


class _PersonDocumentsRow(NamedTuple):
    pk: int
    external_id: str
    service_id: int
    service_external_id: str
    documents: PersonDocuments


def _stored_read(
    people: QuerySet[Person], *, stream: bool = False
) -> Iterator[tuple[tuple[Any, ...], dict[str, list[Any]]]]:
    """Each person's row (``_PERSON_COLUMNS``) and the decoded documents of their current
    records by kind, each kind in the file's order, one person at a time in pk order: the
    people in one query, then the documents of every current record in one more, however
    many people, taken a person at a time (:class:`PersonRows`).

    With ``stream`` (inside a transaction), both are read through server-side cursors a
    chunk at a time, so memory holds one person's records and a chunk of rows, however
    many people are read; without, each is read whole (one round trip each: what a page
    about a few people wants)."""
    people = people.order_by("pk")
    people_rows: Iterable[tuple[Any, ...]] = (
        people.values_list(*_PERSON_COLUMNS).iterator(chunk_size=STREAM_CHUNK)
        if stream
        else list(people.values_list(*_PERSON_COLUMNS))
    )
    if not stream and not people_rows:
        return
    wanted = PeopleSubquery.of(people.order_by().values("pk"))
    documents = PersonRows(current_documents(people=wanted, stream=stream))
    decode = document
    try:
        for row in people_rows:
            docs: dict[str, list[Any]] = defaultdict(list)
            for _, kind, data in documents.take(row[0]):
                docs[kind].append(decode(data))
            yield row, docs
            check_deadline()  # one step: a person (a request's time limit, kinwise.deadline)
    finally:
        documents.close()


def _casefile_of(
    row: tuple[Any, ...], docs: Mapping[str, list[Any]], builders: Mapping[str, Any]
) -> cf.CaseFile:
    """The case file of a person's row and documents (:func:`_stored_read`): each record
    built by its kind's constructor (RecordKind.from_data, ``builders``)."""
    _, external_id, name, born, methods, notes, _, service_id, service_name = row
    records = {kind: [builders[kind](data) for data in got] for kind, got in docs.items()}
    person = _person_of(external_id, name, born, methods, notes)
    return assemble_casefile(
        service=(service_id, service_name), person=person, records=records, trust=True
    )


def _person_of(
    external_id: str, name: str, born: dt.date | None, methods: list[str], notes: str | None
) -> cf.Person:
    """The case file's person of a stored person's columns (stored validated)."""
    return trusted(
        cf.Person,
        {
            "id": external_id,
            "name": name,
            "date_of_birth": born,
            "communication": trusted(cf.Communication, {"methods": methods, "notes": notes}),
        },
    )


def person_details(*, person: Person) -> cf.Person:
    """The person's details as their case file holds them, from their row alone (no read):
    what a page shows of them without their records."""
    return _person_of(
        person.external_id,
        person.name,
        person.date_of_birth,
        person.communication_methods,
        person.communication_notes,
    )


def _documents_of(row: tuple[Any, ...], docs: Mapping[str, list[Any]]) -> PersonDocuments:
    """The case file of a person's row and documents as the audit takes it."""
    _, external_id, name, _, methods, _, _, _, _ = row
    return PersonDocuments(
        id=external_id,
        name=name,
        methods=tuple(methods),
        version=documents_version(docs),
        documents=docs,
    )


def _casefiles_read(people: QuerySet[Person], *, stream: bool = False) -> Iterator[_PersonRow]:
    """The people's case files, one at a time in person pk order (:func:`_stored_read`)."""
    builders = RECORD_KINDS.builders()
    for row, docs in _stored_read(people, stream=stream):
        casefile = _casefile_of(row, docs, builders)
        yield _PersonRow(row[0], row[1], row[6], row[7], casefile)


def _documents_read(
    people: QuerySet[Person], *, stream: bool = False
) -> Iterator[_PersonDocumentsRow]:
    """The people's case files as their documents (:func:`_stored_read`), one at a time in
    person pk order, with no record built: what the audit judges (its facts are made from
    the documents, kinwise.rules.facts.facts_of_documents)."""
    for row, docs in _stored_read(people, stream=stream):
        yield _PersonDocumentsRow(row[0], row[1], row[6], row[7], _documents_of(row, docs))


def casefile_and_documents(*, person: Person) -> tuple[cf.CaseFile, PersonDocuments]:
    """The person's current records as a case file (:func:`casefile_export`) and as the
    documents its audit judges, from one read (two queries): a page that shows the records
    and their audit builds no document from the records."""
    for row, docs in _stored_read(Person.objects.filter(pk=person.pk)):
        return _casefile_of(row, docs, RECORD_KINDS.builders()), _documents_of(row, docs)
    raise KinwiseError(ErrorCode.NOT_FOUND, "no such person")


_PERSON_FIELDS = frozenset(cf.Person.model_fields)
_RECORDED_COLUMNS = ("pk", "external_id", "service_id", "service__external_id", "service__name")
_GONE = frozenset({VersionAction.SUPERSEDED, VersionAction.ENTERED_IN_ERROR})


def _recorded_casefile(
    rows: list[tuple[Any, ...]], service: tuple[str, str]
) -> tuple[cf.CaseFile, dt.date | None] | None:
    """The case file one person's versions (as :func:`recorded_versions` gives them) held
    at their end, and the end of support their person record held; None when the person
    was not recorded yet. A record's state is its last version: gone when that version
    superseded it or entered it in error (it was in the file until then). Each kind keeps
    the order its records were first recorded in."""
    latest: dict[tuple[str, str], tuple[int, str, Any]] = {}
    first: dict[tuple[str, str], int] = {}
    for _, kind, key, version_id, action, snapshot in rows:
        named = (kind, key)
        first.setdefault(named, version_id)
        latest[named] = (version_id, action, snapshot)
    person: cf.Person | None = None
    ended: dt.date | None = None
    records: dict[str, list[tuple[int, cf.Record]]] = defaultdict(list)
    for (kind, key), (_, action, snapshot) in latest.items():
        if action in _GONE:
            continue
        data = document(snapshot)
        if kind == PERSON_KIND:
            person = cf.Person.model_validate(
                {name: value for name, value in data.items() if name in _PERSON_FIELDS}
            )
            text = data.get("support_ended")
            ended = dt.date.fromisoformat(text) if isinstance(text, str) else None
            continue
        spec = RECORD_KINDS.get(kind)
        if spec is not None:
            records[kind].append((first[(kind, key)], spec.from_data(data)))
    if person is None:
        return None
    ordered = {
        kind: [r for _, r in sorted(got, key=lambda p: p[0])] for kind, got in records.items()
    }
    try:
        casefile = assemble_casefile(service=service, person=person, records=ordered, trust=True)
    except ValueError:  # the plan was not recorded yet
        return None
    return casefile, ended


def casefiles_recorded(
    people: QuerySet[Person], *, at: dt.datetime, stream: bool = False
) -> Iterator[_PersonRow]:
    """The people's case files as they were recorded just before ``at`` (rebuilt from the
    history of versions, kinwise.core.history), one at a time in person pk order: the
    people in one query, then every version written before ``at`` of all their records in
    one more (streamed with ``stream``, inside a transaction), however many people and
    versions. People not recorded yet at ``at`` are left out. Later edits, corrections
    and records entered in error do not change what this gives."""
    people = people.order_by("pk")
    people_rows: Iterable[tuple[Any, ...]] = (
        people.values_list(*_RECORDED_COLUMNS).iterator(chunk_size=STREAM_CHUNK)
        if stream
        else list(people.values_list(*_RECORDED_COLUMNS))
    )
    if not stream and not people_rows:
        return
    wanted = PeopleSubquery.of(people.order_by().values("pk"))
    versions = PersonRows(recorded_versions(people=wanted, before=at, stream=stream))
    try:
        for pk, external_id, service_pk, service_id, service_name in people_rows:
            built = _recorded_casefile(versions.take(pk), (service_id, service_name))
            if built is not None:
                casefile, ended = built
                yield _PersonRow(pk, external_id, service_pk, service_id, casefile, ended)
            check_deadline()
    finally:
        versions.close()


def _written_at(value: Any) -> dt.datetime:
    """A version's time as a raw cursor gives it (SQLite: text in UTC; PostgreSQL: aware)."""
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def casefiles_recorded_on_days(
    people: QuerySet[Person], *, days: Collection[dt.date]
) -> Iterator[tuple[int, str, dict[dt.date, cf.CaseFile]]]:
    """For each person (in pk order), their case file as recorded at the end of each of
    ``days`` (UK time, :func:`kinwise.clock.end_of_day`), as :func:`casefiles_recorded`
    gives it for that moment; a day before the person was recorded is left out. Two
    statements however many people and days (the versions of all of them up to the end of
    the last day, each with the time it was written); a person's file is rebuilt only on
    a day after which a version of theirs was written, and is the same object on the days
    between. ``(pk, case-file id, {day: case file})``."""
    from kinwise.clock import end_of_day

    wanted_days = sorted(set(days))
    if not wanted_days:
        return
    people = people.order_by("pk")
    people_rows = list(people.values_list(*_RECORDED_COLUMNS))
    if not people_rows:
        return
    ends = [end_of_day(day) for day in wanted_days]
    wanted = PeopleSubquery.of(people.order_by().values("pk"))
    versions = PersonRows(recorded_versions(people=wanted, before=ends[-1], timed=True))
    try:
        for pk, external_id, _, service_id, service_name in people_rows:
            rows = [(*row[:6], _written_at(row[6])) for row in versions.take(pk)]
            times = sorted(row[6] for row in rows)
            found: dict[dt.date, cf.CaseFile] = {}
            built: cf.CaseFile | None = None
            seen = -1
            for day, end in zip(wanted_days, ends, strict=True):
                count = bisect.bisect_left(times, end)
                if count != seen:
                    seen = count
                    made = _recorded_casefile(
                        [row[:6] for row in rows if row[6] < end], (service_id, service_name)
                    )
                    built = made[0] if made is not None else None
                if built is not None:
                    found[day] = built
            yield pk, external_id, found
            check_deadline()
    finally:
        versions.close()


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


def casefiles_recorded_for_service(
    *, service: Service, at: dt.datetime
) -> dict[int, tuple[cf.CaseFile, dt.date | None]]:
    """Every current person of the service as recorded just before ``at``
    (:func:`casefiles_recorded`), with the end of support then recorded, by person pk in
    the order of their case-file ids: two queries."""
    people = Person.objects.filter(service_id=service.pk, superseded_at__isnull=True)
    rows = sorted(casefiles_recorded(people, at=at), key=lambda r: (r.external_id, r.service_id))
    return {row.pk: (row.casefile, row.support_ended) for row in rows}


def casefile_recorded(*, person: Person, at: dt.datetime) -> cf.CaseFile | None:
    """The person's case file as recorded just before ``at`` (None: not recorded yet):
    two queries."""
    found = list(casefiles_recorded(Person.objects.filter(pk=person.pk), at=at))
    return found[0].casefile if found else None


def casefiles_for_people(*, person_pks: Collection[int]) -> dict[int, cf.CaseFile]:
    """The case files of these people (current or not), by person pk: a fixed number of
    queries however many people."""
    people = Person.objects.filter(pk__in=list(person_pks))
    return {row.pk: row.casefile for row in _casefiles(people)}


def people_matching(
    *, person: str | None = None, service: str | None = None, organisation: str | None = None
) -> QuerySet[Person]:
    """Current people by case-file id, service id and organisation slug (each optional).

    ``person`` is a case-file id (``sam``) or the number the web shows in a person's
    address (``#12``: ``/people/12/``), which names one person whatever their service."""
    people = Person.objects.filter(superseded_at__isnull=True)
    if organisation is not None:
        people = people.filter(service__organisation__slug=organisation)
    if service is not None:
        people = people.filter(service__external_id=service)
    if person is not None:
        number = person_number(person)
        people = (
            people.filter(pk=number) if number is not None else people.filter(external_id=person)
        )
    return people


_NUMBER = re.compile(r"#([0-9]{1,18})")


def _named(person: str) -> str:
    """How an error names the person asked for ("with id 'sam'", "numbered #12")."""
    return f"numbered {person}" if person_number(person) is not None else f"with id '{person}'"


def person_number(person: str) -> int | None:
    """The number of ``#12`` (a person as the web numbers them), None for a case-file id."""
    match = _NUMBER.fullmatch(person)
    return int(match.group(1)) if match else None


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
    recorded_at: dt.datetime | None = None,
) -> list[T]:
    """``each`` of the case files to audit: one person, a service, or everyone; in the
    order of service id, then person id. An unknown service or person is an error, as is
    a service id that names services of more than one organisation (name the
    organisation).

    The case files are streamed (:func:`_casefiles_read`) in one transaction that sees one
    state of the database (on PostgreSQL a read-only REPEATABLE READ transaction, unless
    the caller is already inside one; SQLite's read transaction is a snapshot): each is
    built, given to ``each`` and dropped, so memory holds what ``each`` returns (an
    audit's findings), not every case file of a large provider.

    With ``recorded_at``, each case file is as it was recorded just before that moment
    (:func:`casefiles_recorded`: the versions in one streamed statement); a person not
    recorded yet is left out."""

    def read(people: QuerySet[Person]) -> Iterator[tuple[tuple[str, str, int], T]]:
        rows = (
            _casefiles_read(people, stream=True)
            if recorded_at is None
            else casefiles_recorded(people, at=recorded_at, stream=True)
        )
        for row in rows:
            yield (row.service_external_id, row.external_id, row.service_id), each(row.casefile)

    return _people_map(
        service=service,
        person=person,
        organisation=organisation,
        read=read,
        recorded=recorded_at is not None,
    )


def documents_map(
    *,
    service: str | None,
    person: str | None,
    organisation: str | None = None,
    each: Callable[[PersonDocuments], T],
    recorded_at: dt.datetime | None = None,
) -> list[T]:
    """:func:`casefiles_map` with each case file given as its documents
    (:func:`_documents_read`): the same people, order, errors and snapshot, and no record
    built for the current records (an audit's input; issue 17). As recorded, each case
    file rebuilt from its versions gives its documents."""

    def read(people: QuerySet[Person]) -> Iterator[tuple[tuple[str, str, int], T]]:
        if recorded_at is None:
            for row in _documents_read(people, stream=True):
                key = (row.service_external_id, row.external_id, row.service_id)
                yield key, each(row.documents)
            return
        for old in casefiles_recorded(people, at=recorded_at, stream=True):
            key = (old.service_external_id, old.external_id, old.service_id)
            yield key, each(casefile_documents(old.casefile))

    return _people_map(
        service=service,
        person=person,
        organisation=organisation,
        read=read,
        recorded=recorded_at is not None,
    )


def _people_map(
    *,
    service: str | None,
    person: str | None,
    organisation: str | None,
    read: Callable[[QuerySet[Person]], Iterator[tuple[tuple[str, str, int], T]]],
    recorded: bool,
) -> list[T]:
    """What ``read`` gives for the people asked for (:func:`casefiles_map`), in one
    transaction that sees one state of the database, sorted by service id, then person
    id."""
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
    with transaction.atomic(using=people.db), fewer_collections():
        if snapshot:
            # every table read at the same moment, as SQLite's read transaction does
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        results.extend(read(people))
    if person is not None and not results:
        where = f" in service '{service}'" if service is not None else ""
        if recorded and people.exists():
            raise KinwiseError(
                ErrorCode.NOT_FOUND,
                f"nothing had been recorded about person '{person}'{where} by then",
            )
        raise KinwiseError(ErrorCode.NOT_FOUND, f"no person {_named(person)}{where}")
    results.sort(key=lambda pair: pair[0])
    return [result for _, result in results]


def person_for_export(
    *, person: str, service: str | None = None, organisation: str | None = None
) -> Person:
    """The one current person with this case-file id (in the service, if named)."""
    found = list(people_matching(person=person, service=service, organisation=organisation)[:2])
    if not found:
        where = f" in service '{service}'" if service is not None else ""
        raise KinwiseError(ErrorCode.NOT_FOUND, f"no person {_named(person)}{where}")
    if len(found) > 1:
        raise KinwiseError(
            ErrorCode.USAGE,
            f"more than one person has the id '{person}': name the service with --service"
            f" or the person by the number the web shows (#{found[0].pk} or #{found[1].pk})"
            + (" (and the organisation with --organisation)" if service is not None else ""),
        )
    return found[0]


def record_current(*, person: Person, kind: str, key: str) -> Record | None:
    """The person's current record of ``kind`` keyed ``key`` (its version and document)."""
    return Record.objects.filter(
        person=person, kind=kind, key=key, superseded_at__isnull=True
    ).first()


def record_by_id(*, person: Person, record_id: int) -> Record | None:
    """One of the person's records by its opaque id (the one the web's addresses use):
    the current one, or the latest that left the case file."""
    return Record.objects.filter(person=person, pk=record_id).first()


def record_kind_of(*, person_pk: int, record_id: int) -> str | None:
    """The kind of one of a person's records by its opaque id (None: no such record), to
    know what a page about it asks of its viewer before the person is read."""
    found: str | None = (
        Record.objects.filter(person_id=person_pk, pk=record_id)
        .values_list("kind", flat=True)
        .first()
    )
    return found


def record_ids(*, person: Person) -> dict[tuple[str, str], tuple[int, int]]:
    """(opaque id, version) of each of the person's current records by (kind, key)."""
    return {
        (kind, key): (pk, version)
        for pk, kind, key, version in Record.objects.filter(
            person=person, superseded_at__isnull=True
        ).values_list("pk", "kind", "key", "version")
    }


def export_stamp(*, person: Person) -> ExportStamp:
    """What ``kinwise export`` stamps a file with: the version of the person's details and
    of each current record. Read before the file's records, so that a change saved in
    between makes the stamp older than the file, never newer: a re-import then refuses
    rather than overwrites (docs/adr/0080)."""
    person_key = (PERSON_KIND, person.external_id)
    person_version = versions_latest(person=person, keys={person_key}).get(person_key, 0)
    records = {key: version for key, (_, version) in record_ids(person=person).items()}
    return ExportStamp(person_id=person.external_id, person_version=person_version, records=records)


def record_changed_fields(
    *, person: Person, kind: str, key: str, since_version: int
) -> list[str] | None:
    """The fields of a record that differ between version ``since_version`` and its
    current state (None: the record has left the case file since)."""
    from kinwise.core.models import RecordVersion

    current = record_current(person=person, kind=kind, key=key)
    if current is None:
        return None
    before = (
        RecordVersion.objects.filter(
            person=person, kind=kind, external_id=key, version=since_version
        )
        .values_list("snapshot", flat=True)
        .first()
    )
    before = before or {}
    names = list(dict.fromkeys([*before, *current.data]))
    return [name for name in names if before.get(name) != current.data.get(name)]


def record_ids_ever(*, person: Person) -> dict[tuple[str, str], tuple[int, int]]:
    """(opaque id, version) by (kind, key) of every record the person has had: the current
    row, or else the latest to leave the case file (what the history links to)."""
    found: dict[tuple[str, str], tuple[int, int]] = {}
    current: set[tuple[str, str]] = set()
    for pk, kind, key, version, superseded in (
        Record.objects.filter(person=person)
        .order_by("pk")
        .values_list("pk", "kind", "key", "version", "superseded_at")
    ):
        named = (kind, key)
        if named in current:
            continue
        if superseded is None:
            current.add(named)
        found[named] = (pk, version)
    return found
