"""Writes of API tokens (docs/api.md, ADR 0180): made and revoked by a registered manager
of the organisation on the web, or by the operator on the command line (``actor=None``).

Each write records who made it and when in the governance history (entity "api_token":
the token's scope, never its secret). A token is never deleted: revoking it keeps the
row, who revoked it and when.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from kinwise.access import may_do_across
from kinwise.core.models import ApiToken, ApiTokenKind, Organisation, Service, StaffMembership
from kinwise.core.tokens import token_digest, token_secret_new
from kinwise.errors import ErrorCode, FieldError, KinwiseError
from kinwise.governance.history import change_write

LABEL_MAX = 100


@dataclass(frozen=True)
class NewToken:
    """A token just made, and its secret: shown once, never again."""

    token: ApiToken
    secret: str


def _manager(organisation_id: int, actor: AbstractBaseUser | None) -> None:
    """Tokens are made and revoked only by a registered manager of the organisation (the
    same action as granting staff roles: a token carries a login's roles), or by the
    operator on the command line."""
    if actor is None:
        return
    if not may_do_across(user=actor, organisation_id=organisation_id, action="grant_staff_roles"):
        message = "Only a registered manager can make or revoke API tokens"
        raise KinwiseError(ErrorCode.PERMISSION_DENIED, message, [FieldError("", message)])


def _snapshot(token: ApiToken, service_pks: Collection[int]) -> dict[str, object]:
    return {
        "user": token.user_id,
        "kind": token.kind,
        "read_only": token.read_only,
        "services": sorted(service_pks),
        "revoked": token.revoked_at is not None,
    }


def token_organisation(*, user: AbstractBaseUser) -> Organisation:
    """The one organisation ``user`` holds roles in (a login belongs to one organisation's
    staff directory, ADR 0140)."""
    found = list(Organisation.objects.filter(services__memberships__user_id=user.pk).distinct()[:2])
    if len(found) != 1:
        message = (
            "This login has no role in any service"
            if not found
            else "This login has roles in more than one organisation"
        )
        raise KinwiseError(ErrorCode.INVALID_INPUT, message, [FieldError("user", message)])
    return found[0]


def token_create(
    *,
    user: AbstractBaseUser,
    read_only: bool,
    service_pks: Collection[int],
    actor: AbstractBaseUser | None,
    kind: str = ApiTokenKind.PERSONAL,
    label: str = "",
    at: dt.datetime | None = None,
) -> NewToken:
    """A new token for ``user`` (an active login with a role in the organisation), over
    ``service_pks`` of that organisation (none: all of them), read-only or not."""
    now = at or timezone.now()
    if not user.is_active:
        raise KinwiseError(
            ErrorCode.INVALID_INPUT,
            "the login is deactivated",
            [FieldError("user", "This login is deactivated")],
        )
    organisation = token_organisation(user=user)
    _manager(organisation.pk, actor)
    errors: list[FieldError] = []
    if kind not in ApiTokenKind.values:
        errors.append(FieldError("kind", "Choose a personal or a service token"))
    if len(label.strip()) > LABEL_MAX:
        errors.append(FieldError("label", f"The name must be {LABEL_MAX} characters or fewer"))
    wanted = set(service_pks)
    services = list(Service.objects.filter(organisation=organisation, pk__in=wanted))
    if len(services) != len(wanted):
        errors.append(FieldError("services", "Choose services of this organisation"))
    elif not StaffMembership.objects.filter(user_id=user.pk).exists():
        errors.append(FieldError("user", "This login has no role in any service"))
    if errors:
        raise KinwiseError(ErrorCode.INVALID_INPUT, "the token has errors", errors)
    secret = token_secret_new()
    with transaction.atomic():
        token = ApiToken.objects.create(
            organisation=organisation,
            user_id=user.pk,
            kind=kind,
            label=label.strip(),
            digest=token_digest(secret),
            read_only=read_only,
            created_at=now,
            created_by_id=actor.pk if actor is not None else None,
        )
        token.services.set(services)
        change_write(
            entity="api_token",
            entity_pk=token.pk,
            action="created",
            snapshot=_snapshot(token, wanted),
            actor=actor,
            at=now,
        )
    return NewToken(token=token, secret=secret)


def token_revoke(
    *,
    token_pk: int,
    actor: AbstractBaseUser | None,
    organisation: Organisation | None = None,
    at: dt.datetime | None = None,
) -> ApiToken:
    """Revoke the token ``token_pk`` (of ``organisation``, when given): from now on it is
    refused. Revoking a revoked token changes nothing."""
    now = at or timezone.now()
    with transaction.atomic():
        tokens = ApiToken.objects.select_for_update()
        if organisation is not None:
            tokens = tokens.filter(organisation=organisation)
        token = tokens.filter(pk=token_pk).first()
        if token is None:
            raise KinwiseError(ErrorCode.NOT_FOUND, f"no API token with id {token_pk}")
        _manager(token.organisation_id, actor)
        if token.revoked_at is not None:
            return token
        token.revoked_at = now
        token.revoked_by_id = actor.pk if actor is not None else None
        token.save(update_fields=["revoked_at", "revoked_by"])
        change_write(
            entity="api_token",
            entity_pk=token.pk,
            action="revoked",
            snapshot=_snapshot(token, list(token.services.values_list("pk", flat=True))),
            actor=actor,
            at=now,
        )
    return token


def token_user(*, username: str) -> AbstractBaseUser:
    """The login named ``username`` (for the command line)."""
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise KinwiseError(ErrorCode.NOT_FOUND, "no login with that user name")
    return user
