"""Choosing a service and the people it supports."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from kinwise import clock
from kinwise.access import may_oversee, may_supervise, service_for_viewer
from kinwise.audits.overview import people_overview
from kinwise.web.selectors import services_for_viewer


@require_GET
@login_required
def services(request: HttpRequest) -> HttpResponse:
    """The services the member of staff works with; with only one, straight to its people."""
    rows = services_for_viewer(request.user)
    if len(rows) == 1 and "choose" not in request.GET:
        return redirect("web:service", service_pk=rows[0].pk)
    return render(request, "web/services.html", {"services": rows})


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
            "can_oversee": may_oversee(user=user, service=chosen),
            "can_supervise": may_supervise(user=user, service=chosen),
        },
    )
