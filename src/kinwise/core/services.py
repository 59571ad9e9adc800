"""Writes for tenancy: organisations, services, staff and their memberships."""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F

from kinwise.casefile.schema import CaseFile
from kinwise.core.models import AccountState, Organisation, Service, StaffMembership, StaffRole
from kinwise.errors import ErrorCode, KinwiseError

# An organisation's slug, as its column stores it (SlugField, 64 characters).
_SLUG = re.compile(r"[A-Za-z0-9_-]{1,64}")


def organisation_ensure(*, slug: str, name: str | None = None, demo: bool = False) -> Organisation:
    """The organisation with this slug, created (named ``name`` or the slug, marked as the
    demo's when ``demo``) if missing. An existing organisation is returned unchanged."""
    organisation, _ = Organisation.objects.get_or_create(
        slug=slug, defaults={"name": name or slug, "is_demo": demo}
    )
    return organisation


def service_ensure(*, organisation: Organisation, external_id: str, name: str) -> Service:
    """The organisation's service with this id, created if missing (an existing name is kept)."""
    service, _ = Service.objects.get_or_create(
        organisation=organisation, external_id=external_id, defaults={"name": name}
    )
    return service


def service_for_import(
    *,
    casefile: CaseFile,
    service_id: str | None,
    organisation_slug: str | None,
    create_organisation: bool = False,
) -> Service:
    """The service a case file is imported into.

    The service id is ``service_id`` (the command line's ``--service``) or else the file's
    ``service.id``; with neither, an error. The organisation is the one named by
    ``organisation_slug``, or else the only organisation in the database; with none or
    several, an error. A named organisation that does not exist is an error unless
    ``create_organisation`` (the command line's ``--create-organisation``) asks for it to
    be created: a mistyped name never makes a new organisation. A service missing from the organisation is
    created when its name is known from the file's ``service`` (same id); otherwise an error.
    """
    external_id = service_id or (casefile.service.id if casefile.service else None)
    if external_id is None:
        raise KinwiseError(
            ErrorCode.USAGE,
            "the file names no service: give one with --service ID",
        )
    with transaction.atomic():
        if organisation_slug is not None:
            if create_organisation:
                if not _SLUG.fullmatch(organisation_slug):
                    raise KinwiseError(
                        ErrorCode.USAGE,
                        "an organisation's name for --organisation is 1 to 64 letters, digits, "
                        "'-' or '_'",
                    )
                organisation = organisation_ensure(slug=organisation_slug)
            else:
                found = Organisation.objects.filter(slug=organisation_slug).first()
                if found is None:
                    raise KinwiseError(
                        ErrorCode.NOT_FOUND,
                        f"no organisation '{organisation_slug}': check the name, or give "
                        "--create-organisation to create it",
                    )
                organisation = found
        else:
            if create_organisation:
                raise KinwiseError(
                    ErrorCode.USAGE,
                    "--create-organisation needs the organisation named with --organisation SLUG",
                )
            organisations = list(Organisation.objects.all()[:2])
            if len(organisations) != 1:
                raise KinwiseError(
                    ErrorCode.USAGE,
                    "name the organisation with --organisation SLUG"
                    + (
                        " (the database has none yet)"
                        if not organisations
                        else " (the database has more than one)"
                    ),
                )
            organisation = organisations[0]
        existing = Service.objects.filter(
            organisation=organisation, external_id=external_id
        ).first()
        if existing is not None:
            return existing
        if casefile.service is not None and casefile.service.id == external_id:
            return service_ensure(
                organisation=organisation, external_id=external_id, name=casefile.service.name
            )
        raise KinwiseError(
            ErrorCode.NOT_FOUND,
            f"no service with id '{external_id}' in organisation '{organisation.slug}'; "
            "name it in the file's service: {id, name} to create it",
        )


def staff_user_ensure(
    *, username: str, password: str, service: Service, role: StaffRole
) -> AbstractBaseUser:
    """A staff login that is a member of ``service`` with ``role``.

    A user that already exists keeps its password; the membership is added if missing.
    """
    user_model = get_user_model()
    with transaction.atomic():
        user, created = user_model.objects.get_or_create(username=username)
        if created:
            user.set_password(password)
            user.save(update_fields=["password"])
        _, added = StaffMembership.objects.get_or_create(
            user=user, service=service, defaults={"role": role}
        )
        if added and not created:
            account_sessions_end(user_id=user.pk)
    return user


def account_sessions_end(*, user_id: int) -> int:
    """End every session of login ``user_id`` on its next request (their roles or their
    standing changed): the account's auth epoch goes up. Returns the new epoch."""
    with transaction.atomic():
        state, created = AccountState.objects.select_for_update().get_or_create(
            user_id=user_id, defaults={"auth_epoch": 1}
        )
        if not created:
            AccountState.objects.filter(pk=state.pk).update(auth_epoch=F("auth_epoch") + 1)
            state.refresh_from_db(fields=["auth_epoch"])
    return state.auth_epoch


def membership_role_set(*, user: AbstractBaseUser, service: Service, role: StaffRole) -> None:
    """Give ``user`` ``role`` in ``service``; their sessions end on their next request, so
    the new role applies from a fresh sign-in (and a second factor, if it needs one)."""
    with transaction.atomic():
        StaffMembership.objects.update_or_create(
            user_id=user.pk, service=service, defaults={"role": role}
        )
        account_sessions_end(user_id=user.pk)


def staff_user_deactivate(*, user: AbstractBaseUser) -> None:
    """The login can no longer sign in, and its sessions end on their next request."""
    user_model = get_user_model()
    with transaction.atomic():
        user_model.objects.filter(pk=user.pk).update(is_active=False)
        account_sessions_end(user_id=user.pk)
