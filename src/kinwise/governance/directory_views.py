"""The organisation's staff directory: each member of staff once, and a page to change a
member of staff's name, job and training (team leaders and registered managers:
``staff_directory`` in kinwise.access.roles, docs/access.md). Thin: reads through
kinwise.governance.staff_directory, writes through
kinwise.records.services.staff.staff_member_edit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from kinwise import clock
from kinwise.access import require_action, service_for_viewer
from kinwise.casefile.vocab import TASK_LABELS, TASKS
from kinwise.core.models import Service
from kinwise.dates import parse_user_date
from kinwise.errors import ErrorCode, KinwiseError
from kinwise.governance.staff_directory import (
    DirectoryRow,
    directory_history,
    directory_row,
    directory_rows,
)
from kinwise.records.services.staff import staff_member_edit


def _directory_service(request: HttpRequest, service_pk: int) -> tuple[Service, AbstractBaseUser]:
    """The service the directory is opened from: 404 for anyone who may not see it, 403
    for a role that may not open the directory (both logged)."""
    service = service_for_viewer(user=request.user, service_pk=service_pk)
    require_action(user=request.user, service=service, action="staff_directory")
    user = request.user
    assert isinstance(user, AbstractBaseUser)
    return service, user


@require_GET
@login_required
def staff_directory(request: HttpRequest, service_pk: int) -> HttpResponse:
    service, user = _directory_service(request, service_pk)
    rows = directory_rows(organisation_id=service.organisation_id, user=user)
    return render(
        request,
        "governance/staff_directory.html",
        {"service": service, "tab": "directory", "rows": rows, "as_of_query": ""},
    )


def _task_field(task: str) -> str:
    return f"trained-{task}"


def _fields(
    row: DirectoryRow, posted: dict[str, str] | None, errors: dict[str, str]
) -> dict[str, Any]:
    """The form's values: as posted, or the entry's."""
    trained = {label: date for label, date in row.training}
    tasks = []
    for task in TASKS:
        name = _task_field(task)
        current = trained.get(TASK_LABELS[task])
        tasks.append(
            {
                "name": name,
                "label": TASK_LABELS[task],
                "error": errors.get(name, ""),
                "value": posted.get(name, "")
                if posted is not None
                else (current.isoformat() if current else ""),
            }
        )
    return {
        "name": posted.get("name", "") if posted is not None else row.name,
        "job": posted.get("job", "") if posted is not None else (row.job or ""),
        "tasks": tasks,
    }


def _based_on(request: HttpRequest) -> int:
    text = str(request.POST.get("based_on", ""))
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else 0


STALE_MESSAGE = (
    "Someone else saved a change to this member of staff after you opened the page, so "
    "your changes are not saved yet. What you typed is below: check it against the "
    "details as they now are, then save again."
)


def _save(
    posted: dict[str, str],
    *,
    row: DirectoryRow,
    service: Service,
    user: AbstractBaseUser,
    based_on: int,
) -> list[dict[str, str]]:
    """Read the form and call the service: the errors (each with its field's id), or none
    when it was saved. A stale save is one error on the field ``stale`` (the summary)."""
    errors: list[dict[str, str]] = []
    trained: dict[str, dt.date] = {}
    for task in TASKS:
        typed = posted.get(_task_field(task), "").strip()
        if not typed:
            continue
        try:
            trained[task] = parse_user_date(
                typed, label=f"the date of training in {TASK_LABELS[task]}"
            )
        except KinwiseError as error:
            errors.append({"field": _task_field(task), "message": error.message})
    if errors:
        return errors
    try:
        staff_member_edit(
            entry_pk=row.pk,
            organisation_id=service.organisation_id,
            name=posted.get("name", ""),
            job=posted.get("job", ""),
            trained=trained,
            based_on=based_on,
            actor=user,
            today=clock.today(),
        )
    except KinwiseError as error:
        if error.code == ErrorCode.STALE:
            return [{"field": "stale", "message": STALE_MESSAGE}]
        return [
            {
                "field": _task_field(e.path.removeprefix("trained."))
                if e.path.startswith("trained.")
                else e.path,
                "message": e.message,
            }
            for e in error.errors
        ] or [{"field": "name", "message": error.message}]
    return []


@require_http_methods(["GET", "POST"])
@login_required
def staff_directory_member(request: HttpRequest, service_pk: int, entry_pk: int) -> HttpResponse:
    """One member of staff: who they support, their history, and the form to change their
    name, job and training (a save based on an older version is refused, keeping what
    was typed)."""
    service, user = _directory_service(request, service_pk)
    row = directory_row(organisation_id=service.organisation_id, user=user, entry_pk=entry_pk)
    if row is None:
        raise Http404("No such member of staff")
    errors: list[dict[str, str]] = []
    posted: dict[str, str] | None = None
    based_on = row.version  # opening the form: the entry as it is
    if request.method == "POST":
        posted = {k: str(request.POST.get(k, "")) for k in request.POST}
        based_on = _based_on(request)
        errors = _save(posted, row=row, service=service, user=user, based_on=based_on)
        if not errors:
            messages.success(request, f"{posted.get('name', '').strip()}'s details were saved")
            return redirect("governance:staff_directory", service_pk=service.pk)
        if errors[0]["field"] == "stale":
            based_on = row.version  # the form now stands on the entry as it now is
    field_errors = {e["field"]: e["message"] for e in errors}
    context = {
        "service": service,
        "tab": "directory",
        "as_of_query": "",
        "row": row,
        "fields": _fields(row, posted, field_errors),
        "errors": errors,
        "field_errors": field_errors,
        "based_on": based_on,
        "history": directory_history(entry_pk=row.pk),
    }
    return render(
        request,
        "governance/staff_directory_member.html",
        context,
        status=400 if errors else 200,
    )
