"""Evidence pages: the person's evidence pack and easy-read page, the commissioner's
service report, and the inspector's view by quality statement (HTML, PDF, CSV)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from kinwise import clock
from kinwise.access import (
    SUBJECT_ACCESS_ROLES,
    has_role_for,
    person_for_viewer,
    require_action,
    service_for_viewer,
)
from kinwise.accounts.stepup import step_up_required
from kinwise.casefile.schema import CaseFile
from kinwise.clock import end_of_day
from kinwise.core.models import Service
from kinwise.dates import parse_user_date
from kinwise.errors import ErrorCode, KinwiseError
from kinwise.governance.pastview import as_recorded_from, past_view
from kinwise.readings.names import Names
from kinwise.records.models import Person
from kinwise.records.selectors import casefile_export, casefile_recorded
from kinwise.reports.easyread import easy_read
from kinwise.reports.fhir import person_bundle
from kinwise.reports.filenames import download_name, service_report_name
from kinwise.reports.kept import kept, report_key
from kinwise.reports.measures import Period, report_period_problem
from kinwise.reports.pack import PersonPack, person_pack
from kinwise.reports.pdf import html_to_pdf
from kinwise.reports.selectors import (
    findings_trend_for_person,
    recorded_measures,
    service_audits_stored,
    service_casefiles,
    service_casefiles_recorded,
)
from kinwise.reports.service import (
    ServiceReport,
    StatementEvidence,
    inspection,
    inspection_of,
    report_csv,
    service_report,
)
from kinwise.rules.audit import default_since

# --- documents (also used by the command line) ---------------------------------------------


def build_person_pack(
    *, person: Person, as_of: dt.date, as_recorded: bool = False, today: dt.date | None = None
) -> PersonPack:
    """The person's evidence pack at ``as_of``.

    ``as_recorded`` (with ``today``): for a day before today, the records as they were
    recorded at the end of ``as_of`` (UK time), rebuilt from the history of versions, and
    the findings trend from the runs saved as recorded up to that day, so no later edit
    changes it (docs/rules.md); a person not recorded yet then is ``NOT_FOUND``. Without,
    today's records (with the corrections made since) judged at ``as_of``."""
    past = as_recorded and as_of < (today if today is not None else clock.today())
    if past:
        casefile = casefile_recorded(person=person, at=end_of_day(as_of))
        if casefile is None:
            raise KinwiseError(
                ErrorCode.NOT_FOUND, "nothing was recorded about this person by that day"
            )
    else:
        casefile = casefile_export(person=person)
    return person_pack(
        casefile,
        as_of=as_of,
        since=default_since(as_of),
        person_pk=person.pk,
        service_name=person.service.name,
        findings_points=findings_trend_for_person(person=person, through=as_of if past else None),
    )


def build_person_fhir(*, person: Person, as_of: dt.date) -> dict[str, Any]:
    """The person's records as the FHIR R4 Bundle that ``kinwise export --format fhir``
    writes (docs/fhir.md), statuses judged at ``as_of``."""
    return person_bundle(casefile_export(person=person), as_of=as_of)


def person_pack_document(pack: PersonPack) -> str:
    """The evidence pack as a self-contained HTML document (for print and PDF)."""
    return render_to_string("reports/print/person_pack.html", {"pack": pack, "links": False})


def easy_read_context(casefile: CaseFile) -> dict[str, Any]:
    names = Names(casefile)
    support = names.many(casefile.plan.emotional_support)
    sentence = ""
    if support:
        who = support[0] if len(support) == 1 else ", ".join(support[:-1]) + " and " + support[-1]
        sentence = f"{who} {'is' if len(support) == 1 else 'are'} there for me as family."
    return {
        "person": casefile.person,
        "boxes": easy_read(casefile),
        "emotional_support": sentence,
    }


def easy_read_document(casefile: CaseFile) -> str:
    return render_to_string("reports/print/easy_read.html", easy_read_context(casefile))


def build_service_report(
    *, service: Service, period: Period, as_recorded: bool = False, today: dt.date | None = None
) -> tuple[ServiceReport, list[tuple[int, CaseFile]]]:
    """The service's report over ``period`` and the case files it was drawn from.

    ``as_recorded`` (with ``today``): a period ending before today reads the records as
    they were recorded at the end of its last day, and every state measure of a day
    before today is the one saved with that day's run as recorded (docs/rules.md), never
    judged again here; without, today's records (with the corrections made since)."""
    if not as_recorded:
        people = service_casefiles(service=service)
        report = service_report([cf for _, cf in people], period=period, service_name=service.name)
        return report, people
    live_from = today if today is not None else clock.today()
    people = (
        service_casefiles(service=service)
        if period.end >= live_from
        else service_casefiles_recorded(service=service, at=end_of_day(period.end))
    )
    report = service_report(
        [cf for _, cf in people],
        period=period,
        service_name=service.name,
        recorded=recorded_measures(service=service, start=period.start, end=period.end),
        live_from=live_from,
    )
    return report, people


def service_report_document(report: ServiceReport) -> str:
    return render_to_string("reports/print/service_report.html", {"report": report})


def pdf_response(html: str, filename: str) -> HttpResponse:
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


# --- the period of a report ------------------------------------------------------------------


def period_from_request(
    request: HttpRequest, today: dt.date
) -> tuple[Period | None, list[tuple[str, str]], str, str]:
    """The period asked for (default: the 365 days to today), the errors, and the values
    typed (kept on error)."""
    raw_from = request.GET.get("from", "").strip()
    raw_to = request.GET.get("to", "").strip()
    errors: list[tuple[str, str]] = []
    start = end = None
    try:
        end = parse_user_date(raw_to, label="the end of the period") if raw_to else today
    except KinwiseError as error:
        errors.append(("to", error.message))
    try:
        if raw_from:
            start = parse_user_date(raw_from, label="the start of the period")
        elif end is not None:
            start = default_since(end)
    except KinwiseError as error:
        errors.insert(0, ("from", error.message))
    if start is not None and end is not None and start > end:
        errors.append(("from", "The start of the period must be on or before its end"))
    elif start is not None and end is not None and (too_long := report_period_problem(start, end)):
        errors.append(("from", too_long))
    period = Period(start, end) if not errors and start is not None and end is not None else None
    return (
        period,
        errors,
        raw_from or (start.isoformat() if start else ""),
        raw_to or (end.isoformat() if end else ""),
    )


# --- the person's pages ------------------------------------------------------------------------


def _pack_as_asked(
    request: HttpRequest, person: Person
) -> tuple[PersonPack | None, dict[str, Any]]:
    """The pack at the day the address asks (``?as_of=``, default today), in the view it
    asks (as recorded unless ``?view=corrected``), and what the page says of them; None
    with the date's error (or nothing recorded by then) in the context."""
    today = clock.today()
    raw = request.GET.get("as_of", "").strip()
    context: dict[str, Any] = {"as_of_typed": raw}
    try:
        as_of = parse_user_date(raw, label="the date of the evidence") if raw else today
        if as_of > today:
            raise KinwiseError(
                ErrorCode.INVALID_DATE, "The date of the evidence cannot be after today"
            )
        context["past_view"] = past_view(request, day=as_of, today=today)
        pack = build_person_pack(
            person=person, as_of=as_of, as_recorded=as_recorded_from(request), today=today
        )
    except KinwiseError as error:
        context["as_of_error"] = error.message
        return None, context
    return pack, context


@require_GET
@login_required
def person_evidence(request: HttpRequest, person_pk: int) -> HttpResponse:
    person = person_for_viewer(user=request.user, person_pk=person_pk)
    pack, context = _pack_as_asked(request, person)
    # a registered manager may also download everything held about them (subject access)
    may_export = isinstance(request.user, AbstractBaseUser) and has_role_for(
        user=request.user, service=person.service, roles=SUBJECT_ACCESS_ROLES
    )
    return render(
        request,
        "reports/person_pack.html",
        {"person": person, "pack": pack, "links": True, "may_export": may_export, **context},
        status=200 if pack is not None else 400,
    )


@require_GET
@login_required
@step_up_required  # a person's whole record leaves Kinwise: the password or a code again
def person_evidence_pdf(request: HttpRequest, person_pk: int) -> HttpResponse:
    person = person_for_viewer(user=request.user, person_pk=person_pk)
    pack, context = _pack_as_asked(request, person)
    if pack is None:
        return render(
            request,
            "reports/person_pack.html",
            {"person": person, "pack": None, "links": True, **context},
            status=400,
        )
    name = download_name("evidence pack", of=f"person {person.pk}", dates=(pack.as_of,), ext="pdf")
    return pdf_response(person_pack_document(pack), name)


@require_GET
@login_required
@step_up_required  # as the PDF: a person's whole record leaves Kinwise
def person_evidence_fhir(request: HttpRequest, person_pk: int) -> HttpResponse:
    person = person_for_viewer(user=request.user, person_pk=person_pk)
    today = clock.today()
    bundle = build_person_fhir(person=person, as_of=today)
    name = download_name("fhir r4 bundle", of=f"person {person.pk}", dates=(today,), ext="json")
    response = HttpResponse(
        json.dumps(bundle, indent=2, ensure_ascii=False) + "\n",
        content_type="application/fhir+json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
@login_required
def easy_read_page(request: HttpRequest, person_pk: int) -> HttpResponse:
    person = person_for_viewer(user=request.user, person_pk=person_pk)
    context = easy_read_context(casefile_export(person=person))
    return render(request, "reports/easy_read.html", {**context, "person_pk": person.pk})


@require_GET
@login_required
def easy_read_pdf(request: HttpRequest, person_pk: int) -> HttpResponse:
    person = person_for_viewer(user=request.user, person_pk=person_pk)
    casefile = casefile_export(person=person)
    name = download_name("who decides", of=f"person {person.pk}", dates=(clock.today(),), ext="pdf")
    return pdf_response(easy_read_document(casefile), name)


# --- the service's pages -----------------------------------------------------------------------


def service_page(
    request: HttpRequest, service_pk: int
) -> tuple[Service, dict[str, Any], Period | None]:
    """The service of a report page (the service report, its CSV and PDF, the inspection
    page): a team leader or above (403 for anyone else who may see the service)."""
    service = service_for_viewer(user=request.user, service_pk=service_pk)
    require_action(user=request.user, service=service, action="read_service_report")
    period, errors, raw_from, raw_to = period_from_request(request, clock.today())
    context: dict[str, Any] = {
        "service": service,
        "errors": errors,
        "period_from": raw_from,
        "period_to": raw_to,
    }
    return service, context, period


def _report_kept(
    *, service: Service, period: Period, as_recorded: bool, today: dt.date
) -> tuple[ServiceReport, tuple[Any, ...]]:
    """The service's report for ``period`` in one view, kept in the process by the state
    of the service's records (kinwise.reports.kept): asked again while nothing changed, it
    is read; with the key it is kept under."""
    key = report_key(
        service=service, start=period.start, end=period.end, as_recorded=as_recorded, today=today
    )

    def build() -> ServiceReport:
        report, _ = build_service_report(
            service=service, period=period, as_recorded=as_recorded, today=today
        )
        return report

    return kept(what="service report", key=key, build=build), key


def _report_as_asked(
    request: HttpRequest, service: Service, context: dict[str, Any], period: Period
) -> tuple[ServiceReport, tuple[Any, ...]]:
    """The report in the view the address asks for (docs/rules.md): as recorded unless
    ``?view=corrected``; the page's context gets what to say of the view."""
    today = clock.today()
    context["past_view"] = past_view(request, day=period.end, today=today)
    as_recorded = as_recorded_from(request)
    context["report_as_recorded"] = as_recorded
    return _report_kept(service=service, period=period, as_recorded=as_recorded, today=today)


def _inspection_statements(
    service: Service, period: Period, report: ServiceReport, key: tuple[Any, ...]
) -> tuple[list[StatementEvidence], list[tuple[int, str]]]:
    """The inspection's statements for the report kept under ``key``, and (pk, name) of
    the people supported: from the stored audits of the period (kinwise.audits) when the
    report reads today's records, from the records as recorded otherwise; kept under the
    same key."""
    as_recorded, today = key[4], key[5]

    def build() -> tuple[list[StatementEvidence], list[tuple[int, str]]]:
        if as_recorded and period.end < today:
            _, people = build_service_report(
                service=service, period=period, as_recorded=True, today=today
            )
            statements = inspection(people, as_of=period.end, since=period.start, report=report)
            return statements, [(pk, cf.person.name) for pk, cf in people]
        audits = service_audits_stored(service=service, as_of=period.end, since=period.start)
        return inspection_of(audits, report=report), [(pk, name) for pk, name, _ in audits]

    return kept(what="inspection", key=key, build=build)


@require_GET
@login_required
def service_report_page(request: HttpRequest, service_pk: int) -> HttpResponse:
    service, context, period = service_page(request, service_pk)
    if period is not None:
        context["report"], _ = _report_as_asked(request, service, context, period)
    status = 400 if context["errors"] else 200
    return render(request, "reports/service_report.html", context, status=status)


@require_GET
@login_required
def service_report_csv(request: HttpRequest, service_pk: int) -> HttpResponse:
    service, context, period = service_page(request, service_pk)
    if period is None:
        return render(request, "reports/service_report.html", context, status=400)
    report, _ = _report_as_asked(request, service, context, period)
    response = HttpResponse(report_csv(report), content_type="text/csv; charset=utf-8")
    name = service_report_name(
        service.name, period.start, period.end, as_recorded=context["report_as_recorded"], ext="csv"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
@login_required
def inspection_page(request: HttpRequest, service_pk: int) -> HttpResponse:
    service, context, period = service_page(request, service_pk)
    if period is not None:
        report, key = _report_as_asked(request, service, context, period)
        statements, people = _inspection_statements(service, period, report, key)
        context.update(report=report, people=people, as_of=period.end, statements=statements)
    status = 400 if context["errors"] else 200
    return render(request, "reports/inspection.html", context, status=status)


def inspection_print(*, service: Service, period: Period, as_recorded: bool) -> str:
    """The inspector's view for ``period``, in the view asked for, as the document its PDF
    is drawn from: the report and statements the inspection page shows (kept under the
    same key), whether a request or a worker (kinwise.jobs) draws it."""
    report, key = _report_kept(
        service=service, period=period, as_recorded=as_recorded, today=clock.today()
    )
    statements, people = _inspection_statements(service, period, report, key)
    context = {
        "service": service,
        "report": report,
        "people": people,
        "as_of": period.end,
        "statements": statements,
    }
    return render_to_string("reports/print/inspection.html", context)
