"""The page that follows a document a worker is making, and the document once made."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from kinwise import clock
from kinwise.access import require_action, service_for_viewer
from kinwise.governance.pastview import as_recorded_from
from kinwise.jobs.models import FileState, ReportFile
from kinwise.jobs.report_services import PDF_JOB_FROM_PEOPLE, people_of, service_report_pdf_request
from kinwise.reports.filenames import service_report_name
from kinwise.reports.views import (
    build_service_report,
    pdf_response,
    service_page,
    service_report_document,
)


def _file_for_viewer(request: HttpRequest, file_pk: int) -> ReportFile:
    """The file, if the viewer may see its service (else not found, as any service) and
    its reports (else 403)."""
    file = ReportFile.objects.defer("content").filter(pk=file_pk).first()
    if file is None:
        raise Http404("No such file")
    service = service_for_viewer(user=request.user, service_pk=file.service_id)
    require_action(user=request.user, service=service, action="read_service_report")
    return file


@require_GET
@login_required
def report_file(request: HttpRequest, file_pk: int) -> HttpResponse:
    file = _file_for_viewer(request, file_pk)
    context = {
        "file": file,
        "done": file.state == FileState.DONE,
        "failed": file.state == FileState.FAILED,
        "expired": file.state == FileState.EXPIRED,
    }
    if request.headers.get("HX-Request") == "true":
        return render(request, "jobs/report_file_status.html", context)
    return render(request, "jobs/report_file.html", context)


@require_GET
@login_required
def report_file_download(request: HttpRequest, file_pk: int) -> HttpResponse:
    file = _file_for_viewer(request, file_pk)
    if file.state != FileState.DONE:
        return redirect("jobs:report_file", file_pk=file.pk)
    content = ReportFile.objects.values_list("content", flat=True).get(pk=file.pk)
    response = HttpResponse(bytes(content or b""), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{file.filename}"'
    return response


@require_GET
@login_required
def service_report_pdf(request: HttpRequest, service_pk: int) -> HttpResponse:
    service, context, period = service_page(request, service_pk)
    if period is None:
        return render(request, "reports/service_report.html", context, status=400)
    # a past period as recorded unless ?view=corrected (docs/rules.md), in either path
    as_recorded = as_recorded_from(request)
    if people_of(service=service) >= PDF_JOB_FROM_PEOPLE:
        # a large service: a worker makes the PDF; the request answers at once
        file = service_report_pdf_request(
            service=service,
            period=period,
            as_recorded=as_recorded,
            actor=request.user,  # type: ignore[arg-type]
        )
        return redirect("jobs:report_file", file_pk=file.pk)
    report, _ = build_service_report(
        service=service, period=period, as_recorded=as_recorded, today=clock.today()
    )
    name = service_report_name(
        service.name, period.start, period.end, as_recorded=as_recorded, ext="pdf"
    )
    return pdf_response(service_report_document(report), name)
