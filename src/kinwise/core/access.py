"""Who may see which services. Every page and selector for people starts here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from kinwise.core.models import Service, StaffMembership, StaffRole

if TYPE_CHECKING:
    from kinwise.records.models import Person

# Roles that oversee every service of their organisation; the others see only the
# services they are members of.
ORGANISATION_WIDE_ROLES: frozenset[str] = frozenset(
    {StaffRole.REGISTERED_MANAGER, StaffRole.QUALITY_LEAD}
)


def services_visible_to(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Service]:
    """The services whose people ``user`` may see (none for anonymous or inactive users)."""
    if not user.is_authenticated or not user.is_active:
        return Service.objects.none()
    memberships = StaffMembership.objects.filter(user_id=user.pk)
    organisation_wide = memberships.filter(role__in=ORGANISATION_WIDE_ROLES).values(
        "service__organisation_id"
    )
    own = memberships.values("service_id")
    return Service.objects.filter(organisation_id__in=organisation_wide) | Service.objects.filter(
        id__in=own
    )


@dataclass(frozen=True, slots=True)
class Scope:
    """What a member of staff may see: whole organisations (by pk) and single services."""

    organisations: frozenset[int]
    services: frozenset[int]

    def allows(self, *, service_pk: int, organisation_pk: int) -> bool:
        return organisation_pk in self.organisations or service_pk in self.services


NO_SCOPE = Scope(organisations=frozenset(), services=frozenset())


def scope_of(user: AbstractBaseUser | AnonymousUser) -> Scope:
    """The same scope as :func:`services_visible_to`, read in one small query, for a check
    of one record already loaded."""
    if not user.is_authenticated or not user.is_active:
        return NO_SCOPE
    rows = StaffMembership.objects.filter(user_id=user.pk).values_list(
        "role", "service_id", "service__organisation_id"
    )
    organisations, services = set(), set()
    for role, service_pk, organisation_pk in rows:
        services.add(service_pk)
        if role in ORGANISATION_WIDE_ROLES:
            organisations.add(organisation_pk)
    return Scope(organisations=frozenset(organisations), services=frozenset(services))


def people_visible_to(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Person]:
    """The current people of every service ``user`` may see (a lazy, scoped query)."""
    from kinwise.records.models import Person

    return Person.objects.filter(service__in=services_visible_to(user), superseded_at__isnull=True)
