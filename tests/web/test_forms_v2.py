"""The staff forms of the kinds of format version 2 (docs/spec/casefile-v2.md): a concern,
a carer's plan, a goal, a restriction, a carer_unwell event, and the dated role change the
web writes with every change of a role (ADR 0230), each with the import's messages at
its field in words, the form's time checks, a stale save refused and who may post."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client

from kinwise.core.models import RecordVersion
from kinwise.records.models import Person, Record
from kinwise.records.selectors import casefile_export
from tests.web.conftest import version_of
from tests.web.test_forms import findings_of, summary_of


@pytest.fixture
def daniel(people: dict[str, Person], today: Callable[[dt.date], None]) -> Person:
    today(dt.date(2026, 9, 30))
    return people["daniel"]


def _opaque(person: Person, kind: str, key: str) -> int:
    return Record.objects.get(person=person, kind=kind, key=key, superseded_at=None).pk


def _errors(response: object) -> list[tuple[str, str]]:
    assert getattr(response, "status_code", None) == 400
    return summary_of(response.content.decode())  # type: ignore[attr-defined]


CONCERN = {
    "kind": "complaint",
    "raised_by": "mark",
    "date": "2026-09-01",
    "area": "medication",
    "about": "t-mark-meds",
    "acknowledged": "2026-09-02",
    "response_date": "2026-09-20",
    "response_by": "ruth",
    "response_text": "We explained why staff now give the medicines.",
    "stage_stage": "local_resolution",
    "stage_date": "2026-09-03",
}


def test_a_concern_is_recorded_changed_and_a_stale_save_refused(
    daniel: Person, as_user: Callable[[str], Client]
) -> None:
    client = as_user("leader")
    url = f"/people/{daniel.pk}/add/concern/"
    assert "Record a concern, complaint or disagreement" in client.get(url).content.decode()
    assert _errors(client.post(url, {})) == [
        ("id_kind", "What it is: choose one of the options"),
        ("id_raised_by", "Raised by: choose one of the options"),
        ("id_date", "Date it was raised: enter this"),
        ("id_area", "Decision area it is about: choose one of the options"),
    ]
    response = client.post(url, CONCERN)
    assert response.status_code == 302
    cfile = casefile_export(person=daniel)
    assert cfile.kinwise == 2
    (concern,) = cfile.concerns
    assert (concern.id, concern.kind, concern.raised_by, concern.about) == (
        "cn-1",
        "complaint",
        "mark",
        "t-mark-meds",
    )
    assert concern.response is not None
    assert (concern.response.date, concern.response.by) == (dt.date(2026, 9, 20), "ruth")
    assert [(s.stage, s.date) for s in concern.stages] == [
        ("local_resolution", dt.date(2026, 9, 3))
    ]
    # the meetings page lists it with its change link; a change adds a stage and keeps
    # the stage already recorded
    page = client.get(f"/people/{daniel.pk}/meetings/").content.decode()
    change = f"/people/{daniel.pk}/records/{_opaque(daniel, 'concern', 'cn-1')}/change/"
    assert change in page and f"/people/{daniel.pk}/add/concern/" in page
    form = client.get(change).content.decode()
    assert 'value="2026-09-20"' in form
    stale = version_of(daniel, "concern", "cn-1")
    changed = {
        **CONCERN,
        "stage_stage": "mediation",
        "stage_date": "2026-09-25",
        "closed": "2026-09-28",
        "outcome": "Agreed at mediation.",
        "next_stage_told": "on",
        "based_on": stale,
    }
    assert client.post(change, changed).status_code == 302
    concern = casefile_export(person=daniel).concerns[0]
    assert [s.stage for s in concern.stages] == ["local_resolution", "mediation"]
    assert (concern.closed, concern.next_stage_told) == (dt.date(2026, 9, 28), True)
    assert RecordVersion.objects.filter(person=daniel, kind="concern").count() == 2
    response = client.post(change, {**changed, "outcome": "Other words."})
    assert response.status_code == 400
    assert "Someone else saved a change to this record after you opened it" in (
        response.content.decode()
    )
    assert casefile_export(person=daniel).concerns[0].outcome == "Agreed at mediation."


def test_a_concern_knows_time_and_says_each_error_at_its_field(
    daniel: Person, as_user: Callable[[str], Client]
) -> None:
    client = as_user("leader")
    url = f"/people/{daniel.pk}/add/concern/"
    # today is 2026-09-30: a date of something that happened cannot be after it
    assert _errors(client.post(url, {**CONCERN, "date": "2026-10-01"})) == [
        ("id_date", "Date it was raised must be today or in the past"),
    ]
    assert client.post(url, {**CONCERN, "date": "2026-09-30"}).status_code == 400  # ack before
    assert _errors(client.post(url, {**CONCERN, "closed": "2026-08-31"})) == [
        (
            "id_closed",
            "Date it was closed: must not be before the date it was raised (1 September 2026)",
        ),
    ]
    assert _errors(client.post(url, {**CONCERN, "response_by": "mark"})) == [
        (
            "id_response_by",
            "Response written by: Mark Hughes is a family member; this field accepts a staff member or a professional",
        ),
    ]
    assert _errors(client.post(url, {**CONCERN, "stage_date": ""})) == [
        ("id_stage_date", "Date it reached that stage: enter this"),
    ]
    assert Record.objects.filter(person=daniel, kind="concern").count() == 0


CARER_PLAN = {
    "carer": "mark",
    "date": "2026-09-01",
    "asked": "2026-09-01",
    "willing": "yes",
    "able": "no",
    "assessment": "referred",
    "assessment_date": "2026-09-02",
    "contingency_task": "t-mark-meds",
    "contingency_steps_in": "ruth",
    "contingency_contact": "The office line, 9 to 5",
}


def test_a_carers_plan_with_a_contingency_and_its_use(
    daniel: Person, as_user: Callable[[str], Client]
) -> None:
    client = as_user("leader")
    url = f"/people/{daniel.pk}/add/carer_plan/"
    assert _errors(client.post(url, {**CARER_PLAN, "contingency_steps_in": "mark"})) == [
        (
            "id_contingency_steps_in",
            "Who steps in: Mark Hughes is the carer; someone else steps in",
        ),
    ]
    assert _errors(client.post(url, {**CARER_PLAN, "asked": "2026-10-01"})) == [
        (
            "id_asked",
            "Date they were last asked if they are willing and able must be today or in the past",
        ),
    ]
    assert client.post(url, CARER_PLAN).status_code == 302
    (plan,) = casefile_export(person=daniel).carer_plans
    assert (plan.carer, plan.willing, plan.able, plan.assessment) == (
        "mark",
        True,
        False,
        "referred",
    )
    assert [(c.task, c.steps_in, c.contact) for c in plan.contingencies] == [
        ("t-mark-meds", "ruth", "The office line, 9 to 5")
    ]
    change = f"/people/{daniel.pk}/records/{_opaque(daniel, 'carer_plan', plan.id)}/change/"
    used = {
        **{k: v for k, v in CARER_PLAN.items() if not k.startswith("contingency")},
        "used_date": "2026-09-10",
        "used_task": "t-mark-meds",
        "based_on": version_of(daniel, "carer_plan", plan.id),
    }
    assert client.post(change, used).status_code == 302
    plan = casefile_export(person=daniel).carer_plans[0]
    assert len(plan.contingencies) == 1  # kept
    assert [(u.date, u.task) for u in plan.used] == [(dt.date(2026, 9, 10), "t-mark-meds")]


def test_a_goal_and_its_review(daniel: Person, as_user: Callable[[str], Client]) -> None:
    client = as_user("leader")
    url = f"/people/{daniel.pk}/add/goal/"
    goal = {
        "words": "I want to take my own tablets",
        "date": "2026-09-01",
        "area": "medication",
        "set_by": "daniel",
        "baseline": "2",
    }
    assert _errors(client.post(url, {**goal, "baseline": "11"})) == [
        ("id_baseline", "Where they are at the start: 11 is out of range: must be at most 10"),
    ]
    assert _errors(client.post(url, {**goal, "person_agrees": "yes"})) == [
        (
            "id_person_agrees",
            "Does the person agree with it?: the person set this goal: leave person_agrees out",
        ),
    ]
    assert client.post(url, goal).status_code == 302
    (saved,) = casefile_export(person=daniel).goals
    assert (saved.words, saved.set_by, saved.baseline, saved.review_every) == (
        "I want to take my own tablets",
        "daniel",
        2,
        90,
    )
    change = f"/people/{daniel.pk}/records/{_opaque(daniel, 'goal', saved.id)}/change/"
    reviewed = {
        **goal,
        "review_date": "2026-09-29",
        "review_score": "4",
        "based_on": version_of(daniel, "goal", saved.id),
    }
    assert _errors(client.post(change, {**reviewed, "review_date": "2026-10-01"})) == [
        ("id_review_date", "Date of a review must be today or in the past"),
    ]
    assert client.post(change, reviewed).status_code == 302
    reviews = casefile_export(person=daniel).goals[0].reviews
    assert [(r.date, r.score) for r in reviews] == [(dt.date(2026, 9, 29), 4)]


RESTRICTION = {
    "what": "Kitchen knives locked away",
    "date": "2026-09-01",
    "area": "personal_care",
    "proposed_by": "ruth",
    "basis": "consent",
    "basis_record": "c-plan",
    "alternatives": "Supervised cooking sessions",
    "review_by": "2026-12-01",
}


def test_a_restriction_with_its_basis_and_review_date(
    daniel: Person, as_user: Callable[[str], Client]
) -> None:
    client = as_user("leader")
    url = f"/people/{daniel.pk}/add/restriction/"
    assert _errors(client.post(url, {**RESTRICTION, "review_by": "2026-09-01"})) == [
        ("id_review_by", "Review by must be after the date it began (1 September 2026)"),
    ]
    assert _errors(client.post(url, {**RESTRICTION, "basis_record": ""})) == [
        (
            "id_basis_record",
            "The record the basis rests on: required field is missing: a basis of consent names its record",
        ),
    ]
    assert client.post(url, RESTRICTION).status_code == 302
    (saved,) = casefile_export(person=daniel).restrictions
    assert (saved.basis, saved.basis_record, saved.review_by) == (
        "consent",
        "c-plan",
        dt.date(2026, 12, 1),
    )


def test_a_support_worker_records_a_concern_but_not_a_carers_plan_or_a_restriction(
    people: dict[str, Person], as_user: Callable[[str], Client]
) -> None:
    aisha = people["aisha"]
    worker = as_user("worker")
    for kind in ("carer_plan", "restriction"):
        assert worker.get(f"/people/{aisha.pk}/add/{kind}/").status_code == 403
        assert worker.post(f"/people/{aisha.pk}/add/{kind}/", {}).status_code == 403
    assert worker.get(f"/people/{aisha.pk}/add/concern/").status_code == 200
    page = worker.get(f"/people/{aisha.pk}/risk/").content.decode()
    assert "/add/restriction/" not in page
    assert "/add/goal/" in worker.get(f"/people/{aisha.pk}/voice/").content.decode()


def test_a_carer_unwell_event_names_its_carer(
    daniel: Person, as_user: Callable[[str], Client]
) -> None:
    client = as_user("leader")
    url = f"/people/{daniel.pk}/add/event/"
    event = {
        "date": "2026-09-10",
        "kind": "carer_unwell",
        "areas": ["medication"],
        "description": "Mark has flu",
    }
    assert _errors(client.post(url, event)) == [
        (
            "id_carer",
            "The carer who is unwell: choose the carer who is unwell",
        ),
    ]
    assert _errors(client.post(url, {**event, "kind": "needs_change", "carer": "mark"})) == [
        (
            "id_carer",
            "The carer who is unwell: leave this as not about a carer, or choose the kind of "
            "event for a family carer who is unwell",
        ),
    ]
    assert client.post(url, {**event, "carer": "mark"}).status_code == 302
    cfile = casefile_export(person=daniel)
    assert (cfile.kinwise, cfile.events[-1].kind, cfile.events[-1].carer) == (
        2,
        "carer_unwell",
        "mark",
    )


def _role_changes(person: Person) -> list[tuple[object, ...]]:
    return [
        (c.date, c.area, c.member, c.role, c.change, c.reason)
        for c in casefile_export(person=person).role_changes
    ]


def test_a_role_changed_on_the_web_writes_one_dated_role_change(
    daniel: Person, as_user: Callable[[str], Client]
) -> None:
    client = as_user("leader")
    url = f"/people/{daniel.pk}/edit/role/medication/"
    same = {"decides": "daniel", "contributes": ["mark"], "informed": ["mark"]}
    base = {"reviewed": "2025-11-03", "based_on": version_of(daniel, "role", "medication")}
    # a save that changes no line writes none, and leaves a version-1 file version 1
    assert client.post(url, {**same, **base}).status_code == 302
    assert casefile_export(person=daniel).kinwise == 1
    assert _errors(client.post(url, {**same, "changed_on": "2026-10-01"})) == [
        ("id_changed_on", "Date of this change must be today or in the past"),
    ]
    response = client.post(
        url,
        {
            "decides": "daniel",
            "informed": ["mark"],
            "changed_on": "2026-09-15",
            "change_reason": "At Daniel's own request",
            "based_on": version_of(daniel, "role", "medication"),
        },
    )
    assert response.status_code == 302
    assert _role_changes(daniel) == [
        (
            dt.date(2026, 9, 15),
            "medication",
            "mark",
            "contributes",
            "removed",
            "At Daniel's own request",
        )
    ]
    assert RecordVersion.objects.filter(person=daniel, kind="role_change").count() == 1
    # with no date typed, the change is dated today
    client.post(
        url,
        {
            "decides": "daniel",
            "contributes": ["mark"],
            "informed": ["mark"],
            "based_on": version_of(daniel, "role", "medication"),
        },
    )
    assert _role_changes(daniel)[1] == (
        dt.date(2026, 9, 30),
        "medication",
        "mark",
        "contributes",
        "added",
        None,
    )


@pytest.mark.parametrize(("day", "found"), [(90, True), (91, False)])
def test_no_retaliation_finds_a_reduction_up_to_day_90_after_a_concern(
    daniel: Person, as_user: Callable[[str], Client], day: int, found: bool
) -> None:
    client = as_user("leader")
    raised = dt.date(2026, 6, 1)
    concern = {
        **CONCERN,
        "date": raised.isoformat(),
        "acknowledged": "2026-06-02",
        "response_date": "2026-06-10",
        "stage_date": "2026-06-02",
    }
    assert client.post(f"/people/{daniel.pk}/add/concern/", concern).status_code == 302
    response = client.post(
        f"/people/{daniel.pk}/edit/role/medication/",
        {
            "decides": "daniel",
            "contributes": ["mark"],
            "changed_on": (raised + dt.timedelta(days=day)).isoformat(),
            "based_on": version_of(daniel, "role", "medication"),
        },
    )
    assert response.status_code == 302
    (change,) = casefile_export(person=daniel).role_changes
    assert (change.role, change.change, change.member) == ("informed", "removed", "mark")
    cn05 = {s for rule, s in findings_of(client, daniel) if rule == "CN05"}
    assert cn05 == ({f"role_change:{change.id}"} if found else set())
