"""Which view of a past day a page gives: the records as recorded then, or with the
corrections made since (docs/rules.md, "The past as recorded").

A page about a past day shows the records as they were recorded at the end of that day
(UK time) unless its address asks for ``?view=corrected``: today's records less anything
dated later, corrections included. Today is the same in both views, so a page about
today offers no switch.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.http import urlencode

VIEW_PARAMETER = "view"
CORRECTED = "corrected"


def as_recorded_from(request: HttpRequest) -> bool:
    """False only when the address asks for the view with the corrections made since."""
    return request.GET.get(VIEW_PARAMETER, "") != CORRECTED


@dataclass(frozen=True)
class PastView:
    """What a page says about its view of a past day, and the address of the other view."""

    day: dt.date
    as_recorded: bool
    other_url: str


def past_view(request: HttpRequest, *, day: dt.date, today: dt.date) -> PastView | None:
    """The view of ``day`` the request asks for and the link to the other one; None when
    ``day`` is today or later (both views are the records as they are now)."""
    if day >= today:
        return None
    as_recorded = as_recorded_from(request)
    params: list[tuple[str, str]] = [
        (name, request.GET.get(name, "")) for name in request.GET if name != VIEW_PARAMETER
    ]
    if as_recorded:
        params.append((VIEW_PARAMETER, CORRECTED))
    query = urlencode(params)
    return PastView(
        day=day,
        as_recorded=as_recorded,
        other_url=f"{request.path}?{query}" if query else request.path,
    )
