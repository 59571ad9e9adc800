"""Fixtures of the web tests: one organisation with two services, a second organisation,
staff of every role, and the example case files imported."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import AbstractBaseUser
from django.test import Client

import kinwise
from kinwise.casefile.load import load_casefile
from kinwise.core.models import Service, StaffRole
from kinwise.core.services import organisation_ensure, service_ensure, staff_user_ensure
from kinwise.records.models import Person
from kinwise.records.services import casefile_import
from tests.signin import signed_in_client

CASEFILES = Path(kinwise.__file__).resolve().parent / "demo" / "casefiles"
PASSWORD = "a-long-test-password"


@pytest.fixture(autouse=True)
def fast_passwords(settings: Any) -> None:
    """A fast password hash: the tests create many logins."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> Callable[[dt.date], None]:
    """Set the date the pages read as today."""

    def set_today(value: dt.date) -> None:
        monkeypatch.setattr("kinwise.clock.today", lambda: value)

    return set_today


@pytest.fixture
def world(db: Any) -> dict[str, Any]:
    return make_world()


def make_world() -> dict[str, Any]:
    """Org 'acme' with services oakfield and riverside, org 'other' with service elsewhere."""
    acme = organisation_ensure(slug="acme", name="Acme Care")
    other = organisation_ensure(slug="other", name="Other Care")
    oakfield = service_ensure(organisation=acme, external_id="oakfield", name="Oakfield")
    riverside = service_ensure(organisation=acme, external_id="riverside", name="Riverside")
    elsewhere = service_ensure(organisation=other, external_id="elsewhere", name="Elsewhere")
    users = {
        "worker": staff_user_ensure(
            username="worker", password=PASSWORD, service=oakfield, role=StaffRole.SUPPORT_WORKER
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
        "outsider": staff_user_ensure(
            username="outsider",
            password=PASSWORD,
            service=elsewhere,
            role=StaffRole.REGISTERED_MANAGER,
        ),
    }
    return {
        "services": {"oakfield": oakfield, "riverside": riverside, "elsewhere": elsewhere},
        "users": users,
    }


def import_example(name: str, service: Service, actor: AbstractBaseUser | None = None) -> Person:
    casefile = load_casefile(CASEFILES / name)
    result = casefile_import(casefile=casefile, service=service, actor=actor, source="import")
    return Person.objects.get(pk=result.person_pk)


@pytest.fixture
def people(world: dict[str, Any]) -> dict[str, Person]:
    return make_people(world)


def make_people(world: dict[str, Any]) -> dict[str, Person]:
    """Sam (example 1) and Daniel (example 3) at Riverside, Aisha (example 2) at Oakfield,
    and a copy of Sam at the other organisation."""
    services = world["services"]
    return {
        "sam": import_example("01-risk-and-independence.yaml", services["riverside"]),
        "aisha": import_example("02-vocal-relative.before.yaml", services["oakfield"]),
        "daniel": import_example("03-historic-arrangement.before.yaml", services["riverside"]),
        "stranger": import_example("01-risk-and-independence.yaml", services["elsewhere"]),
    }


def client_for(user: AbstractBaseUser) -> Client:
    """A client signed in as ``user`` (password and, where owed, the second factor)."""
    return signed_in_client(user)


@pytest.fixture
def as_user(world: dict[str, Any]) -> Callable[[str], Client]:
    return lambda name: client_for(world["users"][name])


def record_path(path: str, person: Person) -> str:
    """``path`` with each ``{kind:key}`` replaced by the opaque id of that record of the
    person (the web names records by opaque ids)."""
    import re

    from kinwise.records.models import Record

    def opaque(match: re.Match[str]) -> str:
        kind, key = match.group(1), match.group(2)
        row = Record.objects.filter(person=person, kind=kind, key=key).order_by("-pk").first()
        assert row is not None, (kind, key)
        return str(row.pk)

    return re.sub(r"\{(\w+):([^}]+)\}", opaque, path)


def version_of(person: Person, kind: str, key: str) -> str:
    """The current version of one of the person's records, as an edit form carries it."""
    from kinwise.records.models import Record

    return str(Record.objects.get(person=person, kind=kind, key=key, superseded_at=None).version)
