"""PA01–PA06, one change at a time from a file with no findings."""

from __future__ import annotations

from typing import Any

import pytest

from tests.rules.helpers import (
    Mutate,
    add,
    both,
    case,
    check,
    day,
    event,
    incident,
    meeting,
    task,
)

TASK = {"task:t1"}


def holds(
    holder: str = "fam",
    kind: str = "transport",
    area: str = "mobility_outdoors",
    since: str = day(-800),
    **extra: Any,
) -> Mutate:
    def mutate(d: dict[str, Any]) -> None:
        d["plan"].setdefault("tasks", []).append(task("t1", kind, area, holder, since, **extra))
        if not any(r["area"] == area for r in d["plan"]["roles"]):
            d["plan"]["roles"].append({"area": area, "decides": "p"})

    return mutate


def partnership_review(offset: int, *tasks: str, ident: str = "pr") -> Mutate:
    return lambda d: add(
        d,
        "meetings",
        meeting(ident, day(offset), "partnership_review", reviews_tasks=list(tasks)),
    )


# --- PA01 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        case("never agreed or reviewed", holds(), TASK),
        case("a friend's task counts as family", holds("fr"), TASK),
        case("agreed 365 days ago", holds(agreed=day(-365)), set()),
        case("agreed 366 days ago", holds(agreed=day(-366)), TASK),
        case("reviewed 366 days ago", holds(agreed=day(-700), reviewed=day(-366)), TASK),
        case("reviewed recently", holds(agreed=day(-700), reviewed=day(-10)), set()),
        case("reviewed after as_of does not count", holds(agreed=day(-700), reviewed=day(1)), TASK),
        case(
            "a partnership review listing the task",
            both(holds(agreed=day(-700)), partnership_review(-365, "t1")),
            set(),
        ),
        case(
            "a partnership review not listing the task",
            both(holds(agreed=day(-700)), partnership_review(-10)),
            TASK,
        ),
        case(
            "a partnership review after as_of does not count",
            both(holds(agreed=day(-700)), partnership_review(1, "t1")),
            TASK,
        ),
        case("staff tasks are not PA01's", holds("st"), set()),
        case("an ended task is history", holds(ended=day(0)), set()),
        case("a task ending after as_of is current", holds(ended=day(1)), TASK),
        case("a task starting after as_of does not exist yet", holds(since=day(1)), set()),
    ],
)
def test_pa01(mutate: Mutate, expected: set[str]) -> None:
    check("PA01", mutate, expected)


# --- PA02 ---------------------------------------------------------------------------------


def change(
    offset: int, areas: tuple[str, ...] = ("mobility_outdoors",), kind: str = "needs_change"
) -> Mutate:
    return lambda d: add(d, "events", event("e1", day(offset), kind, list(areas)))


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        case("change after the last review", both(holds(agreed=day(-300)), change(-100)), TASK),
        case(
            "change on the day of the last review",
            both(holds(agreed=day(-100)), change(-100)),
            set(),
        ),
        case("change before the last review", both(holds(agreed=day(-100)), change(-101)), set()),
        case(
            "reviewed since the change",
            both(holds(agreed=day(-300), reviewed=day(-50)), change(-100)),
            set(),
        ),
        case(
            "reviewed at a partnership review since the change",
            both(holds(agreed=day(-300)), change(-100), partnership_review(-50, "t1")),
            set(),
        ),
        case(
            "change in another area",
            both(holds(agreed=day(-300)), change(-100, ("medication",))),
            set(),
        ),
        case(
            "an event of any kind",
            both(holds(agreed=day(-300)), change(-100, kind="complaint")),
            TASK,
        ),
        case(
            "a change after as_of does not exist yet",
            both(holds(agreed=day(-300)), change(1)),
            set(),
        ),
        case(
            "no review: a change after the task began",
            both(holds(since=day(-300)), change(-299)),
            TASK,
        ),
        case(
            "no review: a change on the day the task began",
            both(holds(since=day(-300)), change(-300)),
            set(),
        ),
        case("staff tasks too", both(holds("st", agreed=day(-300)), change(-100)), TASK),
        case(
            "reported however old the change (a current-state rule)",
            both(holds(since=day(-900)), change(-800)),
            TASK,
        ),
        case(
            "an ended task is history",
            both(holds(since=day(-300), ended=day(-1)), change(-100)),
            set(),
        ),
    ],
)
def test_pa02(mutate: Mutate, expected: set[str]) -> None:
    check("PA02", mutate, expected)


# --- PA03 ---------------------------------------------------------------------------------


def medicine(doses: float, **extra: Any) -> dict[str, Any]:
    record: dict[str, Any] = {"name": "Tablet", "doses_per_day": doses, "route": "oral"}
    record.update(extra)
    return record


def regimen(*medicines: dict[str, Any]) -> Mutate:
    return lambda d: d.update(medication={"regimen": list(medicines)})


def gives_meds(holder: str = "fam", **extra: Any) -> Mutate:
    return holds(holder, "administer_medication", "medication", agreed=day(-10), **extra)


def trained(member: str, when: str) -> Mutate:
    def mutate(d: dict[str, Any]) -> None:
        for m in d["circle"]:
            if m["id"] == member:
                m["trained"] = {"administer_medication": when}

    return mutate


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        case("complexity 12", both(gives_meds(), regimen(medicine(12))), TASK),
        case("complexity 11", both(gives_meds(), regimen(medicine(11))), set()),
        case("11.5 doses is not complex", both(gives_meds(), regimen(medicine(11.5))), set()),
        case(
            "time-critical and controlled add 2 each",
            both(
                gives_meds(), regimen(medicine(4, time_critical=True), medicine(4, controlled=True))
            ),
            TASK,
        ),
        case("PRN adds 1", both(gives_meds(), regimen(medicine(10, prn=True))), set()),
        case("PRN adds 1 (to 12)", both(gives_meds(), regimen(medicine(11, prn=True))), TASK),
        case(
            "injection adds 2", both(gives_meds(), regimen(medicine(10, route="injection"))), TASK
        ),
        case("enteral adds 2", both(gives_meds(), regimen(medicine(10, route="enteral"))), TASK),
        case("other route adds 2", both(gives_meds(), regimen(medicine(10, route="other"))), TASK),
        case(
            "inhaled adds nothing",
            both(gives_meds(), regimen(medicine(10, route="inhaled"))),
            set(),
        ),
        case(
            "a medicine stopped on as_of is not active",
            both(gives_meds(), regimen(medicine(6), medicine(6, stopped=day(0)))),
            set(),
        ),
        case(
            "a medicine stopping after as_of is active",
            both(gives_meds(), regimen(medicine(6), medicine(6, stopped=day(1)))),
            TASK,
        ),
        case(
            "a medicine started on as_of is active",
            both(gives_meds(), regimen(medicine(6), medicine(6, started=day(0)))),
            TASK,
        ),
        case(
            "a medicine starting after as_of does not exist yet",
            both(gives_meds(), regimen(medicine(6), medicine(6, started=day(1)))),
            set(),
        ),
        case(
            "trained relative",
            both(gives_meds(), regimen(medicine(12)), trained("fam", day(-5))),
            set(),
        ),
        case(
            "training dated after as_of does not count",
            both(gives_meds(), regimen(medicine(12)), trained("fam", day(1))),
            TASK,
        ),
        case("staff are PA06's", both(gives_meds("st"), regimen(medicine(12))), set()),
        case(
            "another task is not giving medication",
            both(
                holds(kind="order_medication", area="medication", agreed=day(-10)),
                regimen(medicine(12)),
            ),
            set(),
        ),
    ],
)
def test_pa03(mutate: Mutate, expected: set[str]) -> None:
    check("PA03", mutate, expected)


# --- PA04 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        case("no agreed date", holds(reviewed=day(-10)), TASK),
        case("agreed", holds(agreed=day(-700)), set()),
        case("agreed after as_of counts as not agreed", holds(agreed=day(1)), TASK),
        case("agreed on as_of", holds(agreed=day(0)), set()),
        case("staff tasks are not PA04's", holds("st"), set()),
        case("professional tasks are not PA04's", holds("pro"), set()),
        case("an ended task is history", holds(ended=day(-1)), set()),
    ],
)
def test_pa04(mutate: Mutate, expected: set[str]) -> None:
    check("PA04", mutate, expected)


# --- PA05 ---------------------------------------------------------------------------------

D = -40


def concern(offset: int = D) -> Mutate:
    return lambda d: add(
        d, "events", event("e1", day(offset), "safeguarding_concern", ["personal_care"])
    )


def sg_incident(offset: int = D, safeguarding: bool = True) -> Mutate:
    return lambda d: add(
        d, "incidents", incident("i1", day(offset), severity="low", safeguarding=safeguarding)
    )


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        case("safeguarding incident, no review", sg_incident(), {"incident:i1"}),
        case("not a safeguarding incident", sg_incident(safeguarding=False), set()),
        case("safeguarding concern, no review", concern(), {"event:e1"}),
        case("both", both(concern(), sg_incident()), {"event:e1", "incident:i1"}),
        case("other events are not PA05's", change(D, kind="complaint"), set()),
        case("review on the day", both(concern(), partnership_review(D)), set()),
        case("review on day 14", both(concern(), partnership_review(D + 14)), set()),
        case("review on day 15", both(concern(), partnership_review(D + 15)), {"event:e1"}),
        case("review the day before", both(concern(), partnership_review(D - 1)), {"event:e1"}),
        case(
            "a risk review is not a partnership review",
            both(concern(), lambda d: add(d, "meetings", meeting("m1", day(D + 1), "risk_review"))),
            {"event:e1"},
        ),
        case("window closes on as_of: still due", concern(-14), set()),
        case("window closed the day before as_of", concern(-15), {"event:e1"}),
        case("before the audit period", both(concern(-366), sg_incident(-370)), set()),
        case("on the first day of the period", concern(-365), {"event:e1"}),
        case("after as_of", concern(2), set()),
    ],
)
def test_pa05(mutate: Mutate, expected: set[str]) -> None:
    check("PA05", mutate, expected)


# --- PA06 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        case("untrained staff", gives_meds("st"), TASK),
        case("trained staff", both(gives_meds("st"), trained("st", day(-400))), set()),
        case("trained on as_of", both(gives_meds("st"), trained("st", day(0))), set()),
        case("training dated after as_of", both(gives_meds("st"), trained("st", day(1))), TASK),
        case("a professional is not staff here", gives_meds("pro"), set()),
        case("family are PA03's", gives_meds("fam"), set()),
        case("another task", holds("st", kind="transport"), set()),
        case("an ended task is history", gives_meds("st", ended=day(0)), set()),
        case("however simple the medication", both(gives_meds("st"), regimen(medicine(1))), TASK),
    ],
)
def test_pa06(mutate: Mutate, expected: set[str]) -> None:
    check("PA06", mutate, expected)
