"""Reads of family and person accounts: what the subject-access export says about the
portal logins linked to a person's file (two queries)."""

from __future__ import annotations

from typing import Any

from kinwise.family.models import PortalAccountEvent, PortalLink
from kinwise.records.models import Person


def portal_section(person: Person) -> list[dict[str, Any]]:
    """Each portal login linked to the person's file: who it is in the file, its user
    name, since when, whether it is suspended, and who changed it when."""
    links = list(
        PortalLink.objects.filter(person_id=person.pk)
        .select_related("account__user")
        .order_by("pk")
    )
    events = PortalAccountEvent.objects.filter(person_id=person.pk).order_by("at", "pk")
    by_account: dict[int, list[dict[str, Any]]] = {}
    for event in events:
        by_account.setdefault(event.account_id, []).append(
            {"action": event.action, "at": event.at.isoformat(), "by_user_id": event.actor_id}
        )
    return [
        {
            "member": link.member_id,
            "kind": link.kind,
            "username": link.account.user.get_username(),
            "linked_at": link.created_at.isoformat(),
            "suspended_at": link.account.suspended_at.isoformat()
            if link.account.suspended_at
            else None,
            "changes": by_account.get(link.account_id, []),
        }
        for link in links
    ]
