"""Middleware of signed-in sessions: no-store on what they are sent, their limits, and
the second factor owed before any other page.

None of it queries the database for a request without a session; for a signed-in one it
reads only the session and the user, which every page loads anyway.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode

from kinwise.accounts import sessions
from kinwise.drafts.marks import keeps_input_of
from kinwise.drafts.models import InputKind
from kinwise.drafts.services import form_input_keep
from kinwise.errors import KinwiseError
from kinwise.records.models import Person

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
            user_pk = request.session.get(SESSION_KEY)
            logger.info("session ended (%s): user pk=%s", reason, user_pk)
            kept = reason in KEEPS_INPUT_WHEN and _input_keep(request, moment)
            request.session.flush()
            request.user = AnonymousUser()
            request.session[sessions.ENDED] = reason
            if kept:
                request.session[sessions.KEPT] = True
            return _to("login", request)
        sessions.touch(session=request.session, moment=moment)
        return self.get_response(request)


# A form sent after its session ended only by time is kept for the same user (an account
# deactivated or changed has no claim on what it typed).
KEEPS_INPUT_WHEN: frozenset[str] = frozenset({"idle", "expired"})


def _input_keep(request: HttpRequest, moment: float) -> bool:
    """Keep a form posted by a session that has just ended (a form marked ``keeps_input``
    about one person, its CSRF token valid) for its user to save after signing in again.
    What was typed is not logged; whether it was kept is."""
    if request.method != "POST":
        return False
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    person_pk = match.kwargs.get("person_pk")
    if not keeps_input_of(match.func) or not isinstance(person_pk, int):
        return False
    # a form another site made this browser send is not kept: the same check as Django's
    if CsrfViewMiddleware(_no_response).process_view(request, match.func, (), {}) is not None:
        return False
    if not Person.objects.filter(pk=person_pk, superseded_at__isnull=True).exists():
        return False
    try:
        form_input_keep(
            user_id=int(request.session[SESSION_KEY]),
            person_id=person_pk,
            path=request.path,
            kind=InputKind.SIGNED_OUT,
            fields=dict(request.POST.lists()),
            at=dt.datetime.fromtimestamp(moment, tz=dt.UTC),
        )
    except KinwiseError:
        return False
    logger.info("form input kept after the session ended: user pk=%s", request.session[SESSION_KEY])
    return True


def _no_response(request: HttpRequest) -> HttpResponse:
    return HttpResponse(status=204)


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
