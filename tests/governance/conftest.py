"""Fixtures for governance: a service with staff logins and stored case files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from kinwise.casefile.load import casefile_to_data, load_casefile, validate_data
from kinwise.casefile.schema import CaseFile
from kinwise.core.models import Organisation, Service, StaffMembership, StaffRole
from kinwise.records.models import Person
from kinwise.records.services import casefile_import
from tests.browser.conftest import browser, page  # noqa: F401 - the browser tests' fixtures


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: runs in headless Chromium (skipped without it)")


CASEFILES = Path(__file__).resolve().parents[2] / "src" / "kinwise" / "demo" / "casefiles"


def example_file(name: str) -> CaseFile:
    return load_casefile(CASEFILES / name)


def example_data(name: str) -> dict[str, Any]:
    return casefile_to_data(example_file(name))


def build(data: dict[str, Any]) -> CaseFile:
    casefile, errors = validate_data(data)
    assert not errors, [str(e) for e in errors]
    assert casefile is not None
    return casefile


@pytest.fixture
def riverside(db: None) -> Service:
    organisation = Organisation.objects.create(slug="acme", name="Acme Care")
    return Service.objects.create(
        organisation=organisation, external_id="riverside", name="Riverside Supported Living"
    )


@pytest.fixture
def member(db: None) -> Callable[..., User]:
    def make(username: str, service: Service, role: StaffRole, **names: str) -> User:
        user = User.objects.create_user(username=username, password="pw-for-tests-only", **names)
        StaffMembership.objects.create(user=user, service=service, role=role)
        return user

    return make


@pytest.fixture
def store(riverside: Service) -> Callable[[CaseFile], Person]:
    def put(casefile: CaseFile, service: Service | None = None) -> Person:
        result = casefile_import(casefile=casefile, service=service or riverside, actor=None)
        return Person.objects.get(pk=result.person_pk)

    return put
