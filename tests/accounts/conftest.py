"""Fixtures of the sign-in tests: staff of each role, a frozen clock that can move."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine

from kinwise.core.models import StaffRole
from kinwise.core.services import organisation_ensure, service_ensure, staff_user_ensure

PASSWORD = "a-long-test-password"
START = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def clock() -> Iterator[Any]:
    """The clock stopped at 09:00 UTC on 30 November 2026; ``clock.shift(seconds)`` moves it."""
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def staff(db: None) -> dict[str, Any]:
    acme = organisation_ensure(slug="acme", name="Acme Care")
    riverside = service_ensure(organisation=acme, external_id="riverside", name="Riverside")
    oakfield = service_ensure(organisation=acme, external_id="oakfield", name="Oakfield")
    return {
        "riverside": riverside,
        "oakfield": oakfield,
        "worker": staff_user_ensure(
            username="worker", password=PASSWORD, service=riverside, role=StaffRole.SUPPORT_WORKER
        ),
        "leader": staff_user_ensure(
            username="leader", password=PASSWORD, service=riverside, role=StaffRole.TEAM_LEADER
        ),
        "manager": staff_user_ensure(
            username="manager",
            password=PASSWORD,
            service=riverside,
            role=StaffRole.REGISTERED_MANAGER,
        ),
        "quality": staff_user_ensure(
            username="quality", password=PASSWORD, service=oakfield, role=StaffRole.QUALITY_LEAD
        ),
    }
