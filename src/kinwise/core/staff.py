"""The staff directory of an organisation: one entry per member of staff (docs/adr/0140).

A circle member of kind staff in the case file of any person of the organisation refers
to the directory entry with its member id. The name, job and training are the
directory's: :func:`staff_directory_apply` brings the entries named by a file (or a web
save) to that file's values, each change a new version with its history (who, when, the
version before), and returns what changed so that the records layer can bring the circle
records of everyone else they support to the same values
(kinwise.records.services.staff).

Logins. An entry is linked to the login whose user name is its member id, when that
login has a role (``StaffMembership``) in a service of the same organisation; the link
is made when the entry is created, and by :func:`staff_member_user_link` at any time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from kinwise.core.models import StaffMember, StaffMembership, StaffMemberVersion, VersionAction
from kinwise.errors import ErrorCode, KinwiseError

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

# The fields of a circle member that are the directory's.
DIRECTORY_FIELDS = ("name", "job", "trained")


@dataclass(frozen=True)
class StaffValues:
    """What the directory holds about a member of staff: their name, job and training
    (``{task: "YYYY-MM-DD"}``), as the case file writes them."""

    name: str
    job: str | None = None
    trained: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def of_document(cls, data: Mapping[str, Any]) -> StaffValues:
        """The directory's values in a circle member's case-file document."""
        return cls(
            name=str(data["name"]),
            job=data.get("job"),
            trained=dict(sorted((data.get("trained") or {}).items())),
        )

    @classmethod
    def of_entry(cls, entry: StaffMember) -> StaffValues:
        return cls(name=entry.name, job=entry.job, trained=dict(sorted(entry.trained.items())))

    def snapshot(self, external_id: str) -> dict[str, Any]:
        """The entry's case-file form (absent values left out, as a file leaves them)."""
        data: dict[str, Any] = {"id": external_id, "name": self.name}
        if self.job is not None:
            data["job"] = self.job
        if self.trained:
            data["trained"] = dict(self.trained)
        return data

    def onto(self, document: Mapping[str, Any]) -> dict[str, Any]:
        """A circle member's document with these values in place of its own."""
        out = {k: v for k, v in document.items() if k not in DIRECTORY_FIELDS}
        out["name"] = self.name
        if self.job is not None:
            out["job"] = self.job
        if self.trained:
            out["trained"] = dict(self.trained)
        return out


def staff_directory_apply(
    *,
    organisation_id: int,
    staff: Mapping[str, StaffValues],
    actor: AbstractBaseUser | None,
    source: str,
    at: dt.datetime,
) -> dict[str, StaffValues]:
    """Bring the organisation's entries for ``staff`` (member id -> values) to those
    values: a missing entry is created, one that differs gets the values as a new
    version; an entry that agrees is left alone. Returns the values of the entries that
    changed (created ones are not: nobody else's circle refers to them yet).

    Part of the caller's transaction; one query when every entry agrees, and a fixed
    number more when some do not, whatever the number of staff."""
    if not staff:
        return {}
    with transaction.atomic(savepoint=False):
        found = {
            entry.external_id: entry
            for entry in StaffMember.objects.select_for_update().filter(
                organisation_id=organisation_id, external_id__in=list(staff)
            )
        }
        created: list[StaffMember] = []
        changed: list[StaffMember] = []
        for external_id, values in staff.items():
            entry = found.get(external_id)
            if entry is None:
                created.append(
                    StaffMember(
                        organisation_id=organisation_id,
                        external_id=external_id,
                        name=values.name,
                        job=values.job,
                        trained=dict(values.trained),
                        version=1,
                        created_at=at,
                        updated_at=at,
                    )
                )
            elif StaffValues.of_entry(entry) != values:
                entry.name, entry.job, entry.trained = values.name, values.job, dict(values.trained)
                entry.version += 1
                entry.updated_at = at
                changed.append(entry)
        if created:
            logins = _logins(organisation_id, [e.external_id for e in created])
            for entry in created:
                entry.user_id = logins.get(entry.external_id)
            created = StaffMember.objects.bulk_create(created)
        if changed:
            StaffMember.objects.bulk_update(
                changed, ["name", "job", "trained", "version", "updated_at"]
            )
        staff_versions_write(
            entries=[(e, VersionAction.CREATED) for e in created]
            + [(e, VersionAction.UPDATED) for e in changed],
            actor=actor,
            source=source,
            at=at,
        )
    return {entry.external_id: staff[entry.external_id] for entry in changed}


def staff_versions_write(
    *,
    entries: list[tuple[StaffMember, VersionAction]],
    actor: AbstractBaseUser | None,
    source: str,
    at: dt.datetime,
    reason: str = "",
) -> None:
    """One version per entry, numbered by the entry's ``version`` (one query)."""
    if not entries:
        return
    StaffMemberVersion.objects.bulk_create(
        StaffMemberVersion(
            staff_member_id=entry.pk,
            version=entry.version,
            snapshot=StaffValues.of_entry(entry).snapshot(entry.external_id),
            action=action,
            actor_id=actor.pk if actor is not None else None,
            source=source,
            reason=reason,
            created_at=at,
        )
        for entry, action in entries
    )


def _logins(organisation_id: int, external_ids: list[str]) -> dict[str, int]:
    """The login of each member id that names one with a role in the organisation."""
    found: dict[str, int] = {}
    for user_id, username in (
        StaffMembership.objects.filter(
            service__organisation_id=organisation_id, user__username__in=external_ids
        )
        .values_list("user_id", "user__username")
        .order_by("user_id")
    ):
        found.setdefault(username, user_id)
    return found


def staff_member_user_link(
    *, entry: StaffMember, user: AbstractBaseUser | None, actor: AbstractBaseUser | None
) -> StaffMember:
    """Link the entry to ``user`` (None: no login), who must have a role in a service of
    the entry's organisation; the history records it."""
    if (
        user is not None
        and not StaffMembership.objects.filter(
            user_id=user.pk, service__organisation_id=entry.organisation_id
        ).exists()
    ):
        raise KinwiseError(
            ErrorCode.INVALID_INPUT, "that login has no role in this organisation's services"
        )
    now = timezone.now()
    with transaction.atomic():
        locked = StaffMember.objects.select_for_update().get(pk=entry.pk)
        locked.user_id = user.pk if user is not None else None
        locked.version += 1
        locked.updated_at = now
        locked.save(update_fields=["user", "version", "updated_at"])
        staff_versions_write(
            entries=[(locked, VersionAction.UPDATED)],
            actor=actor,
            source="web",
            at=now,
            reason="login linked" if user is not None else "login unlinked",
        )
    return locked


# --- reads -----------------------------------------------------------------------------


def staff_directory(
    *, organisation_id: int, external_ids: list[str] | None = None
) -> dict[str, StaffMember]:
    """The organisation's entries (of ``external_ids`` only, when given), by member id:
    one query."""
    entries = StaffMember.objects.filter(organisation_id=organisation_id)
    if external_ids is not None:
        entries = entries.filter(external_id__in=external_ids)
    return {entry.external_id: entry for entry in entries}


def staff_member_history(*, entry: StaffMember) -> list[StaffMemberVersion]:
    """Every version of a directory entry, newest first (one query)."""
    return list(entry.versions.select_related("actor").order_by("-version"))
