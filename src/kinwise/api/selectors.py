"""Reads of the API, from the records' selectors: a page of a service's people by pk
(keyset), and a person's current records of one kind with their ids and versions."""

from __future__ import annotations

from kinwise.core.models import Service
from kinwise.records.models import Person, Record


def people_page(*, service: Service, after: int, limit: int) -> tuple[list[Person], bool]:
    """The service's current people with a pk above ``after``, at most ``limit``, and
    whether more follow (one query)."""
    rows = list(
        Person.objects.filter(
            service_id=service.pk, superseded_at__isnull=True, pk__gt=after
        ).order_by("pk")[: limit + 1]
    )
    return rows[:limit], len(rows) > limit


def records_page(*, person: Person, kind: str, after: int, limit: int) -> tuple[list[Record], bool]:
    """The person's current records of ``kind`` with a pk above ``after`` (one query)."""
    rows = list(
        Record.objects.filter(
            person=person, kind=kind, superseded_at__isnull=True, pk__gt=after
        ).order_by("pk")[: limit + 1]
    )
    return rows[:limit], len(rows) > limit


def record_of(*, person: Person, kind: str, record_id: int) -> Record | None:
    """The person's current record ``record_id`` of ``kind`` (one query)."""
    return Record.objects.filter(
        person=person, kind=kind, pk=record_id, superseded_at__isnull=True
    ).first()
