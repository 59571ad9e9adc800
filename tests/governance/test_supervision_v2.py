"""Supervision prompts for format version 2's records (issue 16): each asked with the
catalogue-2 rule that judges the record, of the staff member responsible for it, with
exact questions, evidence and day boundaries; and the carer's-plan suggestion, asked of
version-1 files too (a prompt, not a finding)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from kinwise.casefile.load import casefile_to_data, load_casefile
from kinwise.casefile.schema import CaseFile
from kinwise.core.models import Service, StaffRole
from kinwise.governance.supervision import Prompt, StaffRef, data_prompts
from kinwise.records.models import Person
from kinwise.rules.audit import audit_casefile, default_since
from tests.governance.conftest import build, example_data

SPEC_EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "spec" / "examples"
OMAR = StaffRef("omar", "Omar Haddad")
LENA = StaffRef("lena", "Lena Park")
KAY = StaffRef("kay", "Kay Ito")
RUTH = StaffRef("ruth", "Ruth Evans")


def spec_data(name: str) -> dict[str, Any]:
    return casefile_to_data(load_casefile(SPEC_EXAMPLES / name))


def supported_by(data: dict[str, Any], member: str) -> dict[str, Any]:
    """Names ``member`` as supporting the person in every area of the plan."""
    for role in data["plan"]["roles"]:
        role["supported_by"] = [member]
    return data


def prompts(cf: CaseFile, staff: StaffRef, as_of: dt.date | None = None) -> list[Prompt]:
    day = as_of or cf.as_of
    assert day is not None
    return data_prompts([cf], staff=staff, since=default_since(day), as_of=day)


def summary(found: list[Prompt]) -> list[tuple[str, str, dt.date | None, tuple[str, ...]]]:
    return [(p.kind, p.key, p.date, p.evidence) for p in found]


def ruth_file() -> CaseFile:
    return build(supported_by(spec_data("04-concern-and-carer.before.yaml"), "omar"))


# --- concerns, role changes, carers' plans, a carer unwell ---------------------------------


def test_the_staff_member_supporting_ruth_is_asked_about_each_record_a_rule_finds() -> None:
    cf = ruth_file()
    found = prompts(cf, OMAR)
    assert summary(found) == [
        ("carer_plan_gaps", "carer_plan_gaps:ruth/carer_plan:cp1", dt.date(2025, 4, 1),
         ("carer_plan:cp1", "task:t1")),
        ("concern_handling", "concern_handling:ruth/concern:cn1", dt.date(2026, 3, 6),
         ("concern:cn1", "role:daily_living")),
        ("carer_unwell_uncovered", "carer_unwell_uncovered:ruth/event:ev1", dt.date(2026, 4, 10),
         ("event:ev1", "carer_plan:cp1")),
        ("role_reduced_after_concern", "role_reduced_after_concern:ruth/role_change:rc1",
         dt.date(2026, 4, 20), ("role_change:rc1", "concern:cn1")),
    ]  # fmt: skip
    by_kind = {p.kind: p for p in found}
    assert by_kind["concern_handling"].question == (
        "The concern Ben Adeyemi raised about daily living on 6 March 2026 was not "
        "acknowledged within 3 working days and had no written response or reason for delay "
        "within 20 working days. You are named as supporting Ruth Adeyemi with daily living. "
        "What got in the way of answering it, and did worry about the concern change how you "
        "worked with Ben Adeyemi or Ruth Adeyemi?"
    )
    assert by_kind["concern_handling"].theme == (
        "Staff deferring to relatives due to confidence gaps or fear of complaints"
    )
    assert by_kind["carer_plan_gaps"].question == (
        "Ben Adeyemi's carer's plan has gaps: it names nobody to step in for transport and "
        "nobody has asked Ben Adeyemi in the last year whether they can go on. You are named "
        "as supporting Ruth Adeyemi with going out and getting about. What would happen to "
        "Ruth Adeyemi's support if Ben Adeyemi could not carry on tomorrow?"
    )
    assert by_kind["carer_unwell_uncovered"].question == (
        "Ben Adeyemi was unwell on 10 April 2026, and in the 14 days after, the carer's "
        "plan's contingency was not used and the plan was not reviewed. Who gave Ruth Adeyemi "
        "the support Ben Adeyemi usually gives, and how would you know next time?"
    )
    assert by_kind["carer_unwell_uncovered"].theme == (
        "Historic arrangements continuing despite changed needs"
    )
    # every prompt rests on a finding of the audit: a prompt and a finding never disagree
    audit = audit_casefile(cf, as_of=dt.date(2026, 6, 1), since=default_since(dt.date(2026, 6, 1)))
    subjects = {f.subject for f in audit.findings}
    assert {p.evidence[0] for p in found} <= subjects


def test_who_recorded_a_role_change_is_asked_about_it() -> None:
    (prompt,) = prompts(build(spec_data("04-concern-and-carer.before.yaml")), LENA)
    assert prompt.key == "role_reduced_after_concern:ruth/role_change:rc1"
    assert prompt.question == (
        "Ben Adeyemi's part in daily living was removed on 20 April 2026, within 90 days of a "
        "concern they raised, and no reason was recorded; you recorded the change. What led "
        "to the change, and how might it look to Ben Adeyemi?"
    )
    # without being named on the area, or recording the change, nobody else is asked
    assert prompts(build(spec_data("04-concern-and-carer.before.yaml")), OMAR) == []


def test_the_records_put_right_give_no_prompts() -> None:
    for name, staff in (
        ("04-concern-and-carer.yaml", OMAR),
        ("05-goal-and-restriction.yaml", KAY),
    ):
        assert prompts(build(supported_by(spec_data(name), staff.member)), staff) == []


@pytest.mark.parametrize(("days", "asked"), [(90, True), (91, False)])
def test_a_role_removed_on_day_90_after_the_concern_is_asked_about_and_day_91_is_not(
    days: int, asked: bool
) -> None:
    data = spec_data("04-concern-and-carer.before.yaml")
    concern = dt.date.fromisoformat(data["concerns"][0]["date"])
    data["role_changes"][0]["date"] = (concern + dt.timedelta(days=days)).isoformat()
    kinds = [p.kind for p in prompts(build(data), LENA, as_of=dt.date(2026, 7, 1))]
    assert kinds == (["role_reduced_after_concern"] if asked else [])


def test_a_reason_for_the_change_ends_the_question() -> None:
    data = spec_data("04-concern-and-carer.before.yaml")
    data["role_changes"][0]["reason"] = "Ruth asked for Ben not to be told about her meals."
    assert prompts(build(data), LENA) == []


# --- goals and restrictions ----------------------------------------------------------------


def test_who_set_a_goal_for_the_person_is_asked_whose_goal_it_is() -> None:
    found = prompts(build(spec_data("05-goal-and-restriction.before.yaml")), KAY)
    assert summary(found) == [
        ("goal_not_persons", "goal_not_persons:jo/goal:g1", dt.date(2026, 1, 10),
         ("goal:g1", "role:daily_living")),
        ("goal_unreviewed", "goal_unreviewed:jo/goal:g1", dt.date(2026, 1, 10), ("goal:g1",)),
    ]  # fmt: skip
    assert found[0].question == (
        "The goal about daily living set on 10 January 2026 was set by Kay Ito, Jo Marsh "
        "decides about daily living and has not agreed to it; you set it. How could Jo Marsh "
        "say what they want from it, in their own words?"
    )
    assert found[0].theme == (
        "Families assuming decision-making authority without consent or capacity clarity"
    )
    assert found[1].question == (
        "Jo Marsh's goal about daily living, set on 10 January 2026, has never been reviewed, "
        "and its review is overdue; you set it. What has Jo Marsh done towards it, and does "
        "it still matter to them?"
    )


def test_a_goal_review_is_asked_about_the_day_after_it_is_due_not_on_the_day() -> None:
    data = spec_data("05-goal-and-restriction.before.yaml")
    goal = data["goals"][0]
    due = dt.date.fromisoformat(goal["date"]) + dt.timedelta(days=goal.get("review_every", 90))
    cf = build(data)
    on_the_day = [p.kind for p in prompts(cf, KAY, as_of=due)]
    the_day_after = [p.kind for p in prompts(cf, KAY, as_of=due + dt.timedelta(days=1))]
    assert "goal_unreviewed" not in on_the_day
    assert "goal_unreviewed" in the_day_after


def test_the_staff_member_named_on_a_restricted_area_is_asked_about_the_restriction() -> None:
    data = supported_by(spec_data("05-goal-and-restriction.before.yaml"), "kay")
    found = [p for p in prompts(build(data), KAY) if p.kind == "restriction_questioned"]
    assert summary(found) == [
        ("restriction_questioned", "restriction_questioned:jo/restriction:rs1",
         dt.date(2026, 1, 5), ("restriction:rs1",)),
    ]  # fmt: skip
    assert found[0].question == (
        "The restriction about daily living in place since 5 January 2026 needs looking at "
        "again: Jo Marsh can decide about daily living and has not consented to it, no legal "
        "basis for it is recorded and its review was due on 1 April 2026; you are named as "
        "supporting Jo Marsh with daily living. What risk is it meant to manage, and what "
        "less restrictive way, such as a graded trial, could you try with Jo Marsh?"
    )
    assert found[0].theme == "Disagreement about risk tolerance, independence or what is safe"


# --- the carer's-plan suggestion (version 1 files too) -------------------------------------


def mark_file(with_plan: bool = False) -> CaseFile:
    data = example_data("03-historic-arrangement.before.yaml")
    data["plan"]["roles"][0]["supported_by"] = ["ruth"]
    if with_plan:
        data["kinwise"] = 2
        data["carer_plans"] = [
            {
                "id": "cp1",
                "carer": "mark",
                "date": "2026-05-01",
                "asked": "2026-05-01",
                "willing": True,
                "able": True,
                "contingencies": [
                    {"task": "t-mark-meds", "steps_in": "ruth", "contact": "The office phone"}
                ],
            }
        ]
    return build(data)


def test_a_relative_holding_a_task_with_no_carer_s_plan_is_suggested_one() -> None:
    cf = mark_file()
    assert cf.kinwise == 1
    (prompt,) = [p for p in prompts(cf, RUTH) if p.kind == "carer_plan_suggested"]
    assert prompt.key == "carer_plan_suggested:daniel/member:mark"
    assert prompt.date is None
    assert prompt.evidence == ("task:t-mark-meds", "role:medication")
    assert prompt.question == (
        "Mark Hughes gives Daniel Hughes support with giving medication, and has no carer's "
        "plan: nothing records whether Mark Hughes is still willing and able to, whether they "
        "were offered a carer's assessment, or who steps in if they cannot. Could you talk "
        "with Mark Hughes about making a carer's plan?"
    )
    # a suggestion, not a finding: the version-1 audit finds what it always found
    day = dt.date(2026, 6, 1)
    audit = audit_casefile(cf, as_of=day, since=default_since(day))
    assert [(f.rule, f.subject) for f in audit.findings] == [
        ("PA01", "task:t-mark-meds"),
        ("PA02", "task:t-mark-meds"),
        ("PA03", "task:t-mark-meds"),
        ("PA04", "task:t-mark-meds"),
    ]


def test_a_carer_s_plan_ends_the_suggestion() -> None:
    kinds = [p.kind for p in prompts(mark_file(with_plan=True), RUTH)]
    assert "carer_plan_suggested" not in kinds


# --- the page ------------------------------------------------------------------------------


@pytest.fixture
def manager(riverside: Service, member: Callable[..., User]) -> Client:
    member("tom", riverside, StaffRole.TEAM_LEADER, first_name="Tom", last_name="Reid")
    client = Client()
    client.login(username="tom", password="pw-for-tests-only")
    return client


def test_the_staff_page_shows_the_prompts_with_evidence_in_words(
    riverside: Service,
    manager: Client,
    store: Callable[[CaseFile], Person],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from kinwise import clock

    monkeypatch.setattr(clock, "today", lambda: dt.date(2026, 6, 1))
    person = store(ruth_file())
    page = manager.get(f"/governance/services/{riverside.pk}/supervision/staff/?member=omar")
    assert page.status_code == 200
    body = page.content.decode()
    assert "The concern Ben Adeyemi raised about daily living on 6 March 2026" in body
    assert "Ben Adeyemi was unwell on 10 April 2026" in body
    assert f'href="/people/{person.pk}/' in body
    text = _visible_text(body)
    for record_id in ("cn1", "cp1", "ev1", "rc1", "t1"):
        assert f":{record_id}" not in text, record_id
    listing = manager.get(f"/governance/services/{riverside.pk}/supervision/").content.decode()
    assert "Omar Haddad" in listing


def _visible_text(html: str) -> str:
    """The page's text as a reader sees it: no tags, so no attribute values."""
    import re

    return re.sub(r"<[^>]+>", " ", html)
