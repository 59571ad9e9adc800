"""Middleware of signed-in sessions: no-store on what they are sent, their limits, and
the second factor owed before any other page.

None of it queries the database for a request without a session; for a signed-in one it
reads only the session and the user, which every page loads anyway.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode

from kinwise.accounts import sessions

logger = logging.getLogger("kinwise.accounts.sessions")

Handler = Callable[[HttpRequest], HttpResponseBase]


def _signed_in(request: HttpRequest) -> bool:
    return SESSION_KEY in request.session


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every response to a signed-in session (pages, PDFs,
    CSV, charts): what holds personal data is kept by no browser or proxy cache. Static
    files are answered before this (WhiteNoise) and keep their caching."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        signed_in = _signed_in(request)
        response = self.get_response(request)
        if signed_in or _signed_in(request):
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response


class SessionLimitsMiddleware:
    """End a signed-in session that was idle too long, is too old, or whose account
    changed (deactivated, roles changed: its auth epoch moved on); otherwise note its use."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not _signed_in(request):
            return self.get_response(request)
        moment = sessions.now()
        reason = sessions.why_ended(session=request.session, user=request.user, moment=moment)
        if reason is not None:
            logger.info("session ended (%s): user pk=%s", reason, request.session.get(SESSION_KEY))
            request.session.flush()
            request.user = AnonymousUser()
            request.session[sessions.ENDED] = reason
            return _to("login", request)
        sessions.touch(session=request.session, moment=moment)
        return self.get_response(request)


# Pages open to a signed-in session that still owes its second factor (and the NHS.UK
# stylesheet's images, which those pages show).
OPEN_WHILE_OWED: frozenset[str] = frozenset(
    {"accounts:code", "accounts:enrol", "accounts:stay", "logout", "web:nhsuk_assets"}
)


class SecondFactorMiddleware:
    """A session that owes a code (its user has an authenticator app) is sent to the code
    page, and a registered manager or quality lead without one to set one up, before
    any other page."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not _signed_in(request):
            return self.get_response(request)
        owed = request.session.get(sessions.SECOND_FACTOR)
        if owed is None:
            return self.get_response(request)
        try:
            view_name = resolve(request.path_info).view_name
        except Resolver404:
            view_name = ""
        if view_name in OPEN_WHILE_OWED:
            return self.get_response(request)
        target = "accounts:code" if owed == "verify" else "accounts:enrol"
        return _to(target, request)


def _to(view_name: str, request: HttpRequest) -> HttpResponse:
    """A redirect to ``view_name`` that comes back to this page afterwards."""
    response: HttpResponse = redirect(f"{reverse(view_name)}?{urlencode({'next': request.path})}")
    return response
