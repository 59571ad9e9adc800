"""Bringing a person's stored records to the state of a validated case file.

One writer serves every path: ``kinwise import`` (a batch per file), the demo, and each
save from the staff pages (a batch of one change, :mod:`kinwise.records.services.edits`).
It compares the file's records with the stored documents in memory, and writes only
what changed with one statement per kind of write (created, changed, moved, superseded)
and one for their versions, whatever the length of the person's history.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import connections, transaction
from django.utils import timezone

from kinwise.casefile.kinds import (
    PERSON_KIND,
    RECORD_KINDS,
    person_columns,
    person_record,
    person_snapshot,
)
from kinwise.casefile.schema import CaseFile
from kinwise.casefile.stamp import ExportStamp
from kinwise.core.bulk import JsonMemo, rows_insert
from kinwise.core.history import VersionEntry, versions_latest, versions_write
from kinwise.core.models import Service, VersionAction
from kinwise.core.services import service_for_import
from kinwise.errors import ErrorCode, FieldError, KinwiseError
from kinwise.records.models import Person, Record
from kinwise.records.reading import document
from kinwise.records.services.staff import MEMBER_KIND, staff_circles_sync
from kinwise.records.transactions import write_transaction

logger = logging.getLogger(__name__)

# A record named by its kind and key (its case-file id or natural key).
RecordKey = tuple[str, str]


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
    changed: list[RecordKey] = field(default_factory=list)
    # what each write did to each record, in the order written: (kind, key, action)
    actions: list[tuple[str, str, VersionAction]] = field(default_factory=list)
    # the records a stamped file would overwrite although they changed in Kinwise after
    # the file's export, in plain words (refused unless forced; see ``casefile_import``)
    stale: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.superseded} superseded"
        )


@dataclass(slots=True)
class StoredRow:
    """A current record as stored: its opaque id, kind, key, place, version and document."""

    pk: int
    kind: str
    key: str
    position: int
    version: int
    data: dict[str, Any]


def stored_rows(*, person: Person) -> dict[RecordKey, StoredRow]:
    """The person's current records by (kind, key): one plain query, the documents parsed
    by the JSON decoder alone (no model instances: a long history has thousands)."""
    table = Record._meta.db_table
    connection = connections[Record.objects.db]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(c) for c in ("id", "kind", "key", "position", "version", "data"))
    sql = (
        f"SELECT {columns} FROM {quote(table)} WHERE {quote('person_id')} = %s"
        f" AND {quote('superseded_at')} IS NULL ORDER BY {quote('kind')}, {quote('position')}, {quote('id')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [person.pk])
        rows = cursor.fetchall()
    return {
        (kind, key): StoredRow(pk, kind, key, position, version, document(data))
        for pk, kind, key, position, version, data in rows
    }


def casefile_import(
    *,
    casefile: CaseFile,
    service: Service,
    actor: AbstractBaseUser | None,
    source: str = "import",
    at: dt.datetime | None = None,
    stamp: ExportStamp | None = None,
    force: bool = False,
    dry_run: bool = False,
) -> ImportResult:
    """Create or update the person of ``casefile`` in ``service`` to the file's state.

    The person is matched by case-file id among the service's current people; records by
    kind and key (roles by area, medicines by name, the plan is single). An unchanged
    record is left alone; a changed one gets its new document and a new version; a
    record no longer in the file is superseded, never deleted. One transaction: on any
    error nothing is written.

    With the ``stamp`` of the file's export (:mod:`kinwise.casefile.stamp`), a file that
    would overwrite a record changed in Kinwise after the export (changed, added or
    taken out since) is refused with ``ErrorCode.STALE`` naming each one, and nothing is
    written, unless ``force`` is given; the history keeps what it overwrites. A
    ``dry_run`` does everything but write: the result says what would be added, changed
    and superseded, and ``stale`` what would be refused.
    """
    now = at or timezone.now()
    with write_transaction():
        person = (
            Person.objects.select_for_update()
            .filter(service=service, external_id=casefile.person.id, superseded_at__isnull=True)
            .first()
        )
        if person is None:
            person = Person.objects.create(
                service=service, created_at=now, updated_at=now, **person_columns(casefile.person)
            )
            result = ImportResult(casefile.person.id, person.pk, person_created=True)
            stored: dict[RecordKey, StoredRow] = {}
        else:
            person.service = service  # known: its organisation's staff directory is read
            result = ImportResult(casefile.person.id, person.pk, person_created=False)
            stored = stored_rows(person=person)
            if stamp is not None and stamp.person_id == casefile.person.id:
                result.stale = stale_records(
                    person=person, casefile=casefile, stored=stored, stamp=stamp
                )
        if result.stale and not force and not dry_run:
            raise KinwiseError(
                ErrorCode.STALE,
                f"{len(result.stale)} record(s) changed in Kinwise after this file was "
                "exported: export the person again and make the change there, or give "
                "--force to overwrite",
                [FieldError("", line) for line in result.stale],
            )
        casefile_write(
            person=person,
            casefile=casefile,
            stored=stored,
            result=result,
            actor=actor,
            source=source,
            now=now,
        )
        if dry_run:
            transaction.set_rollback(True)
    if not dry_run:
        logger.info(
            "imported person pk=%s into service pk=%s: %s",
            person.pk,
            service.pk,
            result.summary(),
        )
    return result


def casefile_import_file(
    *,
    casefile: CaseFile,
    service_id: str | None,
    organisation_slug: str | None,
    create_organisation: bool,
    stamp: ExportStamp | None,
    force: bool,
    dry_run: bool,
) -> tuple[Service, ImportResult]:
    """``kinwise import`` of one file: the service it goes into
    (:func:`kinwise.core.services.service_for_import`) and :func:`casefile_import` by a
    command (no one signed in). A dry run writes nothing at all, not even the service or
    organisation the file would create."""

    def run() -> tuple[Service, ImportResult]:
        service = service_for_import(
            casefile=casefile,
            service_id=service_id,
            organisation_slug=organisation_slug,
            create_organisation=create_organisation,
        )
        result = casefile_import(
            casefile=casefile,
            service=service,
            actor=None,
            source="import",
            stamp=stamp,
            force=force,
            dry_run=dry_run,
        )
        return service, result

    if not dry_run:
        return run()
    with write_transaction():
        done = run()
        transaction.set_rollback(True)
    return done


def describe(kind: str, key: str) -> str:
    """A record in plain words (``the view 'v-3'``), as the import's messages name it."""
    return _named(kind, key)


def _named(kind: str, key: str) -> str:
    """A record in plain words: its kind's label and the name the file gives it."""
    if kind == PERSON_KIND:
        return "the person's details"
    spec = RECORD_KINDS.get(kind)
    if spec is None:
        return f"a record '{key}'"
    if spec.single:
        return f"the {spec.label}"
    return f"the {spec.label} '{key.split('#', 1)[0]}'"


def stale_records(
    *,
    person: Person,
    casefile: CaseFile,
    stored: Mapping[RecordKey, StoredRow],
    stamp: ExportStamp,
) -> list[str]:
    """The records that importing ``casefile`` would write although they are no longer as
    they were at the file's export (``stamp``), each in plain words: changed since (its
    version moved on), added since (not in the export: the import would replace or
    supersede it) or taken out since (the import would bring it back). A record the
    import leaves alone never counts, nor one the file holds as it now is."""
    in_file: dict[RecordKey, dict[str, Any]] = {}
    for spec in RECORD_KINDS:
        for name, record in spec.keyed(casefile):
            in_file[(spec.name, name)] = spec.snapshot(record)
    stale: list[str] = []
    person_key = (PERSON_KIND, person.external_id)
    if person_snapshot(person_record(person)) != person_snapshot(casefile.person):
        now = versions_latest(person=person, keys={person_key}).get(person_key, 0)
        if now != stamp.person_version:
            stale.append("the person's details were changed in Kinwise after this file's export")
    order = {spec.name: index for index, spec in enumerate(RECORD_KINDS)}
    keys = sorted(set(in_file) | set(stored), key=lambda k: (order.get(k[0], len(order)), k[1]))
    for key in keys:
        was = stamp.records.get(key)
        row = stored.get(key)
        now_version = row.version if row is not None else None
        if was == now_version:
            continue
        if row is not None and in_file.get(key) == row.data:
            continue  # the file holds the record as it now is: nothing is overwritten
        what = _named(*key)
        if row is None:
            stale.append(f"{what} was taken out in Kinwise after this file's export")
        elif was is None:
            stale.append(f"{what} was added in Kinwise after this file's export")
        else:
            stale.append(f"{what} was changed in Kinwise after this file's export")
    return stale


@dataclass(slots=True)
class _NewRecord:
    """A record the write adds: its row's values, without a model instance."""

    kind: str
    key: str
    position: int
    data: dict[str, Any]
    version: int = 1


_RECORD_FIELDS = (
    "person_id",
    "kind",
    "key",
    "position",
    "version",
    "data",
    "superseded_at",
    "created_at",
    "updated_at",
)


def casefile_write(
    *,
    person: Person,
    casefile: CaseFile,
    stored: Mapping[RecordKey, StoredRow],
    result: ImportResult,
    actor: AbstractBaseUser | None,
    source: str,
    now: dt.datetime,
    expected: Mapping[RecordKey, int] | None = None,
    reasons: Mapping[RecordKey, str] | None = None,
    corrected: frozenset[RecordKey] = frozenset(),
    unchanged: frozenset[RecordKey] | None = None,
) -> None:
    """Write the difference between ``stored`` (the person's current records, locked by
    the caller's transaction) and ``casefile``.

    ``expected`` holds the version each change was based on: a record whose stored
    version differs (changed or taken out since) refuses the whole write with
    ``ErrorCode.STALE``. ``corrected`` records leave the file as entered in error, with
    their ``reasons``. ``unchanged`` names records the caller knows are as stored (a web
    save knows what it touched), which are then not compared again.
    """
    for key, version in (expected or {}).items():
        row = stored.get(key)
        if row is None or row.version != version:
            raise KinwiseError(
                ErrorCode.STALE,
                "this record was changed by someone else after you opened it",
                [],
            )
    person_changed = result.person_created
    entries: list[VersionEntry] = []
    new_snapshot = person_snapshot(casefile.person)
    if result.person_created:
        entries.append(
            VersionEntry(PERSON_KIND, casefile.person.id, new_snapshot, VersionAction.CREATED)
        )
        result.created += 1
    elif person_snapshot(person_record(person)) == new_snapshot:
        result.unchanged += 1
    else:
        for column, value in person_columns(casefile.person).items():
            setattr(person, column, value)
        person_changed = True
        entries.append(
            VersionEntry(PERSON_KIND, casefile.person.id, new_snapshot, VersionAction.UPDATED)
        )
        result.updated += 1

    created: list[_NewRecord] = []
    changed: list[Record] = []
    moved: list[Record] = []
    left = dict(stored)
    for spec in RECORD_KINDS:
        for position, (name, record) in enumerate(spec.keyed(casefile)):
            row = left.pop((spec.name, name), None)
            if row is not None and unchanged is not None and (spec.name, name) in unchanged:
                result.unchanged += 1
                if row.position != position:
                    moved.append(Record(pk=row.pk, position=position))
                continue
            document = spec.snapshot(record)
            if row is None:
                created.append(_NewRecord(spec.name, name, position, document))
                entries.append(VersionEntry(spec.name, name, document, VersionAction.CREATED))
                result.created += 1
            elif row.data == document:
                result.unchanged += 1
                if row.position != position:
                    moved.append(Record(pk=row.pk, position=position))
            else:
                changed.append(
                    Record(
                        pk=row.pk,
                        kind=row.kind,
                        key=row.key,
                        data=document,
                        position=position,
                        updated_at=now,
                    )
                )
                reason = (reasons or {}).get((spec.name, name), "")
                entries.append(
                    VersionEntry(spec.name, name, document, VersionAction.UPDATED, reason)
                )
                result.updated += 1
    gone = sorted(left.values(), key=lambda row: row.pk)
    for row in gone:
        key = (row.kind, row.key)
        action = VersionAction.ENTERED_IN_ERROR if key in corrected else VersionAction.SUPERSEDED
        reason = (reasons or {}).get(key, "")
        entries.append(VersionEntry(row.kind, row.key, row.data, action, reason))
        result.superseded += 1

    if not entries and not moved:
        return
    # created records that were in the history before are restored; every version is
    # numbered after the record's latest
    latest = (
        {}
        if result.person_created
        else versions_latest(person=person, keys={(e.kind, e.external_id) for e in entries})
    )
    entries = [
        VersionEntry(e.kind, e.external_id, e.snapshot, VersionAction.RESTORED, e.reason)
        if e.action == VersionAction.CREATED and (e.kind, e.external_id) in latest
        else e
        for e in entries
    ]
    numbers = dict(latest)
    for entry in entries:
        key = (entry.kind, entry.external_id)
        numbers[key] = numbers.get(key, 0) + 1
    for new in created:
        new.version = numbers[(new.kind, new.key)]
    for written in changed:
        written.version = numbers[(written.kind, written.key)]
    result.changed = [(e.kind, e.external_id) for e in entries]
    result.actions = [(e.kind, e.external_id, e.action) for e in entries]

    if gone:
        Record.objects.filter(pk__in=[row.pk for row in gone]).update(
            superseded_at=now, updated_at=now
        )
    memo = JsonMemo()  # a new record's document is its first version's too: encoded once
    if created:
        # one statement per batch, the values as the fields store them (docs/adr/0245)
        rows_insert(
            model=Record,
            fields=_RECORD_FIELDS,
            rows=[
                (person.pk, r.kind, r.key, r.position, r.version, r.data, None, now, now)
                for r in created
            ],
            memo=memo,
        )
    if changed:
        Record.objects.bulk_update(changed, ["data", "position", "version", "updated_at"])
    if moved:
        Record.objects.bulk_update(moved, ["position"])
    versions_write(
        person=person,
        entries=entries,
        actor=actor,
        source=source,
        at=now,
        latest=latest,
        memo=memo,
    )
    # the members of staff this write brings: the organisation's directory takes their
    # values, and everyone else they support is brought to them (docs/adr/0140)
    staff_circles_sync(
        person=person,
        documents=[r.data for r in created if r.kind == MEMBER_KIND]
        + [r.data for r in changed if r.kind == MEMBER_KIND],
        actor=actor,
        source=source,
        now=now,
    )
    # the person's updated_at moves with every write, reordering included: stored audits
    # and kept pages see the change (kinwise.audits, docs/adr/0004)
    person.updated_at = now
    if person_changed and not result.person_created:
        person.save()
    elif not result.person_created:
        Person.objects.filter(pk=person.pk).update(updated_at=now)
