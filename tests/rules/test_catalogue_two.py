"""Catalogue 2 (docs/spec/rules-v2.md): the rules that judge only format version 2's
records, at their day boundaries, with the "Time" section applied."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from kinwise.rules.terms import working_days_after
from tests.rules.helpers import base, run

FRI = date(2026, 3, 6)  # a Friday: its third working day is Wednesday 11 March


def two(**sections: Any) -> dict[str, Any]:
    data = base()
    data["kinwise"] = 2
    data.update(sections)
    return data


def subjects(data: dict[str, Any], rule: str, as_of: date, since: date | None = None) -> list[str]:
    return [f.subject for f in run(data, as_of=as_of, since=since).findings if f.rule == rule]


def iso(d: date, days: int = 0) -> str:
    return (d + timedelta(days=days)).isoformat()


def concern(**fields: Any) -> dict[str, Any]:
    record = {
        "id": "cn1",
        "kind": "complaint",
        "raised_by": "fam",
        "date": FRI.isoformat(),
        "area": "medication",
    }
    record.update(fields)
    return {k: v for k, v in record.items() if v is not None}


@pytest.mark.parametrize(
    ("day", "count", "expected"),
    [
        (date(2026, 3, 6), 1, date(2026, 3, 9)),  # Friday -> Monday
        (date(2026, 3, 6), 3, date(2026, 3, 11)),
        (date(2026, 3, 4), 3, date(2026, 3, 9)),  # Wednesday -> Monday
        (date(2026, 3, 7), 1, date(2026, 3, 9)),  # Saturday -> Monday
        (date(2026, 3, 2), 20, date(2026, 3, 30)),  # four whole weeks
        (date(2026, 3, 6), 20, date(2026, 4, 3)),
    ],
)
def test_working_days_after(day: date, count: int, expected: date) -> None:
    assert working_days_after(day, count) == expected


# --- CN01: acknowledged within 3 working days (across a weekend) -------------------------


@pytest.mark.parametrize(
    ("acknowledged", "as_of", "found"),
    [
        (None, date(2026, 3, 11), False),  # the deadline itself: still in time
        (None, date(2026, 3, 12), True),
        ("2026-03-11", date(2026, 3, 12), False),  # day 3 (a Wednesday): in time
        ("2026-03-12", date(2026, 3, 12), True),  # day 4: late
        ("2026-03-12", date(2026, 6, 1), True),
        ("2026-03-09", date(2026, 6, 1), False),
        ("2026-06-02", date(2026, 6, 1), True),  # after as_of: absent
    ],
)
def test_cn01_boundaries(acknowledged: str | None, as_of: date, found: bool) -> None:
    data = two(concerns=[concern(acknowledged=acknowledged)])
    assert subjects(data, "CN01", as_of) == (["concern:cn1"] if found else [])


def test_cn01_reports_only_concerns_raised_in_the_period() -> None:
    data = two(concerns=[concern()])
    as_of = date(2026, 6, 1)
    assert subjects(data, "CN01", as_of, since=FRI) == ["concern:cn1"]
    assert subjects(data, "CN01", as_of, since=FRI + timedelta(days=1)) == []
    # raised after as_of: not yet written
    assert subjects(data, "CN01", FRI - timedelta(days=1)) == []


# --- CN02: a written response within 20 working days, or a reason for delay ---------------


@pytest.mark.parametrize(
    ("response", "delay", "as_of", "found"),
    [
        (None, None, date(2026, 4, 3), False),  # the 20th working day: in time
        (None, None, date(2026, 4, 4), True),
        ("2026-04-03", None, date(2026, 4, 4), False),
        ("2026-04-06", None, date(2026, 4, 7), True),  # day 21
        (None, "2026-04-03", date(2026, 4, 7), False),
        (None, "2026-04-06", date(2026, 4, 7), True),
    ],
)
def test_cn02_boundaries(response: str | None, delay: str | None, as_of: date, found: bool) -> None:
    record = concern(
        response={"date": response, "by": "st", "text": "Our reply."} if response else None,
        delay={"date": delay, "reason": "Waiting for the GP."} if delay else None,
    )
    assert subjects(two(concerns=[record]), "CN02", as_of) == (["concern:cn1"] if found else [])


# --- CN03: an IMCA for a decision about someone without capacity and without family ------


def _imca_case(*, circle_family: bool, lacks: bool, referral: str | None) -> dict[str, Any]:
    data = two()
    if not circle_family:
        data["circle"] = [m for m in data["circle"] if m["kind"] in ("staff", "professional")]
    data["capacity_assessments"] = [
        {
            "id": "ca1",
            "area": "medication",
            "decision": "Whether to take the new tablets",
            "date": "2026-01-10",
            "assessor": "pro",
            "impairment": lacks,
            "understand": not lacks,
            "retain": True,
            "weigh": True,
            "communicate": True,
            "outcome": "lacks_capacity" if lacks else "has_capacity",
            "support_given": "Pictures used.",
        }
    ]
    data["meetings"] = [
        {
            "id": "m1",
            "date": "2026-02-01",
            "kind": "best_interests",
            "attendees": ["st", "pro"],
            "decisions": [{"area": "medication", "outcome": "Start the tablets."}],
        }
    ]
    data["concerns"] = [
        concern(
            raised_by="st",
            about="m1",
            decision=True,
            imca_referral=referral,
            acknowledged="2026-03-09",
            response={"date": "2026-03-10", "by": "st", "text": "Reply."},
        )
    ]
    return data


@pytest.mark.parametrize(
    ("family", "lacks", "referral", "found"),
    [
        (False, True, None, True),
        (False, True, "2026-03-09", False),
        (False, True, "2026-06-02", True),  # referral after as_of: absent
        (True, True, None, False),  # someone appropriate to consult
        (False, False, None, False),  # the person has capacity
    ],
)
def test_cn03(family: bool, lacks: bool, referral: str | None, found: bool) -> None:
    data = _imca_case(circle_family=family, lacks=lacks, referral=referral)
    assert subjects(data, "CN03", date(2026, 6, 1)) == (["concern:cn1"] if found else [])


# --- CN04: a closed concern records its outcome and the next stage -----------------------


@pytest.mark.parametrize(
    ("closed", "outcome", "told", "found"),
    [
        ("2026-04-01", "Resolved: the rota changes.", True, False),
        ("2026-04-01", "  ", True, True),
        ("2026-04-01", "Resolved.", False, True),
        (None, None, False, False),  # not closed
        ("2026-06-02", None, False, False),  # closed after as_of: still open
    ],
)
def test_cn04(closed: str | None, outcome: str | None, told: bool, found: bool) -> None:
    record = concern(closed=closed, outcome=outcome, next_stage_told=told)
    assert subjects(two(concerns=[record]), "CN04", date(2026, 6, 1)) == (
        ["concern:cn1"] if found else []
    )


# --- CN05: no retaliation (day 90 and day 91) --------------------------------------------


@pytest.mark.parametrize(
    ("days_after", "member", "reason", "change", "found"),
    [
        (90, "fam", None, "removed", True),
        (91, "fam", None, "removed", False),
        (1, "fam", None, "removed", True),
        (0, "fam", None, "removed", False),  # the concern's own day: not after it
        (30, "fam", "Asked to stop receiving updates.", "removed", False),
        (30, "fam", " ", "removed", True),  # an empty reason is no reason
        (30, "fam", None, "added", False),
        (30, "fr", None, "removed", False),  # not the complainant
    ],
)
def test_cn05_boundaries(
    days_after: int, member: str, reason: str | None, change: str, found: bool
) -> None:
    record = {
        "id": "rc1",
        "date": iso(FRI, days_after),
        "area": "health_treatment",
        "member": member,
        "role": "informed",
        "change": change,
    }
    if reason is not None:
        record["reason"] = reason
    data = two(concerns=[concern(acknowledged="2026-03-09")], role_changes=[record])
    assert subjects(data, "CN05", date(2026, 9, 1)) == (["role_change:rc1"] if found else [])


# --- carers: CP01, CP02 (day 365 and 366), CP03 -----------------------------------------

AS_OF = date(2026, 6, 1)


def carer_file(plan: dict[str, Any], **extra: Any) -> dict[str, Any]:
    data = two(**extra)
    data["plan"]["tasks"] = [
        {
            "id": "t1",
            "task": "manage_money",
            "area": "finances_daily",
            "holder": "fam",
            "since": "2025-01-01",
            "agreed": "2025-01-01",
            "reviewed": "2026-01-01",
        },
        {
            "id": "t2",
            "task": "transport",
            "area": "mobility_outdoors",
            "holder": "fam",
            "since": "2025-01-01",
            "agreed": "2025-01-01",
            "reviewed": "2026-01-01",
            "ended": "2026-02-01",
        },
    ]
    data["carer_plans"] = [{"id": "cp1", "carer": "fam", "date": "2025-02-01", **plan}]
    return data


@pytest.mark.parametrize(
    ("contingencies", "expected"),
    [
        ([], ["carer_plan:cp1/task:t1"]),  # t2 ended: not current
        ([{"task": "t1", "steps_in": "st", "contact": "Office phone"}], []),
    ],
)
def test_cp01(contingencies: list[dict[str, Any]], expected: list[str]) -> None:
    data = carer_file({"asked": "2026-01-01", "contingencies": contingencies})
    assert subjects(data, "CP01", AS_OF) == expected


@pytest.mark.parametrize(
    ("asked", "found"),
    [
        (iso(AS_OF, -365), False),
        (iso(AS_OF, -366), True),
        (None, True),
        (iso(AS_OF, 1), True),  # after as_of: absent
    ],
)
def test_cp02_boundaries(asked: str | None, found: bool) -> None:
    plan: dict[str, Any] = {"contingencies": [{"task": "t1", "steps_in": "st", "contact": "x"}]}
    if asked is not None:
        plan["asked"] = asked
    assert subjects(carer_file(plan), "CP02", AS_OF) == (["carer_plan:cp1"] if found else [])


UNWELL = date(2026, 4, 1)


@pytest.mark.parametrize(
    ("used", "reviewed", "as_of", "found"),
    [
        (None, None, iso(UNWELL, 14), False),  # window still open
        (None, None, iso(UNWELL, 15), True),
        (iso(UNWELL, 14), None, iso(UNWELL, 15), False),
        (iso(UNWELL, 15), None, iso(UNWELL, 16), True),
        (None, iso(UNWELL, 0), iso(UNWELL, 15), False),
        (None, iso(UNWELL, -1), iso(UNWELL, 15), True),
    ],
)
def test_cp03_boundaries(used: str | None, reviewed: str | None, as_of: str, found: bool) -> None:
    plan: dict[str, Any] = {
        "asked": "2026-01-01",
        "contingencies": [{"task": "t1", "steps_in": "st", "contact": "Office phone"}],
    }
    if used is not None:
        plan["used"] = [{"date": used, "task": "t1"}]
    if reviewed is not None:
        plan["reviewed"] = reviewed
    event = {
        "id": "ev1",
        "date": UNWELL.isoformat(),
        "kind": "carer_unwell",
        "areas": ["finances_daily"],
        "description": "Fran is in hospital.",
        "carer": "fam",
    }
    data = carer_file(plan, events=[event])
    assert subjects(data, "CP03", date.fromisoformat(as_of)) == (["event:ev1"] if found else [])


def test_cp03_a_partnership_review_in_the_window_follows_up() -> None:
    plan = {
        "asked": "2026-01-01",
        "contingencies": [{"task": "t1", "steps_in": "st", "contact": "x"}],
    }
    event = {
        "id": "ev1",
        "date": "2026-04-01",
        "kind": "carer_unwell",
        "areas": ["finances_daily"],
        "description": "Unwell.",
        "carer": "fam",
    }
    meeting = {
        "id": "m9",
        "date": "2026-04-15",
        "kind": "partnership_review",
        "attendees": ["fam", "st"],
    }
    data = carer_file(plan, events=[event], meetings=[meeting])
    assert subjects(data, "CP03", date(2026, 6, 1)) == []


# --- goals and restrictions --------------------------------------------------------------


def goal(**fields: Any) -> dict[str, Any]:
    record = {
        "id": "g1",
        "date": "2026-03-01",
        "area": "medication",
        "words": "I want to take my own tablets.",
        "set_by": "st",
        "baseline": 2,
        "reviews": [{"date": "2026-05-01", "score": 4}],
    }
    record.update(fields)
    return {k: v for k, v in record.items() if v is not None}


@pytest.mark.parametrize(
    ("set_by", "agrees", "area", "found"),
    [
        ("st", None, "medication", True),  # the person decides medication (base file)
        ("st", False, "medication", True),
        ("st", True, "medication", False),
        ("p", None, "medication", False),
        ("st", None, "daily_living", False),  # no Role naming the person
    ],
)
def test_go01(set_by: str, agrees: bool | None, area: str, found: bool) -> None:
    data = two(goals=[goal(set_by=set_by, person_agrees=agrees, area=area)])
    assert subjects(data, "GO01", AS_OF) == (["goal:g1"] if found else [])


@pytest.mark.parametrize(
    ("reviews", "every", "ended", "found"),
    [
        ([{"date": "2026-03-03", "score": 3}], 90, None, False),  # due 1 June = as_of
        ([{"date": "2026-03-02", "score": 3}], 90, None, True),  # due 31 May
        ([], 92, None, False),  # 1 March + 92 days = 1 June
        ([], 91, None, True),
        ([{"date": "2026-06-02", "score": 3}], 30, None, True),  # a review after as_of: absent
        ([], 30, "2026-05-01", False),  # ended: not current
    ],
)
def test_go02_boundaries(
    reviews: list[dict[str, Any]], every: int, ended: str | None, found: bool
) -> None:
    data = two(goals=[goal(set_by="p", reviews=reviews, review_every=every, ended=ended)])
    assert subjects(data, "GO02", AS_OF) == (["goal:g1"] if found else [])


def restriction(**fields: Any) -> dict[str, Any]:
    record = {
        "id": "rs1",
        "date": "2026-01-10",
        "area": "daily_living",
        "what": "Knives locked away.",
        "proposed_by": "st",
        "review_by": "2026-07-01",
    }
    record.update(fields)
    return {k: v for k, v in record.items() if v is not None}


def consent(**fields: Any) -> dict[str, Any]:
    record = {
        "id": "c-share",
        "kind": "share_information",
        "given_by": "p",
        "to": ["fam"],
        "areas": ["daily_living"],
        "date": "2026-01-01",
    }
    record.update(fields)
    return record


@pytest.mark.parametrize(
    ("fields", "withdrawn", "rs01", "rs02"),
    [
        ({"basis": "consent", "basis_record": "c-share"}, None, False, False),
        ({"basis": "consent", "basis_record": "c-share"}, "2026-05-01", True, True),
        ({"basis": "consent", "basis_record": "c-share"}, "2026-06-02", False, False),
        ({"basis": "court_order"}, None, True, False),  # capacity and no consent: high
        ({}, None, True, True),
    ],
)
def test_rs01_rs02(fields: dict[str, Any], withdrawn: str | None, rs01: bool, rs02: bool) -> None:
    data = two(restrictions=[restriction(**fields)])
    data["consents"].append(consent(withdrawn=withdrawn))
    assert subjects(data, "RS01", AS_OF) == (["restriction:rs1"] if rs01 else [])
    assert subjects(data, "RS02", AS_OF) == (["restriction:rs1"] if rs02 else [])


@pytest.mark.parametrize(
    ("review_by", "ended", "found"),
    [
        (iso(AS_OF), None, False),
        (iso(AS_OF, -1), None, True),
        (iso(AS_OF, -1), iso(AS_OF), False),  # ended on as_of
        (iso(AS_OF, -1), iso(AS_OF, 1), True),  # an end after as_of is absent
    ],
)
def test_rs03_boundaries(review_by: str, ended: str | None, found: bool) -> None:
    data = two(restrictions=[restriction(basis="court_order", review_by=review_by, ended=ended)])
    assert subjects(data, "RS03", AS_OF) == (["restriction:rs1"] if found else [])


def _trial_file(session: str | None) -> dict[str, Any]:
    data = two(
        restrictions=[restriction(basis="court_order", review_by="2026-02-01", replaced_by="gt1")]
    )
    data["risk_assessments"] = [
        {
            "id": "ra1",
            "area": "daily_living",
            "activity": "Cooking",
            "date": "2026-01-05",
            "participants": ["p", "st"],
            "persons_view": "I want to cook.",
            "hazards": [
                {
                    "hazard": "Cuts",
                    "likelihood": 2,
                    "severity": 2,
                    "residual_likelihood": 1,
                    "residual_severity": 2,
                }
            ],
            "person_agrees": True,
            "agreed_position": "graded_trial",
            "review_by": "2026-12-01",
        }
    ]
    data["graded_trials"] = [
        {
            "id": "gt1",
            "risk_assessment": "ra1",
            "stages": [
                {
                    "id": "s1",
                    "description": "With staff",
                    "support": "accompanied",
                    "advance_after": 2,
                }
            ],
            "sessions": [{"date": session, "stage": "s1", "outcome": "completed"}]
            if session
            else [],
        }
    ]
    return data


@pytest.mark.parametrize(
    ("session", "found"),
    [(None, True), (iso(AS_OF), False), (iso(AS_OF, 1), True)],
)
def test_a_graded_trial_that_has_begun_closes_the_restriction(
    session: str | None, found: bool
) -> None:
    expected = ["restriction:rs1"] if found else []
    for rule in ("RS01", "RS03"):
        assert subjects(_trial_file(session), rule, AS_OF) == expected
