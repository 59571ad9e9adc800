"""The web's world (two organisations, staff of every role, the example people) for the
access-log tests."""

from __future__ import annotations

from typing import Any

import pytest

from kinwise.records.models import Person
from tests.web.conftest import fast_passwords, make_people, make_world  # noqa: F401


@pytest.fixture
def world(db: Any) -> dict[str, Any]:
    return make_world()


@pytest.fixture
def people(world: dict[str, Any]) -> dict[str, Person]:
    return make_people(world)
