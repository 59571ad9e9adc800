"""The case-file contract (casefile.md) read to the letter: readings not covered elsewhere.

Each test names the sentence of the format it checks. Files are built from dicts (or
YAML text where the YAML reading is the point) and validated with ``validate_data``.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from kinwise.casefile.load import parse_casefile, validate_data
from kinwise.errors import KinwiseError


def base() -> dict[str, Any]:
    """A small valid file: a person, one family member, one staff member, a plan."""
    return copy.deepcopy(
        {
            "kinwise": 1,
            "person": {"id": "sam", "name": "Sam", "communication": {"methods": ["verbal"]}},
            "circle": [
                {"id": "gil", "name": "Gil", "kind": "family"},
                {"id": "sol", "name": "Sol", "kind": "staff"},
            ],
            "plan": {"version_date": "2026-01-01"},
        }
    )


def errors_of(data: dict[str, Any]) -> list[str]:
    model, errors = validate_data(data)
    assert (model is None) == bool(errors)
    return [str(e) for e in errors]


def yaml_errors(text: str) -> list[str]:
    try:
        parse_casefile(text)
    except KinwiseError as exc:
        return [str(e) for e in exc.errors]
    return []


_HEAD = "kinwise: 1\nperson: {id: sam, name: Sam, communication: {methods: [verbal]}}\n"


# --- "kinwise: 1 — format version; must be 1" ---------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (True, "kinwise: expected the whole number 1, got true"),
        (1.0, "kinwise: expected the whole number 1, got the number 1.0"),
        ("1", "kinwise: expected the whole number 1, got text '1'"),
        (3, "kinwise: format version 3 is not supported: this reader reads versions 1 and 2"),
    ],
)
def test_kinwise_must_be_the_integer_1(value: Any, expected: str) -> None:
    data = base()
    data["kinwise"] = value
    assert errors_of(data) == [expected]


def test_kinwise_1_in_yaml_is_valid_and_true_is_not() -> None:
    assert yaml_errors(_HEAD + "plan: {version_date: 2026-01-01}\n") == []
    assert yaml_errors(
        _HEAD.replace("kinwise: 1", "kinwise: yes") + "plan: {version_date: 2026-01-01}\n"
    ) == ["kinwise: expected the whole number 1, got true"]


# --- "Required text must not be empty"; *empty* is only (Unicode) white space -------------


def test_text_of_unicode_white_space_only_is_empty() -> None:
    data = base()
    data["person"]["name"] = "\u2028\u3000\u00a0\t"
    assert errors_of(data) == ["person.name: must not be empty"]


def test_text_of_a_control_character_is_not_white_space() -> None:
    # U+001C..U+001F are not Unicode White_Space (Python's str.isspace says they are).
    data = base()
    data["person"]["name"] = "\x1c"
    assert errors_of(data) == []


# --- "Scores and counts are integers" -------------------------------------------------------


def test_a_float_is_not_an_integer_even_when_whole() -> None:
    data = base()
    data["risk_assessments"] = [
        {
            "id": "r1",
            "area": "mobility_outdoors",
            "activity": "Bus",
            "date": "2026-01-02",
            "participants": ["sam"],
            "hazards": [
                {
                    "hazard": "Traffic",
                    "likelihood": 3.0,
                    "severity": 2,
                    "residual_likelihood": 1,
                    "residual_severity": 1,
                }
            ],
            "person_agrees": True,
            "agreed_position": "graded_trial",
            "review_by": "2026-06-01",
        }
    ]
    data["graded_trials"] = [
        {
            "id": "gt",
            "risk_assessment": "r1",
            "stages": [
                {
                    "id": "s1",
                    "description": "With staff",
                    "support": "accompanied",
                    "advance_after": 2.0,
                }
            ],
        }
    ]
    data["medication"] = {
        "audits": [
            {"id": "ma", "date": "2026-01-03", "auditor": "sol", "doses_checked": 10.0, "errors": 0}
        ]
    }
    assert errors_of(data) == [
        "graded_trials[0].stages[0].advance_after: expected a whole number, got the number 2.0",
        "medication.audits[0].doses_checked: expected a whole number, got the number 10.0",
        "risk_assessments[0].hazards[0].likelihood: expected a whole number, got the number 3.0",
    ]


@pytest.mark.parametrize("value", [float("inf"), float("nan")])
def test_doses_per_day_must_be_a_finite_number(value: float) -> None:
    data = base()
    data["medication"] = {"regimen": [{"name": "A", "doses_per_day": value, "route": "oral"}]}
    [error] = errors_of(data)
    assert error.startswith("medication.regimen[0].doses_per_day: ")


def test_doses_per_day_may_be_a_fraction() -> None:
    # doses_per_day is stated as "number ≥ 0", not as a count.
    data = base()
    data["medication"] = {"regimen": [{"name": "A", "doses_per_day": 0.5, "route": "oral"}]}
    assert errors_of(data) == []


# --- "Dates are YYYY-MM-DD: a YAML date or a string of that form" -------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-W01-1", "'2026-W01-1' is not a date written YYYY-MM-DD"),
        ("20260101", "'20260101' is not a date written YYYY-MM-DD"),
        (
            "\uff12\uff10\uff12\uff16-01-01",
            "'\uff12\uff10\uff12\uff16-01-01' is not a date written YYYY-MM-DD",
        ),
        ("2026-1-05", "'2026-1-05' is not a date written YYYY-MM-DD"),
        ("2025-02-29", "'2025-02-29' is not a real date"),
    ],
)
def test_bad_dates(value: str, expected: str) -> None:
    data = base()
    data["plan"]["version_date"] = value
    assert errors_of(data) == [f"plan.version_date: {expected}"]


def test_a_bad_date_is_not_also_compared_with_another_date() -> None:
    # An ISO week date is not YYYY-MM-DD; it must not be read as a date for "not before".
    data = base()
    data["medication"] = {
        "regimen": [
            {
                "name": "A",
                "doses_per_day": 1,
                "route": "oral",
                "started": "2026-W01-1",
                "stopped": "2025-12-01",
            }
        ]
    }
    assert errors_of(data) == [
        "medication.regimen[0].started: '2026-W01-1' is not a date written YYYY-MM-DD"
    ]


def test_a_leap_day_is_a_real_date() -> None:
    data = base()
    data["plan"]["version_date"] = "2024-02-29"
    assert errors_of(data) == []


def test_yaml_dates_in_date_fields() -> None:
    assert yaml_errors(_HEAD + "plan: {version_date: 2026-01-01}\nas_of: 2026-03-01\n") == []
    assert yaml_errors(_HEAD + "plan: {version_date: 2026-02-30}\n") == [
        "plan.version_date: '2026-02-30' is not a real date"
    ]
    assert yaml_errors(_HEAD + "plan: {version_date: 2026-1-5}\n") == [
        "plan.version_date: '2026-1-5' is not a date written YYYY-MM-DD"
    ]


# --- "Text and ids must be strings: quote YAML values such as yes, no or 2024" ------------


def test_an_unquoted_yaml_date_is_not_text() -> None:
    text = _HEAD + (
        "plan: {version_date: 2026-01-01}\n"
        "circle:\n"
        "  - {id: gil, name: 2026-01-01, kind: family}\n"
        "  - {id: 2026-01-02, name: Sol, kind: staff}\n"
        "  - {id: '2026-01-03', name: '2026-01-04', kind: staff}\n"
    )
    assert yaml_errors(text) == [
        "circle[0].name: expected text, got the date 2026-01-01 (quote it in YAML when it is meant as text)",
        "circle[1].id: expected text, got the date 2026-01-02 (quote it in YAML when it is meant as text)",
    ]


def test_a_date_as_a_key_is_an_unknown_field_or_task() -> None:
    text = _HEAD + (
        "plan: {version_date: 2026-01-01}\n"
        "circle:\n"
        "  - {id: sol, name: Sol, kind: staff, trained: {2024-01-01: 2024-01-01}}\n"
        "2024-05-05: x\n"
    )
    assert yaml_errors(text) == [
        "2024-05-05: unknown field (not part of case-file format version 1)",
        "circle[0].trained.2024-01-01: unknown task '2024-01-01'",
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("no", "expected text, got false"),
        ("2024", "expected text, got the number 2024"),
        ("1.5", "expected text, got the number 1.5"),
        ("on", "expected text, got true"),
    ],
)
def test_yaml_scalars_that_are_not_strings(value: str, expected: str) -> None:
    text = (
        _HEAD
        + f"plan: {{version_date: 2026-01-01}}\ncircle:\n  - {{id: gil, name: Gil, kind: family, job: {value}}}\n"
    )
    assert yaml_errors(text) == [
        f"circle[0].job: {expected} (quote it in YAML when it is meant as text)"
    ]


# --- Ids: one namespace; the service's id outside it; trial stages inside it ---------------


def test_the_service_id_is_outside_the_namespace_but_follows_the_syntax() -> None:
    data = base()
    data["service"] = {"id": "sam", "name": "Home support"}
    assert errors_of(data) == []
    data["service"]["id"] = "home support"
    assert errors_of(data) == [
        "service.id: 'home support' is not a valid id (letters, digits, '.', '_' and '-' only)"
    ]


def test_a_reference_cannot_name_the_service() -> None:
    data = base()
    data["service"] = {"id": "svc", "name": "Home support"}
    data["plan"]["roles"] = [{"area": "medication", "decides": "svc"}]
    assert errors_of(data) == [
        "plan.roles[0].decides: unknown id 'svc': no record in this file has it"
    ]


def _trial(stage_id: str) -> dict[str, Any]:
    return {
        "id": "gt",
        "risk_assessment": "r1",
        "stages": [
            {
                "id": stage_id,
                "description": "With staff",
                "support": "accompanied",
                "advance_after": 1,
            }
        ],
    }


def _risk() -> dict[str, Any]:
    return {
        "id": "r1",
        "area": "mobility_outdoors",
        "activity": "Bus",
        "date": "2026-01-02",
        "participants": ["sam"],
        "hazards": [
            {
                "hazard": "Traffic",
                "likelihood": 3,
                "severity": 2,
                "residual_likelihood": 1,
                "residual_severity": 1,
            }
        ],
        "person_agrees": True,
        "agreed_position": "graded_trial",
        "review_by": "2026-06-01",
    }


def test_a_stage_id_shares_the_namespace_and_is_the_later_occurrence() -> None:
    data = base()
    data["risk_assessments"] = [_risk()]
    data["graded_trials"] = [_trial("gil")]
    assert errors_of(data) == [
        "graded_trials[0].stages[0].id: duplicate id 'gil': already used at circle[0]"
    ]


def test_the_later_occurrence_follows_the_order_of_the_file() -> None:
    # The plan comes before the circle in this file: the member is the later occurrence.
    data = base()
    data = {
        "kinwise": 1,
        "person": data["person"],
        "plan": {
            "version_date": "2026-01-01",
            "tasks": [
                {
                    "id": "gil",
                    "task": "transport",
                    "area": "mobility_outdoors",
                    "holder": "sol",
                    "since": "2025-01-01",
                }
            ],
        },
        "circle": data["circle"],
    }
    assert errors_of(data) == ["circle[0].id: duplicate id 'gil': already used at plan.tasks[0]"]


def test_a_stage_can_be_named_by_evidence_only_as_the_kind_it_is() -> None:
    data = base()
    data["risk_assessments"] = [_risk()]
    data["graded_trials"] = [_trial("s1")]
    data["meetings"] = [
        {
            "id": "m1",
            "date": "2026-01-05",
            "kind": "risk_review",
            "attendees": ["sam", "sol"],
            "decisions": [
                {"area": "mobility_outdoors", "outcome": "Go on", "evidence": ["gt", "s1"]}
            ],
        }
    ]
    assert errors_of(data) == [
        "meetings[0].decisions[0].evidence[1]: 's1' is a trial stage; this field accepts risk "
        "assessments, trials, incidents, events, voice records, capacity assessments, "
        "best-interests decisions or medication audits"
    ]


# --- "a list of ids must not name the same id twice" ----------------------------------------


def test_every_list_of_ids_rejects_a_repeat() -> None:
    data = base()
    data["voice"] = [
        {
            "id": "v1",
            "date": "2026-01-02",
            "method": "verbal",
            "setting": "everyday",
            "captured_by": "sol",
            "present": ["sam", "sam"],
            "direct": True,
            "summary": "Likes buses.",
        }
    ]
    data["meetings"] = [
        {
            "id": "m1",
            "date": "2026-01-05",
            "kind": "partnership_review",
            "attendees": ["sam", "sol", "sol"],
            "decisions": [{"area": "daily_living", "outcome": "Go on", "evidence": ["v1", "v1"]}],
        }
    ]
    data["consents"] = [
        {
            "id": "c1",
            "kind": "share_information",
            "given_by": "sam",
            "to": ["gil", "gil"],
            "areas": ["medication"],
            "date": "2026-01-01",
        }
    ]
    assert errors_of(data) == [
        "consents[0].to[1]: 'gil' is named twice in this list",
        "meetings[0].attendees[2]: 'sol' is named twice in this list",
        "meetings[0].decisions[0].evidence[1]: 'v1' is named twice in this list",
        "voice[0].present[1]: 'sam' is named twice in this list",
    ]


def test_a_list_of_areas_is_not_a_list_of_ids() -> None:
    # Only lists of ids are said not to repeat; an area named twice is not an error.
    data = base()
    data["plan"]["required_areas"] = ["medication", "medication"]
    assert errors_of(data) == []


# --- "the person is never a member" ---------------------------------------------------------


@pytest.mark.parametrize(
    ("where", "value", "path", "accepts"),
    [
        ("facilitator", "sam", "meetings[0].facilitator", "a circle member"),
        ("consulted", ["sam"], "best_interests[0].consulted[0]", "circle members only"),
        ("to", ["sam"], "consents[0].to[0]", "family members only"),
        ("emotional_support", ["sam"], "plan.emotional_support[0]", "family members only"),
        ("holder", "sam", "legal_authorities[0].holder", "a family member"),
    ],
)
def test_the_person_is_never_a_member(where: str, value: Any, path: str, accepts: str) -> None:
    data = base()
    data["legal_authorities"] = [{"id": "lpa", "holder": "gil", "kind": "lpa_health_welfare"}]
    data["capacity_assessments"] = [
        {
            "id": "ca",
            "area": "medication",
            "decision": "Tablets",
            "date": "2026-01-02",
            "assessor": "sol",
            "impairment": True,
            "understand": False,
            "retain": True,
            "weigh": True,
            "communicate": True,
            "outcome": "lacks_capacity",
        }
    ]
    data["best_interests"] = [
        {
            "id": "bi",
            "area": "medication",
            "decision": "Tablets",
            "date": "2026-01-03",
            "decision_maker": "sol",
            "capacity_assessment": "ca",
            "consulted": ["gil"],
        }
    ]
    data["consents"] = [
        {
            "id": "c1",
            "kind": "share_information",
            "given_by": "sam",
            "to": ["gil"],
            "areas": ["medication"],
            "date": "2026-01-01",
        }
    ]
    data["meetings"] = [
        {
            "id": "m1",
            "date": "2026-01-05",
            "kind": "joint_planning",
            "attendees": ["sam", "sol"],
            "facilitator": "sol",
        }
    ]
    target = {
        "facilitator": data["meetings"][0],
        "consulted": data["best_interests"][0],
        "to": data["consents"][0],
        "emotional_support": data["plan"],
        "holder": data["legal_authorities"][0],
    }[where]
    target[where] = value
    assert errors_of(data) == [f"{path}: 'sam' is the person; this field accepts {accepts}"]


# --- optional absent or null takes its default; required null is missing -------------------


def test_null_required_areas_takes_the_default_and_empty_replaces_it() -> None:
    data = base()
    data["plan"]["required_areas"] = None
    model, errors = validate_data(data)
    assert errors == [] and model is not None
    assert model.plan.required_areas is None  # the default areas apply
    data["plan"]["required_areas"] = []
    model, errors = validate_data(data)
    assert errors == [] and model is not None
    assert model.plan.required_areas == []


@pytest.mark.parametrize(
    ("field", "path"),
    [
        ("attendees", "meetings[0].attendees"),
        ("date", "meetings[0].date"),
        ("kind", "meetings[0].kind"),
    ],
)
def test_required_null_is_missing(field: str, path: str) -> None:
    data = base()
    data["meetings"] = [
        {"id": "m1", "date": "2026-01-05", "kind": "joint_planning", "attendees": ["sam"]}
    ]
    data["meetings"][0][field] = None
    assert errors_of(data) == [f"{path}: required field is missing"]


def test_a_deputyship_without_areas_and_an_lpa_with_empty_areas() -> None:
    data = base()
    data["legal_authorities"] = [
        {"id": "d1", "holder": "gil", "kind": "deputy_property_affairs", "areas": None},
        {"id": "l1", "holder": "gil", "kind": "lpa_health_welfare", "areas": []},
        {"id": "l2", "holder": "gil", "kind": "lpa_property_finance", "areas": None},
    ]
    assert errors_of(data) == [
        "legal_authorities[0].areas: required field is missing: a deputyship names its areas",
        "legal_authorities[1].areas: must not be empty (leave it out for an LPA covering every area of its kind)",
    ]


# --- every error, not only the first; validation does not depend on as_of ------------------


def test_structural_and_reference_errors_are_reported_together() -> None:
    data = base()
    data["circle"][0]["kind"] = "cousin"
    data["circle"].append({"id": "sol", "name": "Sol Two", "kind": "staff", "hobby": "chess"})
    data["plan"]["roles"] = [
        {"area": "medication", "decides": "nobody", "informed": ["sol", "sol"]}
    ]
    data["plan"]["version_date"] = "2026-13-01"
    assert errors_of(data) == [
        "circle[0].kind: unknown kind 'cousin'",
        "circle[2].hobby: unknown field (not part of case-file format version 1)",
        "circle[2].id: duplicate id 'sol': already used at circle[1]",
        "plan.roles[0].decides: unknown id 'nobody': no record in this file has it",
        "plan.roles[0].informed[1]: 'sol' is named twice in this list",
        "plan.version_date: '2026-13-01' is not a real date",
    ]


def test_validation_does_not_depend_on_as_of() -> None:
    # Records dated after the file's as_of are valid; an attorney whose LPA is registered
    # after as_of may still give consent (any authority in the file).
    data = base()
    data["as_of"] = "2026-01-01"
    data["legal_authorities"] = [
        {"id": "lpa", "holder": "gil", "kind": "lpa_health_welfare", "registered": "2027-01-01"}
    ]
    data["consents"] = [{"id": "c1", "kind": "care_plan", "given_by": "gil", "date": "2027-02-01"}]
    assert errors_of(data) == []
