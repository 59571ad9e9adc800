"""Choosing a service and the people it supports."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from kinwise.governance.selectors import MANAGER_ROLES, SUPERVISOR_ROLES, has_role_for
from kinwise.web import clock
from kinwise.web.access import service_for_viewer
from kinwise.web.admin_access import may_administer, may_administer_service
from kinwise.web.selectors import people_ended, people_overview, services_for_viewer


@require_GET
@login_required
def services(request: HttpRequest) -> HttpResponse:
    """The services the member of staff works with; with only one, straight to its people."""
    rows = services_for_viewer(request.user, as_of=clock.today())
    if len(rows) == 1 and "choose" not in request.GET:
        return redirect("web:service", service_pk=rows[0].pk)
    return render(
        request,
        "web/services.html",
        {"services": rows, "can_administer": may_administer(request.user)},
    )


@require_GET
@login_required
def service(request: HttpRequest, service_pk: int) -> HttpResponse:
    """The people of one service with their open findings and the reviews coming due."""
    chosen = service_for_viewer(user=request.user, service_pk=service_pk)
    as_of = clock.today()
    user = request.user
    assert isinstance(user, AbstractBaseUser)  # login_required
    return render(
        request,
        "web/people.html",
        {
            "service": chosen,
            "people": people_overview(service=chosen, as_of=as_of),
            "as_of": as_of,
            "several_services": len(services_for_viewer(request.user)) > 1,
            "can_oversee": has_role_for(user=user, service=chosen, roles=MANAGER_ROLES),
            "can_supervise": has_role_for(user=user, service=chosen, roles=SUPERVISOR_ROLES),
            "can_administer": may_administer_service(user, chosen),
        },
    )


@require_GET
@login_required
def ended(request: HttpRequest, service_pk: int) -> HttpResponse:
    """The people whose support by the service has ended; their pages stay open."""
    chosen = service_for_viewer(user=request.user, service_pk=service_pk)
    as_of = clock.today()
    return render(
        request,
        "web/ended.html",
        {"service": chosen, "people": people_ended(service=chosen, as_of=as_of), "as_of": as_of},
    )
