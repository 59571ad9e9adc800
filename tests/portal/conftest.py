"""Fixtures of the portal tests: the demo's three stories (after) imported, and the
demo's portal logins (imran, mark, grace, sam) linked as `kinwise demo` links them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import AbstractBaseUser
from django.test import Client

from kinwise.family.services import portal_demo_ensure
from kinwise.records.models import Person
from tests.signin import signed_in_client
from tests.web.conftest import PASSWORD, import_example, make_world

# Today, for every portal test: after every story's last record.
TODAY = dt.date(2026, 12, 2)


@pytest.fixture(autouse=True)
def fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def portal_today(monkeypatch: pytest.MonkeyPatch) -> dt.date:
    monkeypatch.setattr("kinwise.clock.today", lambda: TODAY)
    return TODAY


def make_portal(world: dict[str, Any]) -> dict[str, Any]:
    services = world["services"]
    people = {
        "sam": import_example("01-risk-and-independence.yaml", services["riverside"]),
        "aisha": import_example("02-vocal-relative.yaml", services["oakfield"]),
        "daniel": import_example("03-historic-arrangement.yaml", services["riverside"]),
    }
    logins = (("imran", "aisha", "imran"), ("mark", "daniel", "mark"), ("grace", "sam", "grace"))
    for username, person, member in (*logins, ("sam", "sam", "sam")):
        portal_demo_ensure(
            person=people[person], member_id=member, username=username, password=PASSWORD
        )
    from django.contrib.auth import get_user_model

    users = {u.username: u for u in get_user_model().objects.all()}
    return {"people": people, "users": users, "services": services}


@pytest.fixture
def portal(db: Any) -> dict[str, Any]:
    world = make_world()
    found = make_portal(world)
    found["staff"] = world["users"]
    return found


def client_for(user: AbstractBaseUser) -> Client:
    return signed_in_client(user)


def area_url(person: Person, area: str) -> str:
    return f"/portal/{person.pk}/area/{area}/"
