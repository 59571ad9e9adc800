"""The staff directory: a member of staff is one identity of the organisation across every
person they support; a file or a web save that gives them other values updates the
directory (a new version with its history) and everyone else's circle, whose stored
audits then go stale."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kinwise.audits.selectors import data_stamps
from kinwise.audits.services import audit_snapshots_refresh
from kinwise.casefile.load import casefile_to_data, load_casefile, validate_data
from kinwise.casefile.schema import CaseFile
from kinwise.core.models import (
    Organisation,
    RecordVersion,
    Service,
    StaffMember,
    StaffMembership,
    StaffRole,
)
from kinwise.core.services import organisation_ensure, service_ensure
from kinwise.core.staff import staff_directory, staff_member_history, staff_member_user_link
from kinwise.errors import ErrorCode, KinwiseError
from kinwise.records.models import Person
from kinwise.records.selectors import casefile_export
from kinwise.records.services import casefile_import, edits
from kinwise.rules.audit import default_since
from tests.conftest import CASEFILES

SAM = "01-risk-and-independence.before.yaml"
DANIEL = "03-historic-arrangement.before.yaml"
AS_OF = dt.date(2026, 6, 1)


def build(data: dict[str, Any]) -> CaseFile:
    casefile, errors = validate_data(data)
    assert not errors, [str(e) for e in errors]
    assert casefile is not None
    return casefile


def data_of(name: str) -> dict[str, Any]:
    return casefile_to_data(load_casefile(CASEFILES / name))


def priya_in(data: dict[str, Any], **values: Any) -> dict[str, Any]:
    """The file with Priya (Sam's support worker) also in this person's circle."""
    member = {"id": "priya", "name": "Priya Shah", "kind": "staff", "job": "support worker"}
    member.update(values)
    data["circle"] = [m for m in data["circle"] if m["id"] != "priya"] + [member]
    return data


def staff_of(person: Person, member: str) -> dict[str, Any]:
    circle = casefile_to_data(casefile_export(person=person))["circle"]
    found: dict[str, Any] = next(m for m in circle if m["id"] == member)
    return found


@pytest.fixture
def riverside(db: Any) -> Service:
    organisation = organisation_ensure(slug="acme", name="Acme")
    return service_ensure(organisation=organisation, external_id="riverside", name="Riverside")


def store(service: Service, data: dict[str, Any], actor: User | None = None) -> Person:
    result = casefile_import(casefile=build(data), service=service, actor=actor)
    return Person.objects.get(pk=result.person_pk)


def test_a_member_of_staff_in_two_circles_is_one_entry(riverside: Service) -> None:
    sam = store(riverside, data_of(SAM))
    daniel = store(
        riverside, priya_in(data_of(DANIEL), trained={"administer_medication": "2025-09-01"})
    )
    entries = staff_directory(organisation_id=riverside.organisation_id)
    assert sorted(entries) == ["priya", "ruth"]
    priya = entries["priya"]
    assert (priya.name, priya.job, priya.trained, priya.version) == (
        "Priya Shah",
        "support worker",
        {"administer_medication": "2025-09-01"},
        1,
    )
    assert [(v.version, v.action, v.source) for v in staff_member_history(entry=priya)] == [
        (1, "created", "import")
    ]
    assert staff_of(sam, "priya") == staff_of(daniel, "priya")
    # another organisation's priya is another member of staff
    other = service_ensure(
        organisation=organisation_ensure(slug="other", name="Other"),
        external_id="riverside",
        name="Riverside",
    )
    store(other, priya_in(data_of(DANIEL), name="Priya Patel"))
    assert StaffMember.objects.filter(external_id="priya").count() == 2
    assert staff_of(sam, "priya")["name"] == "Priya Shah"


def test_a_file_that_differs_updates_the_directory_and_everyone_they_support(
    riverside: Service,
) -> None:
    sam = store(riverside, data_of(SAM))
    daniel = store(
        riverside, priya_in(data_of(DANIEL), trained={"administer_medication": "2025-09-01"})
    )
    since = default_since(AS_OF)
    stamps = data_stamps(people=Person.objects.filter(pk__in=[sam.pk, daniel.pk]))
    audit_snapshots_refresh(stamps=stamps, as_of=AS_OF, since=since)
    sam_versions = RecordVersion.objects.filter(person=sam).count()

    importer = User.objects.create_user(username="importer", password="pw-for-tests-only")
    # Daniel's file says Priya's medication training was never recorded, and her job changed
    store(riverside, priya_in(data_of(DANIEL), job="senior support worker"), actor=importer)

    priya = StaffMember.objects.get(organisation=riverside.organisation, external_id="priya")
    assert (priya.job, priya.trained, priya.version) == ("senior support worker", {}, 2)
    history = staff_member_history(entry=priya)
    assert [(v.version, v.action, v.source, v.actor_id) for v in history] == [
        (2, "updated", "import", importer.pk),
        (1, "created", "import", None),
    ]
    assert history[1].snapshot == {
        "id": "priya",
        "name": "Priya Shah",
        "job": "support worker",
        "trained": {"administer_medication": "2025-09-01"},
    }
    assert history[0].snapshot == {
        "id": "priya",
        "name": "Priya Shah",
        "job": "senior support worker",
    }
    # Sam's circle has the directory's values, as a new version of Sam's record
    assert staff_of(sam, "priya") == {
        "id": "priya",
        "name": "Priya Shah",
        "kind": "staff",
        "informal_carer": False,
        "job": "senior support worker",
    }
    added = list(RecordVersion.objects.filter(person=sam).order_by("id")[sam_versions:])
    assert [(v.kind, v.external_id, v.version, v.action, v.source, v.actor_id) for v in added] == [
        ("member", "priya", 2, "updated", "staff directory", importer.pk)
    ]
    # Sam's stored audit is stale (the stamp moved) and is computed again: Priya gives
    # Sam's medication without recorded training now
    after = data_stamps(people=Person.objects.filter(pk__in=[sam.pk, daniel.pk]))
    assert after[sam.pk] != stamps[sam.pk]
    audits = audit_snapshots_refresh(stamps=after, as_of=AS_OF, since=since)
    assert "PA06" in {f.rule for f in audits[sam.pk].audit.findings}


def test_an_unchanged_member_of_staff_writes_nothing(riverside: Service) -> None:
    sam = store(riverside, data_of(SAM))
    store(riverside, priya_in(data_of(DANIEL), trained={"administer_medication": "2025-09-01"}))
    stamp = data_stamps(people=Person.objects.filter(pk=sam.pk))
    store(
        riverside,
        priya_in(
            data_of(DANIEL),
            trained={"administer_medication": "2025-09-01"},
            relationship="keyworker",
        ),
    )
    priya = StaffMember.objects.get(external_id="priya")
    assert priya.version == 1
    # relationship is the circle's, not the directory's
    assert "relationship" not in staff_of(sam, "priya")
    assert data_stamps(people=Person.objects.filter(pk=sam.pk)) == stamp


def test_training_recorded_on_the_web_is_the_directorys(riverside: Service) -> None:
    sam = store(riverside, data_of(SAM))
    daniel = store(riverside, priya_in(data_of(DANIEL)))
    assert staff_of(sam, "priya").get("trained") is None
    worker = User.objects.create_user(username="worker", password="pw-for-tests-only")
    edits.member_training_record(
        person=daniel,
        member_id="priya",
        task="administer_medication",
        on="2026-05-30",
        actor=worker,
    )
    expected = {"administer_medication": "2026-05-30"}
    assert staff_of(daniel, "priya")["trained"] == expected
    assert staff_of(sam, "priya")["trained"] == expected
    priya = StaffMember.objects.get(external_id="priya")
    assert (priya.trained, priya.version) == (expected, 3)
    latest = staff_member_history(entry=priya)[0]
    assert (latest.action, latest.source, latest.actor_id) == ("updated", "web", worker.pk)
    assert (
        RecordVersion.objects.filter(person=sam, kind="member", external_id="priya")
        .order_by("-version")
        .values_list("source", "actor_id")[0]
    ) == ("staff directory", worker.pk)


def test_a_member_of_another_kind_is_not_the_directorys(riverside: Service) -> None:
    sam = store(riverside, data_of(SAM))
    data = data_of(DANIEL)
    data["circle"].append({"id": "priya", "name": "Priya Okafor", "kind": "family"})
    store(riverside, data)
    assert staff_of(sam, "priya")["name"] == "Priya Shah"
    assert StaffMember.objects.get(external_id="priya").version == 1


def test_the_directory_links_the_login_named_by_the_member_id(riverside: Service) -> None:
    login = User.objects.create_user(username="priya", password="pw-for-tests-only")
    StaffMembership.objects.create(user=login, service=riverside, role=StaffRole.SUPPORT_WORKER)
    stranger = User.objects.create_user(username="tom", password="pw-for-tests-only")
    store(riverside, data_of("01-risk-and-independence.yaml"))
    entries = staff_directory(organisation_id=riverside.organisation_id)
    assert entries["priya"].user_id == login.pk
    assert entries["tom"].user_id is None  # no role in the organisation
    with pytest.raises(KinwiseError) as refused:
        staff_member_user_link(entry=entries["tom"], user=stranger, actor=None)
    assert refused.value.code == ErrorCode.INVALID_INPUT
    StaffMembership.objects.create(user=stranger, service=riverside, role=StaffRole.TEAM_LEADER)
    linked = staff_member_user_link(entry=entries["tom"], user=stranger, actor=login)
    assert (linked.user_id, linked.version) == (stranger.pk, 2)
    assert staff_member_history(entry=linked)[0].reason == "login linked"


def test_bringing_everyone_to_a_change_costs_the_same_queries_for_2_and_8_people(
    db: Any,
) -> None:
    counts = []
    for size in (2, 8):
        organisation = Organisation.objects.create(slug=f"org{size}", name="Org")
        # Daniel in each of the organisation's services, all supported by Priya
        services = [
            service_ensure(organisation=organisation, external_id=f"s{k}", name="S")
            for k in range(size)
        ]
        for service in services:
            store(
                service,
                priya_in(data_of(DANIEL), trained={"administer_medication": "2025-09-01"}),
            )
        changed = priya_in(data_of(DANIEL), trained={"administer_medication": "2026-01-01"})
        with CaptureQueriesContext(connection) as captured:
            store(services[0], changed)
        counts.append(len(captured.captured_queries))
        assert {
            m.get("trained", {}).get("administer_medication")
            for p in Person.objects.filter(service__organisation=organisation)
            for m in casefile_to_data(casefile_export(person=p))["circle"]
            if m["id"] == "priya"
        } == {"2026-01-01"}
    # the import's own 9, and 8 for the directory: the entry (read, written, its version)
    # and everyone else (the people locked, their records read and written, their
    # versions, their stamps)
    assert counts == [17, 17]
