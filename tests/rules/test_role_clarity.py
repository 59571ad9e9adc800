"""RC01–RC04, one change at a time from a file with no findings."""

from __future__ import annotations

from typing import Any

import pytest

from tests.rules.helpers import (
    AS_OF,
    Mutate,
    add,
    assessment,
    authority,
    base,
    both,
    case,
    check,
    consent,
    day,
    role,
    subjects,
    task,
)


def test_base_file_has_no_findings() -> None:
    for rule in ("RC01", "RC02", "RC03", "RC04"):
        assert subjects(base(), rule) == set()


# --- RC01 ---------------------------------------------------------------------------------


def drop_role(area: str) -> Mutate:
    def mutate(d: dict[str, Any]) -> None:
        d["plan"]["roles"] = [r for r in d["plan"]["roles"] if r["area"] != area]

    return mutate


def with_transport_task(**extra: Any) -> Mutate:
    return lambda d: (
        d["plan"]
        .setdefault("tasks", [])
        .append(task("t1", "transport", "mobility_outdoors", "st", day(-100), **extra))
    )


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        case("required area without a role", drop_role("medication"), {"role:medication"}),
        case(
            "explicit empty required areas replace the default",
            lambda d: d["plan"].update(required_areas=[], roles=[]),
            set(),
        ),
        case(
            "explicit required area without a role",
            lambda d: d["plan"].update(required_areas=["relationships"]),
            {"role:relationships"},
        ),
        case(
            "current task's area without a role", with_transport_task(), {"role:mobility_outdoors"}
        ),
        case("task ended on as_of is not current", with_transport_task(ended=day(0)), set()),
        case(
            "task ending after as_of is still current",
            with_transport_task(ended=day(1)),
            {"role:mobility_outdoors"},
        ),
        case(
            "task starting after as_of does not exist yet",
            lambda d: (
                d["plan"]
                .setdefault("tasks", [])
                .append(task("t1", "transport", "mobility_outdoors", "st", day(1)))
            ),
            set(),
        ),
        case(
            "role without decides",
            lambda d: role(d, "personal_care").pop("decides"),
            {"role:personal_care"},
        ),
        case(
            "person decides while lacking capacity",
            lambda d: add(
                d, "capacity_assessments", assessment("a1", "medication", day(-10), lacks=True)
            ),
            {"role:medication"},
        ),
        case(
            "person decides with capacity assessed",
            lambda d: add(
                d, "capacity_assessments", assessment("a1", "medication", day(-10), lacks=False)
            ),
            set(),
        ),
        case(
            "lack of capacity assessed after as_of does not exist yet",
            lambda d: add(
                d, "capacity_assessments", assessment("a1", "medication", day(1), lacks=True)
            ),
            set(),
        ),
        case(
            "capacity regained: the latest assessment counts",
            lambda d: add(
                d,
                "capacity_assessments",
                assessment("a1", "medication", day(-100), lacks=True),
                assessment("a2", "medication", day(0), lacks=False),
            ),
            set(),
        ),
        case(
            "lack of capacity in another area does not matter",
            lambda d: add(
                d, "capacity_assessments", assessment("a1", "relationships", day(-10), lacks=True)
            ),
            set(),
        ),
    ],
)
def test_rc01(mutate: Mutate, expected: set[str]) -> None:
    check("RC01", mutate, expected)


# --- RC02 ---------------------------------------------------------------------------------


def family_decides(area: str = "mobility_outdoors", who: str = "fam") -> Mutate:
    return lambda d: role(d, area).update(decides=who)


def delegation(**extra: Any) -> Mutate:
    fields: dict[str, Any] = {"to": ["fam"], "areas": ["mobility_outdoors"]}
    fields.update(extra)
    when = fields.pop("date", day(-30))
    return lambda d: add(d, "consents", consent("c-del", "delegate_decision", when, **fields))


def lacks(area: str = "mobility_outdoors", when: str = day(-20), ident: str = "a1") -> Mutate:
    return lambda d: add(d, "capacity_assessments", assessment(ident, area, when, lacks=True))


def lpa(kind: str = "lpa_health_welfare", **extra: Any) -> Mutate:
    fields: dict[str, Any] = {"registered": day(-200)}
    fields.update(extra)
    fields = {k: v for k, v in fields.items() if v is not None}
    return lambda d: add(d, "legal_authorities", authority("auth", kind, **fields))


FAMILY_ROLE = {"role:mobility_outdoors"}


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        case("relative decides with no basis", family_decides(), FAMILY_ROLE),
        case("friend decides with no basis", family_decides(who="fr"), FAMILY_ROLE),
        case("current delegation", both(family_decides(), delegation()), set()),
        case("delegation given on as_of", both(family_decides(), delegation(date=day(0))), set()),
        case(
            "delegation dated after as_of",
            both(family_decides(), delegation(date=day(1))),
            FAMILY_ROLE,
        ),
        case(
            "delegation withdrawn on as_of is not current",
            both(family_decides(), delegation(withdrawn=day(0))),
            FAMILY_ROLE,
        ),
        case(
            "delegation withdrawn after as_of is still current",
            both(family_decides(), delegation(withdrawn=day(1))),
            set(),
        ),
        case(
            "delegation of another area",
            both(family_decides(), delegation(areas=["relationships"])),
            FAMILY_ROLE,
        ),
        case(
            "delegation to someone else", both(family_decides(), delegation(to=["fr"])), FAMILY_ROLE
        ),
        case(
            "capacity lost after the delegation",
            both(family_decides(), delegation(date=day(-60)), lacks(when=day(-20))),
            FAMILY_ROLE,
        ),
        case(
            "capacity lost after as_of does not count yet",
            both(family_decides(), delegation(), lacks(when=day(1))),
            set(),
        ),
        case(
            "welfare LPA, person lacks capacity",
            both(family_decides(), lpa(), lacks()),
            set(),
        ),
        case(
            "welfare LPA, person has capacity: the person decides",
            both(family_decides(), lpa()),
            FAMILY_ROLE,
        ),
        case(
            "LPA not yet registered",
            both(family_decides(), lpa(registered=None), lacks()),
            FAMILY_ROLE,
        ),
        case(
            "LPA registered after as_of",
            both(family_decides(), lpa(registered=day(1)), lacks()),
            FAMILY_ROLE,
        ),
        case(
            "LPA registered on as_of",
            both(family_decides(), lpa(registered=day(0)), lacks(when=day(-1))),
            set(),
        ),
        case(
            "LPA revoked on as_of",
            both(family_decides(), lpa(revoked=day(0)), lacks()),
            FAMILY_ROLE,
        ),
        case(
            "LPA revoked after as_of",
            both(family_decides(), lpa(revoked=day(1)), lacks()),
            set(),
        ),
        case(
            "LPA held by someone else",
            both(
                family_decides(),
                lambda d: add(
                    d,
                    "legal_authorities",
                    authority("auth", "lpa_health_welfare", holder="fr", registered=day(-200)),
                ),
                lacks(),
            ),
            FAMILY_ROLE,
        ),
        case(
            "deputyship for other areas does not cover",
            both(
                family_decides(),
                lpa("deputy_personal_welfare", areas=["health_treatment"]),
                lacks(),
            ),
            FAMILY_ROLE,
        ),
        case(
            "deputyship naming the area",
            both(
                family_decides(),
                lpa("deputy_personal_welfare", areas=["mobility_outdoors"]),
                lacks(),
            ),
            set(),
        ),
        case(
            "LPA with areas that leave this one out",
            both(family_decides(), lpa(areas=["medication"]), lacks()),
            FAMILY_ROLE,
        ),
        case(
            "property LPA: usable whatever the person's capacity",
            both(family_decides("finances_daily"), lpa("lpa_property_finance")),
            set(),
        ),
        case(
            "property LPA does not cover a welfare area",
            both(family_decides(), lpa("lpa_property_finance"), lacks()),
            FAMILY_ROLE,
        ),
        case("staff deciding is not RC02", family_decides(who="st"), set()),
    ],
)
def test_rc02(mutate: Mutate, expected: set[str]) -> None:
    check("RC02", mutate, expected)


# --- RC03 ---------------------------------------------------------------------------------


def staff_decides(who: str = "st", area: str = "health_treatment") -> Mutate:
    return lambda d: role(d, area).update(decides=who)


def best_interests(
    when: str, *, ident: str = "bi1", area: str = "health_treatment", ca: str = "a1"
) -> Mutate:
    return lambda d: add(
        d,
        "best_interests",
        {
            "id": ident,
            "area": area,
            "decision": "Treatment",
            "date": when,
            "decision_maker": "st",
            "capacity_assessment": ca,
            "consulted": ["fam"],
            "persons_wishes": "Wants to stay at home.",
        },
    )


HEALTH = {"role:health_treatment"}
LACKS_HEALTH = lacks("health_treatment", day(-50))


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        case("staff decides, capacity presumed", staff_decides(), HEALTH),
        case("professional decides, capacity presumed", staff_decides("pro"), HEALTH),
        case(
            "staff decides, lacks capacity, best interests on the assessment's day",
            both(staff_decides(), LACKS_HEALTH, best_interests(day(-50))),
            set(),
        ),
        case(
            "best interests after the assessment",
            both(staff_decides(), LACKS_HEALTH, best_interests(day(-10))),
            set(),
        ),
        case(
            "no best-interests decision",
            both(staff_decides(), LACKS_HEALTH),
            HEALTH,
        ),
        case(
            "best interests only before the current assessment",
            both(
                staff_decides(),
                lacks("health_treatment", day(-300), "a0"),
                best_interests(day(-290), ca="a0"),
                LACKS_HEALTH,
            ),
            HEALTH,
        ),
        case(
            "best interests in another area",
            both(
                staff_decides(),
                LACKS_HEALTH,
                lacks("relationships", day(-50), "a2"),
                best_interests(day(-10), area="relationships", ca="a2"),
            ),
            HEALTH,
        ),
        case(
            "best interests dated after as_of does not exist yet",
            both(staff_decides(), LACKS_HEALTH, best_interests(day(1))),
            HEALTH,
        ),
        case(
            "an attorney holds a usable authority",
            both(staff_decides(), LACKS_HEALTH, best_interests(day(-10)), lpa()),
            HEALTH,
        ),
        case(
            "an attorney's unregistered LPA is not usable",
            both(staff_decides(), LACKS_HEALTH, best_interests(day(-10)), lpa(registered=None)),
            set(),
        ),
        case(
            "capacity regained after the best-interests decision",
            both(
                staff_decides(),
                LACKS_HEALTH,
                best_interests(day(-10)),
                lambda d: add(
                    d,
                    "capacity_assessments",
                    assessment("a9", "health_treatment", day(-1), lacks=False),
                ),
            ),
            HEALTH,
        ),
    ],
)
def test_rc03(mutate: Mutate, expected: set[str]) -> None:
    check("RC03", mutate, expected)


def test_rc03_property_lpa_usable_whatever_capacity() -> None:
    data = base()
    role(data, "finances_daily").update(decides="st")
    add(data, "capacity_assessments", assessment("a1", "finances_daily", day(-5), lacks=True))
    best_interests(day(-5), area="finances_daily")(data)
    assert subjects(data, "RC03") == set()
    lpa("lpa_property_finance")(data)
    assert subjects(data, "RC03") == {"role:finances_daily"}


# --- RC04 ---------------------------------------------------------------------------------


def bi(when: str = day(-10), **changes: Any) -> Mutate:
    def mutate(d: dict[str, Any]) -> None:
        add(d, "capacity_assessments", assessment("a1", "health_treatment", day(-400), lacks=True))
        best_interests(when, ca="a1")(d)
        record = d["best_interests"][-1]
        for key, value in changes.items():
            if value is None:
                record.pop(key, None)
            else:
                record[key] = value

    return mutate


def no_family(d: dict[str, Any]) -> None:
    d["circle"] = [m for m in d["circle"] if m["kind"] not in ("family", "friend")]


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        case("complete best-interests decision", bi(), set()),
        case("no wishes recorded", bi(persons_wishes=None), {"best_interests:bi1"}),
        case("wishes only white space", bi(persons_wishes=" \u00a0\t"), {"best_interests:bi1"}),
        case("no one consulted while there is family", bi(consulted=[]), {"best_interests:bi1"}),
        case("a staff member consulted is someone", bi(consulted=["st2"]), set()),
        case(
            "no one consulted and no family in the circle",
            both(no_family, bi(consulted=[])),
            set(),
        ),
        case(
            "dated before the audit period",
            bi(when=day(-366), persons_wishes=None),
            set(),
        ),
        case(
            "dated on the first day of the audit period",
            bi(when=day(-365), persons_wishes=None),
            {"best_interests:bi1"},
        ),
        case("dated after as_of", bi(when=day(1), persons_wishes=None), set()),
    ],
)
def test_rc04(mutate: Mutate, expected: set[str]) -> None:
    check("RC04", mutate, expected)


def test_rc04_period_follows_since() -> None:
    data = base()
    bi(when=day(-100), persons_wishes=None)(data)
    assert subjects(data, "RC04", since=AS_OF.replace(month=3)) == set()
    assert subjects(data, "RC04", since=AS_OF.replace(year=2026, month=2, day=21)) == {
        "best_interests:bi1"
    }
