"""Reads for the staff pages, always scoped by what the viewer may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q

from kinwise.access import services_visible_to
from kinwise.audits.overview import PersonOverview, people_overview, supported_on

__all__ = ["PersonOverview", "people_overview", "supported_on"]
from kinwise.core.models import Service
from kinwise.records.models import Person


@dataclass(frozen=True)
class PersonRow:
    pk: int
    external_id: str
    name: str
    service_name: str


def people_visible_to(
    user: AbstractBaseUser | AnonymousUser, *, as_of: dt.date | None = None
) -> list[PersonRow]:
    """The current people of every service the user may see, by service then name (one
    query); with ``as_of``, only those still supported that day."""
    people = Person.objects.filter(
        service__in=services_visible_to(user), superseded_at__isnull=True
    )
    if as_of is not None:
        people = people.filter(supported_on(as_of))
    people = people.select_related("service").order_by("service__name", "name", "external_id")
    return [
        PersonRow(pk=p.pk, external_id=p.external_id, name=p.name, service_name=p.service.name)
        for p in people
    ]


@dataclass(frozen=True)
class ServiceRow:
    pk: int
    name: str
    organisation: str
    people: int


def services_for_viewer(
    user: AbstractBaseUser | AnonymousUser, *, as_of: dt.date | None = None
) -> list[ServiceRow]:
    """The services the user may see, with how many people each supports (on ``as_of``
    when given: people whose support ended by then are not counted) (one query)."""
    from django.db.models import Count

    supported = Q(people__superseded_at__isnull=True)
    if as_of is not None:
        supported &= Q(people__support_ended__isnull=True) | Q(people__support_ended__gt=as_of)
    services = (
        services_visible_to(user)
        .select_related("organisation")
        .annotate(people_count=Count("people", filter=supported))
        .order_by("organisation__name", "name")
    )
    return [
        ServiceRow(pk=s.pk, name=s.name, organisation=s.organisation.name, people=s.people_count)
        for s in services
    ]


def people_of_service(*, service: Service) -> list[Person]:
    """Every current person of the service, supported or not, by name (one query)."""
    return list(
        Person.objects.filter(service_id=service.pk, superseded_at__isnull=True).order_by(
            "name", "pk"
        )
    )


@dataclass(frozen=True)
class EndedRow:
    pk: int
    name: str
    ended: dt.date
    reason: str


def people_ended(*, service: Service, as_of: dt.date) -> list[EndedRow]:
    """The people of the service whose support had ended by ``as_of``, most recent end
    first (one query)."""
    from kinwise.records.models.people import SUPPORT_END_REASONS

    reasons = dict(SUPPORT_END_REASONS)
    people = Person.objects.filter(
        service_id=service.pk, superseded_at__isnull=True, support_ended__lte=as_of
    ).order_by("-support_ended", "name", "pk")
    return [
        EndedRow(
            pk=p.pk,
            name=p.name,
            ended=p.support_ended,
            reason=reasons.get(p.support_end_reason, "Not recorded"),
        )
        for p in people
        if p.support_ended is not None
    ]
