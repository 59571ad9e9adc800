"""The product's addresses plus pages whose build never ends, for the request time
limit's tests (tests/web/test_time_limit.py)."""

from __future__ import annotations

import time

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import path

from kinwise.config.urls import urlpatterns as product
from kinwise.core.models import Organisation
from kinwise.deadline import check_deadline


def runaway(request: HttpRequest) -> HttpResponse:
    """A build that never ends by itself, in steps (people, months, versions)."""
    while True:
        time.sleep(0.01)
        check_deadline()


def runaway_write(request: HttpRequest) -> HttpResponse:
    """A write, then a build that never ends, in one transaction."""
    with transaction.atomic():
        Organisation.objects.create(slug="written-then-stopped", name="Stopped")
        while True:
            time.sleep(0.01)
            check_deadline()


def quick(request: HttpRequest) -> HttpResponse:
    check_deadline()
    return HttpResponse("done")


urlpatterns = [
    path("runaway/", runaway),
    path("runaway-write/", runaway_write),
    path("quick/", quick),
    *product,
]
