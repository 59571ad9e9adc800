"""Forms that know time: a date of something that happened is not after today, a "review
by" comes after the record's own date, and a trial's sessions are not before its risk
assessment; planned dates (a hand-over, a task's end) may be ahead. Each refusal is a
message at its field, and nothing is saved."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client

from kinwise.casefile import schema as cf
from kinwise.core.models import RecordVersion
from kinwise.records.models import Person
from kinwise.records.selectors import casefile_export
from kinwise.web import forms as f
from tests.web.conftest import version_of
from tests.web.test_forms import VOICE, summary_of

TODAY = dt.date(2026, 9, 30)


def _errors(
    form_class: type[f.RecordForm], data: dict[str, str], casefile: cf.CaseFile, **extra: object
) -> dict[str, list[str]]:
    form = form_class(data, casefile=casefile, today=TODAY, **extra)
    form.is_valid()
    return {name: [str(m) for m in messages] for name, messages in form.errors.items()}


@pytest.fixture
def sam_file(people: dict[str, Person]) -> cf.CaseFile:
    return casefile_export(person=people["sam"])


@pytest.mark.parametrize(
    ("form_class", "field", "label"),
    [
        (f.VoiceForm, "date", "Date the view was given"),
        (f.MeetingForm, "date", "Date of the meeting"),
        (f.ConsentForm, "date", "Date given"),
        (f.ConsentForm, "withdrawn", "Date withdrawn"),
        (f.AssessmentForm, "date", "Date of the assessment"),
        (f.BestInterestsForm, "date", "Date of the decision"),
        (f.AuthorityForm, "registered", "Date registered or ordered"),
        (f.RiskForm, "date", "Date of the assessment"),
        (f.RoleForm, "reviewed", "Date reviewed"),
        (f.TrainingForm, "on", "Date assessed competent"),
        (f.IncidentForm, "date", "Date of the incident"),
        (f.EventForm, "date", "Date"),
        (f.HandoverForm, "agreed", "Date the new arrangement was agreed"),
        (f.HandoverForm, "trained_on", "Date they were assessed competent in this task"),
    ],
)
def test_a_date_that_happened_is_today_or_before(
    sam_file: cf.CaseFile, form_class: type[f.RecordForm], field: str, label: str
) -> None:
    assert field not in _errors(form_class, {field: "2026-09-30"}, sam_file)
    assert _errors(form_class, {field: "2026-10-01"}, sam_file)[field] == [
        f"{label} must be today or in the past"
    ]
    # A date that is not a date is left to the case file's own message.
    assert field not in _errors(form_class, {field: "2026-13-01"}, sam_file)


@pytest.mark.parametrize("form_class", [f.RiskForm, f.AssessmentForm])
def test_review_by_is_after_the_records_own_date(
    sam_file: cf.CaseFile, form_class: type[f.RecordForm]
) -> None:
    own = {"date": "2026-06-05"}
    assert _errors(form_class, {**own, "review_by": "2026-06-05"}, sam_file)["review_by"] == [
        "Review by must be after the date of the assessment (5 June 2026)"
    ]
    assert "review_by" not in _errors(form_class, {**own, "review_by": "2026-06-06"}, sam_file)
    # A review date ahead of today is what it is for.
    assert "review_by" not in _errors(form_class, {**own, "review_by": "2027-06-05"}, sam_file)


def test_a_session_is_not_before_its_trials_risk_assessment(sam_file: cf.CaseFile) -> None:
    trial = next(t for t in sam_file.graded_trials if t.id == "gt1")
    base = {"stage": "s1", "outcome": "completed"}
    assert _errors(f.SessionForm, {**base, "date": "2026-06-04"}, sam_file, trial=trial) == {
        "date": [
            "The date of the session must not be before the trial's risk assessment (5 June 2026)"
        ]
    }
    assert _errors(f.SessionForm, {**base, "date": "2026-06-05"}, sam_file, trial=trial) == {}


def test_a_planned_handover_may_be_ahead(sam_file: cf.CaseFile) -> None:
    assert "on" not in _errors(f.HandoverForm, {"on": "2026-10-07"}, sam_file)


def test_a_view_given_tomorrow_is_refused_at_its_field_and_nothing_is_saved(
    people: dict[str, Person], as_user: Callable[[str], Client], today: Callable[[dt.date], None]
) -> None:
    today(TODAY)
    aisha = people["aisha"]
    client = as_user("worker")
    before = RecordVersion.objects.filter(person=aisha).count()
    response = client.post(f"/people/{aisha.pk}/add/voice/", {**VOICE, "date": "2026-10-01"})
    assert response.status_code == 400
    html = response.content.decode()
    assert summary_of(html) == [("id_date", "Date the view was given must be today or in the past")]
    assert 'value="2026-10-01"' in html
    assert RecordVersion.objects.filter(person=aisha).count() == before
    response = client.post(f"/people/{aisha.pk}/add/voice/", {**VOICE, "date": "2026-09-30"})
    assert response.status_code == 302


def test_a_task_review_is_not_after_today_but_its_end_may_be(
    people: dict[str, Person], as_user: Callable[[str], Client], today: Callable[[dt.date], None]
) -> None:
    today(TODAY)
    daniel = people["daniel"]
    client = as_user("leader")
    review = f"/people/{daniel.pk}/tasks/t-mark-meds/review/"
    based_on = version_of(daniel, "task", "t-mark-meds")
    response = client.post(review, {"on": "2026-10-01", "based_on": based_on})
    assert response.status_code == 400
    assert summary_of(response.content.decode()) == [
        ("id_on", "Date reviewed must be today or in the past")
    ]
    assert version_of(daniel, "task", "t-mark-meds") == based_on
    response = client.post(
        f"/people/{daniel.pk}/tasks/t-mark-meds/end/", {"on": "2026-10-14", "based_on": based_on}
    )
    assert response.status_code == 302
    task = next(t for t in casefile_export(person=daniel).plan.tasks if t.id == "t-mark-meds")
    assert task.ended == dt.date(2026, 10, 14)


def test_a_consent_is_not_withdrawn_tomorrow(
    people: dict[str, Person], as_user: Callable[[str], Client], today: Callable[[dt.date], None]
) -> None:
    today(TODAY)
    sam = people["sam"]
    consent = casefile_export(person=sam).consents[0]
    url = f"/people/{sam.pk}/consents/{consent.id}/withdraw/"
    response = as_user("leader").post(
        url, {"on": "2026-10-01", "based_on": version_of(sam, "consent", consent.id)}
    )
    assert response.status_code == 400
    assert summary_of(response.content.decode()) == [
        ("id_on", "Date the consent was withdrawn must be today or in the past")
    ]
