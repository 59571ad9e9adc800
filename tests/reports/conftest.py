"""Shared fixtures of the report tests: the project's copies of the example case files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kinwise.casefile.load import load_casefile
from kinwise.casefile.schema import CaseFile


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: runs in headless Chromium (skipped without it)")


CASEFILES = Path(__file__).resolve().parents[2] / "src" / "kinwise" / "demo" / "casefiles"


def example(name: str) -> CaseFile:
    """An example case file by its stem, e.g. ``03-historic-arrangement``."""
    return load_casefile(CASEFILES / f"{name}.yaml")


@pytest.fixture
def sam() -> CaseFile:
    return example("01-risk-and-independence")


@pytest.fixture
def aisha() -> CaseFile:
    return example("02-vocal-relative")


@pytest.fixture
def daniel() -> CaseFile:
    return example("03-historic-arrangement")


# --- stored records (database tests) ---------------------------------------------------------


@pytest.fixture
def riverside_world(db: None) -> dict[str, Any]:
    """Acme's Riverside service with Sam (example 1) and Daniel (example 3), a registered
    manager of Riverside, and a support worker of another organisation."""
    from kinwise.core.models import StaffRole
    from kinwise.core.services import organisation_ensure, service_ensure, staff_user_ensure
    from kinwise.records.models import Person
    from kinwise.records.services import casefile_import

    acme = organisation_ensure(slug="acme", name="Acme Care")
    other = organisation_ensure(slug="other", name="Other Care")
    riverside = service_ensure(
        organisation=acme, external_id="riverside", name="Riverside Supported Living"
    )
    elsewhere = service_ensure(organisation=other, external_id="elsewhere", name="Elsewhere")
    people = {}
    for key, name in (("sam", "01-risk-and-independence"), ("daniel", "03-historic-arrangement")):
        result = casefile_import(casefile=example(name), service=riverside, actor=None)
        people[key] = Person.objects.get(pk=result.person_pk)
    manager = staff_user_ensure(
        username="manager",
        password="a-long-test-password",
        service=riverside,
        role=StaffRole.REGISTERED_MANAGER,
    )
    outsider = staff_user_ensure(
        username="outsider",
        password="a-long-test-password",
        service=elsewhere,
        role=StaffRole.SUPPORT_WORKER,
    )
    return {
        "service": riverside,
        "people": people,
        "manager": manager,
        "outsider": outsider,
    }
