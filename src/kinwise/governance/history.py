"""History of governance writes (work items, supervision records and actions)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import AbstractBaseUser

from kinwise.governance.models import GovernanceChange


def change_write(
    *,
    entity: str,
    entity_pk: int,
    action: str,
    snapshot: dict[str, Any],
    actor: AbstractBaseUser | None,
    at: dt.datetime,
) -> GovernanceChange:
    """Append one history row; call inside the transaction of the write it records."""
    return GovernanceChange.objects.create(
        entity=entity,
        entity_pk=entity_pk,
        action=action,
        snapshot=snapshot,
        actor_id=actor.pk if actor is not None else None,
        created_at=at,
    )


def changes_of(*, entity: str, entity_pk: int) -> list[GovernanceChange]:
    """The history of one entity, oldest first (one query)."""
    return list(GovernanceChange.objects.filter(entity=entity, entity_pk=entity_pk))
