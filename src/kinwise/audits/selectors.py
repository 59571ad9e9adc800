"""Reads for stored audits: the state of people's records, in one query."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.db.models import IntegerField, QuerySet
from django.db.models.expressions import RawSQL

from kinwise.core.models import RecordVersion
from kinwise.records.models import Person


def with_data_stamps(people: QuerySet[Person]) -> QuerySet[Person]:
    """``people`` annotated with ``last_version``, the id of each one's latest
    ``RecordVersion``: one index step per person (``record_version_person_latest``).
    :func:`data_stamp` (or :func:`stamp_of`) turns it and ``updated_at`` into the stamp.

    Written as SQL because the ORM spends longer building a correlated subquery than the
    database spends running it, and every page about a person asks for it."""
    versions = connection.ops.quote_name(RecordVersion._meta.db_table)
    people_table = connection.ops.quote_name(Person._meta.db_table)
    latest = RawSQL(
        f"SELECT MAX(v.id) FROM {versions} v WHERE v.person_id = {people_table}.id",  # noqa: S608
        (),
        output_field=IntegerField(),
    )
    return people.annotate(last_version=latest)


def data_stamp(*, last_version: int | None, updated_at: dt.datetime) -> str:
    """The state of a person's records, as a string that every write changes.

    Every write adds a ``RecordVersion`` (docs/adr/0002), so the latest version id moves;
    an import that only reorders records writes no version and touches the person's
    ``updated_at`` instead, which the stamp also holds."""
    return f"{last_version or 0}@{updated_at.isoformat()}"


def data_stamps(*, people: QuerySet[Person]) -> dict[int, str]:
    """Each person's data stamp (:func:`data_stamp`), by person pk: one query however many
    people.

    Read the stamps *before* the case files they describe: a write in between then
    leaves what was computed from the newer records under the older stamp, which the next
    read finds stale, never a newer stamp over older records.
    """
    return {
        person.pk: stamp_of(person)
        for person in with_data_stamps(people.order_by()).only("pk", "updated_at")
    }


def stamp_of(person: Person) -> str:
    """The data stamp of a person read through :func:`with_data_stamps`."""
    last_version: int | None = getattr(person, "last_version", None)
    return data_stamp(last_version=last_version, updated_at=person.updated_at)
