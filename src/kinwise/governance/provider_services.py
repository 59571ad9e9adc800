"""Writes for setting up a provider: its organisation, its services and the very first
registered manager. Each write records who made it and when (governance history)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from kinwise.casefile.schema import is_blank
from kinwise.core.ids import id_from_name
from kinwise.core.models import Organisation, Service, StaffMembership, StaffRole
from kinwise.errors import ErrorCode, FieldError, KinwiseError
from kinwise.governance.history import change_write
from kinwise.governance.staff_services import check_new_login

NAME_MAX = 200


def _service_name(name: str, *, organisation: Organisation, other_than: int | None) -> str:
    name = name.strip()
    if is_blank(name):
        raise KinwiseError(
            ErrorCode.INVALID_INPUT,
            "the service has no name",
            [FieldError("name", "Enter the name of the service")],
        )
    if len(name) > NAME_MAX:
        raise KinwiseError(
            ErrorCode.INVALID_INPUT,
            "the service's name is too long",
            [FieldError("name", f"The name must be {NAME_MAX} characters or fewer")],
        )
    same = Service.objects.filter(organisation=organisation, name__iexact=name)
    if other_than is not None:
        same = same.exclude(pk=other_than)
    if same.exists():
        raise KinwiseError(
            ErrorCode.CONFLICT,
            "a service of that name exists",
            [FieldError("name", "There is already a service with this name")],
        )
    return name


def _service_snapshot(service: Service) -> dict[str, object]:
    return {
        "organisation": service.organisation_id,
        "id": service.external_id,
        "name": service.name,
    }


def service_create(
    *,
    organisation: Organisation,
    name: str,
    actor: AbstractBaseUser | None,
    at: dt.datetime | None = None,
) -> Service:
    """A new service of ``organisation`` named ``name`` (unique in the organisation,
    ignoring case); its case-file id is made from the name."""
    now = at or timezone.now()
    with transaction.atomic():
        clean = _service_name(name, organisation=organisation, other_than=None)
        taken = set(
            Service.objects.filter(organisation=organisation).values_list("external_id", flat=True)
        )
        service = Service.objects.create(
            organisation=organisation,
            external_id=id_from_name(clean, taken=taken, fallback="service"),
            name=clean,
        )
        change_write(
            entity="service",
            entity_pk=service.pk,
            action="created",
            snapshot=_service_snapshot(service),
            actor=actor,
            at=now,
        )
    return service


def service_rename(
    *, service: Service, name: str, actor: AbstractBaseUser | None, at: dt.datetime | None = None
) -> Service:
    """The service under a new name; its case-file id stays, so imports still find it."""
    now = at or timezone.now()
    with transaction.atomic():
        locked = Service.objects.select_for_update().get(pk=service.pk)
        clean = _service_name(name, organisation=locked.organisation, other_than=locked.pk)
        if clean == locked.name:
            return locked
        locked.name = clean
        locked.save(update_fields=["name"])
        change_write(
            entity="service",
            entity_pk=locked.pk,
            action="renamed",
            snapshot=_service_snapshot(locked),
            actor=actor,
            at=now,
        )
    return locked


def first_admin_create(
    *,
    username: str,
    email: str,
    password: str,
    organisation_name: str | None,
    service_name: str | None,
    at: dt.datetime | None = None,
) -> tuple[AbstractBaseUser, Organisation, Service]:
    """A registered manager's login for the provider (``kinwise createadmin``).

    The organisation is the only one in the database, or, when there is none, a new one
    named ``organisation_name``. The login's membership is in the organisation's first
    service (a registered manager oversees every service of the organisation); with no
    service yet, one named ``service_name`` is created. Errors name the missing or bad
    input; nothing is written on any error."""
    now = at or timezone.now()
    with transaction.atomic():
        organisations = list(Organisation.objects.all()[:2])
        if len(organisations) > 1:
            raise KinwiseError(
                ErrorCode.USAGE,
                "the database has more than one organisation: "
                "add managers in the web, as a registered manager",
            )
        if organisations:
            organisation = organisations[0]
        else:
            if organisation_name is None or is_blank(organisation_name):
                raise KinwiseError(ErrorCode.USAGE, "give the organisation's name (--organisation)")
            taken = set(Organisation.objects.values_list("slug", flat=True))
            clean = organisation_name.strip()[:NAME_MAX]
            organisation = Organisation.objects.create(
                slug=id_from_name(clean, taken=taken, fallback="provider")[:64], name=clean
            )
        service = Service.objects.filter(organisation=organisation).order_by("pk").first()
        if service is None:
            if service_name is None or is_blank(service_name):
                raise KinwiseError(ErrorCode.USAGE, "give the first service's name (--service)")
            service = service_create(
                organisation=organisation, name=service_name, actor=None, at=now
            )
        errors = check_new_login(username=username, email=email, password=password)
        if errors:
            raise KinwiseError(ErrorCode.INVALID_INPUT, "the login was not created", errors)
        user = get_user_model().objects.create_user(
            username=username.strip(), email=email.strip(), password=password
        )
        StaffMembership.objects.create(
            user=user, service=service, role=StaffRole.REGISTERED_MANAGER
        )
        change_write(
            entity="staff",
            entity_pk=user.pk,
            action="created",
            snapshot={
                "active": True,
                "roles": {str(service.pk): StaffRole.REGISTERED_MANAGER.value},
                "by": "createadmin",
            },
            actor=None,
            at=now,
        )
    return user, organisation, service
