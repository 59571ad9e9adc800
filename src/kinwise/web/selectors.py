"""Reads for the staff pages, always scoped by what the viewer may see."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, Q

from kinwise.access import services_visible_to


@dataclass(frozen=True)
class ServiceRow:
    pk: int
    name: str
    organisation: str
    people: int


def services_for_viewer(user: AbstractBaseUser | AnonymousUser) -> list[ServiceRow]:
    """The services the user may see, with how many people each supports (one query)."""
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
