"""The worklist's suggestion of a carer's plan (issue 16): for a family member holding a
current task with no carer's plan, in any format version. A suggestion, not a review: no
due date, never overdue, not counted with the reviews, and gone when a plan exists or the
last task ends."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from kinwise import clock
from kinwise.casefile.schema import CaseFile
from kinwise.core.models import Service, StaffRole
from kinwise.governance import selectors as sel
from kinwise.readings.work import Owner, carer_plan_suggestions, work_items
from kinwise.records.models import Person
from tests.governance.conftest import build, example_data

JUNE_1 = dt.date(2026, 6, 1)
TEXT = (
    "Suggest a carer's plan to Mark Hughes: they give Daniel Hughes support with giving "
    "medication, and nothing records whether they are willing and able to go on, a carer's "
    "assessment, or who steps in if they cannot."
)


def daniel(**changes: Any) -> dict[str, Any]:
    data = example_data("03-historic-arrangement.before.yaml")
    data["plan"]["roles"][0]["supported_by"] = ["ruth"]
    data["plan"]["tasks"][0].update(changes)
    return data


def with_plan(data: dict[str, Any]) -> CaseFile:
    data["kinwise"] = 2
    data["carer_plans"] = [
        {
            "id": "cp1",
            "carer": "mark",
            "date": "2026-05-01",
            "asked": "2026-05-01",
            "contingencies": [{"task": "t-mark-meds", "steps_in": "ruth", "contact": "Office"}],
        }
    ]
    return build(data)


def test_a_relative_holding_a_task_with_no_carer_s_plan_is_suggested_one() -> None:
    cf = build(daniel())
    assert cf.kinwise == 1
    (suggestion,) = carer_plan_suggestions(cf, as_of=JUNE_1)
    assert suggestion.key == "carer_plan:member:mark"
    assert (suggestion.person, suggestion.member) == ("daniel", "mark")
    assert suggestion.tasks == ("task:t-mark-meds",)
    assert suggestion.owner == Owner(member="ruth", name="Ruth Evans", basis="supported_by")
    assert suggestion.text == TEXT
    assert suggestion.section == "plan"


def test_without_a_supporting_staff_member_it_is_the_team_leader_s() -> None:
    (suggestion,) = carer_plan_suggestions(
        build(example_data("03-historic-arrangement.before.yaml")), as_of=JUNE_1
    )
    assert suggestion.owner == Owner(member=None, name=None, basis="team_leader")


def test_a_carer_s_plan_ends_the_suggestion() -> None:
    assert carer_plan_suggestions(with_plan(daniel()), as_of=JUNE_1) == []
    # before the plan's date it did not exist: the suggestion stood
    assert [
        s.key for s in carer_plan_suggestions(with_plan(daniel()), as_of=dt.date(2026, 4, 30))
    ] == ["carer_plan:member:mark"]


@pytest.mark.parametrize(
    ("ended", "suggested"),
    [("2026-06-02", True), ("2026-06-01", False)],
)
def test_a_task_ended_on_the_day_is_no_longer_held(ended: str, suggested: bool) -> None:
    found = carer_plan_suggestions(build(daniel(ended=ended)), as_of=JUNE_1)
    assert bool(found) is suggested


def test_a_task_starting_after_as_of_is_not_held_yet() -> None:
    cf = build(daniel(since="2026-06-02"))
    assert carer_plan_suggestions(cf, as_of=JUNE_1) == []
    assert len(carer_plan_suggestions(cf, as_of=dt.date(2026, 6, 2))) == 1


def test_a_suggestion_is_not_a_review() -> None:
    cf = build(daniel())
    assert not any("carer_plan" in i.key for i in work_items(cf, as_of=JUNE_1))


# --- the pages -----------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "today", lambda: JUNE_1)


def login(username: str) -> Client:
    client = Client()
    client.login(username=username, password="pw-for-tests-only")
    return client


def test_the_worklist_and_the_owner_s_work_show_the_suggestion(
    riverside: Service, member: Callable[..., User], store: Callable[[CaseFile], Person]
) -> None:
    member("tom", riverside, StaffRole.TEAM_LEADER, first_name="Tom", last_name="Reid")
    member("ruth", riverside, StaffRole.SUPPORT_WORKER, first_name="Ruth", last_name="Evans")
    member("ola", riverside, StaffRole.SUPPORT_WORKER, first_name="Ola", last_name="Ade")
    person = store(build(daniel()))
    work = sel.service_worklist(service=riverside, as_of=JUNE_1)
    assert [(s.person_pk, s.owner_key, s.owner_label) for s in work.suggestions] == [
        (person.pk, "member:ruth", "Ruth Evans")
    ]
    assert all("carer_plan" not in r.key for r in work.rows)

    body = login("tom").get(f"/governance/services/{riverside.pk}/worklist/").content.decode()
    assert "Suggestions (1)" in body
    assert TEXT.replace("'", "&#x27;") in body
    assert f'href="/people/{person.pk}/add/carer_plan/"' in body
    assert "For Ruth Evans." in body

    mine = login("ruth").get(f"/governance/services/{riverside.pk}/my-work/")
    assert mine.status_code == 200
    assert TEXT.replace("'", "&#x27;") in mine.content.decode()
    # a support worker may not add a carer's plan: the link is to the arrangements page
    assert f'href="/people/{person.pk}/arrangements/"' in mine.content.decode()
    assert "add/carer_plan/" not in mine.content.decode()
    others = login("ola").get(f"/governance/services/{riverside.pk}/my-work/").content.decode()
    assert "Suggestions" not in others
