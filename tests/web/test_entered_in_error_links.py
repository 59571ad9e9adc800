"""Each row that can be entered in error is linked from its page by its own place in the
record, whatever order the page shows the rows in; every member of the circle is linked."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from kinwise.errors import KinwiseError
from kinwise.records.models import Person, Record
from kinwise.records.services.edits import record_correct, trial_session_add


def _row(person: Person, kind: str, key: str) -> Record:
    row: Record = Record.objects.get(person=person, kind=kind, key=key, superseded_at=None)
    return row


def test_a_session_logged_late_is_linked_by_its_place_in_the_trial(
    people: dict[str, Person], as_user: Callable[[str], Client]
) -> None:
    """Sessions are shown by date: one logged after the others but dated before them is
    shown first, and its link names its own place in the list (the last), not the first."""
    sam = people["sam"]
    trial_session_add(
        person=sam,
        trial_id="gt1",
        session={"date": "2026-07-01", "stage": "s1", "outcome": "completed", "notes": "Late"},
        actor=None,
    )
    trial = _row(sam, "graded_trial", "gt1")
    sessions: list[dict[str, Any]] = trial.data["sessions"]
    assert len(sessions) == 13
    client = as_user("leader")
    page = client.get(f"/people/{sam.pk}/risk/").content.decode()
    prefix = f"/people/{sam.pk}/records/{trial.pk}/sessions/"
    shown = [int(n) for n in re.findall(re.escape(prefix) + r"(\d+)/correct/", page)]
    by_date = [i for i, _ in sorted(enumerate(sessions), key=lambda item: item[1]["date"])]
    assert shown == by_date
    # the late session is not shown last: a link by its row on the page would be wrong
    assert shown[-1] != 12 and sorted(shown) == list(range(13))

    taken = client.post(
        f"{prefix}12/correct/", {"reason": "Logged twice", "based_on": str(trial.version)}
    )

    assert taken.status_code == 302
    trial.refresh_from_db()
    assert trial.data["sessions"] == sessions[:12]


def test_each_hazard_of_a_risk_assessment_has_its_link(
    people: dict[str, Person], as_user: Callable[[str], Client]
) -> None:
    sam = people["sam"]
    risk = _row(sam, "risk_assessment", "ra1")
    page = as_user("leader").get(f"/people/{sam.pk}/risk/").content.decode()
    prefix = f"/people/{sam.pk}/records/{risk.pk}/hazards/"
    assert re.findall(re.escape(prefix) + r"(\d+)/correct/", page) == ["0", "1"]


def test_every_member_of_the_circle_has_its_links_on_the_arrangements_page(
    people: dict[str, Person], as_user: Callable[[str], Client]
) -> None:
    """Family and friends in their own sections; staff, advocates and professionals in
    the list of others in the circle."""
    sam = people["sam"]
    page = as_user("leader").get(f"/people/{sam.pk}/arrangements/").content.decode()
    members = Record.objects.filter(person=sam, kind="member", superseded_at=None)
    assert members.count() == 3
    for member in members:
        assert f'href="/people/{sam.pk}/records/{member.pk}/correct/"' in page
        assert f'href="/people/{sam.pk}/records/{member.pk}/history/"' in page
    assert "Others in the circle" in page
    assert "Tom Reid, member of staff (team leader)." in page


def test_the_refusal_names_what_refers_to_the_record_in_plain_english(
    people: dict[str, Person],
) -> None:
    with pytest.raises(KinwiseError) as caught:
        record_correct(
            person=people["sam"], kind="graded_trial", key="gt1", reason="Wrong", actor=None
        )
    assert [error.message for error in caught.value.errors] == [
        "This graded trial cannot be entered in error while a meeting and an incident "
        "refer to it: change or correct that first"
    ]
