"""The history of case-file records: one RecordVersion row per write.

Writers call :func:`versions_write` inside the transaction of the change they record,
so a change and its history are committed together or not at all.

``person`` is the person whose records these are (any saved model row: core sits below
the records, so it reads only the person's pk).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Max, Model, QuerySet

from kinwise.casefile.kinds import RECORD_KINDS
from kinwise.core.bulk import JsonMemo, rows_insert
from kinwise.core.models import RecordVersion, VersionAction

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


@dataclass(frozen=True)
class VersionEntry:
    """What one write did to one record: its kind and case-file id, and its state after."""

    kind: str
    external_id: str
    snapshot: dict[str, Any]
    action: VersionAction
    reason: str = ""


def versions_latest(
    *, person: Model, keys: Collection[tuple[str, str]] | None = None
) -> dict[tuple[str, str], int]:
    """The latest version number of each (kind, case-file id) the person has ever had (of
    ``keys`` only, when given): one query, through the versions' unique index."""
    versions = RecordVersion.objects.filter(person_id=person.pk)
    if keys is not None:
        if not keys:
            return {}
        versions = versions.filter(
            kind__in={kind for kind, _ in keys}, external_id__in={key for _, key in keys}
        )
    return {
        (row["kind"], row["external_id"]): row["latest"]
        for row in versions.values("kind", "external_id").annotate(latest=Max("version"))
    }


def versions_write(
    *,
    person: Model,
    entries: Sequence[VersionEntry],
    actor: AbstractBaseUser | None,
    source: str,
    at: dt.datetime,
    latest: Mapping[tuple[str, str], int] | None = None,
    memo: JsonMemo | None = None,
) -> int:
    """Append one version per entry, numbered after the record's latest (``latest``, as
    :func:`versions_latest` gives it, or read here: two queries in all, or one, for up
    to :data:`kinwise.core.bulk.BATCH_ROWS` entries); the number of versions written."""
    if not entries:
        return 0
    # part of the caller's transaction when there is one (no savepoint of its own)
    with transaction.atomic(savepoint=False):
        latest = dict(
            latest
            if latest is not None
            else versions_latest(person=person, keys={(e.kind, e.external_id) for e in entries})
        )
        rows = []
        actor_pk = actor.pk if actor is not None else None
        for entry in entries:
            key = (entry.kind, entry.external_id)
            latest[key] = latest.get(key, 0) + 1
            rows.append(
                (
                    person.pk,
                    entry.kind,
                    entry.external_id,
                    latest[key],
                    entry.snapshot,
                    str(entry.action),
                    entry.reason,
                    actor_pk,
                    source,
                    at,
                )
            )
        # one statement per batch, not a model instance per version (docs/adr/0245)
        return rows_insert(model=RecordVersion, fields=VERSION_COLUMNS, rows=rows, memo=memo)


# A version's columns, in the order versions_write gives each row's values.
VERSION_COLUMNS = (
    "person_id",
    "kind",
    "external_id",
    "version",
    "snapshot",
    "action",
    "reason",
    "actor_id",
    "source",
    "created_at",
)


def versions_known(*, person: Model) -> set[tuple[str, str]]:
    """The (kind, external_id) of every record the person has ever had."""
    return set(
        RecordVersion.objects.filter(person_id=person.pk)
        .values_list("kind", "external_id")
        .distinct()
    )


def person_history(*, person: Model) -> list[RecordVersion]:
    """Every version of every record of the person, newest first (one query)."""
    return list(_person_versions(person))


# Changes shown on one page of a person's history.
HISTORY_PAGE_SIZE = 50


def person_history_page(*, person: Model, number: str | None) -> Page[RecordVersion]:
    """One page of :func:`person_history` (``number`` as given in the address; anything
    that is not a page number gives the first or the last page): two queries, the count
    and the page, without the records' contents, whatever the length of the history."""
    versions = _person_versions(person).defer("snapshot")
    return Paginator(versions, HISTORY_PAGE_SIZE).get_page(number)


def _person_versions(person: Model) -> QuerySet[RecordVersion]:
    versions = RecordVersion.objects.filter(person_id=person.pk)
    hidden = [k.name for k in RECORD_KINDS if not k.in_history]
    if hidden:  # the kinds the registry keeps out of the history
        versions = versions.exclude(kind__in=hidden)
    return versions.select_related("actor").order_by("-created_at", "-id")


# Versions shown on one page of a record's history.
RECORD_HISTORY_PAGE_SIZE = 50


def record_history_page(
    *, person: Model, kind: str, external_id: str, number: str | None
) -> tuple[Page[RecordVersion], RecordVersion | None]:
    """One page of :func:`record_history` (``number`` as in :func:`person_history_page`),
    and the version just older than the page's oldest (what its first change is measured
    from; None on the last page): three queries, whatever the number of versions."""
    versions = RecordVersion.objects.filter(
        person_id=person.pk, kind=kind, external_id=external_id
    ).order_by("-version")
    page = Paginator(versions.select_related("actor"), RECORD_HISTORY_PAGE_SIZE).get_page(number)
    rows = list(page.object_list)
    page.object_list = rows
    before = versions.filter(version__lt=rows[-1].version).first() if rows else None
    return page, before


def record_history(*, person: Model, kind: str, external_id: str) -> list[RecordVersion]:
    """The versions of one record, newest first (one query)."""
    return list(
        RecordVersion.objects.filter(person_id=person.pk, kind=kind, external_id=external_id)
        .select_related("actor")
        .order_by("-version")
    )
