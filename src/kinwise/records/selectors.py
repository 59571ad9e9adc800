"""Reads of stored case files, in bulk: a fixed number of queries however many people.

Each table is read once with a filter on the people wanted (one person, a service,
...), and the rows are grouped in Python; nothing is read per person or per record.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from kinwise.casefile import schema as cf
from kinwise.core.models import Service
from kinwise.errors import ErrorCode, KinwiseError
from kinwise.records.kinds import RECORD_KINDS, assemble_casefile, person_record
from kinwise.records.models import Person
from kinwise.records.models.base import CaseChild, CaseRecord


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


def _casefiles(people: QuerySet[Person]) -> list[tuple[Person, cf.CaseFile]]:
    people_list = list(people.select_related("service").order_by("external_id", "service_id"))
    if not people_list:
        return []
    records = current_records(person_filter={"pk__in": people.values("pk")})
    return [
        (
            person,
            assemble_casefile(
                service=(person.service.external_id, person.service.name),
                person=person_record(person),
                records={
                    kind: [s.record for s in stored]
                    for kind, stored in records.get(person.pk, {}).items()
                },
            ),
        )
        for person in people_list
    ]


def casefile_export(*, person: Person) -> cf.CaseFile:
    """The person's current records as a case file (without as_of)."""
    found = _casefiles(Person.objects.filter(pk=person.pk))
    if not found:
        raise KinwiseError(ErrorCode.NOT_FOUND, "no such person")
    return found[0][1]


def casefiles_for_service(*, service: Service) -> dict[int, cf.CaseFile]:
    """Every current person of the service, by person pk in the order of their case-file ids."""
    people = Person.objects.filter(service=service, superseded_at__isnull=True)
    return {person.pk: casefile for person, casefile in _casefiles(people)}


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
    result.sort(key=lambda pc: (pc[0].service.external_id, pc[0].external_id, pc[0].service_id))
    return [casefile for _, casefile in result]


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
