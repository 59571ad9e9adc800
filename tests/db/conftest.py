from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import User

from kinwise.core.models import Organisation, Service, StaffMembership, StaffRole


@pytest.fixture
def organisation(db: None) -> Organisation:
    return Organisation.objects.create(slug="acme", name="Acme Care")


@pytest.fixture
def riverside(organisation: Organisation) -> Service:
    return Service.objects.create(
        organisation=organisation, external_id="riverside", name="Riverside Supported Living"
    )


@pytest.fixture
def oakfield(organisation: Organisation) -> Service:
    return Service.objects.create(
        organisation=organisation, external_id="oakfield", name="Oakfield Community Support"
    )


@pytest.fixture
def staff(db: None) -> Callable[..., User]:
    def make(username: str, service: Service, role: StaffRole) -> User:
        user = User.objects.create_user(username=username, password="pw-for-tests-only")
        StaffMembership.objects.create(user=user, service=service, role=role)
        return user

    return make


def table_counts() -> dict[str, int]:
    """Rows in every table of Kinwise and of Django's auth (to prove nothing was written)."""
    counted = [
        model
        for model in apps.get_models()
        if model._meta.app_label in {"core", "records", "governance", "auth"}
    ]
    return {model._meta.label: model._default_manager.count() for model in counted}


@pytest.fixture
def counts() -> Callable[[], dict[str, Any]]:
    return table_counts
