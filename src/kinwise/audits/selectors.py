"""Reads for stored audits: the state of people's records, in one query."""

from __future__ import annotations

from django.db.models import Max, QuerySet

from kinwise.records.models import Person


def data_stamps(*, people: QuerySet[Person]) -> dict[int, str]:
    """Each person's data stamp, by person pk: one aggregate query however many people.

    The stamp changes on every write to the person's records: every write adds a
    ``RecordVersion`` (docs/adr/0002), so the highest version id moves; an import that
    only reorders records writes no version and touches the person's ``updated_at``
    instead, which the stamp also holds. Read the stamps *before* the case files they
    describe: a write in between then leaves a snapshot under the older stamp, which the
    next read finds stale, never a newer stamp over older records.
    """
    rows = (
        people.order_by()
        .annotate(last_version=Max("record_versions__id"))
        .values_list("pk", "updated_at", "last_version")
    )
    return {pk: f"{last or 0}@{updated.isoformat()}" for pk, updated, last in rows}
