"""The command line's access: what a command reads or changes about people and services,
in the access log.

A command runs as the operator of the installation (whoever may run it may read the
database itself), so nothing is refused here; but every person or service a command
reads or changes is logged like a page's decision (docs/access.md): no user, the command
as the page (``kinwise export``), "command line" as where it was asked from, read or
change. One entry per person a command names, and one per service for a command over a
whole service, whose output covers its people the way a service's page does.
"""

from __future__ import annotations

from collections.abc import Iterable

from kinwise.access.roles import ORGANISATION_WIDE_ROLES, Purpose
from kinwise.accesslog.log import access_context, append
from kinwise.core.models import Service
from kinwise.records.models import Person

# Where the command line's entries say they were asked from.
COMMAND_LINE = "command line"


def _organisation_of(service_pk: int) -> int:
    organisation: int | None = (
        Service.objects.filter(pk=service_pk).values_list("organisation_id", flat=True).first()
    )
    return organisation or 0


def command_read_people(
    *, people: Iterable[Person], command: str, purpose: Purpose = "read"
) -> None:
    """Log that ``command`` (``export``, ``report person``) read (or changed) each of
    ``people``."""
    organisations: dict[int, int] = {}
    with access_context(client=COMMAND_LINE, page=f"kinwise {command}"):
        for person in people:
            service_pk = person.service_id
            if service_pk not in organisations:
                organisations[service_pk] = _organisation_of(service_pk)
            append(
                chain=organisations[service_pk],
                user_pk=None,
                subject="person",
                person_pk=person.pk,
                service_pk=service_pk,
                purpose=purpose,
                allowed=True,
                wide_roles=ORGANISATION_WIDE_ROLES,
            )


def command_changed_person(*, person_pk: int, service: Service, command: str) -> None:
    """Log that ``command`` (an import) changed the person ``person_pk`` of ``service``."""
    with access_context(client=COMMAND_LINE, page=f"kinwise {command}"):
        append(
            chain=service.organisation_id,
            user_pk=None,
            subject="person",
            person_pk=person_pk,
            service_pk=service.pk,
            purpose="change",
            allowed=True,
            wide_roles=ORGANISATION_WIDE_ROLES,
        )


def command_read_service(*, service: Service, command: str, purpose: Purpose = "read") -> None:
    """Log that ``command`` read (or changed) a whole ``service`` (an audit or a report
    of every person in it)."""
    with access_context(client=COMMAND_LINE, page=f"kinwise {command}"):
        append(
            chain=service.organisation_id,
            user_pk=None,
            subject="service",
            person_pk=None,
            service_pk=service.pk,
            purpose=purpose,
            allowed=True,
            wide_roles=ORGANISATION_WIDE_ROLES,
        )
