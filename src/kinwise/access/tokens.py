"""The access decisions of the API (docs/api.md): the same decisions as every page
(:mod:`kinwise.access.decisions`), asked as the token's login, within the token's scope.

A token is scoped to one organisation, to some of its services (or all of them) and to
reading, or reading and changing. Something outside its scope answers as something the
login may not see (404, logged: the caller is not told it exists); a change asked with a
read-only token answers 403 (logged). Every answer leaves an entry in the access log,
allowed or refused, as the pages' answers do.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from kinwise.access.decisions import (
    _log_person,
    _log_service,
    may_do,
    person_for_action,
    person_for_viewer,
    refuse_action,
    service_for_role,
    service_for_viewer,
)
from kinwise.access.roles import ORGANISATION_WIDE_ROLES, Action, Purpose
from kinwise.access.scopes import services_visible_to
from kinwise.accesslog.log import append
from kinwise.accesslog.models import NO_ORGANISATION
from kinwise.core.models import Service
from kinwise.records.models import Person

logger = logging.getLogger("kinwise.access")


@dataclass(frozen=True)
class TokenScope:
    """What a token covers: its organisation, its services (None: every service of the
    organisation) and whether it may only read."""

    token_pk: int
    organisation_id: int
    service_ids: frozenset[int] | None
    read_only: bool

    def covers(self, *, organisation_id: int | None, service_id: int | None) -> bool:
        if organisation_id != self.organisation_id:
            return False
        return self.service_ids is None or service_id in self.service_ids


class TokenReadOnly(PermissionDenied):
    """A change asked with a token that may only read: 403."""

    def __init__(self) -> None:
        super().__init__(
            "This token can only read. Ask a registered manager for one that can change records."
        )


def _refuse_read_only(
    *, user: AbstractBaseUser, scope: TokenScope, person_pk: int | None, service_pk: int | None
) -> TokenReadOnly:
    where = f"person pk={person_pk}" if person_pk is not None else f"service pk={service_pk}"
    logger.warning(
        "action refused: user pk=%s asked to change %s with read-only token pk=%s",
        user.pk,
        where,
        scope.token_pk,
    )
    return TokenReadOnly()


def person_for_token(
    *,
    user: AbstractBaseUser,
    scope: TokenScope,
    person_pk: int,
    purpose: Purpose = "read",
    action: Action | None = None,
) -> Person:
    """The current person ``person_pk`` if the token's login may read them (or do
    ``action`` about them) and the person's service is in the token's scope. Outside the
    scope: Http404; a change with a read-only token, or an action the login's role does
    not allow: 403. Every answer logged in the access log."""
    found = (
        Person.objects.filter(pk=person_pk)
        .values_list("service_id", "service__organisation_id")
        .first()
    )
    service_id, organisation_id = found if found is not None else (None, None)
    if not scope.covers(organisation_id=organisation_id, service_id=service_id):
        logger.warning(
            "person refused: user pk=%s asked for person pk=%s outside token pk=%s",
            user.pk,
            person_pk,
            scope.token_pk,
        )
        _log_person(user=user, person_pk=person_pk, person=None, purpose=purpose, allowed=False)
        raise Http404("No such person")
    if purpose == "change" and scope.read_only:
        _log_person(user=user, person_pk=person_pk, person=None, purpose=purpose, allowed=False)
        raise _refuse_read_only(user=user, scope=scope, person_pk=person_pk, service_pk=None)
    if action is None:
        return person_for_viewer(user=user, person_pk=person_pk, purpose=purpose)
    try:
        return person_for_action(user=user, person_pk=person_pk, action=action)
    except PermissionDenied:
        # the page's answer logs the read it allowed; the refused change is logged too
        _log_person(user=user, person_pk=person_pk, person=None, purpose="change", allowed=False)
        raise


def service_for_token(
    *,
    user: AbstractBaseUser,
    scope: TokenScope,
    service_pk: int,
    roles: frozenset[str] | None = None,
    action: Action | None = None,
) -> Service:
    """The service ``service_pk`` if the token's login may see it (and holds one of
    ``roles`` for it, or may do ``action`` in it) and it is in the token's scope;
    otherwise Http404 (or 403 for an action the login's role does not allow), logged."""
    found = Service.objects.filter(pk=service_pk).values_list("organisation_id", flat=True).first()
    if not scope.covers(organisation_id=found, service_id=service_pk):
        logger.warning(
            "service refused: user pk=%s asked for service pk=%s outside token pk=%s",
            user.pk,
            service_pk,
            scope.token_pk,
        )
        _log_service(user=user, service_pk=service_pk, service=None, purpose="read", allowed=False)
        raise Http404("No such service")
    if roles is not None:
        return service_for_role(user=user, service_pk=service_pk, roles=roles)
    service = service_for_viewer(user=user, service_pk=service_pk)
    if action is not None and not may_do(user=user, service=service, action=action):
        _log_service(
            user=user, service_pk=service_pk, service=service, purpose="read", allowed=False
        )
        raise refuse_action(user=user, action=action, service_pk=service_pk)
    return service


def services_for_token(*, user: AbstractBaseUser, scope: TokenScope) -> list[Service]:
    """The services the token's login may see, within the token's scope, in the order of
    their pks; one access-log entry about the organisation (the list names no person)."""
    services = services_visible_to(user).filter(organisation_id=scope.organisation_id)
    if scope.service_ids is not None:
        services = services.filter(pk__in=scope.service_ids)
    found = list(services.order_by("pk"))
    append(
        chain=scope.organisation_id,
        user_pk=user.pk,
        subject="organisation",
        person_pk=None,
        service_pk=None,
        purpose="read",
        allowed=True,
        wide_roles=ORGANISATION_WIDE_ROLES,
    )
    return found


def refuse_without_token(
    *, person_pk: int | None, service_pk: int | None, purpose: Purpose
) -> None:
    """A call with no live token (none sent, or a secret that names no live token: 401).

    Logged as every refusal is (docs/access.md, "Refusals"): a ``kinwise.access`` line and
    an access-log entry with no user (the API takes no session), the client's address and
    the operation as the page, in the chain of what the address names (the person's or
    the service's organisation; none otherwise, as a refused id that names nobody). Never
    the secret sent, nor a hash of it."""
    if person_pk is not None:
        found = (
            Person.objects.filter(pk=person_pk)
            .values_list("service_id", "service__organisation_id")
            .first()
        )
        service_pk, chain = found if found is not None else (None, NO_ORGANISATION)
        subject = "person"
        logger.warning("api refused: no live token for a call about person pk=%s", person_pk)
    elif service_pk is not None:
        organisation = (
            Service.objects.filter(pk=service_pk).values_list("organisation_id", flat=True).first()
        )
        chain = organisation or NO_ORGANISATION
        subject = "service"
        logger.warning("api refused: no live token for a call about service pk=%s", service_pk)
    else:
        chain, subject = NO_ORGANISATION, "organisation"
        logger.warning("api refused: no live token for the call")
    append(
        chain=chain,
        user_pk=None,
        subject=subject,
        person_pk=person_pk,
        service_pk=service_pk,
        purpose=purpose,
        allowed=False,
        wide_roles=ORGANISATION_WIDE_ROLES,
    )
