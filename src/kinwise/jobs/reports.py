"""Making a document in a worker: the service report's or the inspection view's PDF,
step by step."""

from __future__ import annotations

from kinwise import clock
from kinwise.jobs.models import ReportFile, ReportView
from kinwise.jobs.report_services import (
    INSPECTION_PDF,
    report_file_fail,
    report_file_finish,
    report_file_progress,
)
from kinwise.reports.measures import Period


def report_pdf_make(*, file: ReportFile) -> None:
    """Read the service's records, compute the measures (and, for the inspection view, its
    statements), draw the PDF; the file says which of the three steps it is at, and holds
    the PDF at the end."""
    from kinwise.records.models import Person
    from kinwise.reports.pdf import html_to_pdf
    from kinwise.reports.views import (
        build_service_report,
        inspection_print,
        service_report_document,
    )

    people = Person.objects.filter(service_id=file.service_id, superseded_at__isnull=True)
    count = people.count()
    # the view asked for (docs/rules.md), as the request would build it: as recorded, a
    # past period never changes with later edits; or with the corrections made since
    period = Period(file.period_start, file.period_end)
    as_recorded = file.view == ReportView.AS_RECORDED
    try:
        report_file_progress(
            file=file,
            step=1,
            label="Reading the records and working out the measures",
            people=count,
        )
        if file.kind == INSPECTION_PDF:
            document = inspection_print(
                service=file.service, period=period, as_recorded=as_recorded
            )
        else:
            report, _ = build_service_report(
                service=file.service, period=period, as_recorded=as_recorded, today=clock.today()
            )
            document = service_report_document(report)
        report_file_progress(file=file, step=2, label="Drawing the PDF", people=count)
        content = html_to_pdf(document)
    except Exception:
        report_file_fail(file=file)
        raise
    report_file_finish(file=file, content=content)
