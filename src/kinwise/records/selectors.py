"""Reads of stored case files, in bulk: a fixed number of queries however many people.

Each table is read once with a filter on the people wanted (one person, a service,
...), and the rows are grouped in Python; nothing is read per person or per record.
The case files are built from the rows as tuples, without model instances and without
validating again what was validated when it was written (kinwise.records.reading);
``current_records`` gives the rows as model instances, for the import that updates them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.db.models import QuerySet

from kinwise.casefile import schema as cf
from kinwise.core.models import Service
from kinwise.errors import ErrorCode, KinwiseError
from kinwise.records.kinds import RECORD_KINDS, assemble_casefile
from kinwise.records.models import Person
from kinwise.records.models.base import CaseChild, CaseRecord
from kinwise.records.reading import PeopleSubquery, current_rows, row_reader, trusted


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


def _records(people: QuerySet[Person]) -> dict[int, dict[str, list[cf.Record]]]:
    """The current records of ``people`` by person pk and kind, in the file's order, read
    as tuples into trusted records (kinwise.records.reading). One query per table."""
    wanted = PeopleSubquery.of(people.order_by().values("pk"))
    out: dict[int, dict[str, list[cf.Record]]] = defaultdict(lambda: defaultdict(list))
    for spec in RECORD_KINDS:
        children: dict[str, dict[int, list[Any]]] = {}
        for child in spec.children:
            reader = row_reader(child.model, child.schema, child.names, 1)
            grouped: dict[int, list[Any]] = defaultdict(list)
            for row in current_rows(
                model=child.model,
                columns=reader.columns,
                people=wanted,
                parent_field=child.parent_field,
            ):
                grouped[row[0]].append(reader.build(row, _NO_EXTRA))
            children[child.attr] = grouped
        reader = row_reader(spec.model, spec.schema, spec.names, 2)
        extra: dict[str, Any] = dict.fromkeys(spec.excluded, ())
        for row in current_rows(model=spec.model, columns=reader.columns, people=wanted):
            for attr, grouped in children.items():
                extra[attr] = grouped.get(row[0], [])
            out[row[1]][spec.kind].append(reader.build(row, extra))
    return out


_NO_EXTRA: dict[str, Any] = {}


def _casefiles(people: QuerySet[Person]) -> list[_PersonRow]:
    """The people's case files, by case-file id then service: the people in one query, then
    one query per table of records however many people (see :func:`_records`)."""
    people_rows = list(people.order_by("external_id", "service_id").values_list(*_PERSON_COLUMNS))
    if not people_rows:
        return []
    records = _records(people)
    found = []
    for row in people_rows:
        pk, external_id, name, born, methods, notes, service_pk, service_id, service_name = row
        person = trusted(
            cf.Person,
            {
                "id": external_id,
                "name": name,
                "date_of_birth": born,
                "communication": trusted(cf.Communication, {"methods": methods, "notes": notes}),
            },
        )
        casefile = assemble_casefile(
            service=(service_id, service_name),
            person=person,
            records=records.get(pk, {}),
            trust=True,
        )
        found.append(_PersonRow(pk, external_id, service_pk, service_id, casefile))
    return found


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
    """The case files to audit: one person, a service, or everyone; by service id, then
    person id. An unknown service or person is an error, as is a service id that names
    services of more than one organisation (name the organisation)."""
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
    result = _casefiles(people)
    if person is not None and not result:
        where = f" in service '{service}'" if service is not None else ""
        raise KinwiseError(ErrorCode.NOT_FOUND, f"no person with id '{person}'{where}")
    result.sort(key=lambda row: (row.service_external_id, row.external_id, row.service_id))
    return [row.casefile for row in result]


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
