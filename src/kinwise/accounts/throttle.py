"""The sign-in throttle's edges: how django-axes names a client in its messages (never a
username in clear), where a request comes from, and Kinwise's own log of failures."""

from __future__ import annotations

import hashlib
import hmac
import logging

from django.conf import settings
from django.http import HttpRequest

logger = logging.getLogger("kinwise.accounts.signin")


def username_digest(username: str | None) -> str:
    """A short keyed digest of a username: the same for the same name, so failures can be
    followed in the log, with the name itself not recoverable without the secret key."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), (username or "").encode(), hashlib.sha256
    ).hexdigest()
    return digest[:16]


def client_address(request: HttpRequest) -> str | None:
    """The address a sign-in attempt came from: the last X-Forwarded-For hop when behind
    a proxy (KINWISE_BEHIND_PROXY, the hop that proxy added), else the connection's."""
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    address = request.META.get("REMOTE_ADDR")
    return str(address) if address else None


def client_str(
    username: str | None,
    ip_address: str | None,
    user_agent: str | None,
    path_info: str | None,
    request: HttpRequest | None,
) -> str:
    """How django-axes names a client (AXES_CLIENT_STR_CALLABLE): username as a digest."""
    return f"user {username_digest(username)} from {ip_address or 'unknown'}"


def log_signin_failure(*, request: HttpRequest, username: str | None, step: str) -> None:
    """One line per refused sign-in: which step, the username's digest, the address."""
    logger.warning(
        "sign-in refused at %s: user %s from %s",
        step,
        username_digest(username),
        client_address(request) or "unknown",
    )
