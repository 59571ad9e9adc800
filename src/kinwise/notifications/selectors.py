"""Reads for the emails: each member of staff's work items due or overdue, and each
registered manager's services, as counts (an email carries no personal data).

Whose item it is follows the worklist (kinwise.governance.selectors.service_worklist):
an item reassigned to a login, or falling to the service's team leader, is that login's;
an item owned by a staff member of the records is the login of the service whose user
name is that member's id (Kinwise links circle members to logins in no other way yet).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from kinwise.access import MANAGER_ROLES, ORGANISATION_WIDE_ROLES, services_visible_to
from kinwise.core.models import Service, StaffMembership, StaffRole
from kinwise.governance.selectors import ServiceWorklist, service_worklist
from kinwise.notifications.models import EmailPreference
from kinwise.rules.terms import REMINDER_DAYS

DUE_SOON_DAYS = REMINDER_DAYS
"""An open item is *due* in an email when its due date is at most this many days after
today (kinwise.rules.terms)."""
RECENT_DAYS = 7
"""The weekly summary counts items closed in the last this many days (today included)."""


@dataclass(frozen=True)
class WorkCounts:
    """One service's items for one login (or, in a summary, everyone's)."""

    service_pk: int
    overdue: int
    due: int
    closed: int = 0
    worklist: bool = False
    """Whether the login may open the service's worklist (else the link is "my work")."""


def recipients(*, weekly: bool) -> QuerySet[AbstractBaseUser]:
    """Active staff logins with an email address who have not turned the email off: the
    daily one (any member of staff), or the weekly summary (registered managers)."""
    users = get_user_model()._default_manager.filter(is_active=True).exclude(email="")
    if weekly:
        users = users.filter(memberships__role=StaffRole.REGISTERED_MANAGER)
        off = EmailPreference.objects.filter(weekly_summary=False)
    else:
        users = users.filter(memberships__isnull=False)
        off = EmailPreference.objects.filter(daily_work_items=False)
    return users.exclude(pk__in=off.values("user_id")).distinct().order_by("pk")


def _is_due(row_due: dt.date, as_of: dt.date) -> bool:
    return row_due <= as_of + dt.timedelta(days=DUE_SOON_DAYS)


def work_counts_by_user(
    *, as_of: dt.date, users: QuerySet[AbstractBaseUser]
) -> dict[int, list[WorkCounts]]:
    """For each of ``users`` with an item due or overdue at ``as_of``: per service (in
    service order), how many of their items are overdue and how many due. One worklist
    per service the users are members of, or hold items in."""
    wanted = {user.pk: user for user in users}
    memberships = list(
        StaffMembership.objects.filter(user_id__in=list(wanted)).select_related("service")
    )
    by_name: dict[tuple[int, str], int] = {}  # (service pk, user name) -> user pk
    services: dict[int, Service] = {}
    wide: dict[int, set[int]] = defaultdict(set)  # organisation pk -> managing users
    manages: set[tuple[int, int]] = set()
    for membership in memberships:
        by_name[(membership.service_id, wanted[membership.user_id].get_username())] = (
            membership.user_id
        )
        services[membership.service_id] = membership.service
        if membership.role in MANAGER_ROLES:
            manages.add((membership.user_id, membership.service_id))
        if membership.role in ORGANISATION_WIDE_ROLES:
            wide[membership.service.organisation_id].add(membership.user_id)
    # items can be reassigned to an organisation-wide manager in any service they oversee
    for service in Service.objects.filter(organisation_id__in=list(wide)):
        services.setdefault(service.pk, service)
        manages.update((user_pk, service.pk) for user_pk in wide[service.organisation_id])
    counts: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for service_pk in sorted(services):
        worklist = service_worklist(service=services[service_pk], as_of=as_of)
        for row in worklist.rows:
            if row.state == "closed" or (row.state == "open" and not _is_due(row.due, as_of)):
                continue
            owner = _owner(row.owner_key, service_pk, by_name)
            if owner is None or owner not in wanted:
                continue
            counts[owner][service_pk][0 if row.state == "overdue" else 1] += 1
    return {
        user_pk: [
            WorkCounts(pk, overdue, due, worklist=(user_pk, pk) in manages)
            for pk, (overdue, due) in sorted(per_service.items())
        ]
        for user_pk, per_service in counts.items()
    }


def _owner(owner_key: str, service_pk: int, by_name: dict[tuple[int, str], int]) -> int | None:
    kind, _, rest = owner_key.partition(":")
    if kind == "user":
        return int(rest)
    if kind == "member":
        member = rest.partition("|")[0]
        return by_name.get((service_pk, member))
    return None


def service_summary(*, worklist: ServiceWorklist, service_pk: int, as_of: dt.date) -> WorkCounts:
    """Everyone's items of a service: overdue, due, and closed in the last week."""
    since = as_of - dt.timedelta(days=RECENT_DAYS - 1)
    return WorkCounts(
        service_pk=service_pk,
        overdue=sum(1 for r in worklist.rows if r.state == "overdue"),
        due=sum(1 for r in worklist.rows if r.state == "open" and _is_due(r.due, as_of)),
        closed=sum(
            1
            for r in worklist.rows
            if r.state == "closed"
            and r.resolution_date is not None
            and since <= r.resolution_date <= as_of
        ),
        worklist=True,
    )


def summaries_by_user(
    *, as_of: dt.date, users: QuerySet[AbstractBaseUser]
) -> dict[int, list[WorkCounts]]:
    """For each of ``users``: a summary of every service they may see (registered
    managers see every service of their organisation), in service order. One worklist
    per service, however many managers see it."""
    visible = {user.pk: sorted(services_visible_to(user), key=lambda s: s.pk) for user in users}
    summaries: dict[int, WorkCounts] = {}
    for service in sorted({s for shown in visible.values() for s in shown}, key=lambda s: s.pk):
        worklist = service_worklist(service=service, as_of=as_of)
        summaries[service.pk] = service_summary(
            worklist=worklist, service_pk=service.pk, as_of=as_of
        )
    return {
        user_pk: [summaries[s.pk] for s in shown] for user_pk, shown in visible.items() if shown
    }


def email_preference_of(*, user: AbstractBaseUser) -> EmailPreference:
    """The user's preference (not saved: the defaults, when they never changed it)."""
    found = EmailPreference.objects.filter(user_id=user.pk).first()
    return found if found is not None else EmailPreference(user_id=user.pk)


def is_registered_manager(*, user: AbstractBaseUser) -> bool:
    return StaffMembership.objects.filter(
        user_id=user.pk, role=StaffRole.REGISTERED_MANAGER
    ).exists()
