"""Writes of the documents a worker makes (``ReportFile``): asked for, its progress, done."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from kinwise.core.models import Service
from kinwise.jobs.models import FileState, ReportFile, ReportView
from kinwise.reports.filenames import download_name, service_report_name
from kinwise.reports.measures import Period

SERVICE_REPORT_PDF = "service_report_pdf"
"""The service report (the co-production measures) as a PDF."""
INSPECTION_PDF = "inspection_pdf"
"""The inspector's view (the evidence by CQC quality statement) as a PDF."""
PDF_KINDS = (SERVICE_REPORT_PDF, INSPECTION_PDF)
PDF_JOB_FROM_PEOPLE = 100
"""A service with at least this many current people has its report's and its inspection
view's PDFs made by a worker (a few seconds of drawing per hundred people); a smaller
one, in the request."""
KEPT_DAYS = 7
"""A made document's content is kept this many days (it can be asked for again)."""
REUSE_FOR = dt.timedelta(minutes=10)
"""A request for the same document within this time, while it is being made or after it
was made, is given the same file instead of a new job."""


def people_of(*, service: Service) -> int:
    """The service's current people (one query)."""
    from kinwise.records.models import Person

    return Person.objects.filter(service_id=service.pk, superseded_at__isnull=True).count()


def report_pdf_name(*, kind: str, service: Service, period: Period, as_recorded: bool) -> str:
    """The file name of a PDF of ``kind`` (the same whether a worker or a request drew it)."""
    if kind == INSPECTION_PDF:
        # as the service report's: the view with the corrections made since says so
        what = "cqc evidence" + ("" if as_recorded else " with corrections since")
        return download_name(what, of=service.name, dates=(period.start, period.end), ext="pdf")
    return service_report_name(
        service.name, period.start, period.end, as_recorded=as_recorded, ext="pdf"
    )


def report_pdf_request(
    *, kind: str, service: Service, period: Period, as_recorded: bool, actor: AbstractBaseUser
) -> ReportFile:
    """The PDF of ``kind`` (:data:`PDF_KINDS`) for ``period`` in the view asked for (as
    recorded, or with the corrections made since: docs/rules.md), asked of the workers:
    the file being made (or just made) for the same service, kind, period and view, or a
    new one whose job is queued once this transaction commits."""
    from kinwise.jobs.tasks import report_pdf_job

    if kind not in PDF_KINDS:
        raise ValueError(f"no such document: {kind}")
    view = ReportView.AS_RECORDED if as_recorded else ReportView.CORRECTED
    now = timezone.now()
    recent = (
        ReportFile.objects.filter(
            kind=kind,
            service=service,
            period_start=period.start,
            period_end=period.end,
            view=view,
            created_at__gte=now - REUSE_FOR,
        )
        .exclude(state=FileState.FAILED)
        .order_by("-created_at", "-id")
        .first()
    )
    if recent is not None:
        return recent
    with transaction.atomic():
        made = ReportFile.objects.create(
            kind=kind,
            service=service,
            period_start=period.start,
            period_end=period.end,
            view=view,
            requested_by_id=actor.pk,
            filename=report_pdf_name(
                kind=kind, service=service, period=period, as_recorded=as_recorded
            ),
            step_label="Waiting for a worker",
            created_at=now,
        )
        transaction.on_commit(lambda: report_pdf_job(file_pk=made.pk))
    return made


def report_file_progress(*, file: ReportFile, step: int, label: str, people: int) -> None:
    """Say how far the worker has got (saved at once, for the page to read)."""
    file.state, file.step, file.step_label, file.people = FileState.RUNNING, step, label, people
    file.save(update_fields=["state", "step", "step_label", "people"])


def report_file_finish(*, file: ReportFile, content: bytes) -> None:
    file.state, file.step, file.step_label = FileState.DONE, file.steps, "Ready"
    file.content, file.finished_at = content, timezone.now()
    file.save(update_fields=["state", "step", "step_label", "content", "finished_at"])


def report_file_fail(*, file: ReportFile) -> None:
    file.state, file.step_label, file.finished_at = FileState.FAILED, "", timezone.now()
    file.save(update_fields=["state", "step_label", "finished_at"])


def report_files_expire(*, now: dt.datetime) -> int:
    """Drop the content of documents made more than ``KEPT_DAYS`` before ``now`` (the rows
    stay: who asked for what, and when); the number dropped."""
    return ReportFile.objects.filter(
        created_at__lt=now - dt.timedelta(days=KEPT_DAYS),
        state__in=[FileState.DONE, FileState.FAILED],
    ).update(state=FileState.EXPIRED, content=None)
