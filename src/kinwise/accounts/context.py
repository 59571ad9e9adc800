"""Template context of a signed-in session: when the idle warning is due."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest

from kinwise.accounts import sessions


def session_warning(request: HttpRequest) -> dict[str, Any]:
    """``session_seconds_left`` for a signed-in session (the warning's countdown starts
    from it), and ``session_warning_seconds``: how long before the end it shows."""
    session = getattr(request, "session", None)
    if session is None or SESSION_KEY not in session or sessions.SECOND_FACTOR in session:
        return {}
    return {
        "session_seconds_left": sessions.seconds_left(session=session, moment=sessions.now()),
        "session_warning_seconds": sessions.WARNING_SECONDS,
    }
