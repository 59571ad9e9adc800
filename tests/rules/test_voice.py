"""VO01–VO05, one change at a time from a file with no findings."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.rules.helpers import (
    AS_OF,
    Mutate,
    add,
    both,
    case,
    check,
    day,
    meeting,
    voice,
)

M = day(-40)  # the meeting's date in most rows


def meet(kind: str = "care_plan_review", when: str = M, **extra: Any) -> Mutate:
    return lambda d: add(d, "meetings", meeting("m1", when, kind, **extra))


def said(by: str, area: str | None = None, on_behalf_of: str | None = None) -> dict[str, Any]:
    record: dict[str, Any] = {"by": by, "text": "Something."}
    if area is not None:
        record["area"] = area
    if on_behalf_of is not None:
        record["on_behalf_of"] = on_behalf_of
    return record


def view(ident: str = "v1", when: str = M, **extra: Any) -> Mutate:
    return lambda d: add(d, "voice", voice(ident, when, **extra))


# --- VO01 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        case("review without the person's voice", meet(), {"meeting:m1"}),
        case("the person contributed", meet(contributions=[said("p")]), set()),
        case(
            "only others contributed",
            meet(contributions=[said("st")]),
            {"meeting:m1"},
        ),
        case("direct view on the meeting's day", both(meet(), view(when=M)), set()),
        case("direct view 30 days before", both(meet(), view(when=day(-70))), set()),
        case("direct view 31 days before", both(meet(), view(when=day(-71))), {"meeting:m1"}),
        case("direct view after the meeting", both(meet(), view(when=day(-39))), {"meeting:m1"}),
        case("reported (not direct) view", both(meet(), view(direct=False)), {"meeting:m1"}),
        case("direct view of any area counts", both(meet(), view(area="relationships")), set()),
        case("other kinds of meeting", meet("joint_planning"), set()),
        case("review before the audit period", meet(when=day(-366)), set()),
        case("review on the first day of the period", meet(when=day(-365)), {"meeting:m1"}),
        case("review after as_of", meet(when=day(1)), set()),
    ],
)
def test_vo01(mutate: Mutate, expected: set[str]) -> None:
    check("VO01", mutate, expected)


# --- VO02 ---------------------------------------------------------------------------------

FAMILY_ATTENDS = ["p", "fam", "st"]


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        case(
            "spoken for twice, spoke once",
            meet(
                "joint_planning",
                attendees=FAMILY_ATTENDS,
                contributions=[
                    said("fam", on_behalf_of="p"),
                    said("st", on_behalf_of="p"),
                    said("p"),
                ],
            ),
            {"meeting:m1"},
        ),
        case(
            "spoken for once, spoke once",
            meet(
                "joint_planning",
                attendees=FAMILY_ATTENDS,
                contributions=[said("fam", on_behalf_of="p"), said("p")],
            ),
            set(),
        ),
        case(
            "spoken for once, absent",
            meet(
                "risk_review",
                attendees=["fam", "st"],
                contributions=[said("fam", on_behalf_of="p")],
            ),
            {"meeting:m1"},
        ),
        case(
            "others speaking for themselves do not count",
            meet(
                "joint_planning", attendees=FAMILY_ATTENDS, contributions=[said("fam"), said("st")]
            ),
            set(),
        ),
        case(
            "before the audit period",
            meet(
                "joint_planning",
                when=day(-366),
                attendees=FAMILY_ATTENDS,
                contributions=[said("fam", on_behalf_of="p")],
            ),
            set(),
        ),
    ],
)
def test_vo02(mutate: Mutate, expected: set[str]) -> None:
    check("VO02", mutate, expected)


# --- VO03 ---------------------------------------------------------------------------------


def decided(area: str = "daily_living", **extra: Any) -> dict[str, Any]:
    record: dict[str, Any] = {"area": area, "outcome": "Agreed."}
    record.update(extra)
    return record


DECISION = {"decision:m1/daily_living"}


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        case("decision with no view", meet("joint_planning", decisions=[decided()]), DECISION),
        case(
            "view links a direct voice record",
            both(view(), meet("joint_planning", decisions=[decided(persons_view="v1")])),
            set(),
        ),
        case(
            "view links a reported voice record",
            both(
                view(direct=False), meet("joint_planning", decisions=[decided(persons_view="v1")])
            ),
            DECISION,
        ),
        case(
            "view dated after the meeting, before as_of",
            both(
                view(when=day(-1)), meet("joint_planning", decisions=[decided(persons_view="v1")])
            ),
            set(),
        ),
        case(
            "view dated after as_of does not exist yet",
            both(view(when=day(1)), meet("joint_planning", decisions=[decided(persons_view="v1")])),
            DECISION,
        ),
        case(
            "view of another area still counts",
            both(
                view(area="relationships"),
                meet("joint_planning", decisions=[decided(persons_view="v1")]),
            ),
            set(),
        ),
        case(
            "the person contributed on the area",
            meet(
                "joint_planning", contributions=[said("p", "daily_living")], decisions=[decided()]
            ),
            set(),
        ),
        case(
            "the person contributed on another area",
            meet(
                "joint_planning", contributions=[said("p", "relationships")], decisions=[decided()]
            ),
            DECISION,
        ),
        case(
            "the person contributed with no area",
            meet("joint_planning", contributions=[said("p")], decisions=[decided()]),
            DECISION,
        ),
        case(
            "someone else contributed on the area",
            meet(
                "joint_planning", contributions=[said("st", "daily_living")], decisions=[decided()]
            ),
            DECISION,
        ),
        case(
            "each decision is its own subject",
            meet(
                "joint_planning",
                contributions=[said("p", "daily_living")],
                decisions=[decided(), decided("relationships"), decided("medication")],
            ),
            {"decision:m1/relationships", "decision:m1/medication"},
        ),
        case(
            "meeting before the audit period",
            meet("joint_planning", when=day(-366), decisions=[decided()]),
            set(),
        ),
    ],
)
def test_vo03(mutate: Mutate, expected: set[str]) -> None:
    check("VO03", mutate, expected)


# --- VO04 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        case("one of the person's methods", view(method="pictures"), set()),
        case("a method the person does not use", view(method="bsl"), {"voice:v1"}),
        case("reported view, any method", view(method="bsl", direct=False), set()),
        case("before the audit period", view(method="bsl", when=day(-366)), set()),
        case("on the first day of the period", view(method="bsl", when=day(-365)), {"voice:v1"}),
        case("after as_of", view(method="bsl", when=day(1)), set()),
    ],
)
def test_vo04(mutate: Mutate, expected: set[str]) -> None:
    check("VO04", mutate, expected)


# --- VO05 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        case("staff facilitates", meet(attendees=FAMILY_ATTENDS, facilitator="st"), set()),
        case("advocate facilitates", meet(attendees=["p", "fam", "adv"], facilitator="adv"), set()),
        case(
            "no facilitator",
            meet(attendees=FAMILY_ATTENDS, facilitator=None),
            {"meeting:m1"},
        ),
        case(
            "family facilitates", meet(attendees=FAMILY_ATTENDS, facilitator="fam"), {"meeting:m1"}
        ),
        case(
            "a friend facilitates",
            meet(attendees=["p", "fr", "st"], facilitator="fr"),
            {"meeting:m1"},
        ),
        case("no family present", meet(attendees=["p", "st"], facilitator=None), set()),
        case("the person absent", meet(attendees=["fam", "st"], facilitator=None), set()),
        case(
            "before the audit period",
            meet(when=day(-366), attendees=FAMILY_ATTENDS, facilitator=None),
            set(),
        ),
    ],
)
def test_vo05(mutate: Mutate, expected: set[str]) -> None:
    def with_facilitator(d: dict[str, Any]) -> None:
        mutate(d)
        record = d["meetings"][-1]
        if record.get("facilitator") is None:
            record.pop("facilitator", None)

    check("VO05", with_facilitator, expected)


def test_voice_period_is_inclusive_at_both_ends() -> None:
    def review_on(offset: int) -> Mutate:
        return lambda d: add(d, "meetings", meeting("m1", day(offset), "care_plan_review"))

    since = AS_OF - timedelta(days=10)
    check("VO01", review_on(0), {"meeting:m1"}, since=since)
    check("VO01", review_on(-10), {"meeting:m1"}, since=since)
    check("VO01", review_on(-11), set(), since=since)
    check("VO01", review_on(0), {"meeting:m1"}, since=AS_OF)
    check("VO01", review_on(-1), set(), since=AS_OF)
