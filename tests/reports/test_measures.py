"""The service measures (docs/measures.md) with exact values on the examples and at boundaries."""

from __future__ import annotations

from datetime import date

import pytest

from kinwise.casefile.load import parse_casefile
from kinwise.casefile.schema import CaseFile
from kinwise.errors import KinwiseError
from kinwise.reports.measures import (
    Measure,
    Period,
    Ratio,
    medication_audit_rates,
    service_measures,
)
from tests.reports.conftest import example

RILEY = """
kinwise: 1
person: {id: riley, name: Riley Testperson, date_of_birth: 1990-02-03, communication: {methods: [verbal]}}
circle:
  - {id: jo, name: Jo Testperson, kind: family, relationship: sister}
  - {id: kim, name: Kim Friendly, kind: friend}
  - {id: sue, name: Sue Staffer, kind: staff}
  - {id: adv, name: Ade Advocate, kind: advocate}
legal_authorities:
  - {id: lpa1, holder: jo, kind: lpa_property_finance, registered: 2025-01-10}
consents:
  - {id: c-del, kind: delegate_decision, given_by: riley, to: [kim], areas: [relationships], date: 2026-02-10}
  - {id: c-plan, kind: care_plan, given_by: riley, date: 2026-01-05}
plan:
  version_date: 2026-01-05
  roles:
    - {area: medication, decides: riley}
    - {area: health_treatment, decides: riley}
    - {area: personal_care, decides: riley}
    - {area: mobility_outdoors, decides: riley}
    - {area: finances_daily, decides: jo}
    - {area: relationships, decides: kim}
    - {area: daily_living, decides: jo}
  tasks:
    - {id: t-money, task: manage_money, area: finances_daily, holder: jo, since: 2020-01-01, agreed: 2020-01-01, reviewed: 2025-03-01}
    - {id: t-transport, task: transport, area: mobility_outdoors, holder: sue, since: 2024-01-01}
voice:
  - {id: v1, date: 2026-02-13, method: verbal, setting: separate, captured_by: sue, direct: true, summary: Wants more trips out.}
  - {id: v2, date: 2026-03-20, method: verbal, setting: separate, captured_by: sue, direct: true, summary: Likes the new bus route.}
meetings:
  - id: m1
    date: 2026-01-20
    kind: care_plan_review
    facilitator: sue
    attendees: [riley, jo, sue, adv]
    contributions:
      - {by: riley, text: I want to go out more.}
      - {by: jo, on_behalf_of: riley, text: She gets tired.}
      - {by: jo, on_behalf_of: riley, text: She prefers mornings.}
      - {by: jo, text: I can drive on Sundays.}
      - {by: sue, text: We can plan short trips.}
      - {by: adv, text: Riley should choose the places.}
  - {id: m5, date: 2026-02-16, kind: partnership_review, facilitator: sue, attendees: [jo, sue]}
  - {id: m2, date: 2026-03-15, kind: care_plan_review, facilitator: sue, attendees: [jo, sue]}
  - id: m3
    date: 2026-04-20
    kind: care_plan_review
    facilitator: sue
    attendees: [jo, sue]
    decisions:
      - {area: daily_living, outcome: Keep the day centre, disagreement: true, rationale: Jo prefers it.}
  - id: m4
    date: 2026-05-10
    kind: risk_review
    facilitator: sue
    attendees: [jo, sue]
    decisions:
      - {area: mobility_outdoors, outcome: Continue with a buddy, disagreement: true, rationale: The incident was minor., evidence: [inc1]}
incidents:
  - {id: inc4, date: 2026-02-02, area: relationships, severity: low, safeguarding: true, description: A worrying phone call.}
  - {id: inc1, date: 2026-04-26, area: mobility_outdoors, severity: moderate, description: A fall from the kerb.}
  - {id: inc2, date: 2026-05-01, area: personal_care, severity: high, description: A scald.}
  - {id: inc3, date: 2026-06-16, area: personal_care, severity: severe, safeguarding: true, description: Bruising found.}
events:
  - {id: e1, date: 2026-03-01, kind: safeguarding_concern, areas: [personal_care], description: A neighbour raised a concern.}
medication:
  audits:
    - {id: a1, date: 2026-01-10, auditor: sue, doses_checked: 40, errors: 2}
    - {id: a2, date: 2026-01-25, auditor: sue, doses_checked: 60, errors: 1}
    - {id: a3, date: 2026-07-01, auditor: sue, doses_checked: 50, errors: 5}
"""

HALF_YEAR = Period(date(2026, 1, 1), date(2026, 6, 30))


def riley() -> CaseFile:
    return parse_casefile(RILEY)


def trend(measure: Measure) -> list[tuple[str, int, int]]:
    return [(m.month.key, m.ratio.numerator, m.ratio.denominator) for m in measure.months]


# --- numbers and periods --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("numerator", "denominator", "text"),
    [
        (7, 56, "12.5%"),
        (5, 56, "8.9%"),
        (1, 112, "0.9%"),
        (0, 112, "0.0%"),
        (1, 3, "33.3%"),
        (2, 3, "66.7%"),
        (1, 2000, "0.1%"),  # 0.05 rounds half up, not to even
        (3, 2000, "0.2%"),  # 0.15 rounds half up
        (0, 0, "no data"),
    ],
)
def test_ratio_percent_rounds_half_up(numerator: int, denominator: int, text: str) -> None:
    assert Ratio(numerator, denominator).percent() == text


def test_ratio_rejects_negative_counts() -> None:
    with pytest.raises(ValueError):
        Ratio(-1, 3)


def test_period_months_are_cut_to_the_period() -> None:
    months = Period(date(2025, 12, 15), date(2026, 2, 10)).months()
    assert [(m.first, m.start, m.end) for m in months] == [
        (date(2025, 12, 1), date(2025, 12, 15), date(2025, 12, 31)),
        (date(2026, 1, 1), date(2026, 1, 1), date(2026, 1, 31)),
        (date(2026, 2, 1), date(2026, 2, 1), date(2026, 2, 10)),
    ]
    assert months[0].label == "Dec 2025"


def test_period_of_one_day_and_leap_february() -> None:
    assert [m.end for m in Period(date(2028, 2, 29), date(2028, 2, 29)).months()] == [
        date(2028, 2, 29)
    ]
    assert Period(date(2028, 2, 1), date(2028, 3, 1)).months()[0].end == date(2028, 2, 29)


def test_period_that_starts_after_it_ends_is_a_usage_error() -> None:
    with pytest.raises(KinwiseError) as err:
        Period(date(2026, 2, 2), date(2026, 2, 1))
    assert err.value.code == "usage"


# --- the seed's examples --------------------------------------------------------------------


def test_example_3_medication_error_rate_falls_after_the_handover() -> None:
    daniel = example("03-historic-arrangement")
    rates = medication_audit_rates(daniel, period=Period(date(2026, 1, 1), date(2026, 11, 30)))
    assert [(r.audit, r.date, r.ratio.percent()) for r in rates] == [
        ("ma1", date(2026, 4, 15), "12.5%"),
        ("ma2", date(2026, 5, 15), "8.9%"),
        ("ma3", date(2026, 8, 15), "0.9%"),
        ("ma4", date(2026, 10, 15), "0.0%"),
    ]
    measures = service_measures([daniel], period=Period(date(2026, 1, 1), date(2026, 11, 30)))
    assert measures.medication.overall == Ratio(13, 336)
    assert measures.medication.overall.percent() == "3.9%"
    pooled = {k: (n, d) for k, n, d in trend(measures.medication) if d}
    assert pooled == {
        "2026-04": (7, 56),
        "2026-05": (5, 56),
        "2026-08": (1, 112),
        "2026-10": (0, 112),
    }


def test_example_3_arrangement_overdue_until_the_partnership_review() -> None:
    daniel = example("03-historic-arrangement")
    measures = service_measures([daniel], period=Period(date(2026, 1, 1), date(2026, 11, 30)))
    # Mark's medication task was never agreed or reviewed until the partnership review of
    # 24 June 2026; it ended on 1 July, so from July no family-held task remains.
    assert trend(measures.arrangements_overdue) == [
        ("2026-01", 1, 1),
        ("2026-02", 1, 1),
        ("2026-03", 1, 1),
        ("2026-04", 1, 1),
        ("2026-05", 1, 1),
        ("2026-06", 0, 1),
        ("2026-07", 0, 0),
        ("2026-08", 0, 0),
        ("2026-09", 0, 0),
        ("2026-10", 0, 0),
        ("2026-11", 0, 0),
    ]
    assert measures.arrangements_overdue.overall == Ratio(0, 0)


def test_example_1_before_and_after() -> None:
    before = service_measures(
        [example("01-risk-and-independence.before")],
        period=Period(date(2026, 1, 1), date(2026, 5, 20)),
    )
    assert before.decision_makers.overall == Ratio(0, 1)
    assert before.relative_authority.overall == Ratio(0, 1)
    assert before.disagreements.overall == Ratio(0, 1)
    after = service_measures(
        [example("01-risk-and-independence")], period=Period(date(2026, 1, 1), date(2026, 11, 30))
    )
    assert after.decision_makers.overall == Ratio(1, 1)
    assert after.relative_authority.overall == Ratio(0, 0)
    assert after.disagreements.overall == Ratio(1, 1)
    assert trend(after.disagreements)[5] == ("2026-06", 1, 1)
    assert after.review_voice.overall == Ratio(1, 1)


def test_example_2_voice_is_re_centred() -> None:
    before = service_measures(
        [example("02-vocal-relative.before")], period=Period(date(2026, 1, 1), date(2026, 4, 30))
    )
    assert before.review_voice.overall == Ratio(0, 1)
    assert dict(before.voice_balance.overall) == {
        "person": 0,
        "on_behalf": 2,
        "family": 0,
        "staff": 1,
        "advocate": 0,
    }
    assert before.voice_balance.meetings.overall == Ratio(0, 1)
    after = service_measures(
        [example("02-vocal-relative")], period=Period(date(2026, 1, 1), date(2026, 9, 30))
    )
    assert after.review_voice.overall == Ratio(1, 1)
    assert dict(after.voice_balance.overall) == {
        "person": 3,
        "on_behalf": 1,
        "family": 1,
        "staff": 1,
        "advocate": 0,
    }
    assert after.voice_balance.share("person").percent() == "50.0%"
    assert after.voice_balance.meetings.overall == Ratio(1, 1)


def test_a_service_of_two_people() -> None:
    measures = service_measures(
        [example("01-risk-and-independence"), example("03-historic-arrangement")],
        period=Period(date(2026, 1, 1), date(2026, 11, 30)),
    )
    assert measures.people == 2
    assert measures.decision_makers.overall == Ratio(2, 2)
    assert measures.review_voice.overall == Ratio(1, 1)
    assert measures.voice_balance.meetings.overall == Ratio(3, 3)
    assert measures.medication.overall == Ratio(13, 336)


# --- every measure at its boundaries ---------------------------------------------------------


def test_decision_makers_judged_at_each_month_end() -> None:
    measures = service_measures([riley(), example("01-risk-and-independence")], period=HALF_YEAR)
    # Riley's daily living is decided by a sister with no authority or delegation (RC02)
    assert measures.decision_makers.overall == Ratio(1, 2)
    assert trend(measures.decision_makers)[0] == ("2026-01", 1, 2)


def test_relative_authority_counts_roles_and_follows_the_delegation_date() -> None:
    measures = service_measures([riley()], period=HALF_YEAR)
    # finances_daily: property and finance LPA (usable whatever the capacity);
    # relationships: delegation given 10 February; daily_living: no basis at all.
    assert trend(measures.relative_authority) == [
        ("2026-01", 1, 3),
        ("2026-02", 2, 3),
        ("2026-03", 2, 3),
        ("2026-04", 2, 3),
        ("2026-05", 2, 3),
        ("2026-06", 2, 3),
    ]
    assert measures.relative_authority.overall == Ratio(2, 3)


def test_review_voice_counts_the_30_day_window_inclusively() -> None:
    measures = service_measures([riley()], period=HALF_YEAR)
    # m1: Riley spoke; m2: direct voice exactly 30 days before; m3: 31 days before
    assert measures.review_voice.overall == Ratio(2, 3)
    assert [t for t in trend(measures.review_voice) if t[2]] == [
        ("2026-01", 1, 1),
        ("2026-03", 1, 1),
        ("2026-04", 0, 1),
    ]


def test_voice_balance_distribution() -> None:
    measures = service_measures([riley()], period=HALF_YEAR)
    assert dict(measures.voice_balance.overall) == {
        "person": 1,
        "on_behalf": 2,
        "family": 1,
        "staff": 1,
        "advocate": 1,
    }
    assert measures.voice_balance.total == 6
    assert measures.voice_balance.share("on_behalf").percent() == "33.3%"
    # m1 spoke over Riley (2 on her behalf, 1 her own); m5, m2, m3, m4 had no contributions
    assert measures.voice_balance.meetings.overall == Ratio(4, 5)
    assert dict(measures.voice_balance.months[0][1])["on_behalf"] == 2
    assert sum(dict(measures.voice_balance.months[1][1]).values()) == 0


def test_disagreements_need_rationale_and_evidence() -> None:
    measures = service_measures([riley()], period=HALF_YEAR)
    assert measures.disagreements.overall == Ratio(1, 2)


def test_incidents_follow_up_on_day_14_and_open_windows_are_due() -> None:
    measures = service_measures([riley()], period=HALF_YEAR)
    # inc1 followed up by a risk review exactly 14 days later; inc2 never; inc3's window
    # (16 June + 14 days = 30 June) has not closed at the period's end: due, not counted
    assert measures.incidents.overall == Ratio(1, 2)
    assert measures.incidents.due == 1
    # one day later, inc3 is judged (and missed)
    later = service_measures([riley()], period=Period(date(2026, 1, 1), date(2026, 7, 1)))
    assert later.incidents.overall == Ratio(1, 3)
    assert later.incidents.due == 0


def test_safeguarding_concerns_reviewed_by_a_partnership_review() -> None:
    measures = service_measures([riley()], period=HALF_YEAR)
    # inc4 reviewed by the partnership review 14 days later; e1 never; inc3 still due
    assert measures.safeguarding.overall == Ratio(1, 2)
    assert measures.safeguarding.due == 1
    assert [t for t in trend(measures.safeguarding) if t[2]] == [
        ("2026-02", 1, 1),
        ("2026-03", 0, 1),
    ]


def test_arrangements_overdue_strictly_after_365_days() -> None:
    # t-money was last reviewed on 1 March 2025: at 28 February 2026 it is 364 days old,
    # on 1 March 2026 exactly 365 (not overdue), on 2 March 2026 overdue
    for end, overdue in [
        (date(2026, 2, 28), 0),
        (date(2026, 3, 1), 0),
        (date(2026, 3, 2), 1),
    ]:
        measures = service_measures([riley()], period=Period(date(2026, 1, 1), end))
        assert measures.arrangements_overdue.overall == Ratio(overdue, 1), end
    assert trend(service_measures([riley()], period=HALF_YEAR).arrangements_overdue)[2] == (
        "2026-03",
        1,
        1,
    )


def test_medication_pools_audits_in_the_period_only() -> None:
    measures = service_measures([riley()], period=HALF_YEAR)
    assert measures.medication.overall == Ratio(3, 100)
    assert trend(measures.medication)[0] == ("2026-01", 3, 100)
    assert measures.medication.overall.percent() == "3.0%"


def test_no_people_gives_no_data_not_zero() -> None:
    measures = service_measures([], period=HALF_YEAR)
    assert measures.people == 0
    assert measures.decision_makers.overall.percent() == "no data"
    assert all(m.overall.denominator == 0 for m in measures.ratio_measures())
