"""A service's report and its inspector's view, kept in each process by the state of the
service's records (issue 17: pages at realistic size).

The commissioners' report (its page, CSV and PDF) and the inspection page judge every
current person of the service over the period: a bulk read of every case file, the
measures at the end of each month and, for the inspection page, each person's audit. At
500 people that is seconds of work, and it changes only when a person's records do, when
a run is saved as recorded (its state measures are read for past days), or with the
date. So each process keeps the latest of them, as the person pages keep a person's view
(docs/adr/0004), under a key that names all of it:

- the service, its name, the period, the view (as recorded or corrected) and today;
- the **state of the service's records**: a hash of every current person's data stamp
  (:func:`kinwise.audits.selectors.data_stamps`, one aggregate query): every write
  moves a stamp, and a person added or leaving changes the set;
- the service's **runs saved as recorded** (their count and last id, one query).

A request whose key is kept costs those two queries, the access checks and the template,
whatever the number of people. The inspection page's audits are the stored audits of the
period (:func:`kinwise.audits.services.audit_snapshots_refresh`, shared by every process
and by the nightly job), not audits computed in the request. Only the report and the
inspection's statements are kept (not the case files), so a kept entry is small.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from functools import lru_cache
from typing import Any, TypeVar

from django.db.models import Count, Max

from kinwise.audits.selectors import data_stamps
from kinwise.core.models import Service
from kinwise.governance.models import AuditRun
from kinwise.records.models import Person

T = TypeVar("T")

REPORTS_KEPT = 32
"""Reports (and inspection views) a process keeps at most: a few periods of a few services."""


def service_state(*, service: Service) -> str:
    """What the service's report depends on besides its period and view: the data stamps
    of its current people and its runs saved as recorded. Two queries, read *before* the
    records the report is built from (a write in between leaves the newer report under the
    older state, which the next request finds stale)."""
    people = Person.objects.filter(service_id=service.pk, superseded_at__isnull=True)
    stamps = data_stamps(people=people)
    runs = AuditRun.objects.filter(service=service, person__isnull=True, as_recorded=True)
    counted = runs.aggregate(runs=Count("id"), last=Max("id"))
    sha = hashlib.sha256()
    for pk in sorted(stamps):
        sha.update(f"{pk}={stamps[pk]};".encode())
    sha.update(f"runs={counted['runs']}:{counted['last']}".encode())
    return sha.hexdigest()


def kept(*, what: str, key: tuple[Any, ...], build: Callable[[], T]) -> T:
    """``build()``, once per process for ``what`` and ``key`` (which must name everything
    the value depends on); then read from memory."""
    found = _kept(what, key)
    if found.value is _MISSING:
        found.value = build()
    value: T = found.value
    return value


def reports_kept_clear() -> None:
    """Forget every kept report (tests that reuse database ids start from this)."""
    _kept.cache_clear()


_MISSING = object()


class _Slot:
    __slots__ = ("value",)

    def __init__(self) -> None:
        self.value: Any = _MISSING


@lru_cache(maxsize=REPORTS_KEPT)
def _kept(what: str, key: tuple[Any, ...]) -> _Slot:
    return _Slot()


def report_key(
    *, service: Service, start: dt.date, end: dt.date, as_recorded: bool, today: dt.date
) -> tuple[Any, ...]:
    """The key of a service's report: the service, its name, the period, the view, today
    and :func:`service_state`."""
    return (
        service.pk,
        service.name,
        start,
        end,
        as_recorded,
        today,
        service_state(service=service),
    )
