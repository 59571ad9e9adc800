from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kinwise.web.selectors import people_visible_to


@require_GET
@login_required
def people(request: HttpRequest) -> HttpResponse:
    return render(request, "web/people.html", {"people": people_visible_to(request.user)})
