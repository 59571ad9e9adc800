"""API tokens' secrets and their lookup (docs/api.md, ADR 0180).

A secret is ``kw_`` and 43 characters of ``secrets.token_urlsafe(32)`` (256 random bits):
so much entropy that one unsalted SHA-256 is what is kept and looked up; a secret is
never stored, logged or shown again after it is made.
"""

from __future__ import annotations

import hashlib
import secrets

from kinwise.core.models import ApiToken

PREFIX = "kw_"
SECRET_LENGTH = len(PREFIX) + 43


def token_secret_new() -> str:
    """A new secret, to be shown once."""
    return PREFIX + secrets.token_urlsafe(32)


def token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def token_for_secret(secret: str) -> ApiToken | None:
    """The live token of ``secret`` (not revoked, its login active), with its login and
    services: two queries; None for anything else, shaped like a token or not."""
    if not secret.startswith(PREFIX) or len(secret) != SECRET_LENGTH or not secret.isascii():
        return None
    token = (
        ApiToken.objects.select_related("user")
        .prefetch_related("services")
        .filter(digest=token_digest(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    return token
