"""The forms: the same rules and messages as an import, input kept on errors, one new
history version for the record changed, and the findings re-computed at once."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from kinwise.casefile.load import casefile_to_data, validate_data
from kinwise.core.models import RecordVersion
from kinwise.records.models import Person
from kinwise.records.selectors import casefile_export
from tests.web.conftest import record_path, version_of

SUMMARY = re.compile(r'<li><a href="#([^"]+)">([^<]+)</a></li>')


def summary_of(html: str) -> list[tuple[str, str]]:
    body = html.split('class="nhsuk-error-summary"', 1)
    if len(body) < 2:
        return []
    return [(a, m.replace("&#x27;", "'")) for a, m in SUMMARY.findall(body[1].split("</ul>", 1)[0])]


def findings_of(client: Client, person: Person) -> set[tuple[str, str]]:
    html = client.get(f"/people/{person.pk}/findings/").content.decode()
    return set(re.findall(r'data-rule="(\w+)" data-subject="([^"]+)"', html))


@pytest.fixture
def aisha(people: dict[str, Person], today: Callable[[dt.date], None]) -> Person:
    today(dt.date(2026, 9, 30))
    return people["aisha"]


VOICE = {
    "date": "2026-06-02",
    "area": "daily_living",
    "method": "talking_mats",
    "setting": "separate",
    "captured_by": "lena",
    "present": ["lena"],
    "direct": "yes",
    "summary": "Likes the day centre on Mondays.",
}


def test_voice_errors_are_the_imports_messages_at_their_fields(
    aisha: Person, as_user: Callable[[str], Client]
) -> None:
    bad = {**VOICE, "date": "2026-02-30", "present": ["imran", "lena"], "summary": "  "}
    response = as_user("worker").post(f"/people/{aisha.pk}/add/voice/", bad)
    assert response.status_code == 400
    html = response.content.decode()

    # The same record in a case file, validated as an import validates it.
    data = casefile_to_data(casefile_export(person=aisha))
    record = {k: v for k, v in bad.items() if k != "summary"}
    record.update(id="v-1", direct=True)
    data["voice"].append(record)
    _, errors = validate_data(data)
    expected = {(e.path.split(".")[1].split("[")[0], e.message) for e in errors}
    assert expected == {
        ("date", "'2026-02-30' is not a real date"),
        ("present", "'imran' is family; a view gathered separately has no family present"),
        ("summary", "required field is missing"),
    }
    # the same errors at the same fields, each in the form's words naming its field
    assert {(a.removeprefix("id_"), m) for a, m in summary_of(html)} == {
        ("date", "Date the view was given: enter a real date, for example 2026-03-27"),
        (
            "present",
            "Who was present: Imran Rahman is family; a view gathered separately has no "
            "family present",
        ),
        ("summary", "What Aisha Rahman said or showed: enter this"),
    }
    # Each error is also shown by its field, and what was typed is kept.
    assert html.count('class="nhsuk-error-message"') == 3
    assert 'value="2026-02-30"' in html
    assert 'name="present" type="checkbox" value="imran" checked' in html
    assert RecordVersion.objects.filter(person=aisha, kind="voice").count() == 1


def test_saving_a_view_writes_one_version_by_the_user_and_the_audit_follows(
    aisha: Person, as_user: Callable[[str], Client], world: dict[str, Any]
) -> None:
    client = as_user("worker")
    assert ("VO04", "voice:v-1") not in findings_of(client, aisha)
    before = set(RecordVersion.objects.filter(person=aisha).values_list("pk", flat=True))
    response = client.post(f"/people/{aisha.pk}/add/voice/", VOICE)
    assert response.status_code == 302
    assert response["Location"] == f"/people/{aisha.pk}/voice/"
    new = RecordVersion.objects.filter(person=aisha).exclude(pk__in=before)
    assert [(v.kind, v.external_id, v.version, v.action, v.source) for v in new] == [
        ("voice", "v-1", 1, "created", "web")
    ]
    assert new[0].actor == world["users"]["worker"]
    # Talking Mats is not yet among her methods: the audit says so on the next request.
    assert ("VO04", "voice:v-1") in findings_of(client, aisha)
    client.post(
        f"/people/{aisha.pk}/edit/communication/",
        {"methods": ["aac", "pictures", "talking_mats"], "notes": "Allow time."},
    )
    assert ("VO04", "voice:v-1") not in findings_of(client, aisha)
    person = casefile_export(person=aisha).person
    assert person.communication.methods == ["aac", "pictures", "talking_mats"]
    assert person.communication.notes == "Allow time."


def test_editing_a_view_keeps_its_id_and_adds_a_version(
    aisha: Person, as_user: Callable[[str], Client]
) -> None:
    client = as_user("worker")
    form = client.get(f"/people/{aisha.pk}/edit/voice/v0/").content.decode()
    assert 'value="2026-01-20"' in form
    # the form carries the version it shows
    assert '<input type="hidden" name="based_on" value="1">' in form
    data = {
        "based_on": "1",
        "date": "2026-01-20",
        "area": "daily_living",
        "method": "verbal",
        "setting": "joint_meeting",
        "captured_by": "lena",
        "present": ["imran", "lena"],
        "direct": "no",
        "summary": "Happy with the day centre five days a week.",
    }
    assert client.post(f"/people/{aisha.pk}/edit/voice/v0/", data).status_code == 302
    versions = list(
        RecordVersion.objects.filter(person=aisha, kind="voice", external_id="v0").order_by(
            "version"
        )
    )
    assert [(v.version, v.action, v.snapshot["direct"]) for v in versions] == [
        (1, "created", True),
        (2, "updated", False),
    ]
    assert ("VO04", "voice:v0") not in findings_of(client, aisha)


VIEW_EDIT = {
    "date": "2026-01-20",
    "area": "daily_living",
    "method": "verbal",
    "setting": "joint_meeting",
    "captured_by": "lena",
    "present": ["imran", "lena"],
    "direct": "no",
}


def test_a_save_based_on_a_replaced_version_is_refused_and_keeps_what_was_typed(
    aisha: Person, as_user: Callable[[str], Client]
) -> None:
    first, second = as_user("worker"), as_user("manager")
    url = f"/people/{aisha.pk}/edit/voice/v0/"
    # both open the form at version 1; the first saves
    first_change = {**VIEW_EDIT, "based_on": "1", "summary": "Five days a week."}
    assert first.post(url, first_change).status_code == 302
    # the second's save, based on version 1, is refused: nothing is lost or overwritten
    second_change = {**VIEW_EDIT, "based_on": "1", "summary": "Three days a week, not five."}
    refused = second.post(url, second_change)
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "Someone else saved a change to this record after you opened it" in page
    assert "changed), so your changes are not saved yet" in page
    assert "Three days a week, not five." in page  # what the second typed is still there
    # the form now stands on version 2, so a deliberate second save goes through
    assert '<input type="hidden" name="based_on" value="2">' in page
    stored = casefile_export(person=aisha).voice[0]
    assert stored.summary == "Five days a week."
    assert RecordVersion.objects.filter(person=aisha, kind="voice", external_id="v0").count() == 2
    assert second.post(url, {**second_change, "based_on": "2"}).status_code == 302
    assert casefile_export(person=aisha).voice[0].summary == "Three days a week, not five."


def test_a_save_without_the_version_it_was_based_on_is_refused(
    aisha: Person, as_user: Callable[[str], Client]
) -> None:
    client = as_user("worker")
    url = f"/people/{aisha.pk}/edit/voice/v0/"
    refused = client.post(url, {**VIEW_EDIT, "summary": "No version given."})
    assert refused.status_code == 400
    assert casefile_export(person=aisha).voice[0].summary != "No version given."


def test_capacity_outcome_follows_from_the_functional_test(
    people: dict[str, Person], as_user: Callable[[str], Client], today: Callable[[dt.date], None]
) -> None:
    today(dt.date(2026, 11, 30))
    sam = people["sam"]
    client = as_user("leader")
    base = {
        "area": "finances_major",
        "decision": "Buying a car",
        "assessor": "priya",
        "support_given": "Easy read",
        "impairment": "yes",
        "understand": "yes",
        "retain": "yes",
        "weigh": "yes",
        "communicate": "yes",
    }
    cases = [
        ("2026-09-01", {}, "has_capacity"),
        ("2026-09-02", {"weigh": "no"}, "lacks_capacity"),
        ("2026-09-03", {"impairment": "no", "weigh": "no"}, "has_capacity"),
    ]
    for when, change, outcome in cases:
        response = client.post(
            f"/people/{sam.pk}/add/capacity_assessment/", {**base, **change, "date": when}
        )
        assert response.status_code == 302
        found = [
            a
            for a in casefile_export(person=sam).capacity_assessments
            if a.date.isoformat() == when
        ]
        assert [a.outcome for a in found] == [outcome]
    # A missing answer is a missing field (no outcome is guessed).
    response = client.post(
        f"/people/{sam.pk}/add/capacity_assessment/", {**base, "retain": "", "date": "2026-09-04"}
    )
    assert response.status_code == 400
    messages = summary_of(response.content.decode())
    assert (
        "id_retain",
        "Can they retain that information long enough to decide?: choose one of the options",
    ) in messages
    assert [m for a, m in messages if a == "id_outcome"] == []


MEETING = {
    "date": "2026-06-20",
    "kind": "care_plan_review",
    "attendees": ["aisha", "imran", "lena"],
    "facilitator": "lena",
    "contributions-count": "4",
    "contributions-0-by": "aisha",
    "contributions-0-area": "daily_living",
    "contributions-0-text": "(AAC) College on Thursday.",
    "contributions-1-by": "",
    "contributions-1-text": "",
    "contributions-2-by": "imran",
    "contributions-2-on_behalf_of": "aisha",
    "contributions-2-text": "She gets upset at the clinic.",
    "contributions-3-by": "",
    "decisions-count": "1",
    "decisions-0-area": "daily_living",
    "decisions-0-outcome": "Art college taster on Thursdays",
}


def test_meeting_rows_errors_land_on_the_right_row(
    aisha: Person, as_user: Callable[[str], Client]
) -> None:
    client = as_user("worker")
    bad = {
        **MEETING,
        "contributions-2-by": "femi",
        "decisions-0-persons_view": "v0",
        "decisions-0-area": "mobilty",
    }
    response = client.post(f"/people/{aisha.pk}/add/meeting/", bad)
    assert response.status_code == 400
    messages = summary_of(response.content.decode())
    # The blank second row is left out, so the file's contributions[1] is the form's row 2.
    assert messages == [
        ("id_contributions-2-by", "Who spoke: choose one of the options"),
        ("id_decisions-0-area", "Decision area: choose one of the options"),
    ]
    # What was typed is kept (a textarea holds it as its text).
    assert ">(AAC) College on Thursday.</textarea>" in response.content.decode()


def test_meeting_saved_with_rows_and_balance(
    aisha: Person, as_user: Callable[[str], Client]
) -> None:
    client = as_user("worker")
    response = client.post(f"/people/{aisha.pk}/add/meeting/", MEETING)
    assert response.status_code == 302
    assert response["Location"] == f"/people/{aisha.pk}/meetings/m-1/"
    meeting = [m for m in casefile_export(person=aisha).meetings if m.id == "m-1"][0]
    assert [(c.by, c.on_behalf_of) for c in meeting.contributions] == [
        ("aisha", None),
        ("imran", "aisha"),
    ]
    assert [d.area for d in meeting.decisions] == ["daily_living"]
    page = client.get(response["Location"]).content.decode()
    assert re.search(
        r'data-balance="own">.*?<dd class="nhsuk-summary-list__value">1</dd>', page, re.S
    )


def test_balance_panel_counts_what_is_typed(
    aisha: Person, as_user: Callable[[str], Client]
) -> None:
    data = {
        "contributions-count": "5",
        "contributions-0-by": "imran",
        "contributions-0-on_behalf_of": "aisha",
        "contributions-1-by": "imran",
        "contributions-1-on_behalf_of": "aisha",
        "contributions-2-by": "aisha",
        "contributions-3-by": "lena",
        "contributions-4-by": "imran",
    }
    html = as_user("worker").post(f"/people/{aisha.pk}/meetings-balance/", data).content.decode()
    counts = dict(re.findall(r'data-balance="(\w+)">.*?__value">(\d+)</dd>', html, re.S))
    assert counts == {"own": "1", "for": "2", "family": "1", "staff": "1", "advocate": "0"}
    assert "Others have spoken for Aisha Rahman more often" in html


def test_add_rows_without_javascript_keeps_input(
    aisha: Person, as_user: Callable[[str], Client]
) -> None:
    data = {**MEETING, "add_rows": "contributions"}
    response = as_user("worker").post(f"/people/{aisha.pk}/add/meeting/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="contributions-count" value="7"' in html
    assert "(AAC) College on Thursday." in html
    assert not RecordVersion.objects.filter(
        person=aisha, kind="meeting", external_id="m-1"
    ).exists()


def test_consent_withdrawal_and_its_date_rule(
    aisha: Person, as_user: Callable[[str], Client]
) -> None:
    client = as_user("manager")  # team leader and above withdraw a consent
    based_on = version_of(aisha, "consent", "c-plan")
    response = client.post(
        f"/people/{aisha.pk}/consents/c-plan/withdraw/", {"on": "2026-04-13", "based_on": based_on}
    )
    assert response.status_code == 400
    messages = summary_of(response.content.decode())
    assert [a for a, _ in messages] == ["id_on"]
    assert (
        client.post(
            f"/people/{aisha.pk}/consents/c-plan/withdraw/",
            {"on": "2026-05-01", "based_on": based_on},
        ).status_code
        == 302
    )
    consent = casefile_export(person=aisha).consents[0]
    assert consent.withdrawn == dt.date(2026, 5, 1)
    assert ("IC02", "plan") in findings_of(client, aisha)


def test_handover_ends_the_task_and_starts_a_trained_staff_task(
    people: dict[str, Person], as_user: Callable[[str], Client], today: Callable[[dt.date], None]
) -> None:
    today(dt.date(2026, 11, 30))
    daniel = people["daniel"]
    client = as_user("manager")
    assert {r for r, _ in findings_of(client, daniel)} >= {"PA01", "PA02", "PA03", "PA04"}
    # Mark is family, not staff: the validation refuses nothing here, but the choice is not offered.
    form = client.get(f"/people/{daniel.pk}/tasks/t-mark-meds/handover/").content.decode()
    assert 'value="mark"' not in form and 'value="ruth"' in form
    response = client.post(
        f"/people/{daniel.pk}/tasks/t-mark-meds/handover/",
        {"to_member": "ruth", "on": "2015-08-01", "agreed": "", "trained_on": "", "based_on": "1"},
    )
    assert response.status_code == 400  # the end would be before the task began
    response = client.post(
        f"/people/{daniel.pk}/tasks/t-mark-meds/handover/",
        {
            "to_member": "ruth",
            "on": "2026-07-01",
            "agreed": "2026-06-24",
            "trained_on": "2026-06-20",
            "based_on": "1",
        },
    )
    assert response.status_code == 302
    cfile = casefile_export(person=daniel)
    tasks = {t.id: t for t in cfile.plan.tasks}
    assert tasks["t-mark-meds"].ended == dt.date(2026, 7, 1)
    assert (tasks["t-1"].holder, tasks["t-1"].since, tasks["t-1"].agreed) == (
        "ruth",
        dt.date(2026, 7, 1),
        dt.date(2026, 6, 24),
    )
    ruth = [m for m in cfile.circle if m.id == "ruth"][0]
    assert ruth.trained == {"administer_medication": dt.date(2026, 6, 20)}
    assert findings_of(client, daniel) == set()
    actions = sorted(
        RecordVersion.objects.filter(person=daniel, source="web").values_list(
            "kind", "external_id", "action"
        )
    )
    assert actions == [
        ("member", "ruth", "updated"),
        ("task", "t-1", "created"),
        ("task", "t-mark-meds", "updated"),
    ]


def test_review_and_end_a_task(
    people: dict[str, Person], as_user: Callable[[str], Client], today: Callable[[dt.date], None]
) -> None:
    today(dt.date(2026, 11, 30))
    daniel = people["daniel"]
    client = as_user("manager")
    assert (
        client.post(
            f"/people/{daniel.pk}/tasks/t-mark-meds/review/",
            {"on": "2026-11-01", "based_on": version_of(daniel, "task", "t-mark-meds")},
        ).status_code
        == 302
    )
    findings = {r for r, _ in findings_of(client, daniel)}
    assert "PA01" not in findings and "PA02" not in findings
    end = f"/people/{daniel.pk}/tasks/t-mark-meds/end/"
    based_on = version_of(daniel, "task", "t-mark-meds")
    assert client.post(end, {"on": "", "based_on": based_on}).status_code == 400
    assert client.post(end, {"on": "2026-11-29", "based_on": based_on}).status_code == 302
    assert findings_of(client, daniel) == set()


def test_remove_entered_in_error_keeps_history(
    aisha: Person, as_user: Callable[[str], Client]
) -> None:
    client = as_user("manager")  # team leader and above take a record out
    url = f"/people/{aisha.pk}/" + record_path("records/{voice:v0}/correct/", aisha)
    # a reason is required: without one nothing is taken out
    empty = client.post(url, {"reason": "  ", "based_on": "1"})
    assert empty.status_code == 400
    assert "Say why this record was entered in error" in empty.content.decode()
    assert [v.id for v in casefile_export(person=aisha).voice] == ["v0"]
    # v0 is not referred to: it can be taken out.
    # the page carries the version it shows
    assert '<input type="hidden" name="based_on" value="1">' in client.get(url).content.decode()
    taken = client.post(url, {"reason": "Recorded on the wrong person", "based_on": "1"})
    assert taken.status_code == 302
    assert casefile_export(person=aisha).voice == []
    versions = list(
        RecordVersion.objects.filter(person=aisha, kind="voice", external_id="v0").order_by(
            "version"
        )
    )
    assert [(v.action, v.reason) for v in versions] == [
        ("created", ""),
        ("entered_in_error", "Recorded on the wrong person"),
    ]
    page = client.get(f"/people/{aisha.pk}/history/voice/v0/").content.decode()
    assert "Version 2: entered in error" in page
    assert "Recorded on the wrong person" in page
    # it is no longer current: a second correction finds nothing
    assert client.post(url, {"reason": "Again", "based_on": "2"}).status_code == 404


def test_plan_a_trial_log_sessions_and_the_audit_judges_the_stages(
    people: dict[str, Person], as_user: Callable[[str], Client], today: Callable[[dt.date], None]
) -> None:
    today(dt.date(2026, 11, 30))
    sam = people["sam"]
    client = as_user("leader")
    form = {
        "risk_assessment": "ra1",
        "stages-count": "3",
        "stages-0-description": "Bus with staff",
        "stages-0-support": "accompanied",
        "stages-0-advance_after": "2",
        "stages-1-description": "Bus alone",
        "stages-1-support": "independent",
        "stages-1-advance_after": "x",
    }
    response = client.post(f"/people/{sam.pk}/add/graded_trial/", form)
    assert response.status_code == 400
    assert summary_of(response.content.decode()) == [
        (
            "id_stages-1-advance_after",
            "Clean sessions before the next stage: expected a whole number, got text 'x'",
        )
    ]
    response = client.post(
        f"/people/{sam.pk}/add/graded_trial/", {**form, "stages-1-advance_after": "1"}
    )
    assert response.status_code == 302
    trial = [t for t in casefile_export(person=sam).graded_trials if t.id == "gt-1"][0]
    assert [(s.id, s.advance_after) for s in trial.stages] == [("gt-1-s1", 2), ("gt-1-s2", 1)]
    for when, stage in [("2026-11-02", "gt-1-s1"), ("2026-11-09", "gt-1-s2")]:
        response = client.post(
            f"/people/{sam.pk}/add/session/gt-1/",
            {"date": when, "stage": stage, "outcome": "completed"},
        )
        assert response.status_code == 302
    # One clean session at stage 1 where two were needed before stage 2.
    assert ("RK05", "trial:gt-1/stage:gt-1-s2") in findings_of(client, sam)
    response = client.post(
        f"/people/{sam.pk}/add/incident/",
        {
            "date": "2026-11-09",
            "area": "mobility_outdoors",
            "severity": "low",
            "trial": "gt-1",
            "description": "Missed the stop",
        },
    )
    assert response.status_code == 302
    risk_page = client.get(f"/people/{sam.pk}/risk/").content.decode()
    assert "Incidents on 9 November 2026." in risk_page
