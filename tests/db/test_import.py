from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from kinwise.casefile.load import casefile_to_data
from kinwise.core.models import RecordVersion, Service, VersionAction
from kinwise.records import models as m
from kinwise.records.selectors import casefile_export
from kinwise.records.services import casefile_import

STORY1_BEFORE = "01-risk-and-independence.before.yaml"
STORY1 = "01-risk-and-independence.yaml"
STORY3 = "03-historic-arrangement.yaml"

T1 = dt.datetime(2026, 5, 20, 12, tzinfo=dt.UTC)
T2 = dt.datetime(2026, 11, 30, 12, tzinfo=dt.UTC)


def current(kind: str) -> int:
    return int(m.Record.objects.filter(kind=kind, superseded_at__isnull=True).count())


def document(kind: str, key: str) -> dict[str, Any]:
    """The current stored document of one record."""
    data: dict[str, Any] = m.Record.objects.get(kind=kind, key=key, superseded_at=None).data
    return data


def inner(kind: str, attr: str) -> int:
    """How many rows of ``attr`` the current records of ``kind`` hold."""
    rows = m.Record.objects.filter(kind=kind, superseded_at__isnull=True)
    return sum(len(row.data.get(attr, [])) for row in rows)


@pytest.mark.django_db
def test_import_creates_every_record_of_the_file(
    example: Callable[[str], Any], riverside: Service
) -> None:
    result = casefile_import(casefile=example(STORY1), service=riverside, actor=None)

    assert (result.person_id, result.person_created) == ("sam", True)
    assert (result.created, result.updated, result.unchanged, result.superseded) == (20, 0, 0, 0)
    person = m.Person.objects.get()
    assert (person.service_id, person.external_id, person.name) == (
        riverside.pk,
        "sam",
        "Sam Okafor",
    )
    assert person.date_of_birth == dt.date(1995, 4, 12)
    assert person.communication_methods == ["verbal", "easy_read"]
    expected = {
        "member": 3,
        "consent": 2,
        "plan": 1,
        "role": 5,
        "task": 1,
        "voice": 2,
        "meeting": 2,
        "risk_assessment": 1,
        "graded_trial": 1,
        "incident": 1,
        "authority": 0,
        "capacity_assessment": 0,
        "best_interests": 0,
        "event": 0,
        "medicine": 0,
        "medication_audit": 0,
    }
    assert {kind: current(kind) for kind in expected} == expected
    assert (inner("meeting", "contributions"), inner("meeting", "decisions")) == (5, 2)
    assert inner("risk_assessment", "hazards") == 2
    assert (inner("graded_trial", "stages"), inner("graded_trial", "sessions")) == (3, 12)
    # each record is stored as its case-file document, at version 1
    assert set(m.Record.objects.values_list("version", flat=True)) == {1}
    # one version per record, all version 1, created, by the import
    versions = RecordVersion.objects.filter(person=person)
    assert versions.count() == 20
    assert set(versions.values_list("version", "action", "source")) == {(1, "created", "import")}
    role = document("role", "mobility_outdoors")
    assert role == {
        "area": "mobility_outdoors",
        "decides": "sam",
        "supported_by": ["priya"],
        "contributes": ["grace"],
        "informed": ["grace"],
        "reviewed": role["reviewed"],
    }
    sessions = document("graded_trial", "gt1")["sessions"]
    assert [s["stage"] for s in sessions][:4] == ["s1", "s1", "s1", "s2"]
    assert sessions[4]["notes"] == "Clipped a street bin; no harm"


@pytest.mark.django_db
def test_reimport_keeps_history_and_supersedes_what_left_the_file(
    example: Callable[[str], Any], riverside: Service
) -> None:
    ruth = User.objects.create_user(username="ruth")
    casefile_import(casefile=example(STORY1_BEFORE), service=riverside, actor=None, at=T1)
    result = casefile_import(casefile=example(STORY1), service=riverside, actor=ruth, at=T2)

    assert result.person_created is False
    # created: tom, v1, v2, m1, m2, ra1, gt1, i1; superseded: m0, ra0; unchanged: grace,
    # priya, c-share; updated: sam, c-plan, plan, five roles, t-meds
    assert (result.created, result.updated, result.unchanged, result.superseded) == (8, 9, 3, 2)

    person = m.Person.objects.get()
    # the meeting and risk assessment that left the file are still there, superseded
    m0 = m.Record.objects.get(kind="meeting", key="m0")
    ra0 = m.Record.objects.get(kind="risk_assessment", key="ra0")
    assert m0.superseded_at == T2 and ra0.superseded_at == T2
    assert len(m0.data["contributions"]) == 2
    assert len(ra0.data["hazards"]) == 1
    assert list(
        m.Record.objects.filter(kind="meeting", superseded_at__isnull=True)
        .order_by("position")
        .values_list("key", flat=True)
    ) == ["m1", "m2"]

    # the updated care-plan consent: same row, new values, two versions
    consent_versions = list(
        RecordVersion.objects.filter(person=person, kind="consent", external_id="c-plan").order_by(
            "version"
        )
    )
    assert [(v.version, v.action, v.actor_id, v.created_at) for v in consent_versions] == [
        (1, VersionAction.CREATED, None, T1),
        (2, VersionAction.UPDATED, ruth.pk, T2),
    ]
    assert consent_versions[0].snapshot == {
        "id": "c-plan",
        "kind": "care_plan",
        "given_by": "sam",
        "date": "2026-01-15",
    }
    assert consent_versions[1].snapshot["date"] == "2026-10-20"
    assert document("consent", "c-plan")["date"] == "2026-10-20"
    assert m.Record.objects.filter(kind="consent", key="c-plan").count() == 1
    assert m.Record.objects.get(kind="consent", key="c-plan").version == 2

    m0_versions = list(
        RecordVersion.objects.filter(person=person, kind="meeting", external_id="m0")
        .order_by("version")
        .values_list("version", "action")
    )
    assert m0_versions == [(1, "created"), (2, "superseded")]
    # unchanged records get no new version
    assert RecordVersion.objects.filter(kind="member", external_id="grace").count() == 1
    assert RecordVersion.objects.filter(person=person).count() == 14 + 8 + 9 + 2


@pytest.mark.django_db
def test_importing_the_same_file_again_changes_nothing(
    example: Callable[[str], Any], riverside: Service, counts: Callable[[], dict[str, int]]
) -> None:
    casefile_import(casefile=example(STORY3), service=riverside, actor=None)
    before = counts()
    result = casefile_import(casefile=example(STORY3), service=riverside, actor=None)
    assert (result.created, result.updated, result.unchanged, result.superseded) == (0, 0, 25, 0)
    assert counts() == before


@pytest.mark.django_db
def test_a_changed_meeting_replaces_its_inner_rows(
    example: Callable[[str], Any], riverside: Service
) -> None:
    original = example(STORY1)
    casefile_import(casefile=original, service=riverside, actor=None, at=T1)
    m2 = original.meetings[1]
    changed_meeting = m2.model_copy(update={"contributions": m2.contributions[:1]})
    changed = original.model_copy(update={"meetings": [original.meetings[0], changed_meeting]})

    result = casefile_import(casefile=changed, service=riverside, actor=None, at=T2)

    assert (result.updated, result.unchanged) == (1, 19)
    meeting = m.Record.objects.get(kind="meeting", key="m2")
    assert [c["by"] for c in meeting.data["contributions"]] == ["sam"]
    assert len(meeting.data["decisions"]) == 1
    # the version before keeps the two contributions the meeting had
    versions = RecordVersion.objects.filter(kind="meeting", external_id="m2").order_by("version")
    assert [len(v.snapshot["contributions"]) for v in versions] == [2, 1]
    assert (meeting.version, meeting.updated_at) == (2, T2)
    assert casefile_to_data(casefile_export(person=meeting.person))["meetings"][1][
        "contributions"
    ] == [
        {"by": "sam", "area": "mobility_outdoors", "text": "Route A is easy now. I want route B."}
    ]


@pytest.mark.django_db
def test_a_record_that_comes_back_is_restored_with_the_next_version(
    example: Callable[[str], Any], riverside: Service
) -> None:
    casefile_import(casefile=example(STORY1_BEFORE), service=riverside, actor=None, at=T1)
    casefile_import(casefile=example(STORY1), service=riverside, actor=None, at=T2)
    result = casefile_import(casefile=example(STORY1_BEFORE), service=riverside, actor=None)

    assert (result.created, result.superseded) == (2, 8)
    versions = list(
        RecordVersion.objects.filter(kind="meeting", external_id="m0")
        .order_by("version")
        .values_list("version", "action")
    )
    assert versions == [(1, "created"), (2, "superseded"), (3, "restored")]
    assert m.Record.objects.filter(kind="meeting", key="m0").count() == 2
    restored = m.Record.objects.get(kind="meeting", key="m0", superseded_at__isnull=True)
    assert restored.version == 3


@pytest.mark.django_db
def test_the_same_person_id_in_two_services_is_two_people(
    example: Callable[[str], Any], riverside: Service, oakfield: Service
) -> None:
    casefile_import(casefile=example(STORY1), service=riverside, actor=None)
    result = casefile_import(casefile=example(STORY1), service=oakfield, actor=None)
    assert result.person_created is True
    assert m.Person.objects.filter(external_id="sam").count() == 2
    assert current("meeting") == 4


@pytest.mark.django_db
def test_medicines_with_the_same_name_keep_their_order_and_history(
    example: Callable[[str], Any], riverside: Service
) -> None:
    original = example(STORY3)
    regimen = original.medication.regimen
    paracetamol = regimen[2]
    restarted = paracetamol.model_copy(update={"started": dt.date(2026, 8, 1)})
    stopped = paracetamol.model_copy(update={"stopped": dt.date(2026, 7, 1)})
    doubled = original.model_copy(
        update={
            "medication": original.medication.model_copy(
                update={"regimen": [*regimen[:2], stopped, *regimen[3:], restarted]}
            )
        }
    )
    casefile_import(casefile=doubled, service=riverside, actor=None)
    person = m.Person.objects.get()
    keys = list(
        m.Record.objects.filter(kind="medicine", superseded_at__isnull=True)
        .order_by("position")
        .values_list("key", flat=True)
    )
    assert keys == [
        "Levetiracetam 500 mg tablets",
        "Macrogol oral powder sachets",
        "Paracetamol 500 mg tablets",
        "Co-careldopa 25/100 mg tablets",
        "Rasagiline 1 mg tablets",
        "Paracetamol 500 mg tablets#2",
    ]
    exported = casefile_to_data(casefile_export(person=person))
    expected = casefile_to_data(doubled)
    expected.pop("as_of")
    assert exported == expected
    assert exported["medication"]["regimen"][0]["doses_per_day"] == 2


@pytest.mark.django_db
def test_a_failure_during_import_writes_nothing(
    example: Callable[[str], Any],
    riverside: Service,
    counts: Callable[[], dict[str, int]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    casefile_import(casefile=example(STORY1_BEFORE), service=riverside, actor=None, at=T1)
    before = counts()

    def fail(**kwargs: Any) -> None:
        raise RuntimeError("history unavailable")

    monkeypatch.setattr("kinwise.records.services.casefiles.versions_write", fail)
    with pytest.raises(RuntimeError):
        casefile_import(casefile=example(STORY1), service=riverside, actor=None, at=T2)

    assert counts() == before
    assert m.Record.objects.get(kind="meeting", key="m0").superseded_at is None
    assert document("consent", "c-plan")["date"] == "2026-01-15"


@pytest.mark.django_db
def test_import_time_defaults_to_now(example: Callable[[str], Any], riverside: Service) -> None:
    start = timezone.now()
    casefile_import(casefile=example(STORY1), service=riverside, actor=None, source="web")
    version = RecordVersion.objects.filter(kind="person").get()
    assert start <= version.created_at <= timezone.now()
    assert version.source == "web"
