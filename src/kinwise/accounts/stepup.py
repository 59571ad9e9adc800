"""Step-up: a sensitive action (exporting a person's data, granting staff roles) asks for
the password or a code entered within the last KINWISE_STEP_UP_MINUTES (default 5).

    @login_required
    @step_up_required
    def export(request, ...): ...

A view that is not fresh redirects to the confirm page, which comes back to it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from kinwise.accounts.sessions import reauthenticated_recently

View = Callable[..., HttpResponseBase]


def step_up_required(view: View) -> View:
    """Run ``view`` only if the password or a code was entered again recently."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and not recently_confirmed(request):
            target = f"{reverse('accounts:confirm')}?{urlencode({'next': request.get_full_path()})}"
            return redirect(target)
        return view(request, *args, **kwargs)

    return wrapped


def recently_confirmed(request: HttpRequest) -> bool:
    """Whether this session entered the password or a code within the step-up window."""
    return reauthenticated_recently(session=request.session)
