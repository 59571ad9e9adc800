"""The review worklist's triggers: from records to work items, and from the resolving
record to closure, with exact due dates and the day-14 / day-15 boundary."""

from __future__ import annotations

import copy
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from kinwise.casefile.load import casefile_to_data, load_casefile, validate_data
from kinwise.casefile.schema import CaseFile
from kinwise.readings.work import Owner, Resolution, WorkItem, work_items

CASEFILES = Path(__file__).resolve().parents[2] / "src" / "kinwise" / "demo" / "casefiles"
TEAM_LEADER = Owner(member=None, name=None, basis="team_leader")


def d(text: str) -> date:
    return date.fromisoformat(text)


def build(data: dict[str, Any]) -> CaseFile:
    casefile, errors = validate_data(data)
    assert not errors, [str(e) for e in errors]
    assert casefile is not None
    return casefile


def example_data(name: str) -> dict[str, Any]:
    return casefile_to_data(load_casefile(CASEFILES / name))


def by_key(items: list[WorkItem]) -> dict[str, WorkItem]:
    return {i.key: i for i in items}


def base() -> dict[str, Any]:
    """A person with a staff member supporting medication, a team leader who facilitates,
    and a mother who holds transport; each test adds its trigger."""
    return {
        "kinwise": 1,
        "person": {"id": "sam", "name": "Sam", "communication": {"methods": ["verbal"]}},
        "circle": [
            {"id": "grace", "name": "Grace", "kind": "family"},
            {"id": "priya", "name": "Priya", "kind": "staff"},
            {"id": "tom", "name": "Tom", "kind": "staff"},
            {"id": "gp", "name": "Dr Lee", "kind": "professional"},
        ],
        "plan": {
            "version_date": "2026-01-01",
            "roles": [
                {"area": "medication", "decides": "sam", "supported_by": ["priya"]},
                {"area": "mobility_outdoors", "decides": "sam"},
            ],
            "tasks": [],
        },
    }


def meeting(
    mid: str, when: str, kind: str, *, areas: tuple[str, ...] = (), **extra: Any
) -> dict[str, Any]:
    return {
        "id": mid,
        "date": when,
        "kind": kind,
        "facilitator": "tom",
        "attendees": ["sam", "tom"],
        "decisions": [{"area": a, "outcome": "Agreed"} for a in areas],
        **extra,
    }


def risk(
    rid: str, when: str, area: str = "mobility_outdoors", review_by: str = "2027-01-01"
) -> dict[str, Any]:
    return {
        "id": rid,
        "area": area,
        "activity": "Going out",
        "date": when,
        "participants": ["sam", "priya"],
        "hazards": [
            {
                "hazard": "Kerb",
                "likelihood": 2,
                "severity": 2,
                "residual_likelihood": 1,
                "residual_severity": 1,
            }
        ],
        "persons_view": "Wants to go",
        "person_agrees": True,
        "agreed_position": "proceed",
        "review_by": review_by,
    }


# --- arrangement reviews: example 3 before (a diagnosis, a brother giving medication) ---


def test_diagnosis_opens_arrangement_reviews_of_the_task_and_roles_it_names() -> None:
    cf = load_casefile(CASEFILES / "03-historic-arrangement.before.yaml")
    items = by_key(work_items(cf, as_of=d("2026-06-01")))
    arrangement = {k: v for k, v in items.items() if v.kind == "arrangement_review"}
    assert sorted(arrangement) == [
        "arrangement_review:event:e1/role:health_treatment",
        "arrangement_review:event:e1/role:medication",
        "arrangement_review:event:e1/task:t-mark-meds",
    ]
    task = arrangement["arrangement_review:event:e1/task:t-mark-meds"]
    assert (task.subject, task.trigger, task.area) == ("task:t-mark-meds", "event:e1", "medication")
    assert (task.opened, task.due, task.state) == (d("2026-03-10"), d("2026-03-24"), "overdue")
    assert task.owner == TEAM_LEADER  # no supporting staff, no meeting: the team leader
    assert task.section == "meetings"
    assert task.resolution is None
    assert task.title == (
        "Review Mark Hughes's arrangement for giving medication for Daniel Hughes after the "
        "diagnosis on 10 March 2026"
    )
    assert task.resolves == (
        "A partnership review that lists this arrangement among the tasks it reviews, dated on "
        "or after 10 March 2026"
    )


@pytest.mark.parametrize(
    ("as_of", "state"),
    [("2026-03-10", "open"), ("2026-03-24", "open"), ("2026-03-25", "overdue")],
)
def test_arrangement_review_is_due_on_day_14_and_overdue_on_day_15(as_of: str, state: str) -> None:
    cf = load_casefile(CASEFILES / "03-historic-arrangement.before.yaml")
    item = by_key(work_items(cf, as_of=d(as_of)))["arrangement_review:event:e1/task:t-mark-meds"]
    assert item.state == state
    assert item.days_overdue(d(as_of)) == (1 if state == "overdue" else 0)


def test_no_arrangement_review_before_the_event_exists() -> None:
    cf = load_casefile(CASEFILES / "03-historic-arrangement.before.yaml")
    keys = by_key(work_items(cf, as_of=d("2026-03-09")))
    assert not [k for k in keys if k.startswith("arrangement_review")]


def _with_partnership_review(when: str, *, reviews: list[str], areas: tuple[str, ...]) -> CaseFile:
    data = example_data("03-historic-arrangement.before.yaml")
    data["meetings"] = [
        {
            "id": "m9",
            "date": when,
            "kind": "partnership_review",
            "facilitator": "ruth",
            "attendees": ["daniel", "mark", "ruth"],
            "decisions": [{"area": a, "outcome": "Agreed"} for a in areas],
            "reviews_tasks": reviews,
        }
    ]
    return build(data)


def test_partnership_review_listing_the_task_closes_the_arrangement_review() -> None:
    cf = _with_partnership_review("2026-03-20", reviews=["t-mark-meds"], areas=("medication",))
    items = by_key(work_items(cf, as_of=d("2026-06-01")))
    task = items["arrangement_review:event:e1/task:t-mark-meds"]
    assert task.state == "closed"
    assert task.resolution == Resolution("meeting:m9", d("2026-03-20"))
    assert not task.late
    role = items["arrangement_review:event:e1/role:medication"]
    assert (role.state, role.resolution) == ("closed", Resolution("meeting:m9", d("2026-03-20")))
    # the meeting decided nothing on health and treatment: that role is still to review
    assert items["arrangement_review:event:e1/role:health_treatment"].state == "overdue"
    # before the meeting was held, the item was open (time travel)
    earlier = by_key(work_items(cf, as_of=d("2026-03-19")))
    assert earlier["arrangement_review:event:e1/task:t-mark-meds"].state == "open"


def test_a_late_review_closes_the_item_marked_late() -> None:
    cf = _with_partnership_review("2026-06-01", reviews=["t-mark-meds"], areas=())
    item = by_key(work_items(cf, as_of=d("2026-06-01")))[
        "arrangement_review:event:e1/task:t-mark-meds"
    ]
    assert (item.state, item.late) == ("closed", True)


def test_a_review_before_the_event_or_not_listing_the_task_does_not_close_it() -> None:
    before = _with_partnership_review("2026-03-09", reviews=["t-mark-meds"], areas=("medication",))
    item = by_key(work_items(before, as_of=d("2026-06-01")))[
        "arrangement_review:event:e1/task:t-mark-meds"
    ]
    assert (item.state, item.resolution) == ("overdue", None)
    unlisted = _with_partnership_review("2026-03-20", reviews=[], areas=("medication",))
    item = by_key(work_items(unlisted, as_of=d("2026-06-01")))[
        "arrangement_review:event:e1/task:t-mark-meds"
    ]
    assert (item.state, item.resolution) == ("overdue", None)


def test_example_3_after_shows_the_reviews_closed_by_the_partnership_review() -> None:
    cf = load_casefile(CASEFILES / "03-historic-arrangement.yaml")
    items = by_key(work_items(cf, as_of=d("2026-11-30")))
    assert {k: (v.state, v.resolution) for k, v in items.items()} == {
        "arrangement_review:event:e1/role:health_treatment": (
            "closed",
            Resolution("role:health_treatment", d("2026-06-24")),
        ),
        "arrangement_review:event:e1/role:medication": (
            "closed",
            Resolution("meeting:m1", d("2026-06-24")),
        ),
        "arrangement_review:event:e1/task:t-mark-meds": (
            "closed",
            Resolution("meeting:m1", d("2026-06-24")),
        ),
    }
    assert items["arrangement_review:event:e1/task:t-mark-meds"].owner == Owner(
        "owen", "Owen Price", "supported_by"
    )


@pytest.mark.parametrize(
    ("kind", "opens"),
    [
        ("needs_change", True),
        ("diagnosis", True),
        ("hospital_discharge", True),
        ("medication_change", True),
        ("capacity_change", True),
        ("complaint", False),
        ("safeguarding_concern", False),
    ],
)
def test_which_events_open_an_arrangement_review(kind: str, opens: bool) -> None:
    data = base()
    data["events"] = [
        {
            "id": "e1",
            "date": "2026-05-01",
            "kind": kind,
            "areas": ["medication"],
            "description": "x",
        }
    ]
    keys = by_key(work_items(build(data), as_of=d("2026-05-02")))
    assert ("arrangement_review:event:e1/role:medication" in keys) is opens


def test_a_task_that_started_on_or_after_the_event_is_not_reviewed_for_it() -> None:
    data = base()
    data["plan"]["tasks"] = [
        {
            "id": "t-old",
            "task": "order_medication",
            "area": "medication",
            "holder": "grace",
            "since": "2026-04-30",
            "agreed": "2026-04-30",
        },
        {
            "id": "t-new",
            "task": "administer_medication",
            "area": "medication",
            "holder": "priya",
            "since": "2026-05-01",
        },
    ]
    data["events"] = [
        {
            "id": "e1",
            "date": "2026-05-01",
            "kind": "needs_change",
            "areas": ["medication"],
            "description": "x",
        }
    ]
    items = by_key(work_items(build(data), as_of=d("2026-05-02")))
    assert "arrangement_review:event:e1/task:t-old" in items
    assert "arrangement_review:event:e1/task:t-new" not in items
    # the role's supporting staff member owns the reviews of the area
    assert items["arrangement_review:event:e1/task:t-old"].owner == Owner(
        "priya", "Priya", "supported_by"
    )


# --- risk reviews after incidents ----------------------------------------------------


def _incident(severity: str, *, safeguarding: bool = False) -> dict[str, Any]:
    data = base()
    data["incidents"] = [
        {
            "id": "i1",
            "date": "2026-05-01",
            "area": "mobility_outdoors",
            "severity": severity,
            "safeguarding": safeguarding,
            "description": "Fell",
        }
    ]
    return data


@pytest.mark.parametrize(
    ("severity", "opens"),
    [("none", False), ("low", False), ("moderate", True), ("high", True), ("severe", True)],
)
def test_moderate_or_worse_incident_opens_a_risk_review(severity: str, opens: bool) -> None:
    items = by_key(work_items(build(_incident(severity)), as_of=d("2026-05-01")))
    assert ("risk_review:incident:i1" in items) is opens


@pytest.mark.parametrize(
    ("as_of", "state"), [("2026-05-01", "open"), ("2026-05-15", "open"), ("2026-05-16", "overdue")]
)
def test_risk_review_due_14_days_after_the_incident(as_of: str, state: str) -> None:
    item = by_key(work_items(build(_incident("moderate")), as_of=d(as_of)))[
        "risk_review:incident:i1"
    ]
    assert (item.due, item.state, item.section) == (d("2026-05-15"), state, "risk")
    # no supporting staff on the area, no meeting: the team leader
    assert item.owner == TEAM_LEADER
    assert item.resolves == (
        "A risk assessment for going out and getting about, or a risk review or partnership "
        "review with a decision on going out and getting about, dated on or after 1 May 2026"
    )


def test_risk_assessment_for_the_area_closes_the_risk_review() -> None:
    data = _incident("high")
    data["risk_assessments"] = [risk("ra1", "2026-05-15")]
    item = by_key(work_items(build(data), as_of=d("2026-05-20")))["risk_review:incident:i1"]
    assert (item.state, item.resolution, item.late) == (
        "closed",
        Resolution("risk:ra1", d("2026-05-15")),
        False,
    )


@pytest.mark.parametrize(
    ("kind", "area", "closes"),
    [
        ("risk_review", "mobility_outdoors", True),
        ("partnership_review", "mobility_outdoors", True),
        ("care_plan_review", "mobility_outdoors", False),
        ("risk_review", "medication", False),
    ],
)
def test_meeting_with_a_decision_on_the_area_closes_the_risk_review(
    kind: str, area: str, closes: bool
) -> None:
    data = _incident("severe")
    data["meetings"] = [meeting("m1", "2026-05-16", kind, areas=(area,))]
    item = by_key(work_items(build(data), as_of=d("2026-05-20")))["risk_review:incident:i1"]
    assert item.state == ("closed" if closes else "overdue")
    if closes:
        assert item.resolution == Resolution("meeting:m1", d("2026-05-16"))
        assert item.late  # day 15


def test_risk_assessment_before_the_incident_does_not_close_it() -> None:
    data = _incident("moderate")
    data["risk_assessments"] = [risk("ra0", "2026-04-30")]
    item = by_key(work_items(build(data), as_of=d("2026-05-20")))["risk_review:incident:i1"]
    assert (item.state, item.resolution) == ("overdue", None)


# --- partnership reviews after safeguarding --------------------------------------------


def test_safeguarding_incident_opens_a_partnership_review_due_in_14_days() -> None:
    data = _incident("low", safeguarding=True)
    items = by_key(work_items(build(data), as_of=d("2026-05-16")))
    assert list(items) == ["partnership_review:incident:i1"]  # low: no risk review
    item = items["partnership_review:incident:i1"]
    assert (item.subject, item.due, item.state) == ("incident:i1", d("2026-05-15"), "overdue")
    assert item.resolves == "A partnership review meeting dated on or after 1 May 2026"
    assert (
        by_key(work_items(build(data), as_of=d("2026-05-15")))[
            "partnership_review:incident:i1"
        ].state
        == "open"
    )


def test_moderate_safeguarding_incident_opens_both_reviews() -> None:
    items = by_key(
        work_items(build(_incident("moderate", safeguarding=True)), as_of=d("2026-05-02"))
    )
    assert sorted(items) == ["partnership_review:incident:i1", "risk_review:incident:i1"]


@pytest.mark.parametrize(
    ("kind", "when", "state"),
    [
        ("partnership_review", "2026-05-15", "closed"),
        ("partnership_review", "2026-04-30", "overdue"),
        ("risk_review", "2026-05-10", "overdue"),
        ("partnership_review", "2026-05-21", "overdue"),  # after as_of: not yet written
    ],
)
def test_safeguarding_concern_closed_only_by_a_partnership_review(
    kind: str, when: str, state: str
) -> None:
    data = base()
    data["events"] = [
        {
            "id": "e7",
            "date": "2026-05-01",
            "kind": "safeguarding_concern",
            "areas": ["medication"],
            "description": "x",
        }
    ]
    data["meetings"] = [meeting("m1", when, kind)]
    item = by_key(work_items(build(data), as_of=d("2026-05-20")))["partnership_review:event:e7"]
    assert item.state == state
    assert item.owner == Owner("priya", "Priya", "supported_by")


# --- review dates --------------------------------------------------------------------


def _capacity(aid: str, when: str, *, review_by: str | None, lacks: bool = True) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": aid,
        "area": "medication",
        "decision": "Taking tablets",
        "date": when,
        "assessor": "gp",
        "impairment": lacks,
        "understand": not lacks,
        "retain": True,
        "weigh": True,
        "communicate": True,
        "outcome": "lacks_capacity" if lacks else "has_capacity",
        "support_given": "Easy read",
    }
    if review_by:
        record["review_by"] = review_by
    return record


@pytest.mark.parametrize(
    ("as_of", "state"),
    [
        ("2026-08-01", None),
        ("2026-08-02", "open"),
        ("2026-09-01", "open"),
        ("2026-09-02", "overdue"),
    ],
)
def test_capacity_assessment_opens_a_review_30_days_before_review_by(
    as_of: str, state: str | None
) -> None:
    data = base()
    data["capacity_assessments"] = [_capacity("ca1", "2026-03-01", review_by="2026-09-01")]
    item = by_key(work_items(build(data), as_of=d(as_of))).get("capacity_review:capacity:ca1")
    assert (item.state if item else None) == state
    if item:
        assert (item.opened, item.due, item.section) == (
            d("2026-08-02"),
            d("2026-09-01"),
            "capacity",
        )
        # the assessor is a professional, not staff: the area's supporting staff member
        assert item.owner == Owner("priya", "Priya", "supported_by")


def test_newer_capacity_assessment_closes_the_review() -> None:
    data = base()
    data["capacity_assessments"] = [
        _capacity("ca1", "2026-03-01", review_by="2026-09-01"),
        _capacity("ca2", "2026-08-20", review_by="2027-08-20"),
    ]
    items = by_key(work_items(build(data), as_of=d("2026-09-10")))
    assert items["capacity_review:capacity:ca1"].resolution == Resolution(
        "capacity:ca2", d("2026-08-20")
    )
    assert items["capacity_review:capacity:ca1"].state == "closed"
    assert "capacity_review:capacity:ca2" not in items  # not yet within its notice


def test_capacity_reassessed_before_the_notice_never_appears() -> None:
    data = base()
    data["capacity_assessments"] = [
        _capacity("ca1", "2026-03-01", review_by="2026-09-01"),
        _capacity("ca2", "2026-08-01", review_by="2027-08-01"),
    ]
    assert work_items(build(data), as_of=d("2026-09-10")) == []


def test_lack_of_capacity_without_review_by_is_due_after_365_days() -> None:
    data = base()
    data["capacity_assessments"] = [
        _capacity("ca1", "2025-03-01", review_by=None),
        {**_capacity("ca9", "2025-03-01", review_by=None, lacks=False), "area": "personal_care"},
    ]
    items = by_key(work_items(build(data), as_of=d("2026-03-02")))
    assert list(items) == ["capacity_review:capacity:ca1"]
    assert (
        items["capacity_review:capacity:ca1"].due,
        items["capacity_review:capacity:ca1"].state,
    ) == (
        d("2026-03-01"),
        "overdue",
    )


def test_risk_assessment_review_from_example_1_before() -> None:
    cf = load_casefile(CASEFILES / "01-risk-and-independence.before.yaml")
    assert work_items(cf, as_of=d("2026-10-12")) == []
    for as_of, state in (("2026-10-13", "open"), ("2026-11-12", "open"), ("2026-11-13", "overdue")):
        (item,) = work_items(cf, as_of=d(as_of))
        assert (item.key, item.due, item.state) == (
            "risk_assessment_review:risk:ra0",
            d("2026-11-12"),
            state,
        )
        # no supporting staff on the area; Priya took part in the assessment
        assert item.owner == Owner("priya", "Priya Shah", "participant")


def test_newer_risk_assessment_closes_the_review() -> None:
    data = base()
    data["risk_assessments"] = [
        risk("ra1", "2026-01-01", review_by="2026-06-01"),
        risk("ra2", "2026-05-20", review_by="2027-05-20"),
    ]
    items = by_key(work_items(build(data), as_of=d("2026-06-10")))
    assert items["risk_assessment_review:risk:ra1"].resolution == Resolution(
        "risk:ra2", d("2026-05-20")
    )


def _family_task(**fields: str) -> dict[str, Any]:
    data = base()
    data["plan"]["tasks"] = [
        {
            "id": "t1",
            "task": "transport",
            "area": "mobility_outdoors",
            "holder": "grace",
            "since": "2024-01-01",
            **fields,
        }
    ]
    return data


@pytest.mark.parametrize(
    ("as_of", "state"),
    [
        ("2026-05-01", None),
        ("2026-05-02", "open"),
        ("2026-06-01", "open"),
        ("2026-06-02", "overdue"),
    ],
)
def test_family_task_due_for_review_365_days_after_its_last_review(
    as_of: str, state: str | None
) -> None:
    cf = build(_family_task(agreed="2025-06-01"))
    item = by_key(work_items(cf, as_of=d(as_of))).get("task_review:task:t1@2026-06-01")
    assert (item.state if item else None) == state


def test_partnership_review_of_the_task_closes_its_annual_review() -> None:
    data = _family_task(agreed="2025-06-01")
    data["meetings"] = [meeting("m1", "2026-06-05", "partnership_review", reviews_tasks=["t1"])]
    items = by_key(work_items(build(data), as_of=d("2026-06-10")))
    # held from 2024 and first agreed in June 2025: that first review closed late
    assert list(items) == ["task_review:task:t1@2024-01-01", "task_review:task:t1@2026-06-01"]
    first = items["task_review:task:t1@2024-01-01"]
    assert (first.state, first.resolution) == ("closed", Resolution("task:t1", d("2025-06-01")))
    item = items["task_review:task:t1@2026-06-01"]
    assert (item.state, item.resolution, item.late) == (
        "closed",
        Resolution("meeting:m1", d("2026-06-05")),
        True,
    )
    # the facilitator of its last review owns the next one
    later = by_key(work_items(build(data), as_of=d("2027-06-05")))["task_review:task:t1@2027-06-05"]
    assert (later.state, later.owner) == ("open", Owner("tom", "Tom", "facilitator"))


def test_family_task_never_agreed_or_reviewed_is_due_on_its_since_date() -> None:
    cf = load_casefile(CASEFILES / "03-historic-arrangement.before.yaml")
    item = by_key(work_items(cf, as_of=d("2026-06-01")))["task_review:task:t-mark-meds@2015-09-01"]
    assert (item.due, item.state) == (d("2015-09-01"), "overdue")
    assert item.title == (
        "Review Mark Hughes's arrangement for giving medication for Daniel Hughes: it has never "
        "been agreed or reviewed"
    )


def test_staff_tasks_have_no_annual_review_item() -> None:
    data = _family_task(agreed="2025-06-01")
    data["plan"]["tasks"][0]["holder"] = "priya"
    assert work_items(build(data), as_of=d("2026-06-02")) == []


def test_ordering_is_by_due_date_then_key() -> None:
    cf = load_casefile(CASEFILES / "03-historic-arrangement.before.yaml")
    assert [i.key for i in work_items(cf, as_of=d("2026-06-01"))] == [
        "task_review:task:t-mark-meds@2015-09-01",
        "arrangement_review:event:e1/role:health_treatment",
        "arrangement_review:event:e1/role:medication",
        "arrangement_review:event:e1/task:t-mark-meds",
    ]


def test_the_input_case_file_is_not_changed() -> None:
    data = base()
    before = copy.deepcopy(data)
    work_items(build(data), as_of=d("2026-06-01"))
    assert data == before


def test_triggers_and_prompts_do_not_import_django() -> None:
    code = (
        "import sys; import kinwise.readings.work, kinwise.governance.supervision; "
        "print(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
