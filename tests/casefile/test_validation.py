"""Validation of the case file: every error kind of casefile.md, each with its exact path."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from kinwise.casefile.load import parse_casefile, parse_text, validate_data
from kinwise.cli import main
from kinwise.errors import ErrorCode, KinwiseError

CASEFILES = Path(__file__).resolve().parents[2] / "src" / "kinwise" / "demo" / "casefiles"
EXAMPLES = sorted(CASEFILES.glob("*.yaml"))


def base() -> dict[str, Any]:
    """A small valid case file; each test changes one thing."""
    return {
        "kinwise": 1,
        "person": {"id": "sam", "name": "Sam", "communication": {"methods": ["verbal"]}},
        "circle": [
            {"id": "grace", "name": "Grace", "kind": "family"},
            {"id": "ali", "name": "Ali", "kind": "friend"},
            {"id": "priya", "name": "Priya", "kind": "staff"},
            {"id": "ade", "name": "Ade", "kind": "advocate"},
            {"id": "gp", "name": "Dr Lee", "kind": "professional"},
        ],
        "plan": {
            "version_date": "2026-01-01",
            "roles": [{"area": "medication", "decides": "sam", "informed": ["grace"]}],
            "tasks": [
                {
                    "id": "t1",
                    "task": "transport",
                    "area": "mobility_outdoors",
                    "holder": "grace",
                    "since": "2025-01-01",
                }
            ],
        },
        "capacity_assessments": [
            {
                "id": "ca1",
                "area": "finances_major",
                "decision": "Buying a flat",
                "date": "2026-02-01",
                "assessor": "gp",
                "impairment": True,
                "understand": False,
                "retain": True,
                "weigh": True,
                "communicate": True,
                "outcome": "lacks_capacity",
                "support_given": "Easy-read pack",
            }
        ],
        "voice": [
            {
                "id": "v1",
                "date": "2026-02-02",
                "method": "verbal",
                "setting": "separate",
                "captured_by": "priya",
                "present": ["priya"],
                "direct": True,
                "summary": "I like the bus.",
            }
        ],
        "meetings": [
            {
                "id": "m1",
                "date": "2026-02-03",
                "kind": "care_plan_review",
                "facilitator": "priya",
                "attendees": ["sam", "grace", "priya"],
                "contributions": [{"by": "sam", "area": "medication", "text": "Fine."}],
                "decisions": [
                    {
                        "area": "medication",
                        "outcome": "Keep",
                        "persons_view": "v1",
                        "evidence": ["v1"],
                    }
                ],
            }
        ],
    }


def errors_of(data: Any) -> list[str]:
    model, errors = validate_data(data)
    assert (model is None) == bool(errors)
    return [str(e) for e in errors]


def with_change(path: list[Any], value: Any) -> dict[str, Any]:
    data = copy.deepcopy(base())
    target: Any = data
    for part in path[:-1]:
        target = target[part]
    if value is _DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


_DELETE = object()


def test_base_is_valid() -> None:
    assert errors_of(base()) == []


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_examples_are_valid(path: Path) -> None:
    assert errors_of(parse_text(path.read_text())) == []


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        # unknown field
        (
            ["person", "nickname"],
            "S",
            "person.nickname: unknown field (not part of case-file format version 1)",
        ),
        # missing and null required fields
        (["person", "name"], _DELETE, "person.name: required field is missing"),
        (["person", "name"], None, "person.name: required field is missing"),
        (["plan", "version_date"], _DELETE, "plan.version_date: required field is missing"),
        # empty required text
        (["person", "name"], "   ", "person.name: must not be empty"),
        # wrong types
        (
            ["circle", 1, "id"],
            2024,
            "circle[1].id: expected text, got the number 2024 (quote it in YAML when it is meant as text)",
        ),
        (["voice", 0, "direct"], "yes", "voice[0].direct: expected true or false, got text 'yes'"),
        (
            ["voice", 0, "summary"],
            True,
            "voice[0].summary: expected text, got true (quote it in YAML when it is meant as text)",
        ),
        # enumerations
        (
            ["meetings", 0, "decisions", 0, "area"],
            "mobilty_outdoors",
            "meetings[0].decisions[0].area: unknown area 'mobilty_outdoors'",
        ),
        (
            ["person", "communication", "methods", 0],
            "shouting",
            "person.communication.methods[0]: unknown method 'shouting'",
        ),
        (["circle", 0, "kind"], "cousin", "circle[0].kind: unknown kind 'cousin'"),
        # ranges
        (
            ["person", "communication", "methods"],
            [],
            "person.communication.methods: must have at least one entry",
        ),
        (["meetings", 0, "kind"], "party", "meetings[0].kind: unknown kind 'party'"),
        # dates
        (
            ["plan", "version_date"],
            "2026-02-30",
            "plan.version_date: '2026-02-30' is not a real date",
        ),
        (
            ["plan", "version_date"],
            "2026-01-01T10:00:00",
            "plan.version_date: '2026-01-01T10:00:00' is not a date written YYYY-MM-DD",
        ),
        (
            ["plan", "version_date"],
            "1/2/2026",
            "plan.version_date: '1/2/2026' is not a date written YYYY-MM-DD",
        ),
        (
            ["plan", "version_date"],
            20260101,
            "plan.version_date: expected a date written YYYY-MM-DD",
        ),
        # ids
        (
            ["circle", 1, "id"],
            "ali smith",
            "circle[1].id: 'ali smith' is not a valid id (letters, digits, '.', '_' and '-' only)",
        ),
        (
            ["circle", 1, "id"],
            "grace",
            "circle[1].id: duplicate id 'grace': already used at circle[0]",
        ),
        (
            ["capacity_assessments", 0, "id"],
            "t1",
            "capacity_assessments[0].id: duplicate id 't1': already used at plan.tasks[0]",
        ),
        # version
        (
            ["kinwise"],
            3,
            "kinwise: format version 3 is not supported: this reader reads versions 1 and 2",
        ),
        (["kinwise"], _DELETE, "kinwise: required field is missing"),
    ],
)
def test_single_error(path: list[Any], value: Any, expected: str) -> None:
    assert errors_of(with_change(path, value)) == [expected]


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        # dangling references
        (
            ["plan", "roles", 0, "decides"],
            "ghost",
            "plan.roles[0].decides: unknown id 'ghost': no record in this file has it",
        ),
        (
            ["meetings", 0, "decisions", 0, "persons_view"],
            "v9",
            "meetings[0].decisions[0].persons_view: unknown id 'v9': no record in this file has it",
        ),
        # a reference to a record of the wrong kind
        (
            ["plan", "roles", 0, "decides"],
            "ade",
            "plan.roles[0].decides: 'ade' is an advocate; this field accepts the person, a family member, staff or a professional (an advocate supports but never decides)",
        ),
        (
            ["plan", "roles", 0, "informed"],
            ["sam"],
            "plan.roles[0].informed[0]: 'sam' is the person; this field accepts circle members only",
        ),
        (
            ["plan", "tasks", 0, "holder"],
            "ade",
            "plan.tasks[0].holder: 'ade' is an advocate; this field accepts a family member, staff or a professional",
        ),
        (
            ["meetings", 0, "decisions", 0, "persons_view"],
            "m1",
            "meetings[0].decisions[0].persons_view: 'm1' is a meeting; this field accepts a voice record",
        ),
        (
            ["meetings", 0, "decisions", 0, "evidence"],
            ["t1"],
            "meetings[0].decisions[0].evidence[0]: 't1' is a task; this field accepts risk assessments, trials, incidents, events, voice records, capacity assessments, best-interests decisions or medication audits",
        ),
        (
            ["capacity_assessments", 0, "assessor"],
            "grace",
            "capacity_assessments[0].assessor: 'grace' is a family member; this field accepts a staff member or a professional",
        ),
        (
            ["voice", 0, "captured_by"],
            "ali",
            "voice[0].captured_by: 'ali' is a friend; this field accepts staff, an advocate or a professional",
        ),
        (
            ["plan", "emotional_support"],
            ["priya"],
            "plan.emotional_support[0]: 'priya' is a staff member; this field accepts family members only",
        ),
        # a list naming an id twice
        (
            ["plan", "roles", 0, "informed"],
            ["grace", "grace"],
            "plan.roles[0].informed[1]: 'grace' is named twice in this list",
        ),
        # capacity outcome inconsistent with the functional test
        (
            ["capacity_assessments", 0, "outcome"],
            "has_capacity",
            "capacity_assessments[0].outcome: must be lacks_capacity: an impairment and at least one functional ability missing mean lacks_capacity",
        ),
        (
            ["capacity_assessments", 0, "understand"],
            True,
            "capacity_assessments[0].outcome: must be has_capacity: lacks_capacity needs both an impairment and at least one functional ability missing",
        ),
        (
            ["capacity_assessments", 0, "impairment"],
            False,
            "capacity_assessments[0].outcome: must be has_capacity: lacks_capacity needs both an impairment and at least one functional ability missing",
        ),
        # a 'separate' voice record with family present
        (
            ["voice", 0, "present"],
            ["priya", "grace"],
            "voice[0].present[1]: 'grace' is family; a view gathered separately has no family present",
        ),
        (
            ["voice", 0, "present"],
            ["ali"],
            "voice[0].present[0]: 'ali' is family; a view gathered separately has no family present",
        ),
        # meeting constraints
        (
            ["meetings", 0, "facilitator"],
            "gp",
            "meetings[0].facilitator: 'gp' is not among the attendees",
        ),
        (
            ["meetings", 0, "facilitator"],
            "sam",
            "meetings[0].facilitator: 'sam' is the person; this field accepts a circle member",
        ),
        (
            ["meetings", 0, "contributions", 0, "by"],
            "gp",
            "meetings[0].contributions[0].by: 'gp' is not among the attendees",
        ),
        (
            ["meetings", 0, "contributions", 0, "on_behalf_of"],
            "sam",
            "meetings[0].contributions[0].on_behalf_of: the person speaks for themselves: leave on_behalf_of out",
        ),
        (
            ["meetings", 0, "contributions", 0, "on_behalf_of"],
            "grace",
            "meetings[0].contributions[0].on_behalf_of: 'grace' is a family member; this field accepts only the person",
        ),
        (
            ["meetings", 0, "reviews_tasks"],
            ["t1"],
            "meetings[0].reviews_tasks: only a partnership_review meeting reviews tasks",
        ),
        # dates that must not come before others
        (
            ["plan", "tasks", 0, "ended"],
            "2024-12-31",
            "plan.tasks[0].ended: must not be before since (2025-01-01)",
        ),
    ],
)
def test_reference_and_constraint_errors(path: list[Any], value: Any, expected: str) -> None:
    assert errors_of(with_change(path, value)) == [expected]


def test_separate_voice_with_family_present_is_fine_in_a_joint_meeting() -> None:
    data = with_change(["voice", 0, "present"], ["priya", "grace"])
    data["voice"][0]["setting"] = "joint_meeting"
    assert errors_of(data) == []


def test_empty_attendees_reports_the_attendee_references_too() -> None:
    assert errors_of(with_change(["meetings", 0, "attendees"], [])) == [
        "meetings[0].attendees: must have at least one entry",
        "meetings[0].contributions[0].by: 'sam' is not among the attendees",
        "meetings[0].facilitator: 'priya' is not among the attendees",
    ]


def test_duplicate_id_is_reported_at_its_later_occurrence_only() -> None:
    data = base()
    data["events"] = [
        {
            "id": "v1",
            "date": "2026-01-01",
            "kind": "complaint",
            "areas": ["medication"],
            "description": "x",
        }
    ]
    assert errors_of(data) == ["events[0].id: duplicate id 'v1': already used at voice[0]"]
    # "later" is the order of the file, not of the format's field list
    reordered = {"events": data.pop("events"), **data}
    assert errors_of(reordered) == [
        "meetings[0].decisions[0].persons_view: 'v1' is an event; this field accepts a voice record",
        "voice[0].id: duplicate id 'v1': already used at events[0]",
    ]


def test_two_assessments_same_area_same_date() -> None:
    data = base()
    second = dict(data["capacity_assessments"][0], id="ca2", decision="Selling the car")
    data["capacity_assessments"].append(second)
    assert errors_of(data) == [
        "capacity_assessments[1].date: another assessment for area 'finances_major' has the same date (capacity_assessments[0])"
    ]
    second["date"] = "2026-02-02"
    assert errors_of(data) == []


def test_consent_rules() -> None:
    data = base()
    data["consents"] = [
        {"id": "c1", "kind": "share_information", "given_by": "sam", "date": "2026-01-01"},
        {"id": "c2", "kind": "care_plan", "given_by": "sam", "to": ["grace"], "date": "2026-01-01"},
        {
            "id": "c3",
            "kind": "delegate_decision",
            "given_by": "grace",
            "to": ["grace"],
            "areas": ["medication"],
            "date": "2026-01-01",
        },
        {
            "id": "c4",
            "kind": "share_information",
            "given_by": "sam",
            "to": ["priya"],
            "areas": ["medication"],
            "date": "2026-01-01",
            "withdrawn": "2025-12-31",
        },
    ]
    assert errors_of(data) == [
        "consents[0].areas: required and must not be empty for a share_information consent",
        "consents[0].to: required and must not be empty for a share_information consent",
        "consents[1].to: must be absent or empty for a care_plan consent",
        "consents[2].given_by: 'grace' holds no legal authority in this file; consent is given by the person or by an attorney or deputy",
        "consents[3].to[0]: 'priya' is a staff member; this field accepts family members only",
        "consents[3].withdrawn: must not be before date (2026-01-01)",
    ]
    # an attorney may give consent
    data["consents"] = [data["consents"][2]]
    data["legal_authorities"] = [{"id": "lpa1", "holder": "grace", "kind": "lpa_health_welfare"}]
    assert errors_of(data) == []


def test_authority_rules() -> None:
    data = base()
    data["legal_authorities"] = [
        {"id": "a1", "holder": "priya", "kind": "lpa_health_welfare", "registered": "2020-01-01"},
        {
            "id": "a2",
            "holder": "grace",
            "kind": "deputy_property_affairs",
            "registered": "2020-01-01",
        },
        {"id": "a3", "holder": "grace", "kind": "lpa_property_finance", "areas": []},
        {
            "id": "a4",
            "holder": "grace",
            "kind": "lpa_health_welfare",
            "areas": ["medication", "finances_daily"],
        },
        {
            "id": "a5",
            "holder": "grace",
            "kind": "lpa_health_welfare",
            "registered": "2020-01-01",
            "revoked": "2019-01-01",
        },
    ]
    assert errors_of(data) == [
        "legal_authorities[0].holder: 'priya' is a staff member; this field accepts a family member",
        "legal_authorities[1].areas: required field is missing: a deputyship names its areas",
        "legal_authorities[2].areas: must not be empty (leave it out for an LPA covering every area of its kind)",
        "legal_authorities[3].areas[1]: 'finances_daily' is a property area; a lpa_health_welfare covers welfare areas only",
        "legal_authorities[4].revoked: must not be before registered (2020-01-01)",
    ]


def test_trial_and_risk_and_medication_rules() -> None:
    data = base()
    data["risk_assessments"] = [
        {
            "id": "ra1",
            "area": "mobility_outdoors",
            "activity": "Bus",
            "date": "2026-01-01",
            "participants": ["sam"],
            "person_agrees": True,
            "agreed_position": "graded_trial",
            "review_by": "2026-06-01",
            "hazards": [
                {
                    "hazard": "Fall",
                    "likelihood": 6,
                    "severity": 0,
                    "residual_likelihood": 1,
                    "residual_severity": 1,
                }
            ],
        }
    ]
    data["graded_trials"] = [
        {
            "id": "gt1",
            "risk_assessment": "v1",
            "stages": [
                {
                    "id": "s1",
                    "description": "With staff",
                    "support": "accompanied",
                    "advance_after": 0,
                }
            ],
            "sessions": [
                {"date": "2026-01-02", "stage": "s2", "outcome": "completed"},
                {"date": "2026-01-03", "stage": "t1", "outcome": "completed"},
            ],
        }
    ]
    data["incidents"] = [
        {
            "id": "i1",
            "date": "2026-01-02",
            "area": "mobility_outdoors",
            "severity": "awful",
            "trial": "ra1",
            "description": "Bump",
        }
    ]
    data["medication"] = {
        "regimen": [
            {
                "name": "X",
                "doses_per_day": -1,
                "route": "oral",
                "started": "2026-01-02",
                "stopped": "2026-01-01",
            }
        ],
        "audits": [
            {
                "id": "ma1",
                "date": "2026-01-01",
                "auditor": "priya",
                "doses_checked": 10,
                "errors": 11,
            },
            {
                "id": "ma2",
                "date": "2026-01-01",
                "auditor": "priya",
                "doses_checked": 0,
                "errors": 0,
            },
        ],
    }
    assert errors_of(data) == [
        "graded_trials[0].risk_assessment: 'v1' is a voice record; this field accepts a risk assessment",
        "graded_trials[0].sessions[0].stage: unknown id 's2': no record in this file has it",
        "graded_trials[0].sessions[1].stage: 't1' is not a stage of this trial",
        "graded_trials[0].stages[0].advance_after: 0 is out of range: must be at least 1",
        "incidents[0].severity: unknown severity 'awful'",
        "incidents[0].trial: 'ra1' is a risk assessment; this field accepts a graded trial",
        "medication.audits[0].errors: 11 is more than the 10 doses checked",
        "medication.audits[1].doses_checked: 0 is out of range: must be more than 0",
        "medication.regimen[0].doses_per_day: -1 is out of range: must be at least 0",
        "medication.regimen[0].stopped: must not be before started (2026-01-02)",
        "risk_assessments[0].hazards[0].likelihood: 6 is out of range: must be at most 5",
        "risk_assessments[0].hazards[0].severity: 0 is out of range: must be at least 1",
    ]


def test_every_error_is_reported_in_path_order() -> None:
    data = base()
    data["unexpected"] = 1
    data["meetings"][0]["decisions"][0]["area"] = "mobilty_outdoors"
    data["plan"]["roles"][0]["decides"] = "ghost"
    data["circle"][1]["id"] = "grace"
    data["voice"][0]["date"] = "2026-13-01"
    assert errors_of(data) == [
        "circle[1].id: duplicate id 'grace': already used at circle[0]",
        "meetings[0].decisions[0].area: unknown area 'mobilty_outdoors'",
        "plan.roles[0].decides: unknown id 'ghost': no record in this file has it",
        "unexpected: unknown field (not part of case-file format version 1)",
        "voice[0].date: '2026-13-01' is not a real date",
    ]


def test_list_indexes_sort_numerically() -> None:
    data = base()
    for index in range(11):
        data["voice"].append(dict(data["voice"][0], id=f"vx{index}"))
    data["voice"][2]["method"] = "mime"
    data["voice"][11]["method"] = "mime"
    assert errors_of(data) == [
        "voice[2].method: unknown method 'mime'",
        "voice[11].method: unknown method 'mime'",
    ]


def test_yaml_dates_and_yaml_booleans() -> None:
    text = """
kinwise: 1
person: {id: sam, name: Sam, communication: {methods: [verbal]}}
plan: {version_date: 2026-01-01}
circle:
  - {id: "no", name: yes, kind: family}
"""
    with pytest.raises(KinwiseError) as caught:
        parse_casefile(text)
    assert [str(e) for e in caught.value.errors] == [
        "circle[0].name: expected text, got true (quote it in YAML when it is meant as text)"
    ]
    assert caught.value.code is ErrorCode.INVALID_CASEFILE


def test_yaml_date_time_is_an_error() -> None:
    text = "kinwise: 1\nperson: {id: sam, name: Sam, communication: {methods: [verbal]}}\nplan: {version_date: 2026-01-01 09:30:00}\n"
    with pytest.raises(KinwiseError) as caught:
        parse_casefile(text)
    assert [str(e) for e in caught.value.errors] == [
        "plan.version_date: '2026-01-01 09:30:00' is not a date written YYYY-MM-DD"
    ]


def test_duplicate_yaml_key_is_an_error() -> None:
    text = "kinwise: 1\nkinwise: 1\n"
    with pytest.raises(KinwiseError) as caught:
        parse_casefile(text)
    assert caught.value.code is ErrorCode.UNREADABLE_FILE
    assert "duplicate key 'kinwise' at line 2, column 1" in caught.value.message


def test_not_a_mapping() -> None:
    assert errors_of([1, 2]) == [
        "a case file must be a mapping with the fields 'kinwise', 'person' and 'plan'"
    ]


def test_json_equals_yaml() -> None:
    path = CASEFILES / "01-risk-and-independence.yaml"
    from_yaml = parse_casefile(path.read_text())
    from_json = parse_casefile(json.dumps(from_yaml.model_dump(mode="json")))
    assert from_json == from_yaml


def test_optional_null_takes_default() -> None:
    data = base()
    data["voice"][0]["present"] = None
    data["circle"][0]["informal_carer"] = None
    data["events"] = None
    model, errors = validate_data(data)
    assert errors == []
    assert model is not None
    assert model.voice[0].present == []
    assert model.circle[0].informal_carer is False
    assert model.events == []


def test_cli_validate_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "good.json"
    good.write_text(json.dumps(base()))
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(with_change(["meetings", 0, "decisions", 0, "area"], "mobilty_outdoors"))
    )
    assert main(["validate", str(good)]) == 0
    assert capsys.readouterr().out == f"{good}: valid\n"
    assert main(["validate", str(good), str(bad)]) == 2
    captured = capsys.readouterr()
    assert (
        captured.err == f"{bad}: meetings[0].decisions[0].area: unknown area 'mobilty_outdoors'\n"
    )


def test_cli_validate_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(tmp_path / "nope.yaml")]) == 2
    assert "cannot be read (FileNotFoundError)" in capsys.readouterr().err
