"""The access decisions of every page and service: may this member of staff read or change
this person, this service, its governance and its reports (docs/access.md).

A refusal answers 404 (a member of staff is not told that someone they may not see
exists) and is logged by database ids only, never names or other personal data. Every
read and every refusal decided here also leaves an entry in the access log
(:mod:`kinwise.accesslog.log`).
"""

from __future__ import annotations

import logging

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from kinwise.access.roles import (
    ACTION_ROLES,
    ACTION_WORDS,
    MANAGER_ROLES,
    ORGANISATION_WIDE_ROLES,
    SUPERVISOR_ROLES,
    WORK_OWNER_ROLES,
    Action,
    Purpose,
    actions_for,
    roles_for,
    roles_needed,
)
from kinwise.access.scopes import (
    services_visible_to,
    viewer_role_field,
    with_viewer_access,
    with_viewer_roles,
)
from kinwise.accesslog.log import append
from kinwise.accesslog.models import NO_ORGANISATION
from kinwise.core.models import Service, StaffMembership, StaffRole
from kinwise.records.models import Person

logger = logging.getLogger("kinwise.access")

# Who may see who looked at a person's records (the access log about them).
ACCESS_LOG_READERS: frozenset[str] = frozenset({StaffRole.REGISTERED_MANAGER})


def person_for_viewer(
    *,
    user: AbstractBaseUser | AnonymousUser,
    person_pk: int,
    purpose: Purpose = "read",
    people: QuerySet[Person] | None = None,
) -> Person:
    """The current person ``person_pk`` if ``user`` may read (or change) them; otherwise
    Http404, logged.

    One query: the person, their service and whether the viewer may see them
    (:func:`kinwise.access.scopes.with_viewer_access`). ``people`` is the query to take
    the person from (default: people with their service), so a page can read more of
    the person in the same query (the person pages add their data stamp,
    :func:`kinwise.audits.selectors.with_data_stamps`)."""
    base = people if people is not None else Person.objects.select_related("service")
    person = (
        with_viewer_access(base, user, purpose=purpose)
        .filter(pk=person_pk, superseded_at__isnull=True)
        .first()
    )
    if person is None or not getattr(person, "viewer_may_see", False):
        logger.warning("person refused: user pk=%s asked for person pk=%s", user.pk, person_pk)
        _log_person(user=user, person_pk=person_pk, person=person, purpose=purpose, allowed=False)
        raise Http404("No such person")
    # the viewer's role for the person's service, as the log found it (for the page's links)
    person.viewer_role = _log_person(  # type: ignore[attr-defined]
        user=user, person_pk=person_pk, person=person, purpose=purpose, allowed=True
    )
    return person


def _log_person(
    *,
    user: AbstractBaseUser | AnonymousUser,
    person_pk: int,
    person: Person | None,
    purpose: Purpose,
    allowed: bool,
) -> str:
    """The access-log entry of a decision about a person; the viewer's role answered."""
    if person is not None:
        service_pk: int | None = person.service_id
        chain = person.service.organisation_id
    else:  # not a current person: their organisation, if they were ever anyone's
        found = (
            Person.objects.filter(pk=person_pk)
            .values_list("service_id", "service__organisation_id")
            .first()
        )
        service_pk, chain = found if found is not None else (None, NO_ORGANISATION)
    return append(
        chain=chain,
        user_pk=user.pk,
        subject="person",
        person_pk=person_pk,
        service_pk=service_pk,
        purpose=purpose,
        allowed=allowed,
        wide_roles=ORGANISATION_WIDE_ROLES,
    )


def _log_service(
    *,
    user: AbstractBaseUser | AnonymousUser,
    service_pk: int,
    service: Service | None,
    purpose: Purpose,
    allowed: bool,
) -> None:
    """The access-log entry of a decision about a service."""
    if service is not None:
        chain = service.organisation_id
    else:
        found = Service.objects.filter(pk=service_pk).values_list("organisation_id", flat=True)
        chain = found.first() or NO_ORGANISATION
    append(
        chain=chain,
        user_pk=user.pk,
        subject="service",
        person_pk=None,
        service_pk=service_pk,
        purpose=purpose,
        allowed=allowed,
        wide_roles=ORGANISATION_WIDE_ROLES,
    )


def service_for_viewer(
    *, user: AbstractBaseUser | AnonymousUser, service_pk: int, purpose: Purpose = "read"
) -> Service:
    """The service ``service_pk`` if ``user`` may read (or change) its people; otherwise
    Http404, logged."""
    service = _visible_service(user=user, service_pk=service_pk, purpose=purpose)
    _log_service(
        user=user,
        service_pk=service_pk,
        service=service,
        purpose=purpose,
        allowed=service is not None,
    )
    if service is None:
        raise Http404("No such service")
    return service


def _visible_service(
    *, user: AbstractBaseUser | AnonymousUser, service_pk: int, purpose: Purpose
) -> Service | None:
    service = services_visible_to(user, purpose=purpose).filter(pk=service_pk).first()
    if service is None:
        logger.warning("service refused: user pk=%s asked for service pk=%s", user.pk, service_pk)
    return service


def service_for_role(
    *,
    user: AbstractBaseUser | AnonymousUser,
    service_pk: int,
    roles: frozenset[str],
    purpose: Purpose = "read",
) -> Service:
    """The service ``service_pk`` if ``user`` may see it (:func:`service_for_viewer`) and
    holds one of ``roles`` for it (:func:`has_role_for`): the governance pages. Otherwise
    Http404, logged."""
    service = _visible_service(user=user, service_pk=service_pk, purpose=purpose)
    allowed = (
        service is not None
        and isinstance(user, AbstractBaseUser)
        and has_role_for(user=user, service=service, roles=roles)
    )
    if service is not None and not allowed:
        logger.warning("service refused: user pk=%s asked for service pk=%s", user.pk, service_pk)
    _log_service(
        user=user, service_pk=service_pk, service=service, purpose=purpose, allowed=allowed
    )
    if service is None or not allowed:
        raise Http404("No such service")
    return service


def has_role_for(*, user: AbstractBaseUser, service: Service, roles: frozenset[str]) -> bool:
    """The user holds one of ``roles`` in the service, or an organisation-wide one of them
    in any service of its organisation (one query)."""
    own = Q(service=service, role__in=roles)
    wide = Q(
        service__organisation_id=service.organisation_id,
        role__in=roles & ORGANISATION_WIDE_ROLES,
    )
    return StaffMembership.objects.filter(own | wide, user_id=user.pk).exists()


def may_read_person(*, user: AbstractBaseUser | AnonymousUser, person: Person) -> bool:
    """Whether ``user`` may read ``person``'s records (one query)."""
    return _may(user=user, person=person, purpose="read")


def may_change_person(*, user: AbstractBaseUser | AnonymousUser, person: Person) -> bool:
    """Whether ``user`` may change ``person``'s records (one query)."""
    return _may(user=user, person=person, purpose="change")


def _may(*, user: AbstractBaseUser | AnonymousUser, person: Person, purpose: Purpose) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    assert isinstance(user, AbstractBaseUser)
    return has_role_for(user=user, service=person.service, roles=roles_for(purpose))


def may_oversee(*, user: AbstractBaseUser, service: Service) -> bool:
    """Whether ``user`` may open the service's governance pages."""
    return has_role_for(user=user, service=service, roles=MANAGER_ROLES)


def may_own_work(*, user: AbstractBaseUser, service: Service) -> bool:
    """Whether ``user`` may own the service's work items (be given one, and see and open
    their own: "my work")."""
    return has_role_for(user=user, service=service, roles=WORK_OWNER_ROLES)


def may_supervise(*, user: AbstractBaseUser, service: Service) -> bool:
    """Whether ``user`` may supervise the service's staff and record supervision."""
    return has_role_for(user=user, service=service, roles=SUPERVISOR_ROLES)


def person_log_for_viewer(*, user: AbstractBaseUser | AnonymousUser, person_pk: int) -> Person:
    """The current person ``person_pk`` if ``user`` may see who looked at their records:
    a registered manager of their service (or, organisation-wide, of its organisation).
    Otherwise Http404, logged. One access-log entry either way."""
    person = (
        with_viewer_access(Person.objects.select_related("service"), user)
        .filter(pk=person_pk, superseded_at__isnull=True)
        .first()
    )
    allowed = (
        person is not None
        and bool(getattr(person, "viewer_may_see", False))
        and isinstance(user, AbstractBaseUser)
        and has_role_for(user=user, service=person.service, roles=ACCESS_LOG_READERS)
    )
    if person is None or not allowed:
        logger.warning("access log refused: user pk=%s asked for person pk=%s", user.pk, person_pk)
        _log_person(user=user, person_pk=person_pk, person=person, purpose="read", allowed=False)
        raise Http404("No such person")
    person.viewer_role = _log_person(  # type: ignore[attr-defined]
        user=user, person_pk=person_pk, person=person, purpose="read", allowed=True
    )
    return person


# --- actions: who may do what (roles.ACTION_ROLES) -------------------------------------


class ActionRefused(PermissionDenied):
    """A member of staff who may see a person or service asked to do what their role
    does not allow: answered 403 with a page that says which role is needed."""

    def __init__(self, action: Action) -> None:
        self.action = action
        super().__init__(f"Only {roles_needed(action)} can {ACTION_WORDS[action]}.")


def roles_held(*, user: AbstractBaseUser | AnonymousUser, service: Service) -> frozenset[str]:
    """The roles ``user`` holds for ``service``: their role in it, and any
    organisation-wide role in a service of its organisation (one query; none for
    anonymous or inactive users)."""
    if not (user.is_authenticated and user.is_active):
        return frozenset()
    own = Q(service_id=service.pk)
    wide = Q(service__organisation_id=service.organisation_id, role__in=ORGANISATION_WIDE_ROLES)
    rows = StaffMembership.objects.filter(own | wide, user_id=user.pk).values_list(
        "role", flat=True
    )
    return frozenset(rows)


def actions_on_service(
    *, user: AbstractBaseUser | AnonymousUser, service: Service
) -> frozenset[Action]:
    """What ``user`` may do in ``service`` (one query): to decide which links and buttons
    a page shows."""
    return actions_for(roles_held(user=user, service=service))


def actions_on_person(person: Person) -> frozenset[Action]:
    """What the viewer may do about ``person``, read from the annotations of
    :func:`kinwise.access.scopes.with_viewer_roles` (no query)."""
    held = frozenset(
        role for role in StaffRole.values if getattr(person, viewer_role_field(role), False)
    )
    return actions_for(held)


def may_do(*, user: AbstractBaseUser | AnonymousUser, service: Service, action: Action) -> bool:
    """Whether ``user`` may do ``action`` in ``service`` (one query)."""
    if not (user.is_authenticated and user.is_active):
        return False
    assert isinstance(user, AbstractBaseUser)
    return has_role_for(user=user, service=service, roles=ACTION_ROLES[action])


def refuse_action(
    *,
    user: AbstractBaseUser | AnonymousUser,
    action: Action,
    service_pk: int | None = None,
    person_pk: int | None = None,
) -> ActionRefused:
    """Log the refusal of ``action`` (by ids only) and give the error to raise: about a
    person, a service, or (neither given) the viewer's organisation."""
    where = (
        f"person pk={person_pk}"
        if person_pk is not None
        else f"service pk={service_pk}"
        if service_pk is not None
        else "their organisation"
    )
    logger.warning("action refused: user pk=%s asked to %s for %s", user.pk, action, where)
    return ActionRefused(action)


def require_action(
    *, user: AbstractBaseUser | AnonymousUser, service: Service, action: Action
) -> None:
    """Nothing if ``user`` may do ``action`` in ``service``; otherwise
    :class:`ActionRefused` (403), logged."""
    if not may_do(user=user, service=service, action=action):
        raise refuse_action(user=user, action=action, service_pk=service.pk)


def person_for_action(
    *,
    user: AbstractBaseUser | AnonymousUser,
    person_pk: int,
    action: Action,
    people: QuerySet[Person] | None = None,
) -> Person:
    """The current person ``person_pk`` if ``user`` may do ``action`` about them. Someone
    they may not see is Http404 (:func:`person_for_viewer`); an action their role does not
    allow is :class:`ActionRefused` (403). Both logged; one query, as
    :func:`person_for_viewer` (the person comes annotated with the viewer's roles, for
    :func:`actions_on_person`)."""
    base = people if people is not None else Person.objects.select_related("service")
    person = person_for_viewer(user=user, person_pk=person_pk, people=with_viewer_roles(base, user))
    if action not in actions_on_person(person):
        raise refuse_action(user=user, action=action, person_pk=person_pk)
    return person


def may_do_across(
    *, user: AbstractBaseUser | AnonymousUser, organisation_id: int, action: Action
) -> bool:
    """Whether ``user`` may do ``action`` across the organisation: an organisation-wide
    role that grants it, held in one of its services (one query). For what belongs to
    the organisation rather than to one service: its staff and their roles."""
    if not (user.is_authenticated and user.is_active):
        return False
    return StaffMembership.objects.filter(
        user_id=user.pk,
        service__organisation_id=organisation_id,
        role__in=ACTION_ROLES[action] & ORGANISATION_WIDE_ROLES,
    ).exists()


def has_any_role(*, user: AbstractBaseUser | AnonymousUser) -> bool:
    """Whether ``user`` is an active member of staff of any service (one query): someone
    refused a page of their organisation is told which role it needs (403); anyone else
    is not told it exists (404)."""
    if not (user.is_authenticated and user.is_active):
        return False
    return StaffMembership.objects.filter(user_id=user.pk).exists()
