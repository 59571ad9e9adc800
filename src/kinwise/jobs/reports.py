"""Making a document in a worker: the service report's or the inspection view's PDF,
step by step."""

from __future__ import annotations

from kinwise import clock
from kinwise.core.models import Service
from kinwise.jobs.models import ReportFile, ReportView
from kinwise.jobs.report_services import (
    INSPECTION_PDF,
    people_of,
    report_file_fail,
    report_file_finish,
    report_file_progress,
)
from kinwise.reports.measures import Period


def report_pdf_document(*, kind: str, service: Service, period: Period, as_recorded: bool) -> str:
    """The HTML a PDF of ``kind`` is drawn from, in the view asked for: the one document,
    whether a request (a small service) or a worker (a large one) draws it."""
    from kinwise.reports.views import (
        build_service_report,
        inspection_print,
        service_report_document,
    )

    if kind == INSPECTION_PDF:
        return inspection_print(service=service, period=period, as_recorded=as_recorded)
    report, _ = build_service_report(
        service=service, period=period, as_recorded=as_recorded, today=clock.today()
    )
    return service_report_document(report)


def report_pdf_make(*, file: ReportFile) -> None:
    """Read the service's records, compute the measures (and, for the inspection view, its
    statements), draw the PDF; the file says which of the three steps it is at, and holds
    the PDF at the end."""
    from kinwise.reports.pdf import html_to_pdf

    count = people_of(service=file.service)
    try:
        report_file_progress(
            file=file,
            step=1,
            label="Reading the records and working out the measures",
            people=count,
        )
        # the view asked for (docs/rules.md): as recorded, a past period never changes
        # with later edits; or with the corrections made since
        document = report_pdf_document(
            kind=file.kind,
            service=file.service,
            period=Period(file.period_start, file.period_end),
            as_recorded=file.view == ReportView.AS_RECORDED,
        )
        report_file_progress(file=file, step=2, label="Drawing the PDF", people=count)
        content = html_to_pdf(document)
    except Exception:
        report_file_fail(file=file)
        raise
    report_file_finish(file=file, content=content)
