from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser, User

from kinwise.access import people_visible_to, services_visible_to
from kinwise.core.models import Organisation, Service, StaffRole
from kinwise.records.services import casefile_import


@pytest.fixture
def other_service(db: None) -> Service:
    other = Organisation.objects.create(slug="other", name="Other Care")
    return Service.objects.create(organisation=other, external_id="riverside", name="Elsewhere")


@pytest.fixture
def people(
    example: Callable[[str], Any], riverside: Service, oakfield: Service, other_service: Service
) -> None:
    casefile_import(
        casefile=example("01-risk-and-independence.yaml"), service=riverside, actor=None
    )
    casefile_import(casefile=example("03-historic-arrangement.yaml"), service=riverside, actor=None)
    casefile_import(casefile=example("02-vocal-relative.yaml"), service=oakfield, actor=None)
    casefile_import(casefile=example("02-vocal-relative.yaml"), service=other_service, actor=None)


def names(user: Any) -> list[tuple[str, str]]:
    people = people_visible_to(user).select_related("service").order_by("service__name", "name")
    return [(p.name, p.service.name) for p in people]


@pytest.mark.django_db
@pytest.mark.parametrize("role", [StaffRole.SUPPORT_WORKER, StaffRole.TEAM_LEADER])
def test_support_workers_and_team_leaders_see_their_own_services(
    role: StaffRole, staff: Callable[..., User], riverside: Service, people: None
) -> None:
    user = staff("priya", riverside, role)
    assert list(services_visible_to(user)) == [riverside]
    assert names(user) == [
        ("Daniel Hughes", "Riverside Supported Living"),
        ("Sam Okafor", "Riverside Supported Living"),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("role", [StaffRole.REGISTERED_MANAGER, StaffRole.QUALITY_LEAD])
def test_managers_and_quality_leads_see_every_service_of_their_organisation_only(
    role: StaffRole,
    staff: Callable[..., User],
    riverside: Service,
    oakfield: Service,
    people: None,
) -> None:
    user = staff("ruth", riverside, role)
    assert set(services_visible_to(user)) == {riverside, oakfield}
    assert names(user) == [
        ("Aisha Rahman", "Oakfield Community Support"),
        ("Daniel Hughes", "Riverside Supported Living"),
        ("Sam Okafor", "Riverside Supported Living"),
    ]


@pytest.mark.django_db
def test_staff_of_another_organisation_see_nothing_of_ours(
    staff: Callable[..., User], other_service: Service, people: None
) -> None:
    manager = staff("elsewhere", other_service, StaffRole.REGISTERED_MANAGER)
    assert names(manager) == [("Aisha Rahman", "Elsewhere")]


@pytest.mark.django_db
def test_another_services_support_worker_does_not_see_the_person(
    staff: Callable[..., User], oakfield: Service, people: None
) -> None:
    user = staff("omar", oakfield, StaffRole.SUPPORT_WORKER)
    assert names(user) == [("Aisha Rahman", "Oakfield Community Support")]


@pytest.mark.django_db
def test_no_membership_anonymous_or_inactive_sees_nothing(
    staff: Callable[..., User], riverside: Service, people: None
) -> None:
    loner = User.objects.create_user(username="loner")
    assert names(loner) == []
    assert names(AnonymousUser()) == []
    inactive = staff("gone", riverside, StaffRole.REGISTERED_MANAGER)
    inactive.is_active = False
    inactive.save()
    assert names(inactive) == []
