"""RK01–RK06, one change at a time from a file with no findings."""

from __future__ import annotations

from typing import Any

import pytest

from tests.rules.helpers import (
    Mutate,
    add,
    assessment,
    both,
    case,
    check,
    day,
    incident,
    meeting,
    risk,
    voice,
)


def ra(
    ident: str = "ra1", area: str = "mobility_outdoors", when: str = day(-30), **extra: Any
) -> Mutate:
    return lambda d: add(d, "risk_assessments", risk(ident, area, when, **extra))


def decision_meeting(kind: str = "risk_review", when: str = day(-30), **decision: Any) -> Mutate:
    record: dict[str, Any] = {"area": "mobility_outdoors", "outcome": "Agreed."}
    record.update(decision)
    return lambda d: add(d, "meetings", meeting("m1", when, kind, decisions=[record]))


# --- RK01 ---------------------------------------------------------------------------------

DECISION = {"decision:m1/mobility_outdoors"}


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        case(
            "disagreement with rationale and evidence",
            both(
                ra(),
                decision_meeting(disagreement=True, rationale="Risk is low.", evidence=["ra1"]),
            ),
            set(),
        ),
        case(
            "disagreement with no evidence",
            decision_meeting(disagreement=True, rationale="Risk is low."),
            DECISION,
        ),
        case(
            "disagreement with empty rationale",
            both(ra(), decision_meeting(disagreement=True, rationale="  ", evidence=["ra1"])),
            DECISION,
        ),
        case(
            "disagreement with no rationale",
            both(ra(), decision_meeting(disagreement=True, evidence=["ra1"])),
            DECISION,
        ),
        case(
            "evidence recorded after as_of does not count",
            both(
                ra(when=day(1)),
                decision_meeting(disagreement=True, rationale="R.", evidence=["ra1"]),
            ),
            DECISION,
        ),
        case(
            "evidence of another kind counts",
            both(
                lambda d: add(d, "voice", voice("v1", day(-40))),
                decision_meeting(disagreement=True, rationale="R.", evidence=["v1"]),
            ),
            set(),
        ),
        case("no disagreement, nothing recorded", decision_meeting(), set()),
        case(
            "before the audit period",
            decision_meeting(when=day(-366), disagreement=True),
            set(),
        ),
        case(
            "on the first day of the audit period",
            decision_meeting(when=day(-365), disagreement=True),
            DECISION,
        ),
    ],
)
def test_rk01(mutate: Mutate, expected: set[str]) -> None:
    check("RK01", mutate, expected)


# --- RK02 ---------------------------------------------------------------------------------

REFUSED: dict[str, Any] = {"person_agrees": False, "agreed_position": "not_proceed"}


def lacks(
    when: str, *, area: str = "mobility_outdoors", lacking: bool = True, ident: str = "a1"
) -> Mutate:
    return lambda d: add(d, "capacity_assessments", assessment(ident, area, when, lacks=lacking))


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        case("refused against the wishes of a person with capacity", ra(**REFUSED), {"risk:ra1"}),
        case("the person agrees", ra(person_agrees=True, agreed_position="not_proceed"), set()),
        case(
            "a graded trial instead", ra(person_agrees=False, agreed_position="graded_trial"), set()
        ),
        case(
            "lacks capacity at the assessment's date", both(lacks(day(-31)), ra(**REFUSED)), set()
        ),
        case(
            "lacks capacity on the assessment's date",
            both(lacks(day(-30)), ra(**REFUSED)),
            set(),
        ),
        case(
            "capacity assessed as lacking only after the risk assessment",
            both(lacks(day(-29)), ra(**REFUSED)),
            {"risk:ra1"},
        ),
        case(
            "lacking capacity in another area does not count",
            both(lacks(day(-100), area="relationships"), ra(**REFUSED)),
            {"risk:ra1"},
        ),
        case(
            "capacity regained before the risk assessment",
            both(lacks(day(-100)), lacks(day(-50), lacking=False, ident="a2"), ra(**REFUSED)),
            {"risk:ra1"},
        ),
        case("before the audit period", ra(when=day(-366), **REFUSED), set()),
        case("after as_of", ra(when=day(1), **REFUSED), set()),
    ],
)
def test_rk02(mutate: Mutate, expected: set[str]) -> None:
    check("RK02", mutate, expected)


# --- RK03 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        case("view recorded", ra(), set()),
        case("no view", ra(persons_view=None), {"risk:ra1"}),
        case("empty view", ra(persons_view=" "), {"risk:ra1"}),
        case("before the audit period", ra(when=day(-366), persons_view=None), set()),
    ],
)
def test_rk03(mutate: Mutate, expected: set[str]) -> None:
    def drop_nulls(d: dict[str, Any]) -> None:
        mutate(d)
        for record in d["risk_assessments"]:
            if record.get("persons_view") is None:
                record.pop("persons_view", None)

    check("RK03", drop_nulls, expected)


# --- RK04 ---------------------------------------------------------------------------------

I_DAY = -40  # the incident's date, as an offset from as_of


def inc(offset: int = I_DAY, **extra: Any) -> Mutate:
    return lambda d: add(d, "incidents", incident("i1", day(offset), **extra))


def review(offset: int, kind: str = "risk_review", area: str = "mobility_outdoors") -> Mutate:
    return lambda d: add(
        d,
        "meetings",
        meeting("m1", day(offset), kind, decisions=[{"area": area, "outcome": "Agreed."}]),
    )


INCIDENT = {"incident:i1"}


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        case("moderate incident, no follow-up", inc(), INCIDENT),
        case("high incident, no follow-up", inc(severity="high"), INCIDENT),
        case("severe incident, no follow-up", inc(severity="severe"), INCIDENT),
        case("low incident needs no follow-up", inc(severity="low"), set()),
        case("near miss needs no follow-up", inc(severity="none"), set()),
        case("risk assessment on the incident's day", both(inc(), ra(when=day(I_DAY))), set()),
        case("risk assessment on day 14", both(inc(), ra(when=day(I_DAY + 14))), set()),
        case("risk assessment on day 15", both(inc(), ra(when=day(I_DAY + 15))), INCIDENT),
        case("risk assessment the day before", both(inc(), ra(when=day(I_DAY - 1))), INCIDENT),
        case(
            "risk assessment for another area",
            both(inc(), ra(area="daily_living", when=day(I_DAY + 1))),
            INCIDENT,
        ),
        case("risk review deciding on the area", both(inc(), review(I_DAY + 14)), set()),
        case(
            "partnership review deciding on the area",
            both(inc(), review(I_DAY, "partnership_review")),
            set(),
        ),
        case(
            "risk review deciding another area",
            both(inc(), review(I_DAY + 1, area="daily_living")),
            INCIDENT,
        ),
        case(
            "joint planning meeting is not a review",
            both(inc(), review(I_DAY + 1, "joint_planning")),
            INCIDENT,
        ),
        case("risk review on day 15", both(inc(), review(I_DAY + 15)), INCIDENT),
        case("window closes on as_of: still due", inc(-14), set()),
        case("window closed the day before as_of", inc(-15), INCIDENT),
        case("before the audit period", inc(-366), set()),
        case("after as_of", inc(1), set()),
    ],
)
def test_rk04(mutate: Mutate, expected: set[str]) -> None:
    check("RK04", mutate, expected)


# --- RK05 ---------------------------------------------------------------------------------


def trial(sessions: list[tuple[int, str, str]], *, advance: tuple[int, ...] = (2, 1)) -> Mutate:
    """A trial with stages s1, s2(, s3) and sessions (day offset, stage, outcome) as listed."""

    def mutate(d: dict[str, Any]) -> None:
        ra(when=day(-300))(d)
        stages = [
            {
                "id": f"s{i + 1}",
                "description": f"Stage {i + 1}",
                "support": "accompanied",
                "advance_after": n,
            }
            for i, n in enumerate(advance)
        ]
        add(
            d,
            "graded_trials",
            {
                "id": "gt",
                "risk_assessment": "ra1",
                "stages": stages,
                "sessions": [
                    {"date": day(o), "stage": s, "outcome": out} for o, s, out in sessions
                ],
            },
        )

    return mutate


def trial_incident(offset: int, *, severity: str = "low", on_trial: bool = True) -> Mutate:
    extra: dict[str, Any] = {"severity": severity}
    if on_trial:
        extra["trial"] = "gt"
    return lambda d: add(
        d, "incidents", incident(f"ti{offset}".replace("-", "m"), day(offset), **extra)
    )


OK, STOP = "completed", "stopped"
STAGE2 = {"trial:gt/stage:s2"}


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        case(
            "two clean sessions, then stage 2",
            trial([(-50, "s1", OK), (-40, "s1", OK), (-30, "s2", OK)]),
            set(),
        ),
        case("one clean session, then stage 2", trial([(-40, "s1", OK), (-30, "s2", OK)]), STAGE2),
        case("no sessions at stage 1", trial([(-30, "s2", OK)]), STAGE2),
        case(
            "the last run includes a stopped session",
            trial([(-50, "s1", OK), (-40, "s1", STOP), (-30, "s2", OK)]),
            STAGE2,
        ),
        case(
            "a stopped session before the run does not matter",
            trial([(-60, "s1", STOP), (-50, "s1", OK), (-40, "s1", OK), (-30, "s2", OK)]),
            set(),
        ),
        case(
            "an incident of this trial on a session's day",
            both(trial([(-50, "s1", OK), (-40, "s1", OK), (-30, "s2", OK)]), trial_incident(-40)),
            STAGE2,
        ),
        case(
            "an incident not of this trial on a session's day",
            both(
                trial([(-50, "s1", OK), (-40, "s1", OK), (-30, "s2", OK)]),
                trial_incident(-40, on_trial=False),
            ),
            set(),
        ),
        case(
            "an incident of this trial on another day",
            both(trial([(-50, "s1", OK), (-40, "s1", OK), (-30, "s2", OK)]), trial_incident(-45)),
            set(),
        ),
        case(
            "a stage-1 session on the same day as stage 2 starts is not before it",
            trial([(-50, "s1", OK), (-30, "s1", OK), (-30, "s2", OK)]),
            STAGE2,
        ),
        case(
            "same-day sessions keep their order in the file: stopped is the latest",
            trial(
                [(-50, "s1", OK), (-40, "s1", OK), (-40, "s1", STOP), (-30, "s2", OK)],
                advance=(1, 1),
            ),
            STAGE2,
        ),
        case(
            "same-day sessions keep their order in the file: completed is the latest",
            trial(
                [(-50, "s1", OK), (-40, "s1", STOP), (-40, "s1", OK), (-30, "s2", OK)],
                advance=(1, 1),
            ),
            set(),
        ),
        case(
            "sessions listed out of date order are ordered by date",
            trial([(-30, "s2", OK), (-40, "s1", OK), (-50, "s1", OK)]),
            set(),
        ),
        case(
            "only a stage's earliest session is judged",
            trial(
                [
                    (-50, "s1", OK),
                    (-40, "s1", OK),
                    (-30, "s2", OK),
                    (-25, "s1", STOP),
                    (-20, "s2", OK),
                ]
            ),
            set(),
        ),
        case(
            "each later stage judged on its own previous stage",
            trial(
                [(-50, "s1", OK), (-45, "s2", OK), (-40, "s2", STOP), (-30, "s3", OK)],
                advance=(1, 2, 1),
            ),
            {"trial:gt/stage:s3"},
        ),
        case("a single stage is never judged", trial([(-30, "s1", STOP)], advance=(3,)), set()),
        case(
            "stage 2 started before the audit period",
            trial([(-380, "s1", OK), (-370, "s2", OK), (-30, "s2", OK)]),
            set(),
        ),
        case(
            "stage 2 started on the first day of the period",
            trial([(-380, "s1", OK), (-365, "s2", OK)]),
            STAGE2,
        ),
        case(
            "sessions after as_of do not exist yet",
            trial([(-40, "s1", OK), (5, "s2", OK)]),
            set(),
        ),
        case(
            "a stage-1 session after as_of does not help",
            trial([(-40, "s1", OK), (-30, "s2", OK), (1, "s1", OK)]),
            STAGE2,
        ),
    ],
)
def test_rk05(mutate: Mutate, expected: set[str]) -> None:
    check("RK05", mutate, expected)


# --- RK06 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        case("review date ahead", ra(), set()),
        case("review date is as_of", ra(review_by=day(0)), set()),
        case("review date passed", ra(review_by=day(-1)), {"risk:ra1"}),
        case(
            "reported however old the assessment",
            ra(when=day(-900), review_by=day(-500)),
            {"risk:ra1"},
        ),
        case(
            "a later assessment of the same area (any activity)",
            both(ra(review_by=day(-1)), ra("ra2", when=day(-10), activity="Something else")),
            set(),
        ),
        case(
            "a later assessment of another area",
            both(ra(review_by=day(-1)), ra("ra2", area="daily_living", when=day(-10))),
            {"risk:ra1"},
        ),
        case(
            "a later assessment after as_of does not exist yet",
            both(ra(review_by=day(-1)), ra("ra2", when=day(1))),
            {"risk:ra1"},
        ),
        case(
            "an assessment on the same day is not later",
            both(ra(review_by=day(-1)), ra("ra2", when=day(-30), review_by=day(-2))),
            {"risk:ra1", "risk:ra2"},
        ),
    ],
)
def test_rk06(mutate: Mutate, expected: set[str]) -> None:
    check("RK06", mutate, expected)
