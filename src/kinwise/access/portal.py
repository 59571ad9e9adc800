"""What a family or person account may see, computed on every request from the records
(docs/portal.md, docs/access.md "The portal"); never configured.

A relative sees the records of an area of a person's life only while

* a share_information consent current today names them and the area, given by the
  person with capacity for information sharing or by an attorney or deputy who can act
  for it (the reading rule IC01 judges by: :func:`kinwise.rules.sharing.sharing_consented`),
  or
* they hold an authority usable for that area today (:meth:`PersonFacts.usable_authorities`).

A role alone (decides, contributes, is informed) shows them only their own lines in "Your
part". Incidents and events about safeguarding, and views gathered separately from
family, are never shown to family. The person supported sees their own page and every
area of it. A suspended account, a person whose support has ended, anyone not linked:
nothing. Every answer, shown or refused, is one entry in the access log (the area in the
entry's page), and every refusal is 404 with a line on the ``kinwise.access`` logger.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import Http404

from kinwise.access.roles import ORGANISATION_WIDE_ROLES
from kinwise.accesslog.log import append
from kinwise.casefile.schema import CaseFile
from kinwise.casefile.vocab import AREAS
from kinwise.family.models import LinkKind, PortalAccount, PortalLink
from kinwise.records.models import Person, Record
from kinwise.records.selectors import casefiles_for_people
from kinwise.rules.facts import PersonFacts, build_facts
from kinwise.rules.sharing import sharing_consented

logger = logging.getLogger("kinwise.access")

# The basis of a relative's sight of an area, in the order the portal says it.
BY_CONSENT = "consent"
BY_AUTHORITY = "authority"


def visible_areas(facts: PersonFacts, member: str, as_of: dt.date) -> dict[str, str]:
    """The areas of the person's life ``member`` (a circle member) may see at ``as_of``,
    each with its basis (:data:`BY_CONSENT` or :data:`BY_AUTHORITY`). Pure: the facts in,
    the areas out."""
    found: dict[str, str] = {}
    if not facts.is_family(member):
        return found
    for area in AREAS:
        if sharing_consented(facts, member, area, as_of):
            found[area] = BY_CONSENT
        elif facts.usable_authorities(member, area, as_of):
            found[area] = BY_AUTHORITY
    return found


@dataclass(frozen=True)
class PortalView:
    """What one portal account may see of one person today."""

    person: Person
    link: PortalLink
    casefile: CaseFile
    facts: PersonFacts
    areas: dict[str, str]  # area -> basis; every area for the person themselves

    @property
    def is_person(self) -> bool:
        return self.link.kind == LinkKind.PERSON

    @property
    def member_id(self) -> str:
        return self.link.member_id


def portal_account_of(user: AbstractBaseUser | AnonymousUser) -> PortalAccount | None:
    """The user's portal account (suspended or not), or None for staff and visitors."""
    if not user.is_authenticated:
        return None
    return PortalAccount.objects.filter(user_id=user.pk).first()


def is_portal_user(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Whether ``user`` signs in as family or as a person supported: read from the
    annotation the login backend puts on every signed-in user (no query)."""
    return bool(getattr(user, "kinwise_portal", False))


def portal_links_for(*, user: AbstractBaseUser | AnonymousUser) -> list[PortalLink]:
    """The files the account is linked to that it may open now (none when suspended)."""
    if not (user.is_authenticated and user.is_active):
        return []
    return list(
        PortalLink.objects.filter(
            account__user_id=user.pk,
            account__suspended_at__isnull=True,
            person__superseded_at__isnull=True,
        )
        .select_related("person", "person__service")
        .order_by("person__name", "pk")
    )


def _refuse(
    *, user: AbstractBaseUser | AnonymousUser, person_pk: int, person: Person | None, part: str
) -> Http404:
    logger.warning("portal refused: user pk=%s asked for person pk=%s", user.pk, person_pk)
    if person is None:
        found = (
            Person.objects.filter(pk=person_pk)
            .values_list("service_id", "service__organisation_id")
            .first()
        )
        service_pk, chain = found if found is not None else (None, 0)
    else:
        service_pk, chain = person.service_id, person.service.organisation_id
    append(
        chain=chain,
        user_pk=user.pk,
        subject="person",
        person_pk=person_pk,
        service_pk=service_pk,
        purpose="read",
        allowed=False,
        wide_roles=ORGANISATION_WIDE_ROLES,
        part=part,
    )
    return Http404("No such person")


def _shown(
    *, user: AbstractBaseUser | AnonymousUser, person: Person, part: str, purpose: str
) -> None:
    append(
        chain=person.service.organisation_id,
        user_pk=user.pk,
        subject="person",
        person_pk=person.pk,
        service_pk=person.service_id,
        purpose=purpose,
        allowed=True,
        wide_roles=ORGANISATION_WIDE_ROLES,
        part=part,
    )


def _view(
    *, user: AbstractBaseUser | AnonymousUser, person_pk: int, today: dt.date
) -> PortalView | None:
    if not (user.is_authenticated and user.is_active):
        return None
    link = (
        PortalLink.objects.filter(
            account__user_id=user.pk,
            account__suspended_at__isnull=True,
            person_id=person_pk,
            person__superseded_at__isnull=True,
        )
        .select_related("person", "person__service", "account")
        .first()
    )
    if link is None:
        return None
    person = link.person
    if person.support_ended is not None and person.support_ended <= today:
        return None
    casefile = casefiles_for_people(person_pks=[person.pk])[person.pk]
    facts = build_facts(casefile, as_of=today)
    if link.kind == LinkKind.PERSON:
        areas = dict.fromkeys(AREAS, "own")
    else:
        areas = visible_areas(facts, link.member_id, today)
    return PortalView(person=person, link=link, casefile=casefile, facts=facts, areas=areas)


def portal_person_for_viewer(
    *,
    user: AbstractBaseUser | AnonymousUser,
    person_pk: int,
    today: dt.date,
    part: str = "",
    purpose: str = "read",
) -> PortalView:
    """What the portal account ``user`` may see of person ``person_pk`` today; Http404,
    logged, when it is not linked to them (or is suspended, or their support ended).
    ``part`` names what the page shows (logged with it)."""
    view = _view(user=user, person_pk=person_pk, today=today)
    if view is None:
        raise _refuse(user=user, person_pk=person_pk, person=None, part=part)
    _shown(user=user, person=view.person, part=part, purpose=purpose)
    return view


def portal_area_for_viewer(
    *, user: AbstractBaseUser | AnonymousUser, person_pk: int, area: str, today: dt.date
) -> PortalView:
    """:func:`portal_person_for_viewer` for one area's records: Http404, logged as a
    refused disclosure of that area, unless the area is in the account's scope today."""
    view = _view(user=user, person_pk=person_pk, today=today)
    if view is None:
        raise _refuse(user=user, person_pk=person_pk, person=None, part=area)
    if area not in view.areas:
        raise _refuse(user=user, person_pk=person_pk, person=view.person, part=area)
    _shown(user=user, person=view.person, part=area, purpose="read")
    return view


def portal_family_for_viewer(
    *,
    user: AbstractBaseUser | AnonymousUser,
    person_pk: int,
    today: dt.date,
    part: str,
    purpose: str = "read",
) -> PortalView:
    """A relative's own pages (their view, a concern): only a relative linked to the
    person; the person themselves and anyone else are refused (404, logged)."""
    view = _view(user=user, person_pk=person_pk, today=today)
    if view is None or view.is_person:
        raise _refuse(
            user=user, person_pk=person_pk, person=view.person if view else None, part=part
        )
    _shown(user=user, person=view.person, part=part, purpose=purpose)
    return view


def portal_concern_for_viewer(
    *, user: AbstractBaseUser | AnonymousUser, person_pk: int, record_id: int, today: dt.date
) -> tuple[PortalView, str]:
    """One concern's progress, for the relative who raised it: the view and the concern's
    id. Any other concern (raised by someone else, not a concern, no such record), the
    person themselves and anyone else: 404, logged as a refused disclosure of the part
    ``concerns`` (the record's database id is the entry's ``record_pk``)."""
    view = _view(user=user, person_pk=person_pk, today=today)
    if view is None or view.is_person:
        raise _refuse(
            user=user, person_pk=person_pk, person=view.person if view else None, part="concerns"
        )
    key = (
        Record.objects.filter(
            person_id=person_pk, pk=record_id, kind="concern", superseded_at__isnull=True
        )
        .values_list("key", flat=True)
        .first()
    )
    raised = {c.id for c in view.casefile.concerns if c.raised_by == view.member_id}
    if key is None or key not in raised:
        raise _refuse(user=user, person_pk=person_pk, person=view.person, part="concerns")
    _shown(user=user, person=view.person, part="concerns", purpose="read")
    return view, key


def portal_self_for_viewer(
    *,
    user: AbstractBaseUser | AnonymousUser,
    person_pk: int,
    today: dt.date,
    part: str,
    purpose: str = "read",
) -> PortalView:
    """The person's own pages (what they want to say, who sees what): only the person
    themselves; a relative is refused (404, logged)."""
    view = _view(user=user, person_pk=person_pk, today=today)
    if view is None or not view.is_person:
        raise _refuse(
            user=user, person_pk=person_pk, person=view.person if view else None, part=part
        )
    _shown(user=user, person=view.person, part=part, purpose=purpose)
    return view


def portal_account_for_viewer(*, user: AbstractBaseUser | AnonymousUser) -> PortalAccount:
    """The viewer's own portal account (its home page); anyone else, or a suspended
    account, is not told the portal exists (404, logged)."""
    account = portal_account_of(user)
    if account is None or account.suspended_at is not None or not user.is_active:
        raise staff_page_refused(user=user, page="portal")
    return account


def staff_page_refused(*, user: AbstractBaseUser | AnonymousUser, page: str) -> Http404:
    """A portal account asked for a staff page: not told it exists (404), logged on its
    organisation's chain."""
    logger.warning("portal refused: user pk=%s asked for the page %s", user.pk, page)
    account = PortalAccount.objects.filter(user_id=int(user.pk or 0)).values_list(
        "organisation_id", flat=True
    )
    append(
        chain=account.first() or 0,
        user_pk=user.pk,
        subject="service",
        person_pk=None,
        service_pk=None,
        purpose="read",
        allowed=False,
        wide_roles=ORGANISATION_WIDE_ROLES,
    )
    return Http404("No such page")
