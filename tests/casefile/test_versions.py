"""Format versions 1 and 2 (docs/spec/casefile-v2.md): a version-1 file is read exactly
as before version 2 existed; a version-2 file's new sections are validated, each error at
its path."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from kinwise.casefile.load import casefile_to_data, load_casefile, validate_data
from kinwise.casefile.versions import version_needed

CASEFILES = Path(__file__).resolve().parents[2] / "src" / "kinwise" / "demo" / "casefiles"

_BASE: dict[str, Any] = {
    "kinwise": 2,
    "person": {"id": "p", "name": "Pat", "communication": {"methods": ["verbal"]}},
    "circle": [
        {"id": "fam", "name": "Fran", "kind": "family"},
        {"id": "kin", "name": "Kim", "kind": "family", "informal_carer": True},
        {"id": "st", "name": "Sol", "kind": "staff"},
        {"id": "adv", "name": "Ada", "kind": "advocate"},
    ],
    "consents": [
        {"id": "c1", "kind": "care_plan", "given_by": "p", "date": "2026-01-01"},
    ],
    "plan": {
        "version_date": "2026-01-01",
        "tasks": [
            {"id": "t1", "task": "transport", "area": "mobility_outdoors", "holder": "fam",
             "since": "2026-01-01"},
            {"id": "t2", "task": "manage_money", "area": "finances_daily", "holder": "st",
             "since": "2026-01-01"},
        ],
    },
    "voice": [
        {"id": "v1", "date": "2026-01-05", "method": "verbal", "setting": "everyday",
         "captured_by": "st", "direct": True, "summary": "Fine."}
    ],
    "meetings": [
        {"id": "m1", "date": "2026-02-01", "kind": "joint_planning", "attendees": ["p", "fam", "st"],
         "decisions": [{"area": "medication", "outcome": "Keep as now."}]}
    ],
}  # fmt: skip


def base() -> dict[str, Any]:
    return copy.deepcopy(_BASE)


def errors_of(data: dict[str, Any]) -> list[str]:
    _, errors = validate_data(data)
    return [str(e) for e in errors]


def test_a_version_one_file_using_version_two_is_invalid_exactly_as_before() -> None:
    """The errors below are those the reader gave before version 2 existed (recorded by
    running main at 8ce03a3 over this file): same paths, messages and codes."""
    data = {
        "kinwise": 1,
        "person": {"id": "p", "name": "P", "communication": {"methods": ["verbal"]}},
        "circle": [{"id": "fam", "name": "F", "kind": "family"}],
        "plan": {"version_date": "2026-01-01"},
        "events": [
            {"id": "e1", "date": "2026-01-02", "kind": "carer_unwell", "areas": ["medication"],
             "description": "x", "carer": "fam"},
            {"id": "e2", "date": "2026-01-02", "kind": "needs_change", "areas": ["medication"],
             "description": "x", "carer": None},
        ],
        "family_views": [{"id": "fam"}],
        "concerns": "junk",
        "role_changes": [],
        "carer_plans": None,
        "goals": [{}],
        "restrictions": [1],
        "exported": {"x": 1},
    }  # fmt: skip
    _, errors = validate_data(data)
    assert [(e.path, e.message, str(e.code)) for e in errors] == [
        ("carer_plans", "required field is missing", "unknown_field"),
        ("concerns", "unknown field (not part of case-file format version 1)", "unknown_field"),
        ("events[0].carer", "unknown field (not part of case-file format version 1)", "unknown_field"),
        ("events[0].kind", "unknown kind 'carer_unwell'", "invalid"),
        ("events[1].carer", "required field is missing", "unknown_field"),
        ("exported", "unknown field (not part of case-file format version 1)", "unknown_field"),
        ("family_views", "unknown field (not part of case-file format version 1)", "unknown_field"),
        ("goals", "unknown field (not part of case-file format version 1)", "unknown_field"),
        ("restrictions", "unknown field (not part of case-file format version 1)", "unknown_field"),
        ("role_changes", "unknown field (not part of case-file format version 1)", "unknown_field"),
    ]  # fmt: skip
    # the same file without "kinwise" is read as version 1, the missing field reported too
    del data["kinwise"]
    assert errors_of(data)[0] == "carer_plans: required field is missing"
    assert "kinwise: required field is missing" in errors_of(data)


@pytest.mark.parametrize("path", sorted(CASEFILES.glob("*.yaml")), ids=lambda p: p.name)
def test_version_one_examples_stay_version_one(path: Path) -> None:
    cf = load_casefile(path)
    assert cf.kinwise == 1 and version_needed(cf) == 1
    data = casefile_to_data(cf)
    assert not {"family_views", "concerns", "exported"} & set(data)
    assert "carer" not in str(cf.model_dump(mode="json")["events"])


def test_a_version_two_file_is_valid_and_needs_version_two() -> None:
    data = base()
    data["family_views"] = [
        {"id": "fv1", "author": "fam", "date": "2026-01-31", "area": "medication",
         "meeting": "m1", "text": "Keep it as it is."}
    ]  # fmt: skip
    cf, errors = validate_data(data)
    assert errors == [] and cf is not None
    assert version_needed(cf) == 2
    assert casefile_to_data(cf)["family_views"] == data["family_views"]
    assert errors_of({**base(), "kinwise": 3}) == [
        "kinwise: format version 3 is not supported: this reader reads versions 1 and 2"
    ]
    assert errors_of({**base(), "nonsense": 1}) == [
        "nonsense: unknown field (not part of case-file format version 2)"
    ]


def with_section(name: str, records: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    data = base()
    data[name] = records
    data.update(extra)
    return data


CONCERN = {"id": "cn1", "kind": "complaint", "raised_by": "fam", "date": "2026-03-02",
           "area": "medication"}  # fmt: skip
PLAN = {"id": "cp1", "carer": "fam", "date": "2026-01-10"}
GOAL = {"id": "g1", "date": "2026-02-01", "area": "daily_living", "words": "I want to cook.",
        "set_by": "p", "baseline": 3}  # fmt: skip
RESTRICTION = {"id": "rs1", "date": "2026-02-01", "area": "daily_living", "what": "Locked knives.",
               "proposed_by": "st", "review_by": "2026-08-01"}  # fmt: skip
VIEW = {"id": "fv1", "author": "fam", "date": "2026-01-31", "area": "medication", "text": "Hm."}
EVENT = {"id": "e1", "date": "2026-03-01", "kind": "carer_unwell", "areas": ["mobility_outdoors"],
         "description": "Fran is ill.", "carer": "fam"}  # fmt: skip


@pytest.mark.parametrize(
    ("section", "record", "expected"),
    [
        ("family_views", {**VIEW, "author": "st"},
         "family_views[0].author: 'st' is a staff member; this field accepts a family member"),
        ("family_views", {**VIEW, "risk_assessment": "m1"},
         "family_views[0].risk_assessment: 'm1' is a meeting; this field accepts a risk assessment"),
        ("family_views", {**VIEW, "text": " "}, "family_views[0].text: must not be empty"),
        ("concerns", {**CONCERN, "kind": "grumble"}, "concerns[0].kind: unknown kind 'grumble'"),
        ("concerns", {**CONCERN, "raised_by": "x"},
         "concerns[0].raised_by: unknown id 'x': no record in this file has it"),
        ("concerns", {**CONCERN, "about": "v1"},
         "concerns[0].about: 'v1' is a voice record; this field accepts a meeting, a risk "
         "assessment or a task"),
        ("concerns", {**CONCERN, "decision": True},
         "concerns[0].about: required field is missing: a concern about a decision names its meeting"),
        ("concerns", {**CONCERN, "about": "m1", "decision": True, "area": "daily_living"},
         "concerns[0].decision: meeting 'm1' has no decision on area 'daily_living'"),
        ("concerns", {**CONCERN, "response": {"date": "2026-03-03", "by": "fam", "text": "x"}},
         "concerns[0].response.by: 'fam' is a family member; this field accepts a staff member "
         "or a professional"),
        ("concerns", {**CONCERN, "closed": "2026-03-01"},
         "concerns[0].closed: must not be before date (2026-03-02)"),
        ("concerns", {**CONCERN, "stages": [{"stage": "appeal", "date": "2026-03-03"}]},
         "concerns[0].stages[0].stage: unknown stage 'appeal'"),
        ("role_changes", {"id": "rc1", "date": "2026-03-01", "area": "medication", "member": "fam",
                          "role": "informed", "change": "reduced"},
         "role_changes[0].change: unknown change 'reduced'"),
        ("role_changes", {"id": "rc1", "date": "2026-03-01", "area": "medication", "member": "adv",
                          "role": "decides", "change": "added"},
         "role_changes[0].member: 'adv' is an advocate; this field accepts the person, a family "
         "member, staff or a professional (an advocate supports but never decides)"),
        ("carer_plans", {**PLAN, "carer": "st"},
         "carer_plans[0].carer: 'st' is a staff member; this field accepts a family member"),
        ("carer_plans", {**PLAN, "contingencies": [{"task": "t1", "steps_in": "fam", "contact": "x"}]},
         "carer_plans[0].contingencies[0].steps_in: 'fam' is the carer; someone else steps in"),
        ("carer_plans", {**PLAN, "contingencies": [{"task": "t2", "steps_in": "st", "contact": "x"}]},
         "carer_plans[0].contingencies[0].task: task 't2' is held by 'st', not by 'fam'"),
        ("carer_plans", {**PLAN, "used": [{"date": "2026-02-01", "task": "t1"}]},
         "carer_plans[0].used[0].task: task 't1' has no contingency in this plan"),
        ("carer_plans", {**PLAN, "asked": "2026-01-09"},
         "carer_plans[0].asked: must not be before date (2026-01-10)"),
        ("goals", {**GOAL, "baseline": 11}, "goals[0].baseline: 11 is out of range: must be at most 10"),
        ("goals", {**GOAL, "person_agrees": True},
         "goals[0].person_agrees: the person set this goal: leave person_agrees out"),
        ("goals", {**GOAL, "reviews": [{"date": "2026-01-01", "score": 3}]},
         "goals[0].reviews[0].date: must not be before date (2026-02-01)"),
        ("restrictions", {**RESTRICTION, "basis": "consent"},
         "restrictions[0].basis_record: required field is missing: a basis of consent names its record"),
        ("restrictions", {**RESTRICTION, "basis": "court_order", "basis_record": "c1"},
         "restrictions[0].basis_record: must be absent unless the basis is consent, "
         "best_interests or authority"),
        ("restrictions", {**RESTRICTION, "review_by": "2026-01-01"},
         "restrictions[0].review_by: must not be before date (2026-02-01)"),
        ("restrictions", {**RESTRICTION, "replaced_by": "m1"},
         "restrictions[0].replaced_by: 'm1' is a meeting; this field accepts a graded trial"),
        ("events", {**EVENT, "carer": None},
         "events[0].carer: required field is missing: a carer_unwell event names the carer"),
        ("events", {**EVENT, "kind": "needs_change"},
         "events[0].carer: only a carer_unwell event names a carer"),
        ("exported", {"person": {"id": "p", "version": 1}, "records": {"voice": {"v1": 0}}},
         "exported.records.voice.v1: 0 is out of range: must be at least 1"),
    ],
)  # fmt: skip
def test_each_version_two_error_at_its_path(
    section: str, record: dict[str, Any], expected: str
) -> None:
    data = base()
    data[section] = record if section == "exported" else [record]
    assert errors_of(data) == [expected]


def test_a_carer_holds_a_task_or_gives_care_and_has_one_plan() -> None:
    data = with_section(
        "carer_plans", [PLAN, {**PLAN, "id": "cp2"}, {**PLAN, "id": "cp3", "carer": "kin"}]
    )
    assert errors_of(data) == [
        "carer_plans[1].carer: 'fam' already has a carer's plan (carer_plans[0])"
    ]
    data["circle"].append({"id": "bro", "name": "Bo", "kind": "family"})
    data["carer_plans"] = [{**PLAN, "carer": "bro"}]
    assert errors_of(data) == [
        "carer_plans[0].carer: 'bro' holds no task and is not an informal carer; a carer's "
        "plan is for a family member who holds a task or gives care"
    ]


def test_version_two_ids_share_the_one_namespace() -> None:
    data = with_section("goals", [{**GOAL, "id": "v1"}])
    assert errors_of(data) == ["goals[0].id: duplicate id 'v1': already used at voice[0]"]
