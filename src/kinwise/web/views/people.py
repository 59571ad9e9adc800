"""Choosing a service and the people it supports."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from kinwise import clock
from kinwise.access import actions_on_service, service_for_viewer
from kinwise.core.lists import page_of, page_query
from kinwise.governance.selectors import my_reviews_due
from kinwise.web.admin_access import may_administer
from kinwise.web.people_filters import (
    SHOW_CHOICES,
    SORT_CHOICES,
    people_filtered,
    people_filters_from,
)
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
    """The people of one service with their open findings and the reviews coming due;
    filtered (GET: q, show, sort, service) and 50 a page."""
    chosen = service_for_viewer(user=request.user, service_pk=service_pk)
    user = request.user
    assert isinstance(user, AbstractBaseUser)  # login_required
    other = request.GET.get("service", "")
    if other and other != str(chosen.pk):
        moved = service_for_viewer(user=user, service_pk=int(other) if other.isdigit() else 0)
        query = request.GET.copy()
        query.pop("service")
        query.pop("page", None)
        target = reverse("web:service", args=[moved.pk])
        return redirect(f"{target}?{query.urlencode()}" if query else target)
    as_of = clock.today()
    everyone = people_overview(service=chosen, as_of=as_of)
    # the viewer's own reviews among them (any role may own one: docs/access.md)
    mine = my_reviews_due(service=chosen, user=user, people=everyone)
    filters = people_filters_from(request.GET)
    found = people_filtered(everyone, filters)
    page = page_of(found, number=request.GET.get("page"))
    services = services_for_viewer(user)
    may = actions_on_service(user=user, service=chosen)
    return render(
        request,
        "web/people.html",
        {
            "service": chosen,
            "people": page,
            "page_obj": page,
            "page_query": page_query(filters.params()),
            "filters": filters,
            "found": len(found),
            "everyone": len(everyone),
            "mine": mine,
            "show_choices": SHOW_CHOICES,
            "sort_choices": SORT_CHOICES,
            "services": services,
            "as_of": as_of,
            "several_services": len(services) > 1,
            "can_oversee": "oversee" in may,
            "can_supervise": "supervise" in may,
            "can_staff_directory": "staff_directory" in may,
            "can_report": "read_service_report" in may,
            "can_administer": "administer" in may,
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
