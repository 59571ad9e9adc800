"""Who may open the set-up and administration pages: registered managers, for their own
organisation. Other members of staff who may see what a page is about get 403 with the
role it needs; anyone else gets "not found", as for any page that is not theirs. Every
refusal is logged by database ids only.

Every check of the administration pages is in this module and is made by the access
functions of :mod:`kinwise.access`.
"""

from __future__ import annotations

import logging

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import Http404

from kinwise.access import (
    Action,
    has_any_role,
    has_role_for,
    person_for_viewer,
    refuse_action,
    service_for_viewer,
    services_visible_to,
)
from kinwise.core.models import Organisation, Service, StaffRole
from kinwise.records.models import Person

logger = logging.getLogger("kinwise.access")

ADMIN_ROLES: frozenset[str] = frozenset({StaffRole.REGISTERED_MANAGER})


def administered_organisation(
    user: AbstractBaseUser | AnonymousUser, *, log: bool = True
) -> Organisation | None:
    """The organisation ``user`` administers (a registered manager in one of its
    services), or None."""
    if not isinstance(user, AbstractBaseUser):
        return None
    service = (
        services_visible_to(user)
        .filter(memberships__user_id=user.pk, memberships__role__in=ADMIN_ROLES)
        .select_related("organisation")
        .order_by("organisation__name", "pk")
        .first()
    )
    if service is None or not has_role_for(user=user, service=service, roles=ADMIN_ROLES):
        if log:
            logger.warning("administration refused: user pk=%s", user.pk)
        return None
    return service.organisation


def organisation_for_admin(
    user: AbstractBaseUser | AnonymousUser, *, action: Action = "administer"
) -> Organisation:
    """The organisation ``user`` administers; otherwise 403 with the role needed for
    ``action`` for a member of staff, Http404 for anyone else (logged)."""
    organisation = administered_organisation(user)
    if organisation is None:
        if has_any_role(user=user):
            raise refuse_action(user=user, action=action)
        raise Http404("No such page")
    return organisation


def service_for_admin(user: AbstractBaseUser | AnonymousUser, service_pk: int) -> Service:
    """A service of the organisation ``user`` administers; otherwise Http404 for a
    service they may not see, 403 for one they may (logged)."""
    service = service_for_viewer(user=user, service_pk=service_pk)
    organisation = organisation_for_admin(user)
    if service.organisation_id != organisation.pk:
        logger.warning("administration refused: user pk=%s service pk=%s", user.pk, service_pk)
        raise Http404("No such service")
    return service


def person_for_admin(user: AbstractBaseUser | AnonymousUser, person_pk: int) -> Person:
    """A person of the organisation ``user`` administers; otherwise Http404 for a person
    they may not see, 403 for one they may (logged)."""
    person = person_for_viewer(user=user, person_pk=person_pk)
    organisation = organisation_for_admin(user)
    if person.service.organisation_id != organisation.pk:
        logger.warning("administration refused: user pk=%s person pk=%s", user.pk, person_pk)
        raise Http404("No such person")
    return person


def may_administer_service(user: AbstractBaseUser, service: Service) -> bool:
    """Whether to offer the administration of ``service``'s organisation to ``user``, who
    may see the service (one query, nothing logged)."""
    return has_role_for(user=user, service=service, roles=ADMIN_ROLES)


def may_administer(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Whether to offer the administration pages to ``user`` (nothing logged)."""
    return administered_organisation(user, log=False) is not None


def staff_for_admin(
    user: AbstractBaseUser | AnonymousUser, staff_pk: int
) -> tuple[Organisation, AbstractBaseUser]:
    """A member of staff (a login with a role in a service) of the organisation ``user``
    administers, with that organisation; otherwise Http404 for a member of staff of no
    service ``user`` may see, 403 for others (logged)."""
    from django.contrib.auth import get_user_model

    seen = (
        get_user_model()
        .objects.filter(pk=staff_pk, memberships__service__in=services_visible_to(user))
        .exists()
    )
    if not seen:
        logger.warning("administration refused: user pk=%s staff pk=%s", user.pk, staff_pk)
        raise Http404("No such member of staff")
    organisation = organisation_for_admin(user, action="grant_staff_roles")
    member = (
        get_user_model()
        .objects.filter(pk=staff_pk, memberships__service__organisation=organisation)
        .first()
    )
    if member is None:
        logger.warning("administration refused: user pk=%s staff pk=%s", user.pk, staff_pk)
        raise Http404("No such member of staff")
    return organisation, member
