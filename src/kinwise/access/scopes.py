"""Which services and people a member of staff may see, as queries: the rule of
:mod:`kinwise.access.roles` written once, for lists (``services_visible_to``,
``people_visible_to``) and for a page about one person (``with_viewer_access``).

A member of staff sees the services they are a member of; in an organisation-wide role
(registered manager, quality lead) every service of that service's organisation.
Anonymous and inactive users see nothing.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import connection
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL

from kinwise.access.roles import ORGANISATION_WIDE_ROLES, Purpose, roles_for
from kinwise.core.models import Service, StaffMembership, StaffRole
from kinwise.records.models import Person


def _granting_roles(purpose: Purpose) -> frozenset[str] | None:
    """The roles a membership must hold for ``purpose``; None when every role does (so
    the queries need no test of the role)."""
    roles = roles_for(purpose)
    return None if roles >= set(StaffRole.values) else roles


def services_visible_to(
    user: AbstractBaseUser | AnonymousUser, *, purpose: Purpose = "read"
) -> QuerySet[Service]:
    """The services whose people ``user`` may read (or change, for ``purpose="change"``);
    none for anonymous or inactive users. A lazy query."""
    if not user.is_authenticated or not user.is_active:
        return Service.objects.none()
    memberships = StaffMembership.objects.filter(user_id=user.pk)
    granting = _granting_roles(purpose)
    if granting is not None:
        memberships = memberships.filter(role__in=granting)
    organisation_wide = memberships.filter(role__in=ORGANISATION_WIDE_ROLES).values(
        "service__organisation_id"
    )
    own = memberships.values("service_id")
    return Service.objects.filter(organisation_id__in=organisation_wide) | Service.objects.filter(
        id__in=own
    )


def with_viewer_access(
    people: QuerySet[Person],
    user: AbstractBaseUser | AnonymousUser,
    *,
    purpose: Purpose = "read",
) -> QuerySet[Person]:
    """``people`` annotated with ``viewer_may_see``: whether ``user`` may read (or change)
    each one, by the rule of :func:`services_visible_to` (a member of the person's service,
    or of any service of its organisation in an organisation-wide role), in the same query.

    For a page about one person, where the check and the person are one query; written
    as SQL because the ORM spends longer building the correlated subqueries than the
    database spends running them (docs/adr/0004). Anonymous and inactive users see nobody."""
    granting = _granting_roles(purpose)
    if not user.is_authenticated or not user.is_active or granting == frozenset():
        return people.annotate(viewer_may_see=RawSQL("0 = 1", (), output_field=BooleanField()))
    quote = connection.ops.quote_name
    person = quote(Person._meta.db_table)
    members = quote(StaffMembership._meta.db_table)
    services = quote(Service._meta.db_table)
    wide = sorted(ORGANISATION_WIDE_ROLES)
    granted = sorted(granting) if granting is not None else []
    role_test = f" AND m.role IN ({', '.join(['%s'] * len(granted))})" if granted else ""
    sql = (
        f"EXISTS (SELECT 1 FROM {members} m INNER JOIN {services} ms ON ms.id = m.service_id"
        f" WHERE m.user_id = %s{role_test} AND (m.service_id = {person}.service_id"
        f" OR (m.role IN ({', '.join(['%s'] * len(wide))}) AND ms.organisation_id ="
        f" (SELECT ps.organisation_id FROM {services} ps WHERE ps.id = {person}.service_id))))"
    )
    return people.annotate(
        viewer_may_see=RawSQL(  # noqa: S611
            sql, (user.pk, *granted, *wide), output_field=BooleanField()
        )
    )


def people_visible_to(
    user: AbstractBaseUser | AnonymousUser, *, purpose: Purpose = "read"
) -> QuerySet[Person]:
    """The current people of every service ``user`` may read (or change): a lazy, scoped
    query."""
    return Person.objects.filter(
        service__in=services_visible_to(user, purpose=purpose), superseded_at__isnull=True
    )


def viewer_role_field(role: str) -> str:
    """The name of the annotation of :func:`with_viewer_roles` for ``role``."""
    return f"viewer_holds_{role}"


def with_viewer_roles(
    people: QuerySet[Person], user: AbstractBaseUser | AnonymousUser
) -> QuerySet[Person]:
    """``people`` annotated with whether ``user`` holds each staff role towards each one
    (``viewer_holds_<role>``): the role in the person's service, or, for an
    organisation-wide role, in any service of its organisation. In the same query, as
    :func:`with_viewer_access`, so a page learns what its viewer may do at no cost; for
    anonymous and inactive users every role is false."""
    if not user.is_authenticated or not user.is_active:
        return people.annotate(
            **{
                viewer_role_field(role): RawSQL("0 = 1", (), output_field=BooleanField())
                for role in StaffRole.values
            }
        )
    quote = connection.ops.quote_name
    person = quote(Person._meta.db_table)
    members = quote(StaffMembership._meta.db_table)
    services = quote(Service._meta.db_table)
    annotations = {}
    for role in StaffRole.values:
        wide = (
            f" OR ms.organisation_id = (SELECT ps.organisation_id FROM {services} ps"
            f" WHERE ps.id = {person}.service_id)"
            if role in ORGANISATION_WIDE_ROLES
            else ""
        )
        sql = (
            f"EXISTS (SELECT 1 FROM {members} m INNER JOIN {services} ms ON ms.id = m.service_id"
            f" WHERE m.user_id = %s AND m.role = %s AND (m.service_id = {person}.service_id{wide}))"
        )
        annotations[viewer_role_field(role)] = RawSQL(  # noqa: S611
            sql, (user.pk, role), output_field=BooleanField()
        )
    return people.annotate(**annotations)
