"""Reads for the staff pages, always scoped by what the viewer may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from kinwise.audits.selectors import data_stamps
from kinwise.audits.services import Digest, audit_snapshots_refresh
from kinwise.casefile import schema as cf
from kinwise.core.access import services_visible_to
from kinwise.core.models import Service
from kinwise.records.models import Person
from kinwise.rules.audit import default_since
from kinwise.web.presenters import ReviewDue, reviews_due, severity_counts


@dataclass(frozen=True)
class PersonRow:
    pk: int
    external_id: str
    name: str
    service_name: str


def people_visible_to(user: AbstractBaseUser | AnonymousUser) -> list[PersonRow]:
    """The current people of every service the user may see, by service then name (one query)."""
    people = (
        Person.objects.filter(service__in=services_visible_to(user), superseded_at__isnull=True)
        .select_related("service")
        .order_by("service__name", "name", "external_id")
    )
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


def services_for_viewer(user: AbstractBaseUser | AnonymousUser) -> list[ServiceRow]:
    """The services the user may see, with how many people each supports (one query)."""
    from django.db.models import Count, Q

    services = (
        services_visible_to(user)
        .select_related("organisation")
        .annotate(people_count=Count("people", filter=Q(people__superseded_at__isnull=True)))
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
REVIEWS_DUE = Digest("web.reviews_due", _reviews_json, modules=("kinwise.web.presenters",))


def people_overview(*, service: Service, as_of: dt.date) -> list[PersonOverview]:
    """Each current person of the service with their open findings by severity and the
    reviews coming due, by name.

    Read from the stored audits (kinwise.audits): two queries once they are fresh,
    however many people and however long their history; people whose records changed
    are loaded and audited again, in bulk."""
    people = Person.objects.filter(service_id=service.pk, superseded_at__isnull=True)
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
