"""The staff directory page's reads: each member of staff of the organisation once, with
their job, training, the people they support and whether they have a login
(docs/adr/0140, docs/governance.md "The staff directory").

A viewer sees the members of staff who support someone they may read, and those who
support nobody at the moment (a new starter, someone between people); the people listed
for each are only those the viewer may read. A member of staff who supports only people
of services the viewer may not see is not listed: their page would name those people's
service and change their records.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser

from kinwise.access import people_visible_to
from kinwise.casefile.vocab import TASK_LABELS, TASKS
from kinwise.core.models import StaffMember, StaffMemberVersion
from kinwise.core.staff import staff_member_history
from kinwise.records.models import Record
from kinwise.records.services.staff import DIRECTORY_REASON

MEMBER_KIND = "member"
STAFF = "staff"


@dataclass(frozen=True)
class Supported:
    person_pk: int
    name: str


@dataclass(frozen=True)
class DirectoryRow:
    """One member of staff as the directory page lists them."""

    pk: int
    name: str
    job: str | None
    training: list[tuple[str, dt.date]]  # (the task in words, the date), in task order
    people: list[Supported]
    has_login: bool
    login_active: bool
    version: int


def _training(trained: dict[str, str]) -> list[tuple[str, dt.date]]:
    return [
        (TASK_LABELS[task], dt.date.fromisoformat(trained[task]))
        for task in TASKS
        if task in trained
    ]


def _circle_rows(organisation_id: int, user: AbstractBaseUser | None) -> list[tuple[str, int, str]]:
    """(member id, person pk, person name) of each current circle member of kind staff
    of the organisation's current people (those ``user`` may read, when given)."""
    rows = Record.objects.filter(
        person__service__organisation_id=organisation_id,
        person__superseded_at__isnull=True,
        kind=MEMBER_KIND,
        superseded_at__isnull=True,
        data__kind=STAFF,
    )
    if user is not None:
        rows = rows.filter(person__in=people_visible_to(user))
    return list(
        rows.order_by("person__name", "person_id").values_list("key", "person_id", "person__name")
    )


def directory_rows(*, organisation_id: int, user: AbstractBaseUser) -> list[DirectoryRow]:
    """The members of staff ``user`` sees in the organisation's directory, by name (three
    queries, whatever the number of staff and people)."""
    seen: dict[str, list[Supported]] = defaultdict(list)
    for key, person_pk, name in _circle_rows(organisation_id, user):
        if all(s.person_pk != person_pk for s in seen[key]):
            seen[key].append(Supported(person_pk, name))
    anyone = {key for key, _, _ in _circle_rows(organisation_id, None)}
    entries = StaffMember.objects.filter(organisation_id=organisation_id).select_related("user")
    return [
        _row(entry, seen.get(entry.external_id, []))
        for entry in entries
        if entry.external_id in seen or entry.external_id not in anyone
    ]


def _row(entry: StaffMember, people: list[Supported]) -> DirectoryRow:
    return DirectoryRow(
        pk=entry.pk,
        name=entry.name,
        job=entry.job,
        training=_training(entry.trained),
        people=people,
        has_login=entry.user_id is not None,
        login_active=entry.user is not None and entry.user.is_active,
        version=entry.version,
    )


def directory_row(
    *, organisation_id: int, user: AbstractBaseUser, entry_pk: int
) -> DirectoryRow | None:
    """One member of staff as :func:`directory_rows` lists them for ``user``; None when
    it does not list them."""
    return next(
        (r for r in directory_rows(organisation_id=organisation_id, user=user) if r.pk == entry_pk),
        None,
    )


@dataclass(frozen=True)
class DirectoryChange:
    """One version of a member of staff's entry, in words."""

    at: dt.datetime
    who: str
    what: str


FIELD_WORDS = {"name": "name", "job": "job", "trained": "training"}
SOURCE_WORDS = {
    "web": "on a person's page",
    "import": "by importing a case file",
    "migration": "when the staff directory was made",
    "demo": "by the demonstration",
}


def directory_history(*, entry_pk: int) -> list[DirectoryChange]:
    """Every version of the entry, newest first, each saying what changed (one query)."""
    entry = StaffMember.objects.get(pk=entry_pk)
    versions = list(reversed(staff_member_history(entry=entry)))
    changes: list[DirectoryChange] = []
    previous: StaffMemberVersion | None = None
    for version in versions:
        changes.append(DirectoryChange(version.created_at, _who(version), _what(previous, version)))
        previous = version
    return list(reversed(changes))


def _who(version: StaffMemberVersion) -> str:
    if version.actor is None:
        return "Kinwise"
    full = version.actor.get_full_name() if hasattr(version.actor, "get_full_name") else ""
    return str(full or version.actor.get_username())


def _what(previous: StaffMemberVersion | None, version: StaffMemberVersion) -> str:
    where = (
        "on the staff directory page"
        if version.reason == DIRECTORY_REASON
        else SOURCE_WORDS.get(version.source, "in Kinwise")
    )
    if previous is None:
        return f"Added to the directory {where}"
    changed = [
        words
        for field, words in FIELD_WORDS.items()
        if previous.snapshot.get(field) != version.snapshot.get(field)
    ]
    if version.reason in ("login linked", "login unlinked"):
        return "Login linked" if version.reason == "login linked" else "Login unlinked"
    if not changed:
        return f"Saved {where} with no change"
    said = changed[0] if len(changed) == 1 else ", ".join(changed[:-1]) + " and " + changed[-1]
    return f"{said.capitalize()} changed {where}"
