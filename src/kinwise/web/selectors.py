"""Reads for the staff pages, always scoped by what the viewer may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q

from kinwise.access import services_visible_to
from kinwise.audits.selectors import data_stamps
from kinwise.audits.services import Digest, audit_snapshots_refresh
from kinwise.casefile import schema as cf
from kinwise.core.models import Service
from kinwise.readings.findings import severity_counts
from kinwise.readings.reviews import ReviewDue, reviews_due
from kinwise.records.models import Person
from kinwise.rules.audit import default_since


@dataclass(frozen=True)
class PersonRow:
    pk: int
    external_id: str
    name: str
    service_name: str


def supported_on(as_of: dt.date) -> Q:
    """People the service still supports on ``as_of``: no end of support, or an end after
    that day (kinwise.records.services.support)."""
    return Q(support_ended__isnull=True) | Q(support_ended__gt=as_of)


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


@dataclass(frozen=True)
class PersonOverview:
    pk: int
    name: str
    findings: dict[str, int]
    reviews: list[ReviewDue] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.findings.values())


def _reviews_json(casefile: cf.CaseFile, as_of: dt.date) -> list[list[Any]]:
    return [[r.what, r.due.isoformat(), r.overdue] for r in reviews_due(casefile, as_of)]


# the dashboard's reviews coming due, stored beside each person's audit
REVIEWS_DUE = Digest("web.reviews_due", _reviews_json, modules=("kinwise.readings.reviews",))


def people_overview(*, service: Service, as_of: dt.date) -> list[PersonOverview]:
    """Each current person of the service still supported on ``as_of`` with their open
    findings by severity and the reviews coming due, by name.

    Read from the stored audits (kinwise.audits): two queries once they are fresh,
    however many people and however long their history; people whose records changed
    are loaded and audited again, in bulk."""
    people = Person.objects.filter(
        supported_on(as_of), service_id=service.pk, superseded_at__isnull=True
    )
    stored = audit_snapshots_refresh(
        stamps=data_stamps(people=people),
        as_of=as_of,
        since=default_since(as_of),
        digest=REVIEWS_DUE,
    )
    rows = [
        PersonOverview(
            pk=pk,
            name=s.audit.person_name,
            findings=severity_counts(s.audit.findings),
            reviews=[
                ReviewDue(what, dt.date.fromisoformat(due), overdue)
                for what, due, overdue in s.extra
            ],
        )
        for pk, s in stored.items()
    ]
    rows.sort(key=lambda r: (r.name, r.pk))
    return rows


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
