"""What the data protection duties need from the access log, as a small interface.

The access log (kinwise.accesslog) records every read and refusal. The subject-access
export lists the entries about the person, and the export and the retention policy each
leave an entry of their own. Both go through :func:`access_log`, an :class:`AccessLog`:
:class:`DatabaseAccessLog` (the hash-chained log itself) unless a test wires another
with :func:`access_log_wire`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from kinwise.records.models import Person


class AccessLog(Protocol):
    """The access log as the data protection duties use it.

    ``entries_about`` gives the entries about ``person``, oldest first, each a mapping
    of ids and plain values only (never record content): ``at`` (ISO 8601, UTC),
    ``user_id``, ``role``, ``kind`` (of record, or ""), ``action`` (what was done:
    "read", "export", ...), ``allowed`` (bool) and ``where`` (the address it came from).

    ``note`` appends one entry about ``person`` for ``action`` ("subject_access" or
    "erased") by ``user_id`` (None: the command line or the queue)."""

    def entries_about(self, *, person: Person) -> Sequence[Mapping[str, Any]]: ...

    def note(self, *, person: Person, user_id: int | None, action: str) -> None: ...


class NoAccessLog:
    """No access log wired: no entries, nothing written."""

    def entries_about(self, *, person: Person) -> Sequence[Mapping[str, Any]]:
        return []

    def note(self, *, person: Person, user_id: int | None, action: str) -> None:
        return None


class DatabaseAccessLog:
    """The access log of kinwise.accesslog: its entries about the person, and a note as
    one more entry of the person's organisation's chain (the page is the action)."""

    def entries_about(self, *, person: Person) -> Sequence[Mapping[str, Any]]:
        from kinwise.accesslog.selectors import entries_about

        return [
            {
                "at": entry.at.isoformat(),
                "user_id": entry.user_pk,
                "role": entry.role,
                "kind": entry.page,
                "action": entry.purpose,
                "allowed": entry.allowed,
                "where": entry.client,
            }
            for entry in entries_about(person=person).order_by("at", "id")
        ]

    def note(self, *, person: Person, user_id: int | None, action: str) -> None:
        from kinwise.access.roles import ORGANISATION_WIDE_ROLES
        from kinwise.accesslog.log import access_context, append

        organisation = (
            Person.objects.filter(pk=person.pk)
            .values_list("service__organisation_id", flat=True)
            .first()
        )
        with access_context(client="", page=action):
            append(
                chain=organisation or 0,
                user_pk=user_id,
                subject="person",
                person_pk=person.pk,
                service_pk=person.service_id,
                purpose="change" if action == "erased" else "read",
                allowed=True,
                wide_roles=ORGANISATION_WIDE_ROLES,
            )


_wired: list[AccessLog] = [DatabaseAccessLog()]


def access_log() -> AccessLog:
    """The access log in use."""
    return _wired[0]


def access_log_wire(log: AccessLog) -> AccessLog:
    """Use ``log`` from now on; returns the one it replaces (for tests to put back)."""
    before = _wired[0]
    _wired[0] = log
    return before


# Entry fields kept in an export and in an erased person's archive: ids and plain values.
ENTRY_FIELDS: tuple[str, ...] = ("at", "user_id", "role", "kind", "action", "allowed", "where")


def access_log_section(person: Person) -> list[dict[str, Any]]:
    """The entries of the access log about ``person``, oldest first, reduced to
    :data:`ENTRY_FIELDS` (a field the log does not give is None)."""
    return [
        {field: entry.get(field) for field in ENTRY_FIELDS}
        for entry in access_log().entries_about(person=person)
    ]
