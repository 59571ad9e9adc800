"""API tokens, for registered managers: the organisation's tokens, a new one (its secret
shown once) and revoking one; making and revoking ask for step-up, as granting a staff
role does. Thin: access through kinwise.web.admin_access, writes through
kinwise.governance.token_services."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kinwise.accounts.stepup import step_up_required
from kinwise.core.models import ApiTokenKind, Service
from kinwise.errors import KinwiseError
from kinwise.governance import token_services
from kinwise.governance.staff_selectors import staff_of
from kinwise.governance.token_selectors import token_seen_by, tokens_of
from kinwise.web import admin_forms as af
from kinwise.web.admin_access import organisation_for_admin

logger = logging.getLogger("kinwise.access")


def _actor(request: HttpRequest) -> AbstractBaseUser:
    user = request.user
    assert isinstance(user, AbstractBaseUser)  # login_required
    return user


@require_GET
@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    organisation = organisation_for_admin(request.user, action="grant_staff_roles")
    return render(
        request,
        "manage/tokens.html",
        {"organisation": organisation, "tokens": tokens_of(organisation=organisation)},
    )


@require_http_methods(["GET", "POST"])
@login_required
@step_up_required  # a token carries a login's roles: the password or a code again
def token_new(request: HttpRequest) -> HttpResponse:
    organisation = organisation_for_admin(request.user, action="grant_staff_roles")
    staff = [(row.pk, row.name) for row in staff_of(organisation=organisation) if row.active]
    services = list(Service.objects.filter(organisation=organisation).order_by("name", "pk"))
    form = af.TokenForm(
        request.POST if request.method == "POST" else None,
        staff=staff,
        services=services,
        initial={"kind": ApiTokenKind.PERSONAL, "access": "read"},
    )
    if request.method == "POST" and form.is_valid():
        chosen = form.user_pk()
        holder = (
            get_user_model().objects.filter(pk=chosen, pk__in=[pk for pk, _ in staff]).first()
            if chosen is not None
            else None
        )
        if holder is None:
            form.add_error("user", "Choose whose roles the token carries")
        else:
            try:
                made = token_services.token_create(
                    user=holder,
                    read_only=form.value("access") != "change",
                    service_pks=form.service_pks(),
                    actor=_actor(request),
                    kind=form.value("kind") or ApiTokenKind.PERSONAL,
                    label=form.value("label"),
                )
            except KinwiseError as exc:
                form.add_field_errors(exc.errors)
            else:
                return render(request, "manage/token_made.html", {"secret": made.secret})
    summary = af.summary_of([form])
    return render(
        request,
        "manage/form.html",
        {
            "has_errors": bool(summary),
            "summary": summary,
            "form": form,
            "heading": "Make an API token",
            "intro": (
                "Another system uses it to read, and if you allow it to change, the records "
                "of the services it covers, with the roles of the member of staff you choose."
            ),
            "submit": "Make the token",
            "cancel": reverse("manage:tokens"),
        },
        status=400 if summary else 200,
    )


@require_POST
@login_required
@step_up_required
def token_revoke(request: HttpRequest, token_pk: int) -> HttpResponse:
    if not token_seen_by(user=request.user, token_pk=token_pk):
        logger.warning(
            "token refused: user pk=%s asked to revoke token pk=%s", request.user.pk, token_pk
        )
        raise Http404("No such token")
    organisation = organisation_for_admin(request.user, action="grant_staff_roles")
    try:
        token_services.token_revoke(
            token_pk=token_pk, actor=_actor(request), organisation=organisation
        )
    except KinwiseError:
        logger.warning(
            "token refused: user pk=%s asked to revoke token pk=%s", request.user.pk, token_pk
        )
        raise Http404("No such token") from None
    messages.success(request, "The token was revoked")
    return redirect("manage:tokens")
