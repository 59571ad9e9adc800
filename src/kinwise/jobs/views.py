"""The page that follows a document a worker is making, and the document once made."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from kinwise.access import require_action, service_for_viewer
from kinwise.governance.pastview import as_recorded_from
from kinwise.jobs.models import FileState, ReportFile
from kinwise.jobs.report_services import (
    INSPECTION_PDF,
    PDF_JOB_FROM_PEOPLE,
    SERVICE_REPORT_PDF,
    people_of,
    report_pdf_name,
    report_pdf_request,
)
from kinwise.jobs.reports import report_pdf_document
from kinwise.reports.views import pdf_response, service_page

# each document's name on its page, and the page it is asked for from
DOCUMENT_WORDS = {
    SERVICE_REPORT_PDF: ("Co-production measures PDF", "the service report"),
    INSPECTION_PDF: ("CQC evidence PDF", "the inspection page"),
}


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
    title, asked_from = DOCUMENT_WORDS.get(file.kind, DOCUMENT_WORDS[SERVICE_REPORT_PDF])
    context = {
        "file": file,
        "title": title,
        "asked_from": asked_from,
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


def _pdf(request: HttpRequest, service_pk: int, kind: str) -> HttpResponse:
    """The PDF of ``kind`` for the period asked: drawn in the request for a small service;
    for a large one asked of a worker, the request answering at once with the page that
    follows it. A past period as recorded unless ``?view=corrected`` (docs/rules.md), in
    either path."""
    service, context, period = service_page(request, service_pk)
    if period is None:
        page = (
            "reports/inspection.html" if kind == INSPECTION_PDF else "reports/service_report.html"
        )
        return render(request, page, context, status=400)
    as_recorded = as_recorded_from(request)
    if people_of(service=service) >= PDF_JOB_FROM_PEOPLE:
        file = report_pdf_request(
            kind=kind,
            service=service,
            period=period,
            as_recorded=as_recorded,
            actor=request.user,  # type: ignore[arg-type]
        )
        return redirect("jobs:report_file", file_pk=file.pk)
    document = report_pdf_document(
        kind=kind, service=service, period=period, as_recorded=as_recorded
    )
    name = report_pdf_name(kind=kind, service=service, period=period, as_recorded=as_recorded)
    return pdf_response(document, name)


@require_GET
@login_required
def service_report_pdf(request: HttpRequest, service_pk: int) -> HttpResponse:
    return _pdf(request, service_pk, SERVICE_REPORT_PDF)


@require_GET
@login_required
def inspection_pdf(request: HttpRequest, service_pk: int) -> HttpResponse:
    """The inspector's view as a PDF to print or send, for the period asked."""
    return _pdf(request, service_pk, INSPECTION_PDF)
