"""Where each page's access decisions are asked from, for the access log: the client's
address and the page's name (its URL name, and the record's database id when the
address names one). Ids and names only, never the query string or anything typed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponseBase

from kinwise.accesslog.log import access_context, set_page


class AccessContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        with access_context(client=client_address(request), page=""):
            return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view: Callable[..., Any],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> None:
        match = request.resolver_match
        record = kwargs.get("record_id")
        set_page(
            page=match.view_name if match is not None else "",
            record_pk=record if isinstance(record, int) else None,
        )


def client_address(request: HttpRequest) -> str:
    """The address the request came from (the proxy's, behind one that does not pass it
    on as REMOTE_ADDR)."""
    return str(request.META.get("REMOTE_ADDR") or "")
