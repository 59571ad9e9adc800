"""Bringing a person's stored records to the state of a case file."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from kinwise.casefile.schema import CaseFile, Record
from kinwise.core.history import VersionEntry, versions_known, versions_write
from kinwise.core.models import Service, VersionAction
from kinwise.records.kinds import (
    PERSON_KIND,
    RECORD_KINDS,
    RecordKind,
    person_columns,
    person_record,
    person_snapshot,
)
from kinwise.records.models import Person
from kinwise.records.models.base import CaseChild, CaseRecord
from kinwise.records.selectors import StoredRecord, current_records

logger = logging.getLogger(__name__)


@dataclass
class ImportResult:
    """What an import did, counted in records (the person counts as one)."""

    person_id: str
    person_pk: int
    person_created: bool
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    superseded: int = 0

    def summary(self) -> str:
        return (
            f"{self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.superseded} superseded"
        )


def casefile_import(
    *,
    casefile: CaseFile,
    service: Service,
    actor: AbstractBaseUser | None,
    source: str = "import",
    at: dt.datetime | None = None,
) -> ImportResult:
    """Create or update the person of ``casefile`` in ``service`` to the file's state.

    The person is matched by case-file id among the service's current people; records by
    kind and id (roles by area, medicines by name, the plan is single). An unchanged
    record is left alone; a changed one is updated in place (its inner rows replaced)
    with a new version; a record no longer in the file is superseded, never deleted.
    One transaction: on any error nothing is written.
    """
    now = at or timezone.now()
    with transaction.atomic():
        person = (
            Person.objects.select_for_update()
            .filter(service=service, external_id=casefile.person.id, superseded_at__isnull=True)
            .first()
        )
        entries: list[VersionEntry] = []
        new_snapshot = person_snapshot(casefile.person)
        if person is None:
            person = Person.objects.create(
                service=service, created_at=now, updated_at=now, **person_columns(casefile.person)
            )
            result = ImportResult(casefile.person.id, person.pk, person_created=True, created=1)
            entries.append(
                VersionEntry(PERSON_KIND, casefile.person.id, new_snapshot, VersionAction.CREATED)
            )
            stored: dict[str, list[StoredRecord]] = {}
            known: set[tuple[str, str]] = set()
        else:
            result = ImportResult(casefile.person.id, person.pk, person_created=False)
            if person_snapshot(person_record(person)) == new_snapshot:
                result.unchanged += 1
            else:
                for column, value in person_columns(casefile.person).items():
                    setattr(person, column, value)
                person.updated_at = now
                person.save()
                result.updated += 1
                entries.append(
                    VersionEntry(
                        PERSON_KIND, casefile.person.id, new_snapshot, VersionAction.UPDATED
                    )
                )
            stored = current_records(person_filter={"pk": person.pk}).get(person.pk, {})
            known = versions_known(person=person)

        for spec in RECORD_KINDS:
            entries.extend(
                _import_kind(
                    spec=spec,
                    person=person,
                    incoming=spec.keyed(casefile),
                    stored=stored.get(spec.kind, []),
                    known=known,
                    result=result,
                    now=now,
                )
            )
        versions_write(person=person, entries=entries, actor=actor, source=source, at=now)
    logger.info(
        "imported person pk=%s into service pk=%s: %s", person.pk, service.pk, result.summary()
    )
    return result


def _import_kind(
    *,
    spec: RecordKind,
    person: Person,
    incoming: Sequence[tuple[str, Record]],
    stored: Sequence[StoredRecord],
    known: set[tuple[str, str]],
    result: ImportResult,
    now: dt.datetime,
) -> list[VersionEntry]:
    entries: list[VersionEntry] = []
    existing = {s.row.external_id: s for s in stored}
    created: list[tuple[CaseRecord, Record]] = []
    replaced: list[tuple[CaseRecord, Record]] = []
    moved: list[CaseRecord] = []
    for position, (key, record) in enumerate(incoming):
        snapshot = spec.snapshot(record)
        current = existing.pop(key, None)
        columns = {**spec.columns(record), "external_id": key}
        if current is None:
            row = spec.model(
                person=person, position=position, created_at=now, updated_at=now, **columns
            )
            created.append((row, record))
            action = VersionAction.RESTORED if (spec.kind, key) in known else VersionAction.CREATED
            entries.append(VersionEntry(spec.kind, key, snapshot, action))
            result.created += 1
        elif spec.snapshot(current.record) == snapshot:
            result.unchanged += 1
            if current.row.position != position:
                current.row.position = position
                moved.append(current.row)
        else:
            row = current.row
            for column, value in columns.items():
                setattr(row, column, value)
            row.position = position
            row.updated_at = now
            row.save()
            replaced.append((row, record))
            entries.append(VersionEntry(spec.kind, key, snapshot, VersionAction.UPDATED))
            result.updated += 1

    gone = list(existing.values())
    for stored_record in gone:
        entries.append(
            VersionEntry(
                spec.kind,
                stored_record.row.external_id,
                spec.snapshot(stored_record.record),
                VersionAction.SUPERSEDED,
            )
        )
        result.superseded += 1
    if gone:
        spec.model._default_manager.filter(pk__in=[s.row.pk for s in gone]).update(
            superseded_at=now, updated_at=now
        )

    outdated_parents = [row.pk for row, _ in replaced] + [s.row.pk for s in gone]
    for child in spec.children:
        if outdated_parents:
            child.model._default_manager.filter(
                **{f"{child.parent_field}_id__in": outdated_parents, "superseded_at__isnull": True}
            ).update(superseded_at=now)

    if created:
        spec.model._default_manager.bulk_create([row for row, _ in created])
    if moved:
        spec.model._default_manager.bulk_update(moved, ["position"])
        # order is not content (no new version), but it orders an audit's evidence: the
        # person's updated_at moves so that stored audits see the change (kinwise.audits)
        Person.objects.filter(pk=person.pk).update(updated_at=now)
    for child in spec.children:
        rows: list[CaseChild] = []
        for parent, record in created + replaced:
            for position, item in enumerate(getattr(record, child.attr)):
                rows.append(
                    child.model(
                        **{child.parent_field: parent},
                        position=position,
                        created_at=now,
                        **child.columns(item),
                    )
                )
        if rows:
            child.model._default_manager.bulk_create(rows)
    return entries
