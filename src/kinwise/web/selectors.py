"""Reads for the staff pages, always scoped by what the viewer may see."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from kinwise.core.access import services_visible_to
from kinwise.records.models import Person


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
