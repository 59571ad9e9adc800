"""Governance pages for team leaders and managers: the review worklist, the service's
audit on any day, audit trends, and supervision. Thin: read through selectors, write
through services.

Every page takes ``as_of`` (``?as_of=YYYY-MM-DD``, default today): the records, runs
and supervision records dated after it are left out, so a manager sees the service as
it stood that day. A malformed or future date answers 400 with the error shown.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kinwise import clock
from kinwise.access import (
    KIND_ACTIONS,
    MANAGER_ROLES,
    SUPERVISOR_ROLES,
    Action,
    has_role_for,
    may_do,
    may_oversee,
    require_action,
    service_for_viewer,
    services_visible_to,
)
from kinwise.core.lists import page_of, page_query
from kinwise.core.models import Service
from kinwise.dates import parse_user_date
from kinwise.errors import ErrorCode, KinwiseError
from kinwise.governance import selectors as sel
from kinwise.governance.pastview import as_recorded_from, past_view
from kinwise.governance.supervision import StaffRef
from kinwise.governance.supervision_services import ActionInput, supervision_record_create
from kinwise.governance.work_services import work_item_reassign
from kinwise.governance.worklist_filters import (
    SHOW_CHOICES,
    SORT_CHOICES,
    work_filters_from,
    work_owners,
    work_rows_filtered,
)
from kinwise.readings.findings import finding_link, subject_words
from kinwise.readings.work import KIND_LABELS
from kinwise.records.models import Person
from kinwise.rules.audit import default_since
from kinwise.rules.catalogue import RULES_BY_ID

SECTION_PAGES: dict[str, tuple[str, str | None, str]] = {
    # section: (page, form that makes the resolving record, link text)
    "meetings": ("web:meetings", "web:meeting_add", "Record the meeting"),
    "risk": ("web:risk", "web:risk_assessment_add", "Record a risk assessment"),
    "capacity": ("web:capacity", "web:capacity_assessment_add", "Record a capacity assessment"),
    "plan": ("web:arrangements", None, "Review the arrangements"),
}
ACTION_ROWS = 3


class AsOfError(Exception):
    def __init__(self, message: str, typed: str) -> None:
        super().__init__(message)
        self.message = message
        self.typed = typed


def _parse_date(value: str, *, today: dt.date, label: str) -> dt.date:
    """A typed date (:func:`kinwise.dates.parse_user_date`) on or before ``today``."""
    try:
        parsed = parse_user_date(value, label=label)
    except KinwiseError as error:
        raise AsOfError(error.message, value) from None
    if parsed > today:
        raise AsOfError(f"{label[:1].upper()}{label[1:]} must be today or in the past", value)
    return parsed


def as_of_from(request: HttpRequest) -> dt.date:
    """The ``as_of`` query parameter (today when absent or empty); AsOfError when bad."""
    today = clock.today()
    value = request.GET.get("as_of", "").strip()
    return _parse_date(value, today=today, label="the date") if value else today


def _manager_service(request: HttpRequest, service_pk: int, roles: frozenset[str]) -> Service:
    """The service of a governance page: not found (404) for anyone who may not see it,
    403 with the role needed for anyone who may see it but not oversee it (``roles``:
    ``MANAGER_ROLES``) or not supervise in it (``SUPERVISOR_ROLES``: to read and to
    record supervision alike). Both logged."""
    service = service_for_viewer(user=request.user, service_pk=service_pk)
    action: Action = "supervise" if roles == SUPERVISOR_ROLES else "oversee"
    require_action(user=request.user, service=service, action=action)
    return service


def _page(
    request: HttpRequest,
    template: str,
    service: Service,
    tab: str,
    build: Any,
) -> HttpResponse:
    """Render a governance page at the requested date, or the date's error (400)."""
    try:
        as_of = as_of_from(request)
    except AsOfError as error:
        context = {
            "service": service,
            "tab": tab,
            "as_of_error": error.message,
            "as_of_typed": error.typed,
            "today": clock.today(),
        }
        return render(request, "governance/as_of_error.html", context, status=400)
    context = {
        "service": service,
        "tab": tab,
        "as_of": as_of,
        "today": clock.today(),
        "as_of_typed": request.GET.get("as_of", ""),
        "as_of_query": f"?as_of={as_of.isoformat()}" if as_of != clock.today() else "",
        **build(as_of),
    }
    return render(request, template, context)


def _links(row: sel.WorkRow, service: Service, *, supervises: bool = True) -> dict[str, str]:
    if row.kind == "supervision_action":
        return {
            # only a supervisor may open the supervision pages
            "page": reverse("governance:supervision", args=[service.pk]) if supervises else "",
            "page_text": "Open supervision" if supervises else "",
            "form": "",
            "form_text": "",
        }
    page, form, text = SECTION_PAGES[row.section]
    return {
        "page": reverse(page, args=[row.person_pk]),
        "page_text": f"Open {row.person_name}'s {row.section} page",
        "form": reverse(form, args=[row.person_pk]) if form else "",
        "form_text": text,
    }


def _managed_services(user: AbstractBaseUser) -> list[Service]:
    """The services whose worklist the user may see, for the list's service filter."""
    return [
        s
        for s in services_visible_to(user).select_related("organisation").order_by("name")
        if has_role_for(user=user, service=s, roles=MANAGER_ROLES)
    ]


@require_GET
@login_required
def worklist(request: HttpRequest, service_pk: int) -> HttpResponse:
    """The service's reviews, filtered (GET: q, owner, kind, show, sort, service), 50 a
    page, each still-open review with a form to give it to another owner. A member of
    staff who may see the service but not oversee it is sent to their own work."""
    service = service_for_viewer(user=request.user, service_pk=service_pk)
    user = request.user
    assert isinstance(user, AbstractBaseUser)  # login_required
    if not may_oversee(user=user, service=service):
        return redirect("governance:my_work", service_pk=service.pk)
    chosen = request.GET.get("service", "")
    if chosen and chosen != str(service.pk):
        other = service_for_viewer(user=user, service_pk=int(chosen) if chosen.isdigit() else 0)
        query = request.GET.copy()
        query.pop("service")
        query.pop("page", None)
        target = reverse("governance:worklist", args=[other.pk])
        return redirect(f"{target}?{query.urlencode()}" if query else target)
    can_reassign = has_role_for(user=user, service=service, roles=SUPERVISOR_ROLES)

    def build(as_of: dt.date) -> dict[str, Any]:
        work = sel.service_worklist(service=service, as_of=as_of)
        owners = work_owners(work)
        filters = work_filters_from(request.GET, owners=owners)
        found = work_rows_filtered(work, filters)
        page = page_of(found, number=request.GET.get("page"))
        params = {**filters.params(), "as_of": request.GET.get("as_of", "")}
        choices = (
            [{"pk": u.pk, "label": sel.user_label(u)} for u in sel.service_owners(service=service)]
            if can_reassign
            else []
        )
        return {
            "entries": [
                {
                    "row": r,
                    **_links(r, service),
                    # the owner it was given to, when reassigned (preselected in its form)
                    "given_to": int(r.owner_key.removeprefix("user:"))
                    if r.owner_basis == "reassigned"
                    else None,
                }
                for r in page
            ],
            "keep": [(k, v) for k, v in filters.params().items() if v],
            "page_obj": page,
            "page_query": page_query(params),
            "filters": filters,
            "found": len(found),
            "counts": {
                "overdue": len(work.overdue),
                "open": len(work.open),
                "closed": len(work.closed),
            },
            "owners": [
                {"label": g.label, "overdue": len(g.overdue), "open": len(g.open)}
                for g in work.by_owner()
            ],
            "owner_choices": owners,
            "suggestions": work.suggestions,
            "may_add_carer_plan": may_do(
                user=user, service=service, action=KIND_ACTIONS["carer_plan"]
            ),
            "kind_choices": KIND_LABELS,
            "show_choices": SHOW_CHOICES,
            "sort_choices": SORT_CHOICES,
            "services": _managed_services(user),
            "can_reassign": can_reassign,
            "reassign_to": choices,
            "here": request.get_full_path(),
        }

    return _page(request, "governance/worklist.html", service, "worklist", build)


@require_GET
@login_required
def my_work(request: HttpRequest, service_pk: int) -> HttpResponse:
    """The work items of the service that the member of staff owns (any role may own
    one, docs/access.md), overdue first, then due, then closed; each links to where it
    is resolved."""
    # every role may own work (WORK_OWNER_ROLES): reading the service is enough
    service = service_for_viewer(user=request.user, service_pk=service_pk)
    user = request.user
    assert isinstance(user, AbstractBaseUser)  # login_required
    supervises = has_role_for(user=user, service=service, roles=SUPERVISOR_ROLES)

    def build(as_of: dt.date) -> dict[str, Any]:
        work = sel.my_work(service=service, user=user, as_of=as_of)

        def entries(rows: list[sel.WorkRow]) -> list[dict[str, Any]]:
            return [{"row": r, **_links(r, service, supervises=supervises)} for r in rows]

        return {
            "overdue": entries(work.overdue),
            "due": entries(work.open),
            "closed": entries(work.closed),
            "suggestions": work.suggestions,
            "may_add_carer_plan": may_do(
                user=user, service=service, action=KIND_ACTIONS["carer_plan"]
            ),
            "can_oversee": may_oversee(user=user, service=service),
        }

    return _page(request, "governance/my_work.html", service, "mine", build)


@require_POST
@login_required
def work_item_owner(request: HttpRequest, service_pk: int) -> HttpResponse:
    """Give one review to another owner (a member of staff of the service), or back
    to the owner the records give. Team leaders and registered managers only: anyone
    else who may see the worklist gets 403, anyone who may not 404."""
    service = _manager_service(request, service_pk, MANAGER_ROLES)
    user = request.user
    assert isinstance(user, AbstractBaseUser)  # login_required
    require_action(user=user, service=service, action="reassign_work")
    person_text = request.POST.get("person", "")
    person = Person.objects.filter(
        pk=int(person_text) if person_text.isdigit() else 0,
        service=service,
        superseded_at__isnull=True,
    ).first()
    if person is None:
        raise Http404("No such person")
    owner_text = request.POST.get("owner", "")
    owners = {str(u.pk): u for u in sel.service_owners(service=service)}
    if owner_text and owner_text not in owners:
        return HttpResponseBadRequest("Choose a member of staff of this service")
    try:
        work_item_reassign(
            person=person,
            key=request.POST.get("key", ""),
            owner=owners.get(owner_text),
            actor=user,
            as_of=clock.today(),
        )
    except KinwiseError as error:
        if error.code == ErrorCode.NOT_FOUND:
            raise Http404("No such review") from None
        raise PermissionDenied(error.message) from None
    owner = owners.get(owner_text)
    messages.success(
        request,
        f"The review now belongs to {sel.user_label(owner)}"
        if owner is not None
        else "The review is back with the owner its records give",
    )
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("governance:worklist", args=[service.pk])
    return redirect(back)


@require_GET
@login_required
def audit(request: HttpRequest, service_pk: int) -> HttpResponse:
    service = _manager_service(request, service_pk, MANAGER_ROLES)

    def build(as_of: dt.date) -> dict[str, Any]:
        view = past_view(request, day=as_of, today=clock.today())
        rows = sel.service_audit(
            service=service, as_of=as_of, as_recorded=view is not None and view.as_recorded
        )
        return {
            "past_view": view,
            "since": default_since(as_of),
            "people": [
                {
                    "pk": r.person_pk,
                    "name": r.audit.person_name,
                    "summary": r.audit.summary(),
                    "findings": [
                        {"finding": f, "title": RULES_BY_ID[f.rule].title} for f in r.audit.findings
                    ],
                }
                for r in rows
            ],
        }

    return _page(request, "governance/audit.html", service, "audit", build)


@require_GET
@login_required
def trends(request: HttpRequest, service_pk: int) -> HttpResponse:
    service = _manager_service(request, service_pk, MANAGER_ROLES)

    def build(as_of: dt.date) -> dict[str, Any]:
        view = past_view(request, day=as_of, today=clock.today())
        found = sel.audit_trends(
            service=service, as_of=as_of, as_recorded=as_recorded_from(request)
        )
        months = sel.months_of(found)
        labels = [label for _key, label in months]
        return {
            "past_view": view,
            "being_filled": sel.demo_being_filled(service=service),
            "trends_as_recorded": as_recorded_from(request),
            "trends": found,
            "months": months,
            # Each count with its month, for the label a phone shows above it.
            "rows": [
                (rule, title, list(zip(labels, counts, strict=True)))
                for rule, title, counts in found.table
            ],
            "totals": list(zip(labels, found.totals, strict=True)),
        }

    return _page(request, "governance/trends.html", service, "trends", build)


@require_GET
@login_required
def supervision(request: HttpRequest, service_pk: int) -> HttpResponse:
    service = _manager_service(request, service_pk, SUPERVISOR_ROLES)

    def build(as_of: dt.date) -> dict[str, Any]:
        since = default_since(as_of)
        # the prompt counts are stored beside each person's audit (no case file is read
        # once they are fresh)
        staff = sel.supervision_summary(service=service, since=since, as_of=as_of)
        return {"staff": staff, "since": since}

    return _page(request, "governance/supervision.html", service, "supervision", build)


def _evidence_link(person_pk: int | None, record: str) -> dict[str, str]:
    """A link to the person's page that shows an evidence record (``meeting:m0``), named
    in words (never the case file's ids)."""
    label = subject_words(record)
    kind, _, rest = record.partition(":")
    if person_pk is None:
        return {"label": label, "url": ""}
    if kind in ("meeting", "decision"):
        return {"label": label, "url": reverse("web:meeting", args=[person_pk, rest.split("/")[0]])}
    page = {
        "risk": "web:risk",
        "task": "web:arrangements",
        "voice": "web:voice",
        "capacity": "web:capacity",
    }.get(kind)
    if page is not None:
        return {"label": label, "url": reverse(page, args=[person_pk])}
    url, _words = finding_link(record, person_pk)
    return {"label": label, "url": url}


def _staff_ref(request: HttpRequest, refs: list[StaffRef]) -> StaffRef:
    member = request.GET.get("member", "")
    for ref in refs:
        if ref.member == member:
            return ref
    raise Http404("No such staff member")


@require_http_methods(["GET", "POST"])
@login_required
def supervision_staff(request: HttpRequest, service_pk: int) -> HttpResponse:
    """One staff member's prompts over a period, past supervision, and the form to record
    a supervision session (its date is the page's as_of)."""
    service = _manager_service(request, service_pk, SUPERVISOR_ROLES)
    # the files of the people this member of staff supports: their prompts come from these
    files = sel.staff_casefiles(service=service, member=request.GET.get("member", ""))
    staff = _staff_ref(request, sel.service_staff(casefiles=files))
    user = request.user
    assert isinstance(user, AbstractBaseUser)
    errors: list[dict[str, str]] = []
    posted: dict[str, Any] = {}
    today = clock.today()
    if request.method == "POST":
        posted, errors = _supervision_post(request, service, staff, user, today)
        if not errors:
            messages.success(request, f"Supervision with {staff.name} is recorded")
            return redirect(request.get_full_path())

    refused: list[dict[str, str]] = []

    def build(as_of: dt.date) -> dict[str, Any]:
        nonlocal posted
        since_text = request.GET.get("since", "").strip()
        since = default_since(as_of)
        if since_text:
            try:
                since = _parse_date(since_text, today=as_of, label="the start of the period")
            except AsOfError as error:
                # shown at the form's period field, with what was typed
                refused.append({"field": "since", "message": error.message})
                if not posted:
                    posted = {"date": as_of.isoformat(), "since": since_text, "prompts": []}
        view = sel.supervision_view(
            service=service, staff=staff, since=since, as_of=as_of, casefiles=files
        )
        shown_errors = [*errors, *refused]
        field_errors = {e["field"]: e["message"] for e in shown_errors}
        chosen = set(posted.get("prompts", []))
        prompts = [
            {
                "prompt": pr,
                "checked": pr.key in chosen,
                "evidence": [
                    _evidence_link(view.person_pks.get(pr.person), e) for e in pr.evidence
                ],
            }
            for pr in view.prompts
        ]
        return {
            "staff": staff,
            "view": view,
            "prompts": prompts,
            "standing": [{"prompt": s, "checked": s.key in chosen} for s in view.standing],
            "since": since,
            "errors": shown_errors,
            "field_errors": field_errors,
            "posted": posted,
            "keep": [("member", staff.member)],
            "actions": [
                {
                    "id": f"action-{i}",
                    "number": i + 1,
                    "text": posted.get(f"action-{i}-text", ""),
                    "due": posted.get(f"action-{i}-due", ""),
                    "text_error": field_errors.get(f"action-{i}-text", ""),
                    "due_error": field_errors.get(f"action-{i}-due", ""),
                }
                for i in range(ACTION_ROWS)
            ],
            "outcome_fields": [
                {
                    "action": a,
                    "name": f"outcome-{a.pk}",
                    "value": posted.get(f"outcome-{a.pk}", ""),
                    "error": field_errors.get(f"outcome-{a.pk}", ""),
                }
                for a in view.open_actions
            ],
        }

    response = _page(request, "governance/supervision_staff.html", service, "supervision", build)
    if (errors or refused) and response.status_code == 200:
        response.status_code = 400
    return response


def _supervision_post(
    request: HttpRequest,
    service: Service,
    staff: StaffRef,
    user: AbstractBaseUser,
    today: dt.date,
) -> tuple[dict[str, Any], list[dict[str, str]]]:
    """Read the supervision form and call the service; the form's values and its errors
    (each with the id of its field), in the order of the form."""
    data = request.POST
    posted: dict[str, Any] = {k: data.get(k, "") for k in data}
    posted["prompts"] = data.getlist("prompts")
    errors: list[dict[str, str]] = []
    try:
        date = _parse_date(
            data.get("date", "").strip(), today=today, label="the date of supervision"
        )
    except AsOfError as error:
        errors.append({"field": "date", "message": error.message})
        date = today
    try:
        since = _parse_date(
            data.get("since", "").strip(), today=today, label="the start of the period"
        )
    except AsOfError as error:
        errors.append({"field": "since", "message": error.message})
        since = date
    actions: list[ActionInput] = []
    for i in range(ACTION_ROWS):
        text = data.get(f"action-{i}-text", "").strip()
        due_text = data.get(f"action-{i}-due", "").strip()
        if not text and not due_text:
            continue
        try:
            due = parse_user_date(due_text, label="the date the action is due")
        except KinwiseError as error:
            errors.append({"field": f"action-{i}-due", "message": error.message})
            continue
        actions.append(ActionInput(text, due))
    outcomes: dict[int, str] = {}
    for key in data:
        if key.startswith("outcome-") and data[key].strip():
            try:
                outcomes[int(key.removeprefix("outcome-"))] = data[key]
            except ValueError:
                continue
    if errors:
        return posted, errors
    try:
        supervision_record_create(
            service=service,
            staff=staff,
            date=date,
            supervisor=user,
            since=since,
            prompt_keys=posted["prompts"],
            reflections=data.get("reflections", ""),
            actions=actions,
            outcomes=outcomes,
            actor=user,
            as_of=today,
        )
    except KinwiseError as error:
        for field_error in error.errors:
            errors.append({"field": _field_id(field_error.path), "message": field_error.message})
        if not error.errors:
            errors.append({"field": "reflections", "message": error.message})
    return posted, errors


def _field_id(path: str) -> str:
    """The form field of a service error's path (``actions[0].due`` -> ``action-0-due``)."""
    if path.startswith("actions["):
        index, _, name = path.removeprefix("actions[").partition("].")
        return f"action-{index}-{name}"
    if path.startswith("outcomes["):
        return "outcome-" + path.removeprefix("outcomes[").rstrip("]")
    if path.startswith("prompts["):
        return "prompts"
    return path
