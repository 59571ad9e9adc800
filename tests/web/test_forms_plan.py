"""The rest of the case file in the web: a task given to someone in the circle, emotional
support, decision areas, medicines and their changes, medication audits, a trial's further
stages, and changing a record reached by its opaque id, each with the import's messages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client

from kinwise.core.models import RecordVersion
from kinwise.records.models import Person, Record
from kinwise.records.selectors import casefile_export
from tests.web.conftest import version_of
from tests.web.test_forms import summary_of


@pytest.fixture
def daniel(people: dict[str, Person], today: Callable[[dt.date], None]) -> Person:
    today(dt.date(2026, 9, 30))
    return people["daniel"]


def _opaque(person: Person, kind: str, key: str) -> int:
    return Record.objects.get(person=person, kind=kind, key=key, superseded_at=None).pk


def test_give_a_family_member_a_task(daniel: Person, as_user: Callable[[str], Client]) -> None:
    client = as_user("leader")
    url = f"/people/{daniel.pk}/add/task/"
    assert "Give someone in the circle a task" in client.get(url).content.decode()
    response = client.post(url, {"task": "manage_money", "area": "finances_daily", "since": ""})
    assert response.status_code == 400
    assert summary_of(response.content.decode()) == [
        ("id_holder", "Held by: choose one of the options"),
        ("id_since", "Date they start holding it: enter this"),
    ]
    response = client.post(
        url,
        {
            "task": "manage_money",
            "area": "finances_daily",
            "holder": "mark",
            "since": "2026-09-20",
            "agreed": "2026-09-18",
        },
    )
    assert response.status_code == 302
    tasks = {t.id: t for t in casefile_export(person=daniel).plan.tasks}
    assert set(tasks) == {"t-mark-meds", "t-1"}
    new = tasks["t-1"]
    assert (new.task, new.area, new.holder, new.since, new.agreed) == (
        "manage_money",
        "finances_daily",
        "mark",
        dt.date(2026, 9, 20),
        dt.date(2026, 9, 18),
    )
    assert RecordVersion.objects.filter(person=daniel, kind="task", external_id="t-1").count() == 1
    page = client.get(f"/people/{daniel.pk}/arrangements/").content.decode()
    assert "Managing money (day-to-day money)" in page


def test_change_a_task_by_its_opaque_id(daniel: Person, as_user: Callable[[str], Client]) -> None:
    client = as_user("leader")
    url = f"/people/{daniel.pk}/records/{_opaque(daniel, 'task', 't-mark-meds')}/change/"
    form = client.get(url).content.decode()
    assert 'value="2015-09-01"' in form
    response = client.post(
        url,
        {
            "task": "administer_medication",
            "area": "medication",
            "holder": "mark",
            "since": "2015-09-01",
            "agreed": "2026-09-01",
            "based_on": version_of(daniel, "task", "t-mark-meds"),
        },
    )
    assert response.status_code == 302
    task = casefile_export(person=daniel).plan.tasks[0]
    assert task.agreed == dt.date(2026, 9, 1)


def test_emotional_support_is_recorded_and_a_stale_save_is_refused(
    daniel: Person, as_user: Callable[[str], Client]
) -> None:
    leader = as_user("leader")
    url = f"/people/{daniel.pk}/edit/emotional-support/"
    page = leader.get(url).content.decode()
    assert "Who gives Daniel Hughes emotional support" in page
    assert 'value="mark" checked' in page
    stale = version_of(daniel, "plan", "plan")
    response = leader.post(url, {"based_on": stale})
    assert response.status_code == 302
    assert casefile_export(person=daniel).plan.emotional_support == []
    # A second save based on the version before the first is refused, what was typed kept.
    response = leader.post(url, {"emotional_support": ["mark"], "based_on": stale})
    assert response.status_code == 400
    assert "Someone else saved a change to this record after you opened it" in (
        response.content.decode()
    )
    assert casefile_export(person=daniel).plan.emotional_support == []


def test_add_a_decision_area(daniel: Person, as_user: Callable[[str], Client]) -> None:
    client = as_user("leader")
    url = f"/people/{daniel.pk}/add/role/"
    form = client.get(url).content.decode()
    # Areas already in the plan are not offered again.
    assert 'value="finances_major"' in form
    assert 'value="medication"' not in form
    response = client.post(url, {"area": "medication", "decides": "daniel"})
    assert response.status_code == 400
    assert summary_of(response.content.decode()) == [
        (
            "id_area",
            "Decision area: who decides about medication is already recorded: change that instead",
        )
    ]
    response = client.post(
        url, {"area": "finances_major", "decides": "daniel", "supported_by": ["mark"]}
    )
    assert response.status_code == 302
    roles = {r.area: r for r in casefile_export(person=daniel).plan.roles}
    assert roles["finances_major"].decides == "daniel"
    assert roles["finances_major"].supported_by == ["mark"]


def test_medicines_are_added_and_changed_by_opaque_id(
    daniel: Person, as_user: Callable[[str], Client]
) -> None:
    client = as_user("leader")
    add = f"/people/{daniel.pk}/add/medicine/"
    bad = {"name": "Melatonin 2 mg", "doses_per_day": "lots", "route": "oral"}
    response = client.post(add, bad)
    assert response.status_code == 400
    assert summary_of(response.content.decode()) == [
        ("id_doses_per_day", "Doses a day: expected a number")
    ]
    response = client.post(
        add,
        {
            "name": "Melatonin 2 mg",
            "doses_per_day": "0.5",
            "route": "oral",
            "started": "2026-09-01",
            "stopped": "2026-08-01",
        },
    )
    assert response.status_code == 400
    assert summary_of(response.content.decode()) == [
        ("id_stopped", "Date stopped: must not be before the date started (1 September 2026)")
    ]
    response = client.post(
        add, {"name": "Melatonin 2 mg", "doses_per_day": "0.5", "route": "oral", "prn": "on"}
    )
    assert response.status_code == 302
    regimen = {m.name: m for m in casefile_export(person=daniel).medication.regimen}
    assert (regimen["Melatonin 2 mg"].doses_per_day, regimen["Melatonin 2 mg"].prn) == (0.5, True)

    # A regimen change: co-careldopa from four doses a day to five, by the record's number.
    pk = _opaque(daniel, "medicine", "Co-careldopa 25/100 mg tablets")
    url = f"/people/{daniel.pk}/records/{pk}/change/"
    assert "Co-careldopa" not in url
    form = client.get(url).content.decode()
    assert 'value="Co-careldopa 25/100 mg tablets"' in form
    response = client.post(
        url,
        {
            "name": "Co-careldopa 25/100 mg tablets",
            "doses_per_day": "5",
            "route": "oral",
            "time_critical": "on",
            "started": "2026-03-10",
            "based_on": version_of(daniel, "medicine", "Co-careldopa 25/100 mg tablets"),
        },
    )
    assert response.status_code == 302
    regimen = {m.name: m for m in casefile_export(person=daniel).medication.regimen}
    assert regimen["Co-careldopa 25/100 mg tablets"].doses_per_day == 5
    versions = RecordVersion.objects.filter(
        person=daniel, kind="medicine", external_id="Co-careldopa 25/100 mg tablets"
    ).order_by("version")
    assert [v.snapshot["doses_per_day"] for v in versions] == [4, 5]


def test_medication_audits(daniel: Person, as_user: Callable[[str], Client]) -> None:
    client = as_user("leader")
    url = f"/people/{daniel.pk}/add/medication_audit/"
    form = client.get(url).content.decode()
    assert "Errors found" in form
    response = client.post(
        url,
        {"date": "2026-09-15", "auditor": "ruth", "doses_checked": "56", "errors_found": "57"},
    )
    assert response.status_code == 400
    assert summary_of(response.content.decode()) == [
        ("id_errors_found", "Errors found: 57 is more than the 56 doses checked")
    ]
    response = client.post(
        url,
        {"date": "2026-10-01", "auditor": "ruth", "doses_checked": "56", "errors_found": "0"},
    )
    assert summary_of(response.content.decode()) == [
        ("id_date", "Date of the audit must be today or in the past")
    ]
    response = client.post(
        url,
        {"date": "2026-09-15", "auditor": "ruth", "doses_checked": "56", "errors_found": "1"},
    )
    assert response.status_code == 302
    audits = casefile_export(person=daniel).medication.audits
    assert [(a.id, a.date, a.doses_checked, a.errors) for a in audits][-1] == (
        "ma-1",
        dt.date(2026, 9, 15),
        56,
        1,
    )
    change = f"/people/{daniel.pk}/records/{_opaque(daniel, 'medication_audit', 'ma-1')}/change/"
    assert 'name="errors_found" type="text" inputmode="numeric" value="1"' in (
        client.get(change).content.decode()
    )


def test_change_a_capacity_assessment_to_record_the_support_given(
    people: dict[str, Person], as_user: Callable[[str], Client], today: Callable[[dt.date], None]
) -> None:
    today(dt.date(2026, 9, 30))
    sam = people["sam"]
    client = as_user("leader")
    data = {
        "area": "finances_major",
        "decision": "Buying a car",
        "date": "2026-09-01",
        "assessor": "priya",
        "impairment": "yes",
        "understand": "yes",
        "retain": "yes",
        "weigh": "no",
        "communicate": "yes",
    }
    assert client.post(f"/people/{sam.pk}/add/capacity_assessment/", data).status_code == 302
    (assessment,) = casefile_export(person=sam).capacity_assessments
    subject = f'data-rule="CA02" data-subject="capacity:{assessment.id}"'
    assert subject in client.get(f"/people/{sam.pk}/findings/").content.decode()
    url = f"/people/{sam.pk}/records/{_opaque(sam, 'capacity_assessment', assessment.id)}/change/"
    form = client.get(url).content.decode()
    assert "Support given to help them decide" in form
    assert 'value="Buying a car"' in form or ">Buying a car<" in form
    response = client.post(
        url,
        {
            **data,
            "support_given": "Easy-read leaflet and a quiet room, in the afternoon.",
            "based_on": version_of(sam, "capacity_assessment", assessment.id),
        },
    )
    assert response.status_code == 302
    (after,) = casefile_export(person=sam).capacity_assessments
    assert after.support_given == "Easy-read leaflet and a quiet room, in the afternoon."
    assert (after.id, after.outcome) == (assessment.id, "lacks_capacity")
    assert subject not in client.get(f"/people/{sam.pk}/findings/").content.decode()


def test_add_a_stage_to_a_trial(
    people: dict[str, Person], as_user: Callable[[str], Client], today: Callable[[dt.date], None]
) -> None:
    today(dt.date(2026, 9, 30))
    sam = people["sam"]
    client = as_user("leader")
    url = f"/people/{sam.pk}/add/stage/gt1/"
    based_on = version_of(sam, "graded_trial", "gt1")
    response = client.post(
        url,
        {
            "description": "Route A alone",
            "support": "independent",
            "advance_after": "0",
            "based_on": based_on,
        },
    )
    assert response.status_code == 400
    assert [a for a, _ in summary_of(response.content.decode())] == ["id_advance_after"]
    response = client.post(
        url,
        {
            "description": "Route A alone",
            "support": "independent",
            "advance_after": "3",
            "based_on": based_on,
        },
    )
    assert response.status_code == 302
    trial = next(t for t in casefile_export(person=sam).graded_trials if t.id == "gt1")
    assert [s.id for s in trial.stages][-1] == f"gt1-s{len(trial.stages)}"
    assert trial.stages[-1].description == "Route A alone"
    assert client.get(f"/people/{sam.pk}/add/stage/no-such-trial/").status_code == 404


def test_only_the_listed_kinds_change_through_the_opaque_address(
    people: dict[str, Person], as_user: Callable[[str], Client]
) -> None:
    aisha = people["aisha"]
    client = as_user("worker")
    voice = Record.objects.filter(person=aisha, kind="voice", superseded_at=None).first()
    assert voice is not None
    assert client.get(f"/people/{aisha.pk}/records/{voice.pk}/change/").status_code == 404
    assert client.get(f"/people/{aisha.pk}/records/999999/change/").status_code == 404


def test_a_new_version_of_the_care_plan(daniel: Person, as_user: Callable[[str], Client]) -> None:
    client = as_user("leader")
    url = f"/people/{daniel.pk}/edit/plan/"
    assert 'value="2025-11-03"' in client.get(url).content.decode()
    based_on = version_of(daniel, "plan", "plan")
    response = client.post(url, {"version_date": "2026-10-01", "based_on": based_on})
    assert summary_of(response.content.decode()) == [
        (
            "id_version_date",
            "Date this version of the care plan was agreed must be today or in the past",
        )
    ]
    response = client.post(url, {"version_date": "2026-06-24", "based_on": based_on})
    assert response.status_code == 302
    plan = casefile_export(person=daniel).plan
    assert plan.version_date == dt.date(2026, 6, 24)
    # Nothing else in the plan moved.
    assert [r.area for r in plan.roles] == [
        "medication",
        "health_treatment",
        "personal_care",
        "finances_daily",
    ]
    assert [t.id for t in plan.tasks] == ["t-mark-meds"]
    assert plan.emotional_support == ["mark"]
