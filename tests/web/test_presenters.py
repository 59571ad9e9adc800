"""What the pages say, worked out from case files (no database): the readings
(kinwise.readings) and the trial chart drawn from them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kinwise.casefile.load import validate_data
from kinwise.casefile.schema import CaseFile
from kinwise.readings.findings import finding_link
from kinwise.readings.history import snapshot_changes
from kinwise.readings.names import Names
from kinwise.readings.reviews import reviews_due
from kinwise.readings.risk import risk_rating
from kinwise.readings.roles import decision_basis, role_rows
from kinwise.readings.voice import balance_warning, voice_balance
from kinwise.rules.audit import audit_casefile
from kinwise.rules.facts import build_facts
from kinwise.web.charts import trial_progression

AS_OF = dt.date(2026, 9, 30)


def casefile(**changes: Any) -> CaseFile:
    data: dict[str, Any] = {
        "kinwise": 1,
        "person": {"id": "sam", "name": "Sam", "communication": {"methods": ["verbal"]}},
        "circle": [
            {"id": "grace", "name": "Grace", "kind": "family", "relationship": "mother"},
            {"id": "tom", "name": "Tom", "kind": "staff"},
        ],
        "plan": {"version_date": "2026-01-01", "required_areas": [], "roles": []},
    }
    data.update(changes)
    model, errors = validate_data(data)
    assert errors == [], [str(e) for e in errors]
    assert model is not None
    return model


def basis(cf: CaseFile, area: str, as_of: dt.date = AS_OF) -> str:
    role = next(r for r in cf.plan.roles if r.area == area)
    return decision_basis(area, role.decides, build_facts(cf, as_of=as_of), Names(cf), as_of)


def assessment(area: str, when: str, lacks: bool, **extra: Any) -> dict[str, Any]:
    return {
        "id": f"ca-{area}-{when}",
        "area": area,
        "decision": "A decision",
        "date": when,
        "assessor": "tom",
        "impairment": True,
        "understand": not lacks,
        "retain": True,
        "weigh": True,
        "communicate": True,
        "outcome": "lacks_capacity" if lacks else "has_capacity",
        **extra,
    }


def test_basis_person_presumed_and_assessed() -> None:
    cf = casefile(
        plan={
            "version_date": "2026-01-01",
            "required_areas": [],
            "roles": [
                {"area": "medication", "decides": "sam"},
                {"area": "daily_living", "decides": "sam"},
                {"area": "finances_daily", "decides": "sam"},
            ],
        },
        capacity_assessments=[
            assessment("daily_living", "2026-03-03", lacks=False),
            assessment("finances_daily", "2026-04-05", lacks=True, support_given="Easy read"),
        ],
    )
    assert basis(cf, "medication") == "Has capacity for this decision (presumed: no assessment)."
    assert basis(cf, "daily_living") == "Has capacity for this decision (assessed 3 March 2026)."
    assert basis(cf, "finances_daily") == (
        "Sam lacks capacity for this decision since 5 April 2026: someone with authority, "
        "or a best-interests decision-maker, must be named."
    )
    # Before the assessment existed, capacity was presumed.
    assert basis(cf, "finances_daily", dt.date(2026, 4, 4)) == (
        "Has capacity for this decision (presumed: no assessment)."
    )


def test_basis_family_by_consent_and_by_lpa() -> None:
    cf = casefile(
        plan={
            "version_date": "2026-01-01",
            "required_areas": [],
            "roles": [
                {"area": "finances_daily", "decides": "grace"},
                {"area": "health_treatment", "decides": "grace"},
                {"area": "accommodation", "decides": "grace"},
            ],
        },
        consents=[
            {
                "id": "c1",
                "kind": "delegate_decision",
                "given_by": "sam",
                "to": ["grace"],
                "areas": ["finances_daily"],
                "date": "2026-02-01",
            }
        ],
        legal_authorities=[
            {
                "id": "lpa",
                "holder": "grace",
                "kind": "lpa_health_welfare",
                "registered": "2020-05-01",
            }
        ],
        capacity_assessments=[
            assessment("health_treatment", "2026-06-10", lacks=True, support_given="x")
        ],
    )
    assert basis(cf, "finances_daily") == "Delegation by consent on 1 February 2026."
    assert (
        basis(cf, "finances_daily", dt.date(2026, 1, 31))
        == "No consent or legal authority is recorded."
    )
    assert basis(cf, "health_treatment") == (
        "Registered health and welfare LPA, Sam lacks capacity for this decision since 10 June 2026."
    )
    # An LPA for health and welfare is not usable while Sam has capacity.
    assert basis(cf, "accommodation") == "No consent or legal authority is recorded."


def test_basis_staff_best_interests() -> None:
    cf = casefile(
        plan={
            "version_date": "2026-01-01",
            "required_areas": [],
            "roles": [
                {"area": "health_treatment", "decides": "tom"},
                {"area": "medication", "decides": "tom"},
                {"area": "daily_living"},
            ],
        },
        capacity_assessments=[
            assessment("health_treatment", "2026-06-10", lacks=True, support_given="x")
        ],
        best_interests=[
            {
                "id": "bi",
                "area": "health_treatment",
                "decision": "Dentist",
                "date": "2026-06-12",
                "decision_maker": "tom",
                "capacity_assessment": "ca-health_treatment-2026-06-10",
                "consulted": ["grace"],
                "persons_wishes": "None stated",
            }
        ],
    )
    assert basis(cf, "health_treatment") == (
        "Best-interests decision on 12 June 2026; Sam lacks capacity for this decision since 10 June 2026."
    )
    assert basis(cf, "health_treatment", dt.date(2026, 6, 11)) == (
        "No best-interests decision is recorded after the capacity assessment."
    )
    assert basis(cf, "medication") == "Sam has capacity for this decision: the decision is theirs."
    assert basis(cf, "daily_living") == "Nobody is named to decide."


def test_role_rows_put_the_persons_decisions_first_with_findings_inline() -> None:
    cf = casefile(
        plan={
            "version_date": "2026-01-01",
            "roles": [
                {"area": "medication", "decides": "tom"},
                {"area": "health_treatment", "decides": "sam", "informed": ["grace"]},
            ],
        },
    )
    audit = audit_casefile(cf, as_of=AS_OF, since=dt.date(2025, 9, 30))
    rows = role_rows(cf, build_facts(cf, as_of=AS_OF), audit.findings, AS_OF)
    # Default required areas: medication, health_treatment, personal_care, finances_daily.
    assert [r.area for r in rows] == [
        "health_treatment",
        "medication",
        "personal_care",
        "finances_daily",
    ]
    by_area = {r.area: r for r in rows}
    assert [(f.rule, f.subject) for f in by_area["health_treatment"].findings] == [
        ("IC01", "role:health_treatment/informed:grace")
    ]
    assert [f.rule for f in by_area["medication"].findings] == ["RC03"]
    assert by_area["personal_care"].decides == "Nobody named"
    assert [f.rule for f in by_area["personal_care"].findings] == ["RC01"]


@pytest.mark.parametrize(
    ("likelihood", "severity", "rating"),
    [
        (1, 3, "low"),
        (2, 2, "moderate"),
        (3, 2, "moderate"),
        (2, 4, "high"),
        (3, 4, "high"),
        (3, 5, "very high"),
        (5, 5, "very high"),
    ],
)
def test_risk_rating_bands(likelihood: int, severity: int, rating: str) -> None:
    assert risk_rating(likelihood, severity) == rating


def test_reviews_due_window_and_overdue() -> None:
    cf = casefile(
        plan={
            "version_date": "2026-01-01",
            "required_areas": [],
            "tasks": [
                {
                    "id": "t1",
                    "task": "manage_money",
                    "area": "finances_daily",
                    "holder": "grace",
                    "since": "2020-01-01",
                    "agreed": "2025-10-27",
                },
                {
                    "id": "t2",
                    "task": "transport",
                    "area": "mobility_outdoors",
                    "holder": "grace",
                    "since": "2020-01-01",
                    "agreed": "2025-10-29",
                },
                {
                    "id": "t5",
                    "task": "order_medication",
                    "area": "medication",
                    "holder": "grace",
                    "since": "2020-01-01",
                    "agreed": "2025-10-30",
                },
                {
                    "id": "t3",
                    "task": "arrange_appointments",
                    "area": "health_treatment",
                    "holder": "grace",
                    "since": "2020-01-01",
                },
                {
                    "id": "t4",
                    "task": "administer_medication",
                    "area": "medication",
                    "holder": "tom",
                    "since": "2020-01-01",
                },
            ],
        },
        risk_assessments=[
            {
                "id": "r1",
                "area": "mobility_outdoors",
                "activity": "Bus",
                "date": "2026-01-01",
                "participants": ["sam"],
                "hazards": [
                    {
                        "hazard": "h",
                        "likelihood": 2,
                        "severity": 2,
                        "residual_likelihood": 1,
                        "residual_severity": 1,
                    }
                ],
                "person_agrees": True,
                "agreed_position": "proceed",
                "review_by": "2026-09-29",
            }
        ],
    )
    as_of = dt.date(2026, 9, 29)
    due = reviews_due(cf, as_of)
    # The notice period is 30 days: t2 (last review 29 Oct 2025 + 365 days = 29 Oct 2026,
    # exactly 30 days on) is coming due; t5 one day later is not. t3 was never agreed or
    # reviewed, so its review was due the day it began (its since) and is overdue; the
    # risk assessment is due today, still in time. t4 is held by staff.
    assert [(r.what, r.due, r.overdue, r.key) for r in due] == [
        (
            "Grace: arranging appointments",
            dt.date(2020, 1, 1),
            True,
            "task_review:task:t3@2020-01-01",
        ),
        ("Risk assessment: Bus", dt.date(2026, 9, 29), False, "risk_assessment_review:risk:r1"),
        ("Grace: managing money", dt.date(2026, 10, 27), False, "task_review:task:t1@2026-10-27"),
        ("Grace: transport", dt.date(2026, 10, 29), False, "task_review:task:t2@2026-10-29"),
    ]
    # the day after its due date the risk assessment is overdue
    later = reviews_due(cf, as_of + dt.timedelta(days=1))
    assert [(r.key, r.overdue) for r in later][:2] == [
        ("task_review:task:t3@2020-01-01", True),
        ("risk_assessment_review:risk:r1", True),
    ]


def test_voice_balance_and_warning() -> None:
    cf = casefile(
        circle=[
            {"id": "grace", "name": "Grace", "kind": "family"},
            {"id": "tom", "name": "Tom", "kind": "staff"},
            {"id": "ada", "name": "Ada", "kind": "advocate"},
        ]
    )
    names = Names(cf)
    rows = voice_balance(
        [
            ("sam", None),
            ("grace", "sam"),
            ("tom", "sam"),
            ("grace", None),
            ("tom", None),
            ("ada", None),
            ("", None),
        ],
        names,
    )
    assert [(r.key, r.count) for r in rows] == [
        ("own", 1),
        ("for", 2),
        ("family", 1),
        ("staff", 1),
        ("advocate", 1),
    ]
    assert balance_warning(rows, "Sam").startswith("Others have spoken for Sam more often")
    even = voice_balance([("sam", None), ("grace", "sam")], names)
    assert balance_warning(even, "Sam") == ""


@pytest.mark.parametrize(
    ("subject", "link"),
    [
        ("role:medication", "/people/7/#role-medication"),
        ("role:health_treatment/informed:grace", "/people/7/#role-health_treatment"),
        ("decision:m1/daily_living", "/people/7/meetings/m1/"),
        ("meeting:m1", "/people/7/meetings/m1/"),
        ("voice:v0", "/people/7/voice/?record=v0#voice-v0"),
        ("task:t-1", "/people/7/arrangements/#task-t-1"),
        ("trial:gt1/stage:s2", "/people/7/risk/#trial-gt1"),
        ("plan", "/people/7/capacity/#consents"),
        ("capacity:ca1", "/people/7/capacity/#capacity-ca1"),
        ("best_interests:bi1", "/people/7/capacity/#best-interests-bi1"),
        ("risk:ra1", "/people/7/risk/#risk-ra1"),
        ("incident:inc1", "/people/7/risk/#incident-inc1"),
        ("event:e2", "/people/7/risk/#event-e2"),
        ("hazard:h1", "/people/7/findings/"),
    ],
)
def test_finding_links(subject: str, link: str) -> None:
    assert finding_link(subject, 7)[0] == link


def test_snapshot_changes() -> None:
    changes = snapshot_changes(
        {"id": "v", "direct": True, "present": ["a"]},
        {"id": "v", "direct": False, "present": ["a", "b"], "area": "x"},
    )
    assert [(c.field, c.before, c.after) for c in changes] == [
        ("direct", "yes", "no"),
        ("present", "a", "a; b"),
        ("area", "(none)", "x"),
    ]


def test_trial_chart_has_title_text_alternative_and_marks_incidents() -> None:
    cf = casefile(
        risk_assessments=[
            {
                "id": "r1",
                "area": "mobility_outdoors",
                "activity": "Bus",
                "date": "2026-01-01",
                "participants": ["sam"],
                "hazards": [
                    {
                        "hazard": "h",
                        "likelihood": 2,
                        "severity": 2,
                        "residual_likelihood": 1,
                        "residual_severity": 1,
                    }
                ],
                "person_agrees": True,
                "agreed_position": "graded_trial",
                "review_by": "2026-12-01",
            }
        ],
        graded_trials=[
            {
                "id": "gt",
                "risk_assessment": "r1",
                "stages": [
                    {
                        "id": "s1",
                        "description": "With staff",
                        "support": "accompanied",
                        "advance_after": 1,
                    },
                    {
                        "id": "s2",
                        "description": "Alone",
                        "support": "independent",
                        "advance_after": 1,
                    },
                ],
                "sessions": [
                    {"date": "2026-02-01", "stage": "s1", "outcome": "completed"},
                    {"date": "2026-02-08", "stage": "s2", "outcome": "stopped"},
                ],
            }
        ],
        incidents=[
            {
                "id": "i1",
                "date": "2026-02-08",
                "area": "mobility_outdoors",
                "severity": "low",
                "trial": "gt",
                "description": "Missed the stop",
            }
        ],
    )
    chart = trial_progression(cf.graded_trials[0], list(cf.incidents))
    assert chart.title == "Progress through the stages of the graded trial"
    assert chart.description == (
        "2 session(s) over 2 stage(s); furthest stage reached: Alone. 1 session(s) stopped. "
        "Incidents on 8 February 2026."
    )
    assert chart.svg.lstrip().startswith("<?xml")
    assert "<svg" in chart.svg and "Progress through the stages" in chart.svg
