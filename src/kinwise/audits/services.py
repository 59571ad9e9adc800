"""Stored audits: each person's audit at a date, computed once and kept until their
records, the rules or the code that computes it change (docs/adr/0003).

The pages call :func:`audit_snapshots_refresh` with the people's data stamps
(:func:`kinwise.audits.selectors.data_stamps`); it returns every person's audit, reading
the fresh ones and computing the stale ones in bulk (their case files in one read, one
insert), so a page's query count does not depend on the number of people or their
history once the snapshots are fresh.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Q

from kinwise.audits.models import AuditSnapshot
from kinwise.casefile.schema import CaseFile
from kinwise.records.selectors import casefiles_for_people
from kinwise.rules.audit import PersonAudit, audit_casefile
from kinwise.rules.catalogue import RULES_VERSION
from kinwise.rules.engine import Finding, check_period

# Snapshots of dates more than this before the date being refreshed are pruned with it.
DAYS_KEPT = 7
# Stale people whose case files are read and audited together (about 0.5 MB a person at
# five years of history).
REFRESH_BATCH = 200


@dataclass(frozen=True)
class Digest:
    """A per-person summary a page stores beside the audit (JSON-able), computed from the
    case file at ``as_of``. ``name`` identifies it; the source of ``compute``'s module and
    of ``modules`` (what else it calls) is part of the snapshot's key, so a change to that
    code recomputes the digests."""

    name: str
    compute: Callable[[CaseFile, dt.date], Any]
    modules: tuple[str, ...] = ()


@dataclass(frozen=True)
class StoredAudit:
    """A person's audit (and digest, if one was asked for) as stored."""

    audit: PersonAudit
    extra: Any = None


def audit_json(audit: PersonAudit) -> dict[str, Any]:
    """The audit as stored: ``PersonAudit.to_json()`` and the person's name."""
    return {**audit.to_json(), "person_name": audit.person_name}


def audit_from_json(data: Mapping[str, Any]) -> PersonAudit:
    return PersonAudit(
        person=data["person"],
        person_name=data["person_name"],
        as_of=dt.date.fromisoformat(data["as_of"]),
        since=dt.date.fromisoformat(data["since"]),
        findings=tuple(
            Finding(
                rule=f["rule"],
                severity=f["severity"],
                subject=f["subject"],
                message=f["message"],
                evidence=tuple(f["evidence"]),
            )
            for f in data["findings"]
        ),
        rules_version=data["rules_version"],
    )


def _source_files(module_names: Collection[str]) -> list[Path]:
    files: set[Path] = set()
    for name in module_names:
        module = importlib.import_module(name)
        origin = getattr(module, "__file__", None)
        if origin is None:
            continue
        path = Path(origin)
        if path.name == "__init__.py":
            files.update(path.parent.glob("*.py"))
        else:
            files.add(path)
    return sorted(files)


@cache
def code_stamp(modules: tuple[str, ...] = ()) -> str:
    """A hash of the code an audit depends on (the rules and the case-file schema) and of
    ``modules`` (a digest's): a deployment that changes it makes the snapshots stale,
    even when ``RULES_VERSION`` did not change."""
    import kinwise.casefile
    import kinwise.rules

    names = [kinwise.rules.__name__, kinwise.casefile.__name__, *modules]
    sha = hashlib.sha256()
    for path in _source_files(names):
        sha.update(path.name.encode())
        sha.update(path.read_bytes())
    return sha.hexdigest()[:16]


def _computation(digest: Digest | None) -> str:
    if digest is None:
        return f"audit:{code_stamp()}"
    modules = tuple(sorted({digest.compute.__module__, *digest.modules}))
    return f"{digest.name}:{code_stamp(modules)}"


def audit_snapshots_refresh(
    *,
    stamps: Mapping[int, str],
    as_of: dt.date,
    since: dt.date,
    digest: Digest | None = None,
    casefiles: Mapping[int, CaseFile] | None = None,
) -> dict[int, StoredAudit]:
    """The audit at ``as_of`` over ``since``..``as_of`` of every person in ``stamps``
    (person pk -> data stamp, read before any case file), by person pk.

    Fresh snapshots are read (one query); the stale people's case files are taken from
    ``casefiles`` when given (read after ``stamps``) or else loaded in bulk reads of
    ``REFRESH_BATCH`` people (so that a whole service going stale at midnight is not held
    in memory at once), audited, and stored in one insert, replacing their older snapshots of the same dates
    and pruning those more than ``DAYS_KEPT`` days older than ``as_of``.
    """
    check_period(as_of=as_of, since=since)
    if not stamps:
        return {}
    computation = _computation(digest)
    key = {
        "as_of": as_of,
        "since": since,
        "rules_version": RULES_VERSION,
        "computation": computation,
    }
    found: dict[int, StoredAudit] = {}
    for person_pk, stamp, audit, extra in AuditSnapshot.objects.filter(
        person_id__in=list(stamps), **key
    ).values_list("person_id", "data_stamp", "audit", "extra"):
        if stamps[person_pk] == stamp:
            found[person_pk] = StoredAudit(audit_from_json(audit), extra)
    stale = [pk for pk in stamps if pk not in found]
    if not stale:
        return found

    rows = []
    for start in range(0, len(stale), REFRESH_BATCH):
        batch = stale[start : start + REFRESH_BATCH]
        given = casefiles or {}
        loaded = {pk: given[pk] for pk in batch if pk in given}
        missing = [pk for pk in batch if pk not in loaded]
        if missing:
            loaded.update(casefiles_for_people(person_pks=missing))
        for pk in batch:
            casefile = loaded.get(pk)
            if casefile is None:  # no longer a person with records (not expected)
                continue
            audit = audit_casefile(casefile, as_of=as_of, since=since)
            extra = digest.compute(casefile, as_of) if digest is not None else None
            found[pk] = StoredAudit(audit, extra)
            rows.append(
                AuditSnapshot(
                    person_id=pk,
                    data_stamp=stamps[pk],
                    audit=audit_json(audit),
                    extra=extra,
                    **key,
                )
            )
        del loaded  # a batch's case files go before the next batch is read
    with transaction.atomic():
        AuditSnapshot.objects.filter(person_id__in=stale).filter(
            Q(as_of=as_of, since=since, computation=computation)
            | Q(as_of__lt=as_of - dt.timedelta(days=DAYS_KEPT))
        ).delete()
        # a concurrent request may have stored the same snapshot: either one will do
        AuditSnapshot.objects.bulk_create(rows, ignore_conflicts=True)
    return {pk: found[pk] for pk in stamps if pk in found}
