"""The audit of a service spread over the queue's workers.

The service's current people are split, in person order, into chunks of consecutive
database ids (:func:`audit_chunks_plan`); a worker audits a chunk (:func:`audit_chunk`)
by streaming its case files' documents exactly as the one-process audit does
(``kinwise.records.selectors.documents_map``): one person's records in memory at a time,
in one read transaction. The chunks' audits, put back in the one-process order (case-file
id, then database id), are the same audits the one process gives.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connections, transaction

from kinwise.audits.services import audit_from_json, audit_json
from kinwise.core.models import Service
from kinwise.errors import ErrorCode, KinwiseError
from kinwise.records.models import Person
from kinwise.records.reading import fewer_collections
from kinwise.records.selectors import _documents_read
from kinwise.rules.audit import PersonAudit, audit_documents

CHUNK_MOST = 250
"""People in one chunk at most: a chunk's audits are one job's result."""
STALL_SECONDS = 300.0
"""How long :func:`audit_spread` waits with no chunk done and no job taken before it
says that no worker is running."""

ChunkRow = tuple[str, int, dict[str, Any]]
"""(case-file id, database id, the person's audit as stored) of one person of a chunk."""


@dataclass(frozen=True)
class Chunk:
    service_pk: int
    first_pk: int
    last_pk: int
    people: int


def audit_service(*, service: str, organisation: str | None) -> Service:
    """The one service with this id (in the organisation, if named), with the errors of
    the one-process audit."""
    services = Service.objects.filter(external_id=service)
    if organisation is not None:
        services = services.filter(organisation__slug=organisation)
    found = list(services[:2])
    if not found:
        raise KinwiseError(ErrorCode.NOT_FOUND, f"no service with id '{service}'")
    if len(found) > 1:
        raise KinwiseError(
            ErrorCode.USAGE,
            f"service id '{service}' is used by more than one organisation: name the organisation",
        )
    return found[0]


def _people(service_pk: int) -> Any:
    return Person.objects.filter(service_id=service_pk, superseded_at__isnull=True)


def audit_chunks_plan(*, service: Service, chunks: int = 1) -> list[Chunk]:
    """The service's current people in at least ``chunks`` chunks (fewer only when there
    are fewer people) of at most :data:`CHUNK_MOST`, as even as can be. One query."""
    pks = list(_people(service.pk).order_by("pk").values_list("pk", flat=True))
    if not pks:
        return []
    count = min(len(pks), max(chunks, math.ceil(len(pks) / CHUNK_MOST)))
    size, extra = divmod(len(pks), count)
    plan, start = [], 0
    for index in range(count):
        taken = pks[start : start + size + (1 if index < extra else 0)]
        plan.append(Chunk(service.pk, taken[0], taken[-1], len(taken)))
        start += len(taken)
    return plan


def audit_chunk(
    *, service_pk: int, first_pk: int, last_pk: int, as_of: dt.date, since: dt.date
) -> list[ChunkRow]:
    """The audits of a chunk's people: streamed case files, as the one-process audit reads
    them, in one transaction that sees one state of the database."""
    people = _people(service_pk).filter(pk__gte=first_pk, pk__lte=last_pk)
    connection = connections[people.db]
    snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
    rows: list[ChunkRow] = []
    with transaction.atomic(using=people.db), fewer_collections():
        if snapshot:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        for row in _documents_read(people, stream=True):
            audit = audit_documents(row.documents, as_of=as_of, since=since)
            rows.append((row.external_id, row.pk, audit_json(audit)))
    return rows


def audits_merge(chunks: Iterable[Sequence[ChunkRow]]) -> list[PersonAudit]:
    """The chunks' audits in the one-process order: by case-file id, then database id."""
    rows = sorted((row for chunk in chunks for row in chunk), key=lambda row: (row[0], row[1]))
    return [audit_from_json(data) for _, _, data in rows]


def audit_spread(
    *, service: Service, as_of: dt.date, since: dt.date, workers: int
) -> list[PersonAudit]:
    """The audit of every current person of the service, its chunks (at least one per
    worker) run by the queue's workers; this process waits for them."""
    from kinwise.jobs.queue import queue
    from kinwise.jobs.tasks import audit_chunk_job

    handles = [
        audit_chunk_job(
            service_pk=chunk.service_pk,
            first_pk=chunk.first_pk,
            last_pk=chunk.last_pk,
            as_of=as_of,
            since=since,
        )
        for chunk in audit_chunks_plan(service=service, chunks=workers)
    ]
    return audits_merge(_collect(handles, pending=queue.pending_count))


def _collect(handles: Sequence[Any], *, pending: Any) -> list[list[ChunkRow]]:
    """Each job's result, in order, waiting for the workers; an error when a job failed
    or when for :data:`STALL_SECONDS` no job was done and none was taken."""
    from huey.exceptions import TaskException

    results: dict[int, list[ChunkRow]] = {}
    waiting = dict(enumerate(handles))
    last_progress, last_pending, pause = time.monotonic(), pending(), 0.02
    while waiting:
        for index, handle in list(waiting.items()):
            try:
                value = handle.get(blocking=False)
            except TaskException:
                raise KinwiseError(
                    ErrorCode.CONFLICT,
                    "a part of the audit failed in a worker (the worker's log says why)",
                ) from None
            if value is not None:
                results[index] = value
                del waiting[index]
                last_progress, pause = time.monotonic(), 0.02
        if not waiting:
            break
        now_pending = pending()
        if now_pending != last_pending:
            last_pending, last_progress = now_pending, time.monotonic()
        if time.monotonic() - last_progress > STALL_SECONDS:
            raise KinwiseError(
                ErrorCode.USAGE,
                f"no worker took the audit's jobs from the queue in {STALL_SECONDS:g} seconds: "
                "start one with `kinwise worker`",
            )
        time.sleep(pause)
        pause = min(pause * 1.5, 0.5)
    return [results[index] for index in range(len(handles))]
