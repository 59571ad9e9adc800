"""Set-up and administration, for registered managers: the organisation's services, new
people and the end of their support, staff logins and their roles. Thin: access through
kinwise.web.admin_access, reads through selectors, writes through services."""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kinwise import clock
from kinwise.accounts.stepup import step_up_required
from kinwise.core.models import Organisation, Service
from kinwise.errors import KinwiseError
from kinwise.governance import provider_services, staff_services
from kinwise.governance.staff_selectors import services_of, staff_history, staff_of, staff_row
from kinwise.records.services.support import is_supported, support_end, support_start
from kinwise.web import admin_forms as af
from kinwise.web.admin_access import (
    organisation_for_admin,
    person_for_admin,
    service_for_admin,
    staff_for_admin,
)
from kinwise.web.admin_mail import invitation_send
from kinwise.web.selectors import people_of_service

logger = logging.getLogger("kinwise.web.admin")

MAIL_ERRORS = (OSError, smtplib.SMTPException)


def _actor(request: HttpRequest) -> AbstractBaseUser:
    user = request.user
    assert isinstance(user, AbstractBaseUser)  # login_required
    return user


def _form_page(
    request: HttpRequest,
    template: str,
    *,
    forms_: Sequence[forms.Form],
    **context: Any,
) -> HttpResponse:
    summary = af.summary_of(forms_)
    return render(
        request,
        template,
        {"has_errors": bool(summary), "summary": summary, **context},
        status=400 if summary else 200,
    )


def _services(organisation: Organisation) -> list[Service]:
    return list(Service.objects.filter(organisation=organisation).order_by("name", "pk"))


# --- the organisation and its services ---------------------------------------------------


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The organisation's services and staff, with what a manager can do to each."""
    organisation = organisation_for_admin(request.user)
    return render(
        request,
        "manage/home.html",
        {
            "organisation": organisation,
            "services": services_of(organisation=organisation),
            "staff": staff_of(organisation=organisation),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def service_add(request: HttpRequest) -> HttpResponse:
    organisation = organisation_for_admin(request.user)
    form = af.ServiceForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            service = provider_services.service_create(
                organisation=organisation, name=form.value("name"), actor=_actor(request)
            )
        except KinwiseError as exc:
            form.add_field_errors(exc.errors)
        else:
            messages.success(request, "The service was added")
            return redirect("manage:service", service_pk=service.pk)
    return _form_page(
        request,
        "manage/form.html",
        forms_=[form],
        form=form,
        heading="Add a service",
        submit="Add the service",
        cancel=reverse("manage:home"),
    )


@require_GET
@login_required
def service(request: HttpRequest, service_pk: int) -> HttpResponse:
    """One service: its name, the people it supports (with the end of their support),
    and its staff."""
    chosen = service_for_admin(request.user, service_pk)
    today = clock.today()
    people = people_of_service(service=chosen)
    return render(
        request,
        "manage/service.html",
        {
            "service": chosen,
            "active": [p for p in people if is_supported(p, as_of=today)],
            "ended": [p for p in people if not is_supported(p, as_of=today)],
            "staff": [
                row
                for row in staff_of(organisation=chosen.organisation)
                if any(r.service_pk == chosen.pk for r in row.roles)
            ],
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def service_rename(request: HttpRequest, service_pk: int) -> HttpResponse:
    chosen = service_for_admin(request.user, service_pk)
    form = af.ServiceForm(
        request.POST if request.method == "POST" else None, initial={"name": chosen.name}
    )
    if request.method == "POST" and form.is_valid():
        try:
            provider_services.service_rename(
                service=chosen, name=form.value("name"), actor=_actor(request)
            )
        except KinwiseError as exc:
            form.add_field_errors(exc.errors)
        else:
            messages.success(request, "The service was renamed")
            return redirect("manage:service", service_pk=chosen.pk)
    return _form_page(
        request,
        "manage/form.html",
        forms_=[form],
        form=form,
        heading="Rename the service",
        caption=chosen.name,
        submit="Save the name",
        cancel=reverse("manage:service", args=[chosen.pk]),
    )


# --- people ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def person_add(request: HttpRequest, service_pk: int) -> HttpResponse:
    """A new person supported by the service, with their plan and their circle's first
    members; written through the import, so the import's rules apply."""
    chosen = service_for_admin(request.user, service_pk)
    today = clock.today()
    posted = request.POST if request.method == "POST" else None
    form = af.PersonForm(posted, initial={**af.PERSON_DEFAULTS, "version_date": today.isoformat()})
    rows = [af.MemberForm(posted, prefix=f"member-{i}") for i in range(af.CIRCLE_ROWS)]
    if posted is not None and form.is_valid() and all(r.is_valid() for r in rows):
        filled = [r for r in rows if r.filled()]
        try:
            result = support_start(
                service=chosen,
                person=form.new_person(filled),
                actor=_actor(request),
                today=today,
            )
        except KinwiseError as exc:
            af.add_person_errors(exc.errors, form, list(enumerate(filled)))
        else:
            messages.success(request, "The person was added")
            return redirect("web:person", person_pk=result.person_pk)
    return _form_page(
        request,
        "manage/person.html",
        forms_=[form, *rows],
        form=form,
        rows=rows,
        service=chosen,
        cancel=reverse("manage:service", args=[chosen.pk]),
    )


@require_http_methods(["GET", "POST"])
@login_required
def person_end(request: HttpRequest, person_pk: int) -> HttpResponse:
    """Record the end of a person's support: they leave the active lists; their records
    and pages stay."""
    person = person_for_admin(request.user, person_pk)
    initial: dict[str, Any] = {}
    if person.support_ended is not None:
        initial = {"ended": person.support_ended.isoformat(), "reason": person.support_end_reason}
    form = af.SupportEndForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            support_end(
                person=person,
                ended=form.value("ended"),
                reason=form.value("reason"),
                actor=_actor(request),
            )
        except KinwiseError as exc:
            form.add_field_errors(exc.errors)
        else:
            messages.success(request, "The end of their support was recorded")
            return redirect("manage:service", service_pk=person.service_id)
    return _form_page(
        request,
        "manage/form.html",
        forms_=[form],
        form=form,
        heading="Record the end of their support",
        caption=person.name,
        intro=(
            "They will leave the lists of people supported from this date. "
            "Their records stay and can still be opened."
        ),
        submit="Record the end of support",
        cancel=reverse("manage:service", args=[person.service_id]),
    )


# --- staff -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
@step_up_required  # granting a staff role: the password or a code again
def staff_invite(request: HttpRequest) -> HttpResponse:
    """Invite a member of staff: a login with a role in one service and an email with a
    link to set their password."""
    organisation = organisation_for_admin(request.user, action="grant_staff_roles")
    services = _services(organisation)
    initial = {"service": request.GET.get("service", "")}
    form = af.InviteForm(
        request.POST if request.method == "POST" else None, services=services, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = staff_services.staff_invite(
                organisation=organisation,
                invitation=staff_services.Invitation(
                    first_name=form.value("first_name"),
                    last_name=form.value("last_name"),
                    username=form.value("username"),
                    email=form.value("email"),
                    service_pk=form.service_pk(),
                    role=form.value("role"),
                ),
                actor=_actor(request),
            )
        except KinwiseError as exc:
            form.add_field_errors(exc.errors)
        else:
            return _after_invitation(request, user)
    return _form_page(
        request,
        "manage/form.html",
        forms_=[form],
        form=form,
        heading="Invite a member of staff",
        intro="They will get an email with a link to set their password.",
        submit="Send the invitation",
        cancel=reverse("manage:home"),
    )


def _after_invitation(request: HttpRequest, user: AbstractBaseUser) -> HttpResponse:
    try:
        invitation_send(request=request, user=user)
    except MAIL_ERRORS as exc:
        logger.warning("invitation not sent to user pk=%s (%s)", user.pk, type(exc).__name__)
        return redirect(reverse("manage:staff", args=[user.pk]) + "?unsent=1")
    messages.success(request, "The invitation was sent")
    return redirect("manage:staff", staff_pk=user.pk)


@require_GET
@login_required
def staff(request: HttpRequest, staff_pk: int) -> HttpResponse:
    organisation, member = staff_for_admin(request.user, staff_pk)
    return render(
        request,
        "manage/staff.html",
        {
            "member": staff_row(organisation=organisation, user=member),
            "history": staff_history(user=member),
            "unsent": request.GET.get("unsent") == "1",
            "yourself": member.pk == request.user.pk,
        },
    )


@require_POST
@login_required
def staff_invite_again(request: HttpRequest, staff_pk: int) -> HttpResponse:
    _, member = staff_for_admin(request.user, staff_pk)
    return _after_invitation(request, member)


@require_http_methods(["GET", "POST"])
@login_required
@step_up_required  # granting a staff role: the password or a code again
def staff_role(request: HttpRequest, staff_pk: int) -> HttpResponse:
    """Give a member of staff a role in a service, or change the one they have there."""
    organisation, member = staff_for_admin(request.user, staff_pk)
    row = staff_row(organisation=organisation, user=member)
    chosen = request.GET.get("service", "")
    current = {str(r.service_pk): r.role for r in row.roles}
    form = af.RoleForm(
        request.POST if request.method == "POST" else None,
        services=_services(organisation),
        initial={"service": chosen, "role": current.get(chosen, "")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            staff_services.membership_set(
                organisation=organisation,
                user=member,
                service_pk=form.service_pk(),
                role=form.value("role"),
                actor=_actor(request),
            )
        except KinwiseError as exc:
            form.add_field_errors(exc.errors)
        else:
            messages.success(request, "Their role was saved")
            return redirect("manage:staff", staff_pk=member.pk)
    return _form_page(
        request,
        "manage/form.html",
        forms_=[form],
        form=form,
        heading="Give a role in a service",
        caption=row.name,
        intro="Choosing a service where they already have a role changes it.",
        submit="Save the role",
        cancel=reverse("manage:staff", args=[member.pk]),
    )


@require_POST
@login_required
def staff_role_remove(request: HttpRequest, staff_pk: int, service_pk: int) -> HttpResponse:
    organisation, member = staff_for_admin(request.user, staff_pk)
    try:
        staff_services.membership_remove(
            organisation=organisation, user=member, service_pk=service_pk, actor=_actor(request)
        )
    except KinwiseError as exc:
        return _staff_error(request, organisation, member, exc)
    messages.success(request, "Their role was removed")
    return redirect("manage:staff", staff_pk=member.pk)


def _staff_error(
    request: HttpRequest, organisation: Organisation, member: AbstractBaseUser, exc: KinwiseError
) -> HttpResponse:
    return render(
        request,
        "manage/staff.html",
        {
            "member": staff_row(organisation=organisation, user=member),
            "history": staff_history(user=member),
            "has_errors": True,
            "summary": [("form-top", exc.message)],
            "yourself": member.pk == request.user.pk,
        },
        status=400,
    )


@require_http_methods(["GET", "POST"])
@login_required
def staff_deactivate(request: HttpRequest, staff_pk: int) -> HttpResponse:
    """A leaver: after a confirmation, their login stops working; history is kept."""
    organisation, member = staff_for_admin(request.user, staff_pk)
    if request.method == "POST":
        try:
            staff_services.staff_deactivate(
                organisation=organisation, user=member, actor=_actor(request)
            )
        except KinwiseError as exc:
            return _staff_error(request, organisation, member, exc)
        messages.success(request, "Their login was deactivated")
        return redirect("manage:staff", staff_pk=member.pk)
    return render(
        request,
        "manage/deactivate.html",
        {"member": staff_row(organisation=organisation, user=member)},
    )


@require_POST
@login_required
def staff_reactivate(request: HttpRequest, staff_pk: int) -> HttpResponse:
    organisation, member = staff_for_admin(request.user, staff_pk)
    staff_services.staff_reactivate(organisation=organisation, user=member, actor=_actor(request))
    messages.success(request, "Their login was reactivated")
    return redirect("manage:staff", staff_pk=member.pk)
