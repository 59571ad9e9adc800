"""The measures of the format-2 kinds (docs/measures.md 10-14) through the service report.

Hand-computed over docs/spec/examples/04* and 05* (docs/spec/rules-v2.md, rules/terms.py),
judged on 31 May 2026 (a Sunday) unless a test says otherwise, on today's records
(``view=corrected``: the files are imported today, so nothing was recorded by May):

* concern cn1 is raised on Friday 6 March 2026: its 3rd working day is Wednesday 11 March
  and its 20th Friday 3 April. Before: acknowledged 12 March (late), no response (CN01,
  CN02). After: acknowledged 11 March, answered 20 March.
* goal g1 is set on 10 January. Before: never reviewed, every 90 days (the default), so
  due on 10 April (GO02 from 11 April). After: every 60 days, due 11 March, reviewed on
  20 May.
* restriction rs1 began 5 January with no basis and review_by 1 April (RS02; RS03 from 2
  April). After: replaced by trial gt1, whose first session (1 May) ends it.
* Ben holds task t1 and has carer's plan cp1 (both files); Daniel's brother Mark (example
  3, a version-1 file) holds t-mark-meds until 1 July 2026 and has no plan.
"""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from kinwise.casefile.load import load_casefile
from tests.reports.conftest import example
from tests.signin import signed_in_client

SPEC_EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "spec" / "examples"
FORMAT_2_KEYS = (
    "concerns_acknowledged",
    "concerns_responded",
    "goals_reviewed",
    "restrictions_in_order",
    "carers_with_plan",
)
FORMAT_2_STATE_KEYS = ("goals_reviewed", "restrictions_in_order", "carers_with_plan")
VERSION_1_STATE_KEYS = ("decision_makers_valid", "relative_authority_valid", "arrangements_overdue")
MONTHS = ("2026-01", "2026-02", "2026-03", "2026-04", "2026-05")


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> date:
    value = date(2026, 11, 30)
    monkeypatch.setattr("kinwise.clock.today", lambda: value)
    return value


def service_with(*files: str, slug: str = "riverside") -> tuple[Any, Any]:
    """A service holding the named files (a spec example by its name, or a project
    example), and a signed-in client of its registered manager."""
    from kinwise.core.models import StaffRole
    from kinwise.core.services import organisation_ensure, service_ensure, staff_user_ensure
    from kinwise.records.services import casefile_import

    acme = organisation_ensure(slug="acme", name="Acme Care")
    service = service_ensure(organisation=acme, external_id=slug, name="Riverside Supported Living")
    for name in files:
        path = SPEC_EXAMPLES / f"{name}.yaml"
        casefile = load_casefile(path) if path.exists() else example(name)
        casefile_import(casefile=casefile, service=service, actor=None)
    manager = staff_user_ensure(
        username=f"manager-{slug}",
        password="a-long-test-password",
        service=service,
        role=StaffRole.REGISTERED_MANAGER,
    )
    return service, signed_in_client(manager)


def csv_rows(client: Any, service: Any, start: str, end: str) -> dict[tuple[str, str], list[str]]:
    """The CSV's rows by (measure, month): [numerator, denominator, percent]."""
    body = client.get(
        f"/services/{service.pk}/report.csv?from={start}&to={end}&view=corrected"
    ).content
    rows = list(csv.reader(io.StringIO(body.decode())))
    return {(r[3], r[4]): r[5:] for r in rows[1:]}


def measure_row(page: str, key: str) -> str:
    """The text of a measure's row in the page's table, tags removed."""
    match = re.search(rf'<tr class="nhsuk-table__row" id="measure-{key}">(.*?)</tr>', page, re.S)
    assert match, key
    text = re.sub(r"<[^>]+>", " ", match.group(1))
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


@pytest.mark.django_db
def test_before_examples_with_a_version_1_person(today: date) -> None:
    service, client = service_with(
        "04-concern-and-carer.before", "05-goal-and-restriction.before", "03-historic-arrangement"
    )
    rows = csv_rows(client, service, "2026-01-01", "2026-05-31")
    assert rows[("concerns_acknowledged", "all")] == ["0", "1", "0.0"]
    assert rows[("concerns_acknowledged_due", "all")] == ["0", "", ""]
    assert rows[("concerns_responded", "all")] == ["0", "1", "0.0"]
    assert rows[("concerns_responded_due", "all")] == ["0", "", ""]
    assert rows[("goals_reviewed", "all")] == ["0", "1", "0.0"]
    assert rows[("restrictions_in_order", "all")] == ["0", "1", "0.0"]
    # Mark (a version-1 file) counts: a family carer with a task and no plan
    assert rows[("carers_with_plan", "all")] == ["1", "2", "50.0"]
    # the trend: each concern in the month of its date; each state month on its last day
    assert [rows[("concerns_acknowledged", m)] for m in MONTHS] == [
        ["0", "0", ""],
        ["0", "0", ""],
        ["0", "1", "0.0"],
        ["0", "0", ""],
        ["0", "0", ""],
    ]
    assert [rows[("goals_reviewed", m)][:2] for m in MONTHS] == [
        ["1", "1"],
        ["1", "1"],
        ["1", "1"],
        ["0", "1"],
        ["0", "1"],
    ]
    content = client.get(
        f"/services/{service.pk}/report/?from=2026-01-01&to=2026-05-31&view=corrected"
    ).content
    page = content.decode()
    assert measure_row(page, "concerns_acknowledged") == (
        "Concerns acknowledged within 3 working days "
        "0: concerns acknowledged on or before the 3rd working day after they were raised "
        "1: concerns raised in the period whose 3 working days have passed 0.0%"
    )
    assert measure_row(page, "carers_with_plan") == (
        "Family carers who hold a task and have a carer's plan "
        "1: family members holding a task who have a carer's plan "
        "2: family members holding a task, at the end of the period 50.0%"
    )
    assert measure_row(page, "restrictions_in_order").endswith(" 0.0%")


@pytest.mark.django_db
def test_after_examples_and_the_working_day_boundaries(today: date) -> None:
    service, client = service_with("04-concern-and-carer", "05-goal-and-restriction")
    rows = csv_rows(client, service, "2026-01-01", "2026-05-31")
    assert rows[("concerns_acknowledged", "all")] == ["1", "1", "100.0"]
    assert rows[("concerns_responded", "all")] == ["1", "1", "100.0"]
    assert rows[("goals_reviewed", "all")] == ["1", "1", "100.0"]
    # rs1 ended when its trial began (1 May): nothing to count on 31 May, no data (not 0%)
    assert rows[("restrictions_in_order", "all")] == ["0", "0", ""]
    assert [rows[("restrictions_in_order", m)][:2] for m in MONTHS] == [
        ["0", "1"],
        ["0", "1"],
        ["0", "1"],
        ["0", "1"],
        ["0", "0"],
    ]
    assert rows[("carers_with_plan", "all")] == ["1", "1", "100.0"]
    # the boundary days of each window: test_working_day_and_review_boundaries
    # the response is judged once 3 April is before the period's last day
    on_3_april = csv_rows(client, service, "2026-03-01", "2026-04-03")
    assert on_3_april[("concerns_responded", "all")] == ["0", "0", ""]
    assert on_3_april[("concerns_responded_due", "all")] == ["1", "", ""]
    page = client.get(
        f"/services/{service.pk}/report/?from=2026-03-01&to=2026-04-03&view=corrected"
    )
    text = page.content.decode()
    assert measure_row(text, "concerns_responded") == (
        "Concerns answered in writing (or a delay explained) within 20 working days "
        "0: concerns with a written response, or a reason for delay, by the 20th working day "
        "0: concerns raised in the period whose 20 working days have passed; "
        "1 more still within their 20 working days no data"
    )


@pytest.mark.django_db
def test_a_version_2_service_without_a_kind_shows_no_data(today: date) -> None:
    # example 5 alone: no concern and no family member holding a task
    service, client = service_with("05-goal-and-restriction")
    rows = csv_rows(client, service, "2026-01-01", "2026-05-31")
    for key in ("concerns_acknowledged", "concerns_responded", "carers_with_plan"):
        assert rows[(key, "all")] == ["0", "0", ""], key
    page = client.get(
        f"/services/{service.pk}/report/?from=2026-01-01&to=2026-05-31&view=corrected"
    )
    text = page.content.decode()
    for key in ("concerns_acknowledged", "concerns_responded", "carers_with_plan"):
        assert measure_row(text, key).endswith(" no data"), key


@pytest.mark.django_db
def test_a_version_1_service_has_exactly_its_version_1_measures(today: date) -> None:
    service, client = service_with("03-historic-arrangement")
    rows = csv_rows(client, service, "2026-01-01", "2026-05-31")
    assert not {key for key, _ in rows} & {
        *FORMAT_2_KEYS,
        "concerns_acknowledged_due",
        "concerns_responded_due",
    }
    page = client.get(
        f"/services/{service.pk}/report/?from=2026-01-01&to=2026-05-31&view=corrected"
    )
    text = page.content.decode()
    assert "Concerns acknowledged" not in text
    assert "carer's plan" not in text


# --- the day boundaries, over the measures alone (no database) ---------------------------------


def spec_measures(start: date, end: date) -> dict[str, tuple[int, int, int]]:
    """(numerator, denominator, due) of each format-2 measure over the "after" examples."""
    from kinwise.reports.measures import Period, service_measures

    files = [
        load_casefile(SPEC_EXAMPLES / f"{name}.yaml")
        for name in ("04-concern-and-carer", "05-goal-and-restriction")
    ]
    measures = service_measures(files, period=Period(start, end))
    found = {}
    for key in FORMAT_2_KEYS:
        m = getattr(measures, key)
        found[key] = (m.overall.numerator, m.overall.denominator, m.due)
    return found


@pytest.mark.parametrize(
    ("end", "acknowledged", "responded", "goals"),
    [
        # 11 March: the acknowledgement's last day (still due) and the goal's (in time)
        (date(2026, 3, 11), (0, 0, 1), (0, 0, 1), (1, 1, 0)),
        (date(2026, 3, 12), (1, 1, 0), (0, 0, 1), (0, 1, 0)),
        # 3 April: the response's last day (still due), judged from 4 April
        (date(2026, 4, 3), (1, 1, 0), (0, 0, 1), (0, 1, 0)),
        (date(2026, 4, 4), (1, 1, 0), (1, 1, 0), (0, 1, 0)),
    ],
)
def test_working_day_and_review_boundaries(
    end: date,
    acknowledged: tuple[int, int, int],
    responded: tuple[int, int, int],
    goals: tuple[int, int, int],
) -> None:
    found = spec_measures(date(2026, 3, 1), end)
    assert found["concerns_acknowledged"] == acknowledged
    assert found["concerns_responded"] == responded
    assert found["goals_reviewed"] == goals
    # rs1 is current until its trial's first session (1 May), with no basis (RS02)
    assert found["restrictions_in_order"] == (0, 1, 0)
    assert found["carers_with_plan"] == (1, 1, 0)


# --- what a run as recorded saves (ADR 0267) ---------------------------------------------------


@pytest.mark.django_db
def test_a_run_saves_the_format_2_measures_only_for_a_version_2_service() -> None:
    from kinwise.clock import UK
    from kinwise.jobs.nightly import service_audit_recorded

    # today (UK): the files were recorded today, so the run as recorded holds them
    day = datetime.now(UK).date()
    service, _ = service_with("04-concern-and-carer", "05-goal-and-restriction")
    run = service_audit_recorded(service=service, as_of=day)
    # from 20 July 2026 g1 (reviewed 20 May, every 60 days) is overdue; rs1 ended 1 May
    assert {k: run.measures[k] for k in FORMAT_2_STATE_KEYS} == {
        "goals_reviewed": [0, 1],
        "restrictions_in_order": [0, 0],
        "carers_with_plan": [1, 1],
    }
    assert set(run.measures) == {*VERSION_1_STATE_KEYS, *FORMAT_2_STATE_KEYS}
    version_1, _ = service_with("03-historic-arrangement", slug="version-1")
    assert set(service_audit_recorded(service=version_1, as_of=day).measures) == set(
        VERSION_1_STATE_KEYS
    )


# --- the inspector view: each measure under its CQC quality statements ----------------------


def statement_measures(page: str) -> dict[str, list[str]]:
    """Each quality statement's heading and the titles of the measures under it."""
    found: dict[str, list[str]] = {}
    for section in re.findall(r"<section id=\"qs-.*?</section>", page, re.S):
        heading = re.search(r"<h2[^>]*>(.*?)</h2>", section, re.S)
        assert heading
        measures = re.search(r"<h3>Measures</h3>(.*?)<h3>", section, re.S)
        assert measures
        titles = re.findall(r"<li>(.*?): <strong>", measures.group(1), re.S)
        found[html.unescape(heading.group(1))] = [html.unescape(t) for t in titles]
    return found


@pytest.mark.django_db
def test_the_inspector_view_puts_each_format_2_measure_under_its_statements(
    today: date,
) -> None:
    service, client = service_with(
        "04-concern-and-carer.before", "05-goal-and-restriction.before", "03-historic-arrangement"
    )
    page = client.get(
        f"/services/{service.pk}/inspection/?from=2026-01-01&to=2026-05-31&view=corrected"
    ).content.decode()
    found = statement_measures(page)
    assert found["Learning culture"] == [
        "Concerns acknowledged within 3 working days",
        "Concerns answered in writing (or a delay explained) within 20 working days",
    ]
    assert found["Consent to care and treatment"][-1] == (
        "Restrictions with a current legal basis and a review in date"
    )
    assert found["Involving people to manage risks"][-1] == (
        "Restrictions with a current legal basis and a review in date"
    )
    assert found["Person-centred care"][-1] == "Goals reviewed within their review period"
    assert found["Partnerships and communities"][-1] == (
        "Family carers who hold a task and have a carer's plan"
    )
    assert found["Governance, management and sustainability"][-1] == (
        "Concerns answered in writing (or a delay explained) within 20 working days"
    )
    # the concern rules are evidenced under learning, with the concern's finding
    learning = page[page.index('id="qs-learning-culture"') :]
    learning = learning[: learning.index("</section>")]
    assert "CN01: " in learning and "CN04: " in learning
    assert "Ruth Adeyemi:" in learning


@pytest.mark.django_db
def test_a_version_1_service_s_inspector_view_has_no_format_2_measure(today: date) -> None:
    service, client = service_with("03-historic-arrangement")
    page = client.get(
        f"/services/{service.pk}/inspection/?from=2026-01-01&to=2026-05-31&view=corrected"
    ).content.decode()
    found = statement_measures(page)
    assert found["Learning culture"] == []
    assert "Measured once the service records concerns in Kinwise." in page
    assert len(found["Partnerships and communities"]) == 3
    assert not any("carer's plan" in title for titles in found.values() for title in titles)
