"""Reads for the administration pages: the organisation's services and staff, and the
history of a member of staff. Each in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Q

from kinwise.core.models import Organisation, Service, StaffMembership, StaffRole
from kinwise.governance.models import GovernanceChange

ROLE_LABELS: dict[str, str] = dict(StaffRole.choices)

ACTION_LABELS: dict[str, str] = {
    "created": "Login created",
    "invited": "Invited",
    "role added": "Role added",
    "role changed": "Role changed",
    "role removed": "Role removed",
    "deactivated": "Deactivated",
    "reactivated": "Reactivated",
}


@dataclass(frozen=True)
class ServiceAdminRow:
    pk: int
    name: str
    people: int
    staff: int


def services_of(*, organisation: Organisation) -> list[ServiceAdminRow]:
    """The organisation's services by name, with how many current people and staff each
    has (one query)."""
    services = (
        Service.objects.filter(organisation=organisation)
        .annotate(
            people_count=Count(
                "people", filter=Q(people__superseded_at__isnull=True), distinct=True
            ),
            staff_count=Count("memberships", distinct=True),
        )
        .order_by("name", "pk")
    )
    return [
        ServiceAdminRow(pk=s.pk, name=s.name, people=s.people_count, staff=s.staff_count)
        for s in services
    ]


@dataclass(frozen=True)
class RoleRow:
    service_pk: int
    service_name: str
    role: str
    role_label: str


@dataclass(frozen=True)
class StaffRow:
    pk: int
    name: str
    username: str
    email: str
    active: bool
    invited: bool
    roles: tuple[RoleRow, ...]


def _name(user: AbstractBaseUser) -> str:
    full = getattr(user, "get_full_name", lambda: "")()
    return str(full or user.get_username())


def _rows(users: Sequence[AbstractBaseUser], organisation: Organisation) -> list[StaffRow]:
    memberships: dict[int, list[RoleRow]] = {}
    for m in (
        StaffMembership.objects.filter(
            user_id__in=[u.pk for u in users], service__organisation=organisation
        )
        .select_related("service")
        .order_by("service__name", "service_id")
    ):
        memberships.setdefault(m.user_id, []).append(
            RoleRow(m.service_id, m.service.name, m.role, ROLE_LABELS.get(m.role, m.role))
        )
    return [
        StaffRow(
            pk=u.pk,
            name=_name(u),
            username=u.get_username(),
            email=str(getattr(u, "email", "")),
            active=u.is_active,
            invited=not u.has_usable_password(),
            roles=tuple(memberships.get(u.pk, [])),
        )
        for u in users
    ]


def staff_of(*, organisation: Organisation) -> list[StaffRow]:
    """Every login with a role in a service of the organisation, active ones first, by
    name (two queries)."""
    users = list(
        get_user_model()
        .objects.filter(memberships__service__organisation=organisation)
        .distinct()
        .order_by("-is_active", "first_name", "last_name", "username")
    )
    return _rows(users, organisation)


def staff_row(*, organisation: Organisation, user: AbstractBaseUser) -> StaffRow:
    return _rows([user], organisation)[0]


@dataclass(frozen=True)
class StaffChange:
    when: dt.datetime
    what: str
    by: str


def staff_history(*, user: AbstractBaseUser) -> list[StaffChange]:
    """What was done to a login and by whom, newest first (one query)."""
    changes = (
        GovernanceChange.objects.filter(entity="staff", entity_pk=user.pk)
        .select_related("actor")
        .order_by("-created_at", "-id")
    )
    return [
        StaffChange(
            when=c.created_at,
            what=ACTION_LABELS.get(c.action, c.action.capitalize()),
            by=_name(c.actor) if c.actor is not None else "Set up from the command line",
        )
        for c in changes
    ]
