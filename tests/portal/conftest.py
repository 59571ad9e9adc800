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


def add_concerns(portal: dict[str, Any]) -> dict[str, int]:
    """Three concerns about Sam: two Grace raised (one closed with its outcome and the
    next stage she was told of, one only acknowledged) and one Sam raised himself; their
    records' database ids by name."""
    from kinwise.records.selectors import record_current
    from kinwise.records.services.edits import record_save

    sam = portal["people"]["sam"]
    concerns = {
        "closed": {
            "kind": "complaint",
            "raised_by": "grace",
            "date": "2026-10-01",
            "area": "mobility_outdoors",
            "acknowledged": "2026-10-02",
            "response": {
                "date": "2026-10-20",
                "by": "priya",
                "text": "We added a second kerb check.",
            },
            "stages": [{"stage": "local_resolution", "date": "2026-10-02"}],
            "closed": "2026-10-25",
            "outcome": "A second member of staff checks the kerbs on the route.",
            "next_stage_told": True,
        },
        "open": {
            "kind": "disagreement",
            "raised_by": "grace",
            "date": "2026-11-20",
            "area": "health_treatment",
            "acknowledged": "2026-11-21",
        },
        "sams": {
            "kind": "concern",
            "raised_by": "sam",
            "date": "2026-11-10",
            "area": "health_treatment",
        },
    }
    ids = {}
    for name, record in concerns.items():
        saved = record_save(person=sam, kind="concern", record=record, actor=None)
        row = record_current(person=sam, kind="concern", key=saved.key)
        assert row is not None
        ids[name] = row.pk
    return ids
