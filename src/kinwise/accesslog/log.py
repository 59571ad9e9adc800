"""Writing and checking the access log (docs/access.md, docs/adr/0090).

:func:`append` adds one entry to its organisation's chain: the chain's head row is taken
under a lock (``SELECT ... FOR UPDATE`` on PostgreSQL; on SQLite the write transaction
begins IMMEDIATE, :func:`kinwise.records.transactions.write_transaction`), so concurrent
appends queue and each one links to the entry before it. Every query here is written
once, by hand, and names the log's tables, so the pages' query counts can tell them apart.

The hash of an entry is SHA-256 over a canonical serialisation (:func:`canonical`) of its
fields and the previous entry's hash; the first entry of a chain follows :data:`GENESIS`.
:func:`verify` walks every chain and names the first entry that does not fit.

Where a decision is made from (the client's address, the page or command) comes from
:func:`access_context`, set per request by :mod:`kinwise.accesslog.middleware` and by the
command line.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from kinwise.accesslog.models import AccessLogEntry, AccessLogHead
from kinwise.core.models import Service, StaffMembership
from kinwise.records.transactions import write_transaction

GENESIS = "0" * 64
ENTRY = AccessLogEntry._meta.db_table
HEAD = AccessLogHead._meta.db_table

# The fields an entry's hash covers, in this order (with the previous entry's hash).
HASHED = (
    "chain",
    "sequence",
    "at",
    "user_pk",
    "role",
    "subject",
    "person_pk",
    "service_pk",
    "record_pk",
    "page",
    "purpose",
    "allowed",
    "client",
)


@dataclass(frozen=True)
class Where:
    """Where a decision is asked from: the client's address and the page or command."""

    client: str = ""
    page: str = ""
    record_pk: int | None = None


_NOWHERE = Where()
_where: ContextVar[Where] = ContextVar("kinwise_access_where", default=_NOWHERE)


@contextmanager
def access_context(*, client: str, page: str, record_pk: int | None = None) -> Iterator[None]:
    """Decisions made inside are logged as asked from ``client`` on ``page``."""
    token = _where.set(Where(client=client[:64], page=page[:120], record_pk=record_pk))
    try:
        yield
    finally:
        _where.reset(token)


def set_page(*, page: str, record_pk: int | None) -> None:
    """Name the page once the address is resolved (inside :func:`access_context`)."""
    _where.set(Where(client=_where.get().client, page=page[:120], record_pk=record_pk))


def _utc_text(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(fields: dict[str, object], previous_hash: str) -> bytes:
    """The bytes an entry's hash is taken over: its fields in a fixed order, as JSON."""
    values: list[object] = []
    for name in HASHED:
        value = fields[name]
        if isinstance(value, dt.datetime):
            value = _utc_text(value)
        elif isinstance(value, bool):
            value = 1 if value else 0
        values.append(value)
    values.append(previous_hash)
    return json.dumps(values, separators=(",", ":"), ensure_ascii=True).encode("ascii")


def entry_hash(fields: dict[str, object], previous_hash: str) -> str:
    return hashlib.sha256(canonical(fields, previous_hash)).hexdigest()


def _role_sql(wide_roles: int) -> str:
    quote = connection.ops.quote_name
    members = quote(StaffMembership._meta.db_table)
    services = quote(Service._meta.db_table)
    wide = ", ".join(["%s"] * wide_roles)
    return (
        f"SELECT m.role FROM {members} m INNER JOIN {services} ms ON ms.id = m.service_id"
        f" WHERE m.user_id = %s AND (m.service_id = %s OR (m.role IN ({wide})"
        " AND ms.organisation_id = %s))"
        " ORDER BY CASE WHEN m.service_id = %s THEN 0 ELSE 1 END, m.role LIMIT 1"
    )


@contextmanager
def _appending() -> Iterator[None]:
    """The append's transaction: its own (IMMEDIATE on SQLite), or the caller's without
    a savepoint (an entry that cannot be written fails the caller's work with it)."""
    if connection.in_atomic_block:
        with transaction.atomic(savepoint=False):
            yield
    else:
        with write_transaction():
            yield


def append(
    *,
    chain: int,
    user_pk: int | None,
    subject: str,
    person_pk: int | None,
    service_pk: int | None,
    purpose: str,
    allowed: bool,
    wide_roles: frozenset[str],
    part: str = "",
) -> str:
    """Add one entry to ``chain`` (an organisation's pk) and answer the viewer's role for
    the service: their role in it, else an organisation-wide one (``wide_roles``) in its
    organisation, else "". ``part`` names the part of the page's subject decided (the
    family portal's area: ``portal:area`` with ``health_treatment`` is logged as the page
    ``portal:area/health_treatment``). Four queries, whatever the chain's length."""
    where = _where.get()
    lock = " FOR UPDATE" if connection.vendor == "postgresql" else ""
    wide = sorted(wide_roles)
    with _appending(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {HEAD} (chain, sequence, last_hash) VALUES (%s, 0, %s)"
            " ON CONFLICT (chain) DO NOTHING",
            [chain, GENESIS],
        )
        cursor.execute(
            f"SELECT h.sequence, h.last_hash, ({_role_sql(len(wide))}) FROM {HEAD} h"
            f" WHERE h.chain = %s{lock}",
            [user_pk, service_pk, *wide, chain, service_pk, chain],
        )
        sequence, previous, role = cursor.fetchone()
        fields: dict[str, object] = {
            "chain": chain,
            "sequence": sequence + 1,
            "at": timezone.now(),
            "user_pk": user_pk,
            "role": role or "",
            "subject": subject,
            "person_pk": person_pk,
            "service_pk": service_pk,
            "record_pk": where.record_pk,
            "page": f"{where.page}/{part}"[:120] if part else where.page,
            "purpose": purpose,
            "allowed": allowed,
            "client": where.client,
        }
        digest = entry_hash(fields, previous)
        columns = [*HASHED, "previous_hash", "hash"]
        values: list[Any] = [
            connection.ops.adapt_datetimefield_value(v) if isinstance(v, dt.datetime) else v
            for v in (fields[name] for name in HASHED)
        ]
        cursor.execute(
            f"INSERT INTO {ENTRY} ({', '.join(columns)})"
            f" VALUES ({', '.join(['%s'] * len(columns))})",
            [*values, previous, digest],
        )
        cursor.execute(
            f"UPDATE {HEAD} SET sequence = %s, last_hash = %s WHERE chain = %s",
            [sequence + 1, digest, chain],
        )
    return str(role or "")


# --- checking -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Break:
    """The first entry of a chain that does not fit, and why (plain words, no content)."""

    chain: int
    entry_pk: int | None
    reason: str


def _fields_of(entry: AccessLogEntry) -> dict[str, object]:
    return {name: getattr(entry, name) for name in HASHED}


def verify_chain(chain: int) -> Break | None:
    """The first break in ``chain``, or None when every entry is intact and in place."""
    head = AccessLogHead.objects.filter(chain=chain).first()
    previous, expected, last_pk = GENESIS, 1, None
    entries = AccessLogEntry.objects.filter(chain=chain).order_by("sequence", "id")
    for entry in entries.iterator(chunk_size=2000):
        if head is None or entry.sequence > head.sequence:
            return Break(chain, entry.pk, "is not in the chain (added behind its back)")
        if entry.sequence != expected:
            return Break(chain, entry.pk, "follows a missing entry (one was removed)")
        if entry.previous_hash != previous:
            return Break(chain, entry.pk, "does not link to the entry before it")
        if entry_hash(_fields_of(entry), previous) != entry.hash:
            return Break(chain, entry.pk, "was changed after it was written")
        previous, expected, last_pk = entry.hash, expected + 1, entry.pk
    if head is not None and (head.sequence != expected - 1 or head.last_hash != previous):
        where = f"after entry {last_pk}" if last_pk is not None else "at its start"
        return Break(chain, last_pk, f"is missing entries {where} (removed)")
    return None


def chains() -> list[int]:
    """Every chain, with a head or with entries."""
    heads = set(AccessLogHead.objects.values_list("chain", flat=True))
    return sorted(heads | set(AccessLogEntry.objects.values_list("chain", flat=True).distinct()))


def heads() -> dict[int, tuple[int, str]]:
    """Each chain's last sequence number and hash (to keep elsewhere, as an anchor)."""
    return {h.chain: (h.sequence, h.last_hash) for h in AccessLogHead.objects.order_by("chain")}


def verify() -> list[Break]:
    """The first break of each chain that has one (empty: every chain is intact)."""
    return [b for b in (verify_chain(c) for c in chains()) if b is not None]
