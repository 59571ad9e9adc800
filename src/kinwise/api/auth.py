"""Bearer tokens: ``Authorization: Bearer kw_...`` names a live token (kinwise.core.tokens);
the call then acts as the token's login, within the token's scope
(:class:`kinwise.access.tokens.TokenScope`), and each token may make at most
``KINWISE_API_RATE`` calls a minute (429 with ``Retry-After`` beyond)."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest
from ninja.security import HttpBearer

from kinwise.access.tokens import TokenScope
from kinwise.core.models import ApiToken
from kinwise.core.tokens import token_for_secret

WINDOW_SECONDS = 60


class RateLimited(Exception):
    """A token past its calls of the minute."""

    def __init__(self, retry_after: int) -> None:
        super().__init__("rate limited")
        self.retry_after = retry_after


@dataclass(frozen=True)
class Caller:
    token: ApiToken
    scope: TokenScope


def _rate_check(token_digest: str) -> None:
    """Count the call in the token's window of the minute (the default cache: give a
    shared one, e.g. Redis, when several processes serve the API). The window is keyed by
    the token's digest (a hash of its secret, unique for ever), not its row id, which a
    database may hand out again after a rolled-back insert."""
    limit: int = settings.KINWISE_API_RATE
    now = time.time()
    window = int(now // WINDOW_SECONDS)
    key = f"kinwise-api-rate:{token_digest[:32]}:{window}"
    cache = caches["default"]
    cache.add(key, 0, timeout=WINDOW_SECONDS * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between the two
        cache.set(key, 1, timeout=WINDOW_SECONDS * 2)
        count = 1
    if count > limit:
        retry = max(1, int((window + 1) * WINDOW_SECONDS - now) + 1)
        raise RateLimited(retry)


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Caller | None:
        found = token_for_secret(token)
        if found is None:
            return None  # 401, logged as a refusal: kinwise.access.tokens.refuse_without_token
        _rate_check(found.digest)
        service_ids = frozenset(s.pk for s in found.services.all())
        scope = TokenScope(
            token_pk=found.pk,
            organisation_id=found.organisation_id,
            service_ids=service_ids or None,
            read_only=found.read_only,
        )
        request.user = found.user  # the session's login, if any, is not the caller
        return Caller(token=found, scope=scope)


def caller_of(request: HttpRequest) -> Caller:
    caller = request.auth  # type: ignore[attr-defined]
    assert isinstance(caller, Caller)
    return caller
