"""Supervision prompts on family influence: exact questions and evidence for the staff of
the "before" examples, and none for staff whose records give no cause."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from kinwise.casefile.load import casefile_to_data, load_casefile, validate_data
from kinwise.casefile.schema import CaseFile
from kinwise.governance.supervision import (
    STANDING_PROMPTS,
    Prompt,
    StaffRef,
    data_prompts,
    prompts_by_staff,
    staff_members,
)
from kinwise.rules.audit import default_since

CASEFILES = Path(__file__).resolve().parents[2] / "src" / "kinwise" / "demo" / "casefiles"


def load(name: str) -> CaseFile:
    return load_casefile(CASEFILES / name)


def prompts_at_as_of(cf: CaseFile, staff: StaffRef) -> list[Prompt]:
    assert cf.as_of is not None
    return data_prompts([cf], staff=staff, since=default_since(cf.as_of), as_of=cf.as_of)


def build(data: dict[str, Any]) -> CaseFile:
    casefile, errors = validate_data(data)
    assert not errors, [str(e) for e in errors]
    assert casefile is not None
    return casefile


PRIYA = StaffRef("priya", "Priya Shah")
LENA = StaffRef("lena", "Lena Novak")
RUTH = StaffRef("ruth", "Ruth Evans")


def test_priya_settled_a_risk_disagreement_the_family_way_without_evidence() -> None:
    (prompt,) = prompts_at_as_of(load("01-risk-and-independence.before.yaml"), PRIYA)
    assert prompt.key == "family_prevailed:sam/decision:m0/mobility_outdoors"
    assert prompt.kind == "family_prevailed"
    assert prompt.theme == "Disagreement about risk tolerance, independence or what is safe"
    assert (prompt.person, prompt.person_name, prompt.date) == (
        "sam",
        "Sam Okafor",
        date(2026, 5, 12),
    )
    assert prompt.question == (
        "At the risk review on 12 May 2026 (you facilitated), Sam Okafor and Grace Okafor "
        "disagreed about going out and getting about. The decision followed Grace Okafor's "
        "position, with no evidence recorded for it. What evidence would have helped settle the "
        "disagreement, and what made it difficult to put Sam Okafor's wishes forward?"
    )
    # the decision, its meeting, the assessment in which Sam did not agree, and the role
    # that names Grace as the one who decides
    assert prompt.evidence == (
        "decision:m0/mobility_outdoors",
        "meeting:m0",
        "risk:ra0",
        "role:mobility_outdoors",
    )


def test_lena_attended_an_unfacilitated_review_led_by_aishas_father() -> None:
    prompts = prompts_at_as_of(load("02-vocal-relative.before.yaml"), LENA)
    assert [(p.key, p.evidence) for p in prompts] == [
        ("voice_with_family:aisha/voice:v0", ("voice:v0",)),
        (
            "decision_without_view:aisha/decision:m1/daily_living",
            ("decision:m1/daily_living", "meeting:m1"),
        ),
        ("spoken_for:aisha/meeting:m1", ("meeting:m1",)),
    ]
    questions = {p.kind: p.question for p in prompts}
    assert questions == {
        "voice_with_family": (
            "You recorded Aisha Rahman's view on 20 January 2026 as Aisha Rahman's own words, "
            "with Imran Rahman present, using speech, which is not among the ways Aisha Rahman "
            "communicates. How sure are you that this was Aisha Rahman's own view, and how "
            "could you hear from Aisha Rahman on their own next time?"
        ),
        "decision_without_view": (
            "The decision on daily living recorded at the care plan review on 14 April 2026 "
            "(you attended; no one facilitated) does not show Aisha Rahman's own view: no "
            "record of Aisha Rahman's view is linked to it and Aisha Rahman did not speak on it "
            "in the meeting. How was Aisha Rahman's view sought, and whose view did the "
            "decision follow?"
        ),
        "spoken_for": (
            "At the care plan review on 14 April 2026 (you attended; no one facilitated), "
            "others spoke on Aisha Rahman's behalf twice, and no words of Aisha Rahman's own "
            "were recorded. What made it hard to hear from Aisha Rahman directly, and what "
            "would you do differently next time?"
        ),
    }
    assert {p.theme for p in prompts} == {
        "Staff deferring to relatives due to confidence gaps or fear of complaints"
    }


def test_ruth_is_not_responsible_for_the_brothers_task_so_gets_no_data_prompts() -> None:
    # Ruth audited the medication, but she is neither named as supporting Daniel with it
    # nor the facilitator of a review of Mark's task: the worklist gives that review to
    # the team leader instead.
    assert prompts_at_as_of(load("03-historic-arrangement.before.yaml"), RUTH) == []


@pytest.mark.parametrize(
    ("name", "staff"),
    [
        ("01-risk-and-independence.yaml", StaffRef("tom", "Tom Reid")),
        ("01-risk-and-independence.yaml", StaffRef("priya", "Priya Shah")),
        ("02-vocal-relative.yaml", StaffRef("femi", "Femi Adeyemi")),
        ("02-vocal-relative.yaml", LENA),
        ("03-historic-arrangement.yaml", RUTH),
        ("03-historic-arrangement.yaml", StaffRef("owen", "Owen Price")),
    ],
)
def test_staff_of_the_after_examples_get_no_data_prompts(name: str, staff: StaffRef) -> None:
    assert prompts_at_as_of(load(name), staff) == []


def test_a_member_of_staff_is_their_member_id_and_the_name_only_names_them() -> None:
    # the staff directory makes the member id one identity across the organisation
    cf = load("01-risk-and-independence.before.yaml")
    assert StaffRef("priya", "Priya Patel") == PRIYA
    assert prompts_at_as_of(cf, StaffRef("priya", "Priya Patel")) == prompts_at_as_of(cf, PRIYA)
    assert len(prompts_at_as_of(cf, PRIYA)) == 1
    assert prompts_at_as_of(cf, StaffRef("priya-shah", "Priya Shah")) == []


def test_a_member_of_staff_in_several_circles_is_listed_once() -> None:
    sam = casefile_to_data(load("01-risk-and-independence.before.yaml"))
    other = casefile_to_data(load("03-historic-arrangement.before.yaml"))
    other["circle"].append(
        {"id": "priya", "name": "Priya Shah", "kind": "staff", "job": "support worker"}
    )
    files = [build(sam), build(other)]
    assert staff_members(files) == [PRIYA, RUTH]
    assert [(s.member, s.name) for s in staff_members(files)] == [
        ("priya", "Priya Shah"),
        ("ruth", "Ruth Evans"),
    ]


def test_the_prompts_of_every_member_of_staff_at_once_are_each_ones_prompts() -> None:
    files = [
        load("01-risk-and-independence.before.yaml"),
        load("02-vocal-relative.before.yaml"),
        load("03-historic-arrangement.before.yaml"),
    ]
    since, as_of = date(2025, 6, 1), date(2026, 6, 1)
    together = prompts_by_staff(files, since=since, as_of=as_of)
    assert sorted(together) == ["lena", "priya", "ruth"]
    for staff in staff_members(files):
        alone = data_prompts(files, staff=staff, since=since, as_of=as_of)
        assert together[staff.member] == alone
    assert [p.key for p in together["priya"]] == [
        "family_prevailed:sam/decision:m0/mobility_outdoors"
    ]
    assert together["ruth"] == []
    with pytest.raises(ValueError, match="cannot start after"):
        prompts_by_staff(files, since=as_of, as_of=since)


def test_ruth_responsible_by_supporting_the_area_gets_the_overdue_task_prompt() -> None:
    data = casefile_to_data(load("03-historic-arrangement.before.yaml"))
    data["plan"]["roles"][0]["supported_by"] = ["ruth"]
    # with no carer's plan for Mark, Ruth is also asked to suggest one (test_supervision_v2)
    suggestion, prompt = prompts_at_as_of(build(data), RUTH)
    assert suggestion.key == "carer_plan_suggested:daniel/member:mark"
    assert prompt.key == "family_task_overdue:daniel/task:t-mark-meds"
    assert prompt.question == (
        "Mark Hughes's arrangement for giving medication for Daniel Hughes has never been agreed "
        "or reviewed, and you are named as supporting Daniel Hughes with medication. What has "
        "kept it from being reviewed, and is anything making it hard to raise with Mark Hughes?"
    )
    assert prompt.evidence == ("task:t-mark-meds", "role:medication")
    assert prompt.date is None


def test_facilitator_of_the_tasks_last_review_gets_the_prompt_once_a_year_has_passed() -> None:
    data = casefile_to_data(load("03-historic-arrangement.before.yaml"))
    data["meetings"] = [
        {
            "id": "m5",
            "date": "2025-05-31",
            "kind": "partnership_review",
            "facilitator": "ruth",
            "attendees": ["daniel", "mark", "ruth"],
            "reviews_tasks": ["t-mark-meds"],
        }
    ]
    cf = build(data)
    # 2026-05-31 is 365 days after the review: not yet overdue (a carer's plan is still
    # suggested: Mark holds the task and has none)
    on_day_365 = data_prompts([cf], staff=RUTH, since=date(2025, 6, 1), as_of=date(2026, 5, 31))
    assert [p.kind for p in on_day_365] == ["carer_plan_suggested"]
    prompt, _undated_suggestion = data_prompts(
        [cf], staff=RUTH, since=date(2025, 6, 1), as_of=date(2026, 6, 1)
    )
    assert prompt.question.startswith(
        "Mark Hughes's arrangement for giving medication for Daniel Hughes was last reviewed on "
        "31 May 2025, more than a year ago, and you facilitated its last review."
    )
    assert prompt.evidence == ("task:t-mark-meds", "meeting:m5")


def test_meetings_outside_the_period_give_no_prompt() -> None:
    cf = load("01-risk-and-independence.before.yaml")
    assert data_prompts([cf], staff=PRIYA, since=date(2026, 5, 13), as_of=date(2026, 5, 20)) == []
    assert (
        len(data_prompts([cf], staff=PRIYA, since=date(2026, 5, 12), as_of=date(2026, 5, 20))) == 1
    )
    # on 11 May the meeting had not happened
    assert data_prompts([cf], staff=PRIYA, since=date(2026, 1, 1), as_of=date(2026, 5, 11)) == []


def test_disagreement_with_evidence_or_where_the_person_prevailed_gives_no_prompt() -> None:
    data = casefile_to_data(load("01-risk-and-independence.before.yaml"))
    data["meetings"][0]["decisions"][0]["evidence"] = ["ra0"]
    assert prompts_at_as_of(build(data), PRIYA) == []
    data = casefile_to_data(load("01-risk-and-independence.before.yaml"))
    data["plan"]["roles"][0]["decides"] = "sam"
    data["risk_assessments"][0]["person_agrees"] = True
    data["risk_assessments"][0]["agreed_position"] = "proceed"
    assert prompts_at_as_of(build(data), PRIYA) == []


def test_a_facilitated_meeting_is_not_the_responsibility_of_other_staff_present() -> None:
    data = casefile_to_data(load("02-vocal-relative.before.yaml"))
    data["circle"].append({"id": "femi", "name": "Femi Adeyemi", "kind": "staff"})
    data["meetings"][0]["facilitator"] = "femi"
    data["meetings"][0]["attendees"].append("femi")
    cf = build(data)
    assert [p.key for p in prompts_at_as_of(cf, LENA)] == ["voice_with_family:aisha/voice:v0"]
    assert [p.key for p in prompts_at_as_of(cf, StaffRef("femi", "Femi Adeyemi"))] == [
        "decision_without_view:aisha/decision:m1/daily_living",
        "spoken_for:aisha/meeting:m1",
    ]


def test_prompts_across_a_service_and_staff_list() -> None:
    files = [
        load("01-risk-and-independence.before.yaml"),
        load("03-historic-arrangement.before.yaml"),
    ]
    assert staff_members(files) == [PRIYA, RUTH]
    assert [
        p.key
        for p in data_prompts(files, staff=PRIYA, since=date(2025, 6, 1), as_of=date(2026, 6, 1))
    ] == ["family_prevailed:sam/decision:m0/mobility_outdoors"]


def test_standing_prompts_are_the_seed_themes() -> None:
    assert [(p.key, p.theme) for p in STANDING_PROMPTS] == [
        (
            "standing:deferring",
            "Staff deferring to relatives due to confidence gaps or fear of complaints",
        ),
        (
            "standing:assuming",
            "Families assuming decision-making authority without consent or capacity clarity",
        ),
    ]


def test_a_period_that_starts_after_it_ends_is_refused() -> None:
    with pytest.raises(ValueError, match="cannot start after"):
        data_prompts([], staff=PRIYA, since=date(2026, 2, 2), as_of=date(2026, 2, 1))
