"""Shared fixtures of the data protection tests: Acme's Riverside service with Sam
(example 1, imported then changed on the pages) and Daniel (example 3), staff of each
role, someone of another organisation, and an access log that keeps what it is told."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from kinwise.dataprotection.accesslog import access_log_wire
from kinwise.records.models import Person

CASEFILES = Path(__file__).resolve().parents[2] / "src" / "kinwise" / "demo" / "casefiles"
AT = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)


@dataclass
class KeptAccessLog:
    """An access log in memory: entries given per person pk, notes kept in order."""

    entries: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    notes: list[tuple[int, int | None, str]] = field(default_factory=list)

    def entries_about(self, *, person: Person) -> Sequence[Mapping[str, Any]]:
        return self.entries.get(person.pk, [])

    def note(self, *, person: Person, user_id: int | None, action: str) -> None:
        self.notes.append((person.pk, user_id, action))


@pytest.fixture
def kept_log() -> Iterator[KeptAccessLog]:
    log = KeptAccessLog()
    before = access_log_wire(log)
    yield log
    access_log_wire(before)


@pytest.fixture
def world(db: None) -> dict[str, Any]:
    from kinwise.casefile.load import load_casefile
    from kinwise.core.models import StaffRole
    from kinwise.core.services import organisation_ensure, service_ensure, staff_user_ensure
    from kinwise.records.services import casefile_import

    acme = organisation_ensure(slug="acme", name="Acme Care")
    other = organisation_ensure(slug="other", name="Other Care")
    riverside = service_ensure(
        organisation=acme, external_id="riverside", name="Riverside Supported Living"
    )
    elsewhere = service_ensure(organisation=other, external_id="elsewhere", name="Elsewhere")

    def staff(username: str, service: Any, role: StaffRole) -> Any:
        return staff_user_ensure(
            username=username, password="a-long-test-password", service=service, role=role
        )

    manager = staff("manager", riverside, StaffRole.REGISTERED_MANAGER)
    manager.first_name, manager.last_name = "Rita", "Manager"
    manager.save()
    people = {}
    for key, name in (("sam", "01-risk-and-independence"), ("daniel", "03-historic-arrangement")):
        result = casefile_import(
            casefile=load_casefile(CASEFILES / f"{name}.yaml"),
            service=riverside,
            actor=manager,
            at=AT - dt.timedelta(days=30),
        )
        people[key] = Person.objects.get(pk=result.person_pk)
    return {
        "service": riverside,
        "people": people,
        "manager": manager,
        "leader": staff("leader", riverside, StaffRole.TEAM_LEADER),
        "worker": staff("worker", riverside, StaffRole.SUPPORT_WORKER),
        "quality": staff("quality", riverside, StaffRole.QUALITY_LEAD),
        "outsider": staff("outsider", elsewhere, StaffRole.REGISTERED_MANAGER),
    }
