"""Reading the access log: who looked at a person's records, when, allowed or refused."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from kinwise.accesslog.models import AccessLogEntry
from kinwise.records.models import Person

PAGE_SIZE = 50


def person_pks(person: Person) -> list[int]:
    """Every row this person has had in their service (earlier ones are kept)."""
    return list(
        Person.objects.filter(
            service_id=person.service_id, external_id=person.external_id
        ).values_list("pk", flat=True)
    )


def entries_about(*, person: Person) -> QuerySet[AccessLogEntry]:
    """The entries about ``person``, newest first."""
    return AccessLogEntry.objects.filter(person_pk__in=person_pks(person)).order_by("-at", "-id")


@dataclass(frozen=True)
class Seen:
    entry: AccessLogEntry
    username: str  # "" when the user is gone or nobody was signed in


def with_usernames(entries: list[AccessLogEntry]) -> list[Seen]:
    """The entries with their users' usernames (one query)."""
    wanted = {e.user_pk for e in entries if e.user_pk is not None}
    names = dict(get_user_model().objects.filter(pk__in=wanted).values_list("pk", "username"))
    return [
        Seen(e, str(names.get(e.user_pk, "")) if e.user_pk is not None else "") for e in entries
    ]


def seen_page(*, person: Person, number: str | None) -> Page[AccessLogEntry]:
    """One page (``PAGE_SIZE``) of the entries about ``person``; any ``number`` gives a page."""
    return Paginator(entries_about(person=person), PAGE_SIZE).get_page(number)
