"""Reads of the organisation's API tokens, for the managers' page (never a secret)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from kinwise.access import services_visible_to
from kinwise.core.models import ApiToken, Organisation


@dataclass(frozen=True)
class TokenRow:
    pk: int
    label: str
    holder: str
    kind: str
    access: str
    services: str
    created: dt.date
    revoked: dt.date | None


def _name(user: object) -> str:
    full = f"{getattr(user, 'first_name', '')} {getattr(user, 'last_name', '')}".strip()
    return full or str(getattr(user, "username", ""))


def tokens_of(*, organisation: Organisation) -> list[TokenRow]:
    """The organisation's tokens, live ones first, newest first (two queries)."""
    tokens = (
        ApiToken.objects.filter(organisation=organisation)
        .select_related("user")
        .prefetch_related("services")
        .order_by("revoked_at", "-created_at", "-pk")
    )
    return [
        TokenRow(
            pk=t.pk,
            label=t.label or "No name",
            holder=_name(t.user),
            kind=t.get_kind_display(),
            access="Read only" if t.read_only else "Read and change",
            services=", ".join(sorted(s.name for s in t.services.all())) or "Every service",
            created=t.created_at.date(),
            revoked=t.revoked_at.date() if t.revoked_at is not None else None,
        )
        for t in tokens
    ]


def token_seen_by(*, user: AbstractBaseUser | AnonymousUser, token_pk: int) -> bool:
    """Whether ``user`` may know the token exists: they may see a service it covers (for
    a token of every service, a service of its organisation). One query."""
    token = ApiToken.objects.filter(pk=token_pk).values_list("organisation_id", flat=True).first()
    if token is None:
        return False
    covered = ApiToken.services.through.objects.filter(apitoken_id=token_pk).values("service_id")
    visible = services_visible_to(user).filter(organisation_id=token)
    return visible.filter(pk__in=covered).exists() or (not covered.exists() and visible.exists())
