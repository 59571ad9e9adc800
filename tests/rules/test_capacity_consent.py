"""CA01–CA02 and IC01–IC02, one change at a time from a file with no findings."""

from __future__ import annotations

from typing import Any

import pytest

from tests.rules.helpers import (
    Mutate,
    add,
    assessment,
    authority,
    both,
    case,
    check,
    consent,
    day,
    role,
)


def assess(
    ident: str = "a1",
    area: str = "health_treatment",
    when: str = day(-30),
    *,
    lacks: bool = True,
    **extra: Any,
) -> Mutate:
    extra = {k: v for k, v in extra.items()}
    drop = [k for k, v in extra.items() if v is None]
    record = assessment(
        ident, area, when, lacks=lacks, **{k: v for k, v in extra.items() if v is not None}
    )
    for key in drop:
        record.pop(key, None)
    return lambda d: add(d, "capacity_assessments", record)


def decides(who: str, area: str = "health_treatment") -> Mutate:
    return lambda d: role(d, area).update(decides=who)


# --- CA01 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        case("review date passed", both(decides("st"), assess(review_by=day(-1))), {"capacity:a1"}),
        case("review date is as_of", both(decides("st"), assess(review_by=day(0))), set()),
        case("review date ahead", both(decides("st"), assess(review_by=day(30))), set()),
        case(
            "no review date, 365 days old",
            both(decides("st"), assess(when=day(-365))),
            set(),
        ),
        case(
            "no review date, 366 days old (reported though before the audit period)",
            both(decides("st"), assess(when=day(-366))),
            {"capacity:a1"},
        ),
        case(
            "a family member decides on the assessment",
            both(decides("fam"), assess(review_by=day(-1))),
            {"capacity:a1"},
        ),
        case(
            "the person decides: CA01 does not apply",
            assess(review_by=day(-1)),
            set(),
        ),
        case(
            "no decides: CA01 does not apply",
            both(lambda d: role(d, "health_treatment").pop("decides"), assess(review_by=day(-1))),
            set(),
        ),
        case(
            "has capacity: CA01 does not apply",
            both(decides("st"), assess(lacks=False, review_by=day(-1))),
            set(),
        ),
        case(
            "only the current assessment is judged",
            both(
                decides("st"),
                assess("a0", when=day(-400), review_by=day(-300)),
                assess("a1", when=day(-10), review_by=day(100)),
            ),
            set(),
        ),
        case(
            "a newer assessment after as_of does not exist yet",
            both(
                decides("st"),
                assess("a0", when=day(-400), review_by=day(-300)),
                assess("a1", when=day(1), review_by=day(100)),
            ),
            {"capacity:a0"},
        ),
        case(
            "no role for the area",
            assess(area="relationships", review_by=day(-1)),
            set(),
        ),
    ],
)
def test_ca01(mutate: Mutate, expected: set[str]) -> None:
    check("CA01", mutate, expected)


# --- CA02 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        case("support recorded", assess(), set()),
        case("no support recorded", assess(support_given=None), {"capacity:a1"}),
        case("support only white space", assess(support_given="  \n"), {"capacity:a1"}),
        case("has capacity, no support needed", assess(lacks=False, support_given=None), set()),
        case("before the audit period", assess(when=day(-366), support_given=None), set()),
        case(
            "first day of the audit period",
            assess(when=day(-365), support_given=None),
            {"capacity:a1"},
        ),
        case("on as_of", assess(when=day(0), support_given=None), {"capacity:a1"}),
        case("after as_of", assess(when=day(1), support_given=None), set()),
    ],
)
def test_ca02(mutate: Mutate, expected: set[str]) -> None:
    check("CA02", mutate, expected)


# --- IC01 ---------------------------------------------------------------------------------


def informed(*who: str, area: str = "health_treatment") -> Mutate:
    return lambda d: role(d, area).update(informed=list(who))


def share(
    to: tuple[str, ...] = ("fam",),
    areas: tuple[str, ...] = ("health_treatment",),
    when: str = day(-60),
    **extra: Any,
) -> Mutate:
    return lambda d: add(
        d,
        "consents",
        consent("c-share", "share_information", when, to=list(to), areas=list(areas), **extra),
    )


def welfare_lpa(**extra: Any) -> Mutate:
    fields: dict[str, Any] = {"registered": day(-300)}
    fields.update(extra)
    return lambda d: add(d, "legal_authorities", authority("lpa", "lpa_health_welfare", **fields))


SUBJECT = {"role:health_treatment/informed:fam"}
LACKS_SHARING = assess("a-is", "information_sharing", day(-200))


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        case("relative informed without consent", informed("fam"), SUBJECT),
        case(
            "friend informed without consent", informed("fr"), {"role:health_treatment/informed:fr"}
        ),
        case("staff informed: no consent needed", informed("st", "pro", "adv"), set()),
        case("current consent from the person", both(informed("fam"), share()), set()),
        case(
            "consent for another area", both(informed("fam"), share(areas=("medication",))), SUBJECT
        ),
        case("consent to someone else", both(informed("fam", "fr"), share(to=("fr",))), SUBJECT),
        case("consent withdrawn on as_of", both(informed("fam"), share(withdrawn=day(0))), SUBJECT),
        case(
            "consent withdrawn after as_of", both(informed("fam"), share(withdrawn=day(1))), set()
        ),
        case("consent dated after as_of", both(informed("fam"), share(when=day(1))), SUBJECT),
        case(
            "the person lacked capacity to share information when consenting",
            both(informed("fam"), LACKS_SHARING, share(when=day(-100))),
            SUBJECT,
        ),
        case(
            "capacity lost after the consent: valid when given",
            both(informed("fam"), share(when=day(-300)), LACKS_SHARING),
            set(),
        ),
        case(
            "consent by an attorney usable for information sharing",
            both(
                informed("fam"),
                welfare_lpa(),
                LACKS_SHARING,
                share(to=("fam",), given_by="fam"),
            ),
            set(),
        ),
        case(
            "an attorney's areas need not include the role's area",
            both(
                informed("fam"),
                welfare_lpa(areas=["information_sharing"]),
                LACKS_SHARING,
                share(given_by="fam"),
            ),
            set(),
        ),
        case(
            "an attorney whose LPA does not cover information sharing",
            both(
                informed("fam"),
                welfare_lpa(areas=["health_treatment"]),
                LACKS_SHARING,
                share(given_by="fam"),
            ),
            SUBJECT,
        ),
        case(
            "an attorney while the person has capacity to share",
            both(informed("fam"), welfare_lpa(), share(given_by="fam")),
            SUBJECT,
        ),
        case(
            "an attorney whose LPA is not registered",
            both(
                informed("fam"), welfare_lpa(registered=None), LACKS_SHARING, share(given_by="fam")
            ),
            SUBJECT,
        ),
        case(
            "a delegation is not a consent to share",
            both(
                informed("fam"),
                lambda d: add(
                    d,
                    "consents",
                    consent(
                        "c-del",
                        "delegate_decision",
                        day(-5),
                        to=["fam"],
                        areas=["health_treatment"],
                    ),
                ),
            ),
            SUBJECT,
        ),
    ],
)
def test_ic01(mutate: Mutate, expected: set[str]) -> None:
    check("IC01", mutate, expected)


def test_ic01_one_subject_per_role_and_member() -> None:
    def mutate(d: dict[str, Any]) -> None:
        informed("fam", "fr")(d)
        informed("fam", area="medication")(d)
        share(areas=("medication",))(d)

    check(
        "IC01",
        mutate,
        {"role:health_treatment/informed:fam", "role:health_treatment/informed:fr"},
    )


# --- IC02 ---------------------------------------------------------------------------------


def plan_consent(when: str, **extra: Any) -> Mutate:
    def mutate(d: dict[str, Any]) -> None:
        d["consents"] = [consent("c-plan", "care_plan", when, **extra)]

    return mutate


def version(when: str) -> Mutate:
    return lambda d: d["plan"].update(version_date=when)


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        case("no care plan consent", lambda d: d.pop("consents"), {"plan"}),
        case("consent on the version date", both(version(day(-10)), plan_consent(day(-10))), set()),
        case(
            "consent before the version date",
            both(version(day(-10)), plan_consent(day(-11))),
            {"plan"},
        ),
        case(
            "consent withdrawn on as_of",
            both(version(day(-700)), plan_consent(day(-600), withdrawn=day(0))),
            {"plan"},
        ),
        case(
            "consent withdrawn after as_of",
            both(version(day(-700)), plan_consent(day(-600), withdrawn=day(1))),
            set(),
        ),
        case("consent dated after as_of", both(version(day(-10)), plan_consent(day(1))), {"plan"}),
        case(
            "version date after as_of: any current consent will do",
            both(version(day(5)), plan_consent(day(-600))),
            set(),
        ),
        case(
            "consent by an attorney counts",
            both(
                lambda d: add(
                    d,
                    "legal_authorities",
                    authority("lpa", "lpa_health_welfare", registered=day(-300)),
                ),
                plan_consent(day(-1), given_by="fam"),
            ),
            set(),
        ),
        case(
            "a sharing consent is not a care plan consent",
            lambda d: d.update(
                consents=[
                    consent("c1", "share_information", day(-1), to=["fam"], areas=["medication"])
                ]
            ),
            {"plan"},
        ),
    ],
)
def test_ic02(mutate: Mutate, expected: set[str]) -> None:
    check("IC02", mutate, expected)
