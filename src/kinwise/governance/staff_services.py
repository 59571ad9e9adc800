"""Writes for staff logins: invitations, roles per service, and deactivating a leaver.

Every write records who made it and when in the governance history (entity "staff",
the user's id, a snapshot of their roles and whether the login is active). A login is
never deleted: a leaver is deactivated and keeps their history.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from kinwise.access import may_do_across
from kinwise.core.models import Organisation, Service, StaffMembership, StaffRole
from kinwise.core.services import account_sessions_end
from kinwise.errors import ErrorCode, FieldError, KinwiseError
from kinwise.governance.history import change_write

NAME_MAX = 150


def check_new_login(*, username: str, email: str, password: str | None = None) -> list[FieldError]:
    """What is wrong with a new login's user name, email address (and password): each
    error at its field, in plain words. Names and addresses are compared ignoring case."""
    errors: list[FieldError] = []
    username = username.strip()
    email = email.strip()
    users = get_user_model().objects
    if not username:
        errors.append(FieldError("username", "Enter a user name"))
    elif len(username) > NAME_MAX:
        errors.append(
            FieldError("username", f"The user name must be {NAME_MAX} characters or fewer")
        )
    else:
        try:
            UnicodeUsernameValidator()(username)
        except ValidationError:
            errors.append(
                FieldError(
                    "username",
                    "The user name can only have letters, digits and the characters @ . + - _",
                )
            )
        else:
            if users.filter(username__iexact=username).exists():
                errors.append(FieldError("username", "Someone already has this user name"))
    if not email:
        errors.append(FieldError("email", "Enter an email address"))
    else:
        try:
            validate_email(email)
        except ValidationError:
            errors.append(
                FieldError(
                    "email", "Enter an email address in the right form, like name@example.com"
                )
            )
        else:
            if users.filter(email__iexact=email).exists():
                errors.append(FieldError("email", "Someone already has this email address"))
    if password is not None:
        try:
            validate_password(password)
        except ValidationError as exc:
            errors.extend(FieldError("password", str(message)) for message in exc.messages)
    return errors


def _snapshot(user: AbstractBaseUser, organisation: Organisation) -> dict[str, object]:
    roles = dict(
        StaffMembership.objects.filter(user_id=user.pk, service__organisation=organisation)
        .order_by("service_id")
        .values_list("service_id", "role")
    )
    return {"active": user.is_active, "roles": {str(k): v for k, v in roles.items()}}


def _record(
    *,
    user: AbstractBaseUser,
    organisation: Organisation,
    action: str,
    actor: AbstractBaseUser | None,
    at: dt.datetime,
) -> None:
    change_write(
        entity="staff",
        entity_pk=user.pk,
        action=action,
        snapshot=_snapshot(user, organisation),
        actor=actor,
        at=at,
    )


def _role(role: str) -> StaffRole:
    if role not in StaffRole.values:
        raise KinwiseError(
            ErrorCode.INVALID_INPUT, "unknown role", [FieldError("role", "Choose a role")]
        )
    return StaffRole(role)


def _service_of(organisation: Organisation, service_pk: int | None) -> Service:
    service = (
        Service.objects.filter(organisation=organisation, pk=service_pk).first()
        if service_pk is not None
        else None
    )
    if service is None:
        raise KinwiseError(
            ErrorCode.INVALID_INPUT, "unknown service", [FieldError("service", "Choose a service")]
        )
    return service


@dataclass(frozen=True)
class Invitation:
    """What a manager types to invite a member of staff."""

    first_name: str
    last_name: str
    username: str
    email: str
    service_pk: int | None
    role: str


def staff_invite(
    *,
    organisation: Organisation,
    invitation: Invitation,
    actor: AbstractBaseUser,
    at: dt.datetime | None = None,
) -> AbstractBaseUser:
    """A new login with a role in one service of ``organisation`` and no password yet:
    the invitation's link lets them set one. Every problem is reported at its field."""
    now = at or timezone.now()
    _grantor(organisation, actor)
    errors: list[FieldError] = []
    if not invitation.first_name.strip():
        errors.append(FieldError("first_name", "Enter their first name"))
    if len(invitation.first_name.strip()) > NAME_MAX:
        errors.append(
            FieldError("first_name", f"The first name must be {NAME_MAX} characters or fewer")
        )
    if len(invitation.last_name.strip()) > NAME_MAX:
        errors.append(
            FieldError("last_name", f"The last name must be {NAME_MAX} characters or fewer")
        )
    errors.extend(check_new_login(username=invitation.username, email=invitation.email))
    for check in (
        lambda: _service_of(organisation, invitation.service_pk),
        lambda: _role(invitation.role),
    ):
        try:
            check()
        except KinwiseError as exc:
            errors.extend(exc.errors)
    if errors:
        raise KinwiseError(ErrorCode.INVALID_INPUT, "the invitation has errors", errors)
    try:
        return _invited(organisation=organisation, invitation=invitation, actor=actor, at=now)
    except IntegrityError:  # the same user name, taken between the check and the write
        raise KinwiseError(
            ErrorCode.CONFLICT,
            "the user name is taken",
            [FieldError("username", "Someone already has this user name")],
        ) from None


def _invited(
    *,
    organisation: Organisation,
    invitation: Invitation,
    actor: AbstractBaseUser,
    at: dt.datetime,
) -> AbstractBaseUser:
    with transaction.atomic():
        user = get_user_model().objects.create_user(
            username=invitation.username.strip(),
            email=invitation.email.strip(),
            first_name=invitation.first_name.strip(),
            last_name=invitation.last_name.strip(),
        )
        user.set_unusable_password()
        user.save(update_fields=["password"])
        StaffMembership.objects.create(
            user=user,
            service=_service_of(organisation, invitation.service_pk),
            role=_role(invitation.role),
        )
        _record(user=user, organisation=organisation, action="invited", actor=actor, at=at)
    return user


def _grantor(organisation: Organisation, actor: AbstractBaseUser) -> None:
    """Staff and their roles are changed only by a registered manager of the organisation
    (kinwise.access: ``grant_staff_roles``), whichever page or command asks."""
    if not may_do_across(user=actor, organisation_id=organisation.pk, action="grant_staff_roles"):
        message = "Only a registered manager can invite staff or change their roles"
        raise KinwiseError(ErrorCode.PERMISSION_DENIED, message, [FieldError("", message)])


def _not_yourself(user: AbstractBaseUser, actor: AbstractBaseUser, what: str) -> None:
    if user.pk == actor.pk:
        raise KinwiseError(
            ErrorCode.PERMISSION_DENIED,
            f"You cannot {what} yourself: ask another registered manager",
            [FieldError("", f"You cannot {what} yourself: ask another registered manager")],
        )


def membership_set(
    *,
    organisation: Organisation,
    user: AbstractBaseUser,
    service_pk: int | None,
    role: str,
    actor: AbstractBaseUser,
    at: dt.datetime | None = None,
) -> StaffMembership:
    """Give ``user`` ``role`` in one service of ``organisation`` (added, or changed when
    they already have a role there)."""
    now = at or timezone.now()
    _grantor(organisation, actor)
    _not_yourself(user, actor, "change the roles of")
    errors: list[FieldError] = []
    service: Service | None = None
    chosen: StaffRole | None = None
    try:
        service = _service_of(organisation, service_pk)
    except KinwiseError as exc:
        errors.extend(exc.errors)
    try:
        chosen = _role(role)
    except KinwiseError as exc:
        errors.extend(exc.errors)
    if errors or service is None or chosen is None:
        raise KinwiseError(ErrorCode.INVALID_INPUT, "the role has errors", errors)
    with transaction.atomic():
        membership, created = StaffMembership.objects.select_for_update().get_or_create(
            user_id=user.pk, service=service, defaults={"role": chosen}
        )
        if not created and membership.role == chosen:
            return membership
        if not created:
            membership.role = chosen
            membership.save(update_fields=["role"])
        # their sessions end on their next request: the new role applies from a new sign-in
        account_sessions_end(user_id=user.pk)
        _record(
            user=user,
            organisation=organisation,
            action="role added" if created else "role changed",
            actor=actor,
            at=now,
        )
    return membership


def membership_remove(
    *,
    organisation: Organisation,
    user: AbstractBaseUser,
    service_pk: int,
    actor: AbstractBaseUser,
    at: dt.datetime | None = None,
) -> None:
    """Take away ``user``'s role in one service of ``organisation``; the history keeps it."""
    now = at or timezone.now()
    _grantor(organisation, actor)
    _not_yourself(user, actor, "change the roles of")
    with transaction.atomic():
        others = StaffMembership.objects.filter(
            user_id=user.pk, service__organisation=organisation
        ).exclude(service_id=service_pk)
        if not others.exists():
            message = "This is their only role: deactivate them instead if they have left"
            raise KinwiseError(ErrorCode.CONFLICT, message, [FieldError("", message)])
        removed, _ = StaffMembership.objects.filter(
            user_id=user.pk, service_id=service_pk, service__organisation=organisation
        ).delete()
        if not removed:
            raise KinwiseError(ErrorCode.NOT_FOUND, "They have no role in that service")
        account_sessions_end(user_id=user.pk)
        _record(user=user, organisation=organisation, action="role removed", actor=actor, at=now)


def staff_deactivate(
    *,
    organisation: Organisation,
    user: AbstractBaseUser,
    actor: AbstractBaseUser,
    at: dt.datetime | None = None,
) -> AbstractBaseUser:
    """A leaver: the login can no longer sign in (their sessions end at the next request)
    and they leave the lists of staff to choose; their roles and history are kept."""
    now = at or timezone.now()
    _grantor(organisation, actor)
    _not_yourself(user, actor, "deactivate")
    with transaction.atomic():
        locked = get_user_model().objects.select_for_update().get(pk=user.pk)
        if not locked.is_active:
            return locked
        locked.is_active = False
        locked.save(update_fields=["is_active"])
        account_sessions_end(user_id=locked.pk)
        _record(user=locked, organisation=organisation, action="deactivated", actor=actor, at=now)
    return locked


def staff_reactivate(
    *,
    organisation: Organisation,
    user: AbstractBaseUser,
    actor: AbstractBaseUser,
    at: dt.datetime | None = None,
) -> AbstractBaseUser:
    """Undo :func:`staff_deactivate` (someone deactivated by mistake, or returning)."""
    now = at or timezone.now()
    _grantor(organisation, actor)
    with transaction.atomic():
        locked = get_user_model().objects.select_for_update().get(pk=user.pk)
        if locked.is_active:
            return locked
        locked.is_active = True
        locked.save(update_fields=["is_active"])
        _record(user=locked, organisation=organisation, action="reactivated", actor=actor, at=now)
    return locked
