"""Who may see which services. Every page and selector for people starts here."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import connection
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL

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


def with_viewer_access(
    people: QuerySet[Person], user: AbstractBaseUser | AnonymousUser
) -> QuerySet[Person]:
    """``people`` annotated with ``viewer_may_see``: whether ``user`` may see each one, by
    the rule of :func:`services_visible_to` (a member of the person's service, or of any
    service of its organisation in an organisation-wide role), in the same query.

    For a page about one person, where the check and the person are one query; written
    as SQL because the ORM spends longer building the correlated subqueries than the
    database spends running them. Anonymous and inactive users see nobody."""
    from kinwise.records.models import Person

    if not user.is_authenticated or not user.is_active:
        return people.annotate(viewer_may_see=RawSQL("0 = 1", (), output_field=BooleanField()))
    quote = connection.ops.quote_name
    person = quote(Person._meta.db_table)
    members = quote(StaffMembership._meta.db_table)
    services = quote(Service._meta.db_table)
    roles = sorted(ORGANISATION_WIDE_ROLES)
    sql = (
        f"EXISTS (SELECT 1 FROM {members} m INNER JOIN {services} ms ON ms.id = m.service_id"
        f" WHERE m.user_id = %s AND (m.service_id = {person}.service_id"
        f" OR (m.role IN ({', '.join(['%s'] * len(roles))}) AND ms.organisation_id ="
        f" (SELECT ps.organisation_id FROM {services} ps WHERE ps.id = {person}.service_id))))"
    )
    return people.annotate(
        viewer_may_see=RawSQL(sql, (user.pk, *roles), output_field=BooleanField())  # noqa: S611
    )


def people_visible_to(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Person]:
    """The current people of every service ``user`` may see (a lazy, scoped query)."""
    from kinwise.records.models import Person

    return Person.objects.filter(service__in=services_visible_to(user), superseded_at__isnull=True)
