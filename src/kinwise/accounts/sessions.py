"""What a signed-in session carries, and when it ends.

At sign-in (any :func:`django.contrib.auth.login`) the session is stamped with when it
began, when it was last used, the account's auth epoch, whether the second factor is
still owed, and when the password was last entered. Each request then ends it if it was
idle longer than KINWISE_SESSION_IDLE_MINUTES, is older than KINWISE_SESSION_MAX_HOURS,
or the account's auth epoch moved on (deactivated, roles changed).

Times are seconds since the epoch (``time.time()``), so a frozen clock in tests moves them.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import HttpRequest

from kinwise.core.models import AccountState

STARTED = "kinwise_started"
SEEN = "kinwise_seen"
EPOCH = "kinwise_epoch"
SECOND_FACTOR = "kinwise_second_factor"  # "verify", "enrol" or absent when nothing is owed
REAUTH_AT = "kinwise_reauth_at"
ENDED = "kinwise_ended"  # why the last session ended, for the sign-in page (new session)
KEPT = "kinwise_kept"  # a form sent as it ended was kept (kinwise.drafts), for that page

# Last use is written at most once a minute: a page does not rewrite its session on
# every request. The warning counts from what is written, so it is never late.
SEEN_RESOLUTION_SECONDS = 60
WARNING_SECONDS = 120


def now() -> float:
    return time.time()


def idle_seconds() -> int:
    return int(settings.KINWISE_SESSION_IDLE_MINUTES) * 60


def max_seconds() -> int:
    return int(settings.KINWISE_SESSION_MAX_HOURS) * 3600


def auth_epoch_of(user_id: Any) -> int:
    epoch = AccountState.objects.filter(user_id=user_id).values_list("auth_epoch", flat=True)
    return int(epoch.first() or 0)


def session_begin_on_login(
    sender: Any, request: HttpRequest, user: AbstractBaseUser, **_: Any
) -> None:
    """Receiver of ``user_logged_in``: stamp the new session (see :func:`session_begin`)."""
    session_begin(request=request, user=user)


def session_begin(*, request: HttpRequest, user: AbstractBaseUser | AnonymousUser) -> None:
    """Stamp a session just signed in (its id already rotated by Django's login)."""
    from kinwise.accounts.mfa import confirmed_device, second_factor_required

    moment = now()
    session = request.session
    session[STARTED] = moment
    session[SEEN] = moment
    session[REAUTH_AT] = moment
    session[EPOCH] = auth_epoch_of(user.pk)
    if confirmed_device(user) is not None:
        session[SECOND_FACTOR] = "verify"
    elif second_factor_required(user):
        session[SECOND_FACTOR] = "enrol"
    else:
        session.pop(SECOND_FACTOR, None)


def why_ended(*, session: Any, user: Any, moment: float) -> str | None:
    """Why a signed-in session must end now ("idle", "expired", "changed"), or None."""
    started = session.get(STARTED)
    seen = session.get(SEEN)
    if not isinstance(started, int | float) or not isinstance(seen, int | float):
        return "changed"  # not stamped at sign-in: not a session Kinwise made
    if moment - seen > idle_seconds():
        return "idle"
    if moment - started > max_seconds():
        return "expired"
    if not user.is_authenticated:
        return "changed"  # deactivated, or the password changed
    if getattr(user, "kinwise_auth_epoch", 0) != session.get(EPOCH, 0):
        return "changed"
    return None


def touch(*, session: Any, moment: float, force: bool = False) -> None:
    """Record the session as used now (at most once a minute unless ``force``)."""
    if force or moment - float(session.get(SEEN, 0)) >= SEEN_RESOLUTION_SECONDS:
        session[SEEN] = moment


def seconds_left(*, session: Any, moment: float) -> int:
    """Seconds until the session ends if nothing more is done (idle or absolute limit)."""
    idle_left = float(session.get(SEEN, moment)) + idle_seconds() - moment
    absolute_left = float(session.get(STARTED, moment)) + max_seconds() - moment
    return max(0, int(min(idle_left, absolute_left)))


def reauthenticated(*, session: Any) -> None:
    """The password or a code was just entered again (for step-up)."""
    session[REAUTH_AT] = now()


def reauthenticated_recently(*, session: Any) -> bool:
    """Whether the password or a code was entered within KINWISE_STEP_UP_MINUTES."""
    at = session.get(REAUTH_AT)
    if not isinstance(at, int | float):
        return False
    return now() - at <= int(settings.KINWISE_STEP_UP_MINUTES) * 60
