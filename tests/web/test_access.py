"""Who sees whom: every person page answers 404 to staff who may not see the person, a
form answers 403 to staff who may see the person but whose role may not use it, and the
refusal is logged without personal data."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from kinwise.core.models import RecordVersion
from kinwise.records.models import Person
from tests.web.conftest import client_for, import_example, record_path

# Every page about one person (GET), with Sam (example 1) as the person.
PERSON_URLS = [
    "",
    "voice/",
    "meetings/",
    "meetings/m1/",
    "risk/",
    "risk/trials/gt1/chart.svg",
    "arrangements/",
    "capacity/",
    "findings/",
    "history/",
    "history/voice/v1/",
    "edit/communication/",
    "add/voice/",
    "edit/voice/v1/",
    "add/meeting/",
    "edit/meeting/m1/",
    "add/risk_assessment/",
    "edit/risk_assessment/ra1/",
    "add/session/gt1/",
    "add/graded_trial/",
    "add/incident/",
    "add/event/",
    "add/capacity_assessment/",
    "add/best_interests/",
    "add/consent/",
    "add/authority/",
    "add/member/",
    "edit/training/",
    "edit/role/medication/",
    "add/task/",
    "add/role/",
    "edit/plan/",
    "edit/emotional-support/",
    "add/medicine/",
    "add/medication_audit/",
    "add/stage/gt1/",
    "consents/c-share/withdraw/",
    "tasks/t-meds/review/",
    "tasks/t-meds/end/",
    "tasks/t-meds/handover/",
    "records/{voice:v1}/correct/",
    "records/{voice:v1}/history/",
    "records/{graded_trial:gt1}/sessions/0/correct/",
    "records/{meeting:m1}/contributions/0/correct/",
]


def test_every_listed_url_exists_for_sam(
    people: dict[str, Person], as_user: Callable[[str], Client]
) -> None:
    client = as_user("leader")
    sam = people["sam"]
    for path in PERSON_URLS:
        assert client.get(f"/people/{sam.pk}/{record_path(path, sam)}").status_code == 200, path


# (user, person, may see): the same person ids exist in both organisations.
VISIBILITY = [
    ("leader", "sam", True),  # team leader of Riverside
    ("worker", "sam", False),  # support worker of Oakfield only
    ("leader", "stranger", False),  # another organisation
    ("manager", "sam", True),  # registered manager: the whole organisation
    ("quality", "sam", True),  # quality lead of Oakfield sees Riverside too
    ("manager", "stranger", False),
    ("outsider", "sam", False),
    ("outsider", "stranger", True),
]


@pytest.fixture
def two_sams(world: dict[str, Any]) -> dict[str, Person]:
    """Sam at Riverside (organisation acme) and a Sam with the same ids elsewhere."""
    services = world["services"]
    return {
        "sam": import_example("01-risk-and-independence.yaml", services["riverside"]),
        "stranger": import_example("01-risk-and-independence.yaml", services["elsewhere"]),
    }


# The forms a quality lead (who reads and changes nothing) is refused, with the action.
CHANGE_ACTIONS = {
    "edit/communication/": "record_communication",
    "add/voice/": "record_voice",
    "edit/voice/v1/": "record_voice",
    "add/meeting/": "record_meeting",
    "edit/meeting/m1/": "record_meeting",
    "add/risk_assessment/": "record_risk",
    "edit/risk_assessment/ra1/": "record_risk",
    "add/session/gt1/": "record_risk",
    "add/graded_trial/": "record_risk",
    "add/incident/": "record_incident",
    "add/event/": "record_incident",
    "add/capacity_assessment/": "record_capacity",
    "add/best_interests/": "record_best_interests",
    "add/consent/": "record_consent",
    "add/authority/": "record_authority",
    "add/member/": "change_circle",
    "edit/training/": "record_training",
    "edit/role/medication/": "change_roles",
    "consents/c-share/withdraw/": "withdraw_consent",
    "tasks/t-meds/review/": "review_task",
    "tasks/t-meds/end/": "change_task",
    "tasks/t-meds/handover/": "change_task",
    "records/{voice:v1}/correct/": "enter_in_error",
    "records/{graded_trial:gt1}/sessions/0/correct/": "enter_in_error",
    "records/{meeting:m1}/contributions/0/correct/": "enter_in_error",
    "add/task/": "change_task",
    "add/role/": "change_roles",
    "edit/plan/": "change_roles",
    "edit/emotional-support/": "change_roles",
    "add/medicine/": "change_task",
    "add/medication_audit/": "change_task",
    "add/stage/gt1/": "record_risk",
}


@pytest.mark.parametrize("path", PERSON_URLS)
def test_person_pages_are_scoped(
    two_sams: dict[str, Person],
    world: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
    path: str,
) -> None:
    for user, person, allowed in VISIBILITY:
        target = two_sams[person]
        assert target.external_id == "sam"
        viewer = world["users"][user]
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="kinwise.access"):
            response = client_for(viewer).get(f"/people/{target.pk}/{record_path(path, target)}")
        refusals = [r.getMessage() for r in caplog.records if r.name == "kinwise.access"]
        if allowed and user == "quality" and path in CHANGE_ACTIONS:
            assert (user, person, response.status_code, refusals) == (
                user,
                person,
                403,
                [
                    f"action refused: user pk={viewer.pk} asked to {CHANGE_ACTIONS[path]}"
                    f" for person pk={target.pk}"
                ],
            )
        elif allowed:
            assert (user, person, response.status_code, refusals) == (user, person, 200, [])
        else:
            assert (user, person, response.status_code, refusals) == (
                user,
                person,
                404,
                [f"person refused: user pk={viewer.pk} asked for person pk={target.pk}"],
            )


@pytest.mark.parametrize(
    ("path", "data"),
    [
        (
            "add/voice/",
            {
                "date": "2026-09-01",
                "method": "verbal",
                "setting": "everyday",
                "captured_by": "priya",
                "direct": "yes",
                "summary": "Yes",
            },
        ),
        ("edit/communication/", {"methods": ["verbal"]}),
        ("records/{voice:v1}/correct/", {"reason": "Recorded on the wrong person"}),
        ("tasks/t-meds/end/", {"on": "2026-09-01"}),
        ("meetings-balance/", {"contributions-count": "0"}),
    ],
)
def test_writes_to_a_person_of_another_service_are_refused(
    people: dict[str, Person], as_user: Callable[[str], Client], path: str, data: dict[str, Any]
) -> None:
    sam = people["sam"]
    before = RecordVersion.objects.filter(person=sam).count()
    response = as_user("worker").post(f"/people/{sam.pk}/{record_path(path, sam)}", data)
    assert response.status_code == 404
    assert RecordVersion.objects.filter(person=sam).count() == before


def test_signed_out_visitors_are_sent_to_sign_in(people: dict[str, Person]) -> None:
    response = Client().get(f"/people/{people['sam'].pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_service_list_is_scoped(
    people: dict[str, Person], world: dict[str, Any], as_user: Callable[[str], Client]
) -> None:
    services = world["services"]
    # A team leader with one service goes straight to its people.
    response = as_user("leader").get("/")
    assert response.status_code == 302
    assert response["Location"] == f"/services/{services['riverside'].pk}/"
    assert as_user("leader").get(f"/services/{services['oakfield'].pk}/").status_code == 404
    # A manager chooses among the organisation's services, never another organisation's.
    page = as_user("manager").get("/").content.decode()
    assert "Oakfield" in page and "Riverside" in page and "Elsewhere" not in page
    assert as_user("manager").get(f"/services/{services['elsewhere'].pk}/").status_code == 404
