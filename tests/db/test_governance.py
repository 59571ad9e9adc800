from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User

from kinwise.core.models import Service
from kinwise.errors import ErrorCode, KinwiseError
from kinwise.governance.models import AuditRun
from kinwise.governance.services import audit_run_save
from kinwise.records.models import Person
from kinwise.records.services import casefile_import
from kinwise.rules.audit import audit_casefile

AS_OF = dt.date(2026, 11, 30)
SINCE = dt.date(2025, 11, 30)


class FakeAudit:
    def __init__(self, person: str, rules_version: int = 1) -> None:
        self.person = person
        self.rules_version = rules_version

    def to_json(self) -> dict[str, Any]:
        return {"person": self.person, "rules_version": self.rules_version, "findings": []}


@pytest.mark.django_db
def test_a_run_keeps_each_persons_audit_and_is_never_overwritten(
    example: Callable[[str], Any], riverside: Service
) -> None:
    casefile = example("03-historic-arrangement.yaml")
    casefile_import(casefile=casefile, service=riverside, actor=None)
    ruth = User.objects.create_user(username="ruth")
    audit = audit_casefile(casefile, as_of=AS_OF, since=SINCE)

    daniel = Person.objects.get()
    first = audit_run_save(audits=[audit], as_of=AS_OF, since=SINCE, actor=ruth, person=daniel)
    second = audit_run_save(audits=[audit], as_of=AS_OF, since=SINCE)
    third = audit_run_save(audits=[audit], as_of=AS_OF, since=SINCE, service=riverside)

    assert AuditRun.objects.count() == 3
    first.refresh_from_db()
    assert first.findings == [audit.to_json()]
    assert (first.service, first.person, first.actor) == (riverside, daniel, ruth)
    assert (first.as_of, first.since, first.rules_version) == (AS_OF, SINCE, "1")
    assert (second.service, second.person, second.actor) == (None, None, None)
    # a service's run of its only person is still a run over the service
    assert (third.service, third.person) == (riverside, None)


@pytest.mark.django_db
def test_a_person_of_another_service_cannot_be_saved_against_this_one(
    example: Callable[[str], Any], riverside: Service
) -> None:
    casefile = example("03-historic-arrangement.yaml")
    casefile_import(casefile=casefile, service=riverside, actor=None)
    other = Service.objects.create(
        organisation=riverside.organisation, external_id="oakfield", name="Oakfield"
    )
    audit = audit_casefile(casefile, as_of=AS_OF, since=SINCE)
    with pytest.raises(KinwiseError) as caught:
        audit_run_save(
            audits=[audit], as_of=AS_OF, since=SINCE, service=other, person=Person.objects.get()
        )
    assert caught.value.code is ErrorCode.CONFLICT
    assert AuditRun.objects.count() == 0


@pytest.mark.django_db
def test_a_run_of_several_people_points_at_no_single_person(riverside: Service) -> None:
    run = audit_run_save(
        audits=[FakeAudit("sam"), FakeAudit("daniel")], as_of=AS_OF, since=SINCE, service=riverside
    )
    assert run.person is None
    assert [f["person"] for f in run.findings] == ["sam", "daniel"]


@pytest.mark.django_db
def test_an_empty_run_uses_the_catalogues_version_and_unknown_versions_are_refused() -> None:
    assert audit_run_save(audits=[], as_of=AS_OF, since=SINCE).rules_version == "2"
    # version-1 files (catalogue 1) and version-2 files (catalogue 2) share a run
    both = [FakeAudit("a", 1), FakeAudit("b", 2)]
    assert audit_run_save(audits=both, as_of=AS_OF, since=SINCE).rules_version == "2"
    assert audit_run_save(audits=[FakeAudit("a", 1)], as_of=AS_OF, since=SINCE).rules_version == "1"
    with pytest.raises(KinwiseError) as unknown:
        audit_run_save(audits=[FakeAudit("a", 1), FakeAudit("b", 3)], as_of=AS_OF, since=SINCE)
    assert unknown.value.code == ErrorCode.CONFLICT
    assert AuditRun.objects.count() == 3
