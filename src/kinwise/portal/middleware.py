"""A family or person account reaches only its own portal: every other page (every staff
page) answers it 404, logged as a refusal (:func:`kinwise.access.portal.staff_page_refused`).
No query: whether the user is a portal account comes with the user
(:class:`kinwise.accounts.backends.StaffBackend`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.urls import reverse

from kinwise.access.portal import is_portal_user, staff_page_refused

# Pages open to a portal account besides its portal: signing in and out, passwords, its
# own sign-in security, and the stylesheet's images.
OPEN_TO_PORTAL: frozenset[str] = frozenset(
    {
        "login",
        "logout",
        "password_reset",
        "password_reset_done",
        "password_reset_confirm",
        "welcome",
        "password_reset_complete",
        "accounts:code",
        "accounts:enrol",
        "accounts:security",
        "accounts:confirm",
        "accounts:stay",
        "web:nhsuk_assets",
    }
)


SITE_ADDRESS = "web:people"
"""The page at the site's address ("/"): for a portal account, a redirect to its portal."""


class PortalOnlyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view: Callable[..., Any],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> HttpResponseBase | None:
        if not is_portal_user(request.user):
            return None
        match = request.resolver_match
        name = match.view_name if match is not None else ""
        if name == SITE_ADDRESS and request.method in ("GET", "HEAD"):
            # the site's own address (a bookmark, a typed address) takes them to their portal
            return HttpResponseRedirect(reverse("portal:home"))
        if name in OPEN_TO_PORTAL or (match is not None and match.namespace == "portal"):
            return None
        if match is not None and match.namespace == "api":
            return None  # the API takes bearer tokens, never a session: it decides for itself
        raise staff_page_refused(user=request.user, page=name)
