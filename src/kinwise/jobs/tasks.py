"""The jobs, registered on the queue (kinwise.jobs.queue): what a worker can run.

Each job is a thin call of a service or selector; what it does is tested there. A
periodic job runs once per day (or week) however many workers' schedulers ask for it:
the first to claim the day in the queue's store runs it, the others return.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone

from kinwise.jobs.limits import time_limit
from kinwise.jobs.queue import queue
from kinwise.jobs.schedule import at_local_time, time_of_day, weekday
from kinwise.jobs.spread import ChunkRow, audit_chunk, audit_chunks_plan, audits_merge

log = logging.getLogger("kinwise.jobs")
F = TypeVar("F", bound=Callable[..., Any])

_CONFIG: dict[str, Any] = settings.KINWISE_QUEUE
NIGHTLY_AUDIT_AT = time_of_day(_CONFIG["nightly_audit_at"], setting="KINWISE_NIGHTLY_AUDIT_AT")
EMAIL_DAILY_AT = time_of_day(_CONFIG["email_daily_at"], setting="KINWISE_EMAIL_DAILY_AT")
EMAIL_WEEKLY_ON = weekday(_CONFIG["email_weekly_on"], setting="KINWISE_EMAIL_WEEKLY_ON")
RETENTION_AT = time_of_day(_CONFIG["retention_at"], setting="KINWISE_RETENTION_AT")
RETENTION_ON = weekday(_CONFIG["retention_on"], setting="KINWISE_RETENTION_ON")
# seconds a job may run before it is ended (kinwise.jobs.limits)
JOB_TIME_LIMIT: float = float(_CONFIG["job_time_limit"])


def _database(fn: F) -> F:
    """A worker's job starts and ends with fresh database connections (as a request
    does); in immediate mode it runs inside the caller's, untouched. Every job runs
    within ``JOB_TIME_LIMIT`` seconds (:func:`kinwise.jobs.limits.time_limit`)."""

    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        if not queue.immediate:
            close_old_connections()
        try:
            with time_limit(JOB_TIME_LIMIT):
                return fn(*args, **kwargs)
        finally:
            if not queue.immediate:
                close_old_connections()

    return run  # type: ignore[return-value]


def _today() -> dt.date:
    return timezone.localdate()  # the day in UK time, read where the job starts


def claim(what: str, day: dt.date) -> bool:
    """True for the first caller that claims ``what`` on ``day`` in the queue's store."""
    return bool(queue.put_if_empty(f"kinwise:claimed:{what}:{day.isoformat()}", "1"))


# --- the audit -----------------------------------------------------------------------------


@queue.task(name="audit_chunk")
@_database
def audit_chunk_job(
    *, service_pk: int, first_pk: int, last_pk: int, as_of: dt.date, since: dt.date
) -> list[ChunkRow]:
    return audit_chunk(
        service_pk=service_pk, first_pk=first_pk, last_pk=last_pk, as_of=as_of, since=since
    )


@queue.task(name="service_audit_keep")
@_database
def service_audit_keep_job(
    results: Sequence[Sequence[ChunkRow]], *, service_pk: int, as_of: dt.date, since: dt.date
) -> None:
    """After every chunk of a service's nightly audit: one run with all its people (none
    when a chunk failed: a run never leaves people out)."""
    from kinwise.core.models import Service
    from kinwise.jobs.nightly import service_audit_keep

    if not all(isinstance(chunk, list) for chunk in results):
        log.warning("nightly audit of service pk=%s: a chunk failed, no run kept", service_pk)
        return
    service = Service.objects.get(pk=service_pk)
    service_audit_keep(service=service, audits=audits_merge(results), as_of=as_of, since=since)


@queue.task(name="service_audit_recorded")
@_database
def service_audit_recorded_job(*, service_pk: int, as_of: dt.date) -> None:
    """The service's run of ``as_of`` as recorded at the end of that day, unless saved."""
    from kinwise.core.models import Service
    from kinwise.jobs.nightly import recorded_run_missing, service_audit_recorded

    service = Service.objects.filter(pk=service_pk).select_related("organisation").first()
    if service is not None and recorded_run_missing(service=service, as_of=as_of):
        service_audit_recorded(service=service, as_of=as_of)


@queue.task(name="synth_demo_fill")
@_database
def synth_demo_fill_job(*, organisation_slug: str, today: dt.date, people: int) -> None:
    """The demo's synthetic service filled in (kinwise.jobs.demo.synth_demo_fill)."""
    from kinwise.jobs.demo import synth_demo_fill

    _, done = synth_demo_fill(organisation_slug=organisation_slug, today=today, people=people)
    for line in done:
        log.info("demo: %s", line)


@queue.periodic_task(at_local_time(NIGHTLY_AUDIT_AT), name="nightly_audit")
@_database
def nightly_audit_job() -> None:
    from kinwise.jobs.report_services import report_files_expire

    today = _today()
    if claim("nightly_audit", today):
        nightly_audit_enqueue(as_of=today)
        report_files_expire(now=timezone.now())


def nightly_audit_enqueue(*, as_of: dt.date) -> int:
    """The audit of every service at ``as_of`` over the year before, each spread over
    the workers in chunks and kept as one run per service, and the run of the day before
    as recorded at its end (when not saved yet: the trends and the commissioners'
    monthly measures read it); the number of services."""
    from huey import group

    from kinwise.core.models import Service
    from kinwise.rules.audit import default_since

    since = default_since(as_of)
    services = list(Service.objects.order_by("pk"))
    for service in services:
        service_audit_recorded_job(service_pk=service.pk, as_of=as_of - dt.timedelta(days=1))
        chunks = audit_chunks_plan(service=service)
        keep = {"service_pk": service.pk, "as_of": as_of, "since": since}
        if not chunks:
            service_audit_keep_job([], **keep)
            continue
        work = [
            audit_chunk_job.s(
                service_pk=c.service_pk,
                first_pk=c.first_pk,
                last_pk=c.last_pk,
                as_of=as_of,
                since=since,
            )
            for c in chunks
        ]
        queue.enqueue(group(work).then(service_audit_keep_job, **keep))
    log.info("nightly audit of %d services asked for", len(services))
    return len(services)


# --- the stored audits after an import or a bulk change ----------------------------------


@queue.task(name="service_audits_refresh")
@_database
def service_audits_refresh_job(*, service_pk: int) -> None:
    """The stored audits of today of a service's people, computed again where their
    records changed, so the dashboard's next request reads them."""
    from kinwise.audits.overview import people_overview
    from kinwise.core.models import Service

    service = Service.objects.filter(pk=service_pk).first()
    if service is not None:
        people_overview(service=service, as_of=_today())


def service_audits_refresh(*, service_pks: Sequence[int]) -> bool:
    """Ask the workers to refresh the stored audits of these services (call after the
    change has committed). False when the queue could not be reached: the change stands,
    and the stored audits are refreshed by the next page or night that reads them."""
    try:
        for pk in sorted(set(service_pks)):
            service_audits_refresh_job(service_pk=pk)
    except Exception:  # the queue's server is down: not a reason to fail the import
        log.warning("the queue could not be reached: stored audits not refreshed now")
        return False
    return True


# --- notifications -----------------------------------------------------------------------


@queue.periodic_task(at_local_time(EMAIL_DAILY_AT), name="daily_emails")
@_database
def daily_emails_job() -> None:
    from kinwise.notifications.services import weekly_summaries_send, work_item_emails_send

    today = _today()
    if claim("daily_emails", today):
        work_item_emails_send(as_of=today, site_url=settings.SITE_URL)
    if today.weekday() == EMAIL_WEEKLY_ON and claim("weekly_summaries", today):
        weekly_summaries_send(as_of=today, site_url=settings.SITE_URL)


# --- documents made by a worker -----------------------------------------------------------


@queue.task(name="service_report_pdf")  # the name jobs already queued were given
@_database
def report_pdf_job(*, file_pk: int) -> None:
    """Make the PDF a :class:`~kinwise.jobs.models.ReportFile` asks for (any of
    ``report_services.PDF_KINDS``), once: a file already taken by a worker is left."""
    from kinwise.jobs.models import FileState, ReportFile
    from kinwise.jobs.reports import report_pdf_make

    file = ReportFile.objects.select_related("service").filter(pk=file_pk).first()
    if file is not None and file.state == FileState.QUEUED:
        report_pdf_make(file=file)


# --- data protection ------------------------------------------------------------------------


@queue.periodic_task(at_local_time(RETENTION_AT, on=RETENTION_ON), name="weekly_retention")
@_database
def weekly_retention_job() -> None:
    """Once a week: the people past the retention policy. They are erased (each archived
    first) only with ``KINWISE_RETENTION_APPLY``; otherwise they are counted and logged,
    for someone to run ``kinwise retention --apply`` (docs/security.md)."""
    today = _today()
    if claim("weekly_retention", today):
        retention_weekly(as_of=today, apply=bool(settings.KINWISE_RETENTION_APPLY))


def retention_weekly(*, as_of: dt.date, apply: bool) -> int:
    """The people past the retention policy on ``as_of``, erased when ``apply``; how many
    were past it."""
    from kinwise.dataprotection.retention import retention_apply, retention_due
    from kinwise.drafts.services import form_inputs_expired_erase

    # unsaved form input past its time is erased whether or not people are
    form_inputs_expired_erase(at=timezone.now())
    if apply:
        return len(retention_apply(as_of=as_of, at=timezone.now()).due)
    due = retention_due(as_of=as_of)
    log.warning(
        "retention: %d person(s) past the policy; not erased (KINWISE_RETENTION_APPLY is off)",
        len(due),
    )
    return len(due)
