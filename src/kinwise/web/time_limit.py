"""The time limit of one request: a page still being built after
``KINWISE_REQUEST_TIME_LIMIT`` seconds (default 60) is stopped and answered "503: this
took too long", so a runaway build (a report over a long period, a service of thousands
of people) cannot hold a server thread for ever while its process goes on serving others.

``kinwise serve`` runs threads (gunicorn's gthread worker), and gunicorn's own timeout
only restarts a worker process that stops answering at all; a thread busy with one page
leaves its process answering. So the limit is a deadline (:mod:`kinwise.deadline`) that
the long builds check once a step (each person read of a service, each month of a period):
the build stops at the next step and its transaction is rolled back. A step is short (one
person, one month), so a request ends within a step of its limit; work that has no steps
(one database query, one PDF layout) runs to its end, under gunicorn's timeout.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kinwise.deadline import TimeLimitReached, deadline

logger = logging.getLogger(__name__)


def request_time_limit() -> int:
    """Seconds a request may run (0: no limit), from the settings."""
    limit: int = settings.KINWISE_REQUEST_TIME_LIMIT
    return limit


class RequestTimeLimitMiddleware:
    """Give each request its deadline; answer a build stopped at it with a plain 503."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        seconds = request_time_limit()
        if seconds <= 0:
            return self.get_response(request)
        with deadline(seconds):
            return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, TimeLimitReached):
            return None
        logger.warning("request stopped after its time limit of %s seconds", exception.seconds)
        context = {"seconds": f"{exception.seconds:g}"}
        return render(request, "web/too_long.html", context, status=503)
