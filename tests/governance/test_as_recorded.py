"""The past as recorded: an audit, a trend point and a commissioners' measure of a past day
read the records as they were recorded at the end of that day (UK time), so later edits
never change them; the view "with the corrections made since" does change."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kinwise import clock
from kinwise.casefile.schema import CaseFile
from kinwise.cli import main
from kinwise.clock import UK, end_of_day
from kinwise.core.models import Service, StaffRole
from kinwise.governance.selectors import audit_trends, service_audit
from kinwise.jobs.nightly import service_audit_recorded
from kinwise.records.models import Person
from kinwise.records.selectors import casefile_recorded, casefiles_recorded
from kinwise.records.services import casefile_import
from kinwise.records.services.edits import record_correct, record_save
from kinwise.reports.measures import Period
from kinwise.reports.service import report_csv
from kinwise.reports.views import (
    build_person_pack,
    build_service_report,
    person_pack_document,
    service_report_document,
)
from tests.governance.conftest import build, example_data, example_file

D = dt.date(2026, 5, 25)
MONTH_END = dt.date(2026, 5, 31)
TODAY = dt.date(2026, 6, 1)
MAY = Period(dt.date(2026, 5, 1), MONTH_END)


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "today", lambda: TODAY)


def recorded_on(casefile: CaseFile, service: Service, day: dt.date) -> Person:
    """Import ``casefile`` as written at 23:00 UK time on ``day``."""
    at = dt.datetime.combine(day, dt.time(23), tzinfo=UK)
    result = casefile_import(casefile=casefile, service=service, actor=None, at=at)
    return Person.objects.get(pk=result.person_pk)


def cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    code = main(args)
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    return out


def pairs(out: str) -> list[tuple[str, str]]:
    [audit] = json.loads(out)
    return sorted((f["rule"], f["subject"]) for f in audit["findings"])


def the_past(riverside: Service, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    """Every reading of the past day the test compares, as bytes or plain values."""
    trends = audit_trends(service=riverside, as_of=MONTH_END)
    report, _ = build_service_report(service=riverside, period=MAY, as_recorded=True, today=TODAY)
    return {
        "cli_json": cli(
            ["audit", "--person", "sam", "--as-of", D.isoformat(), "--as-recorded"], capsys
        ),
        "cli_text": cli(
            [
                "audit",
                "--person",
                "sam",
                "--as-of",
                D.isoformat(),
                "--as-recorded",
                "--format",
                "text",
            ],
            capsys,
        ),
        "service_audit": [
            r.audit.to_json() for r in service_audit(service=riverside, as_of=D, as_recorded=True)
        ],
        "trend_point": (trends.months, trends.table, trends.totals),
        "measure": [(m.month.key, m.ratio) for m in report.measures.decision_makers.months],
        "report_csv": report_csv(report).encode(),
        "report_document": service_report_document(report).encode(),
        "evidence_pack": _pack(as_recorded=True),
        "cli_report_person": cli(["report", "person", "sam", "--as-of", D.isoformat()], capsys),
        "cli_report_service": cli(
            [
                "report",
                "service",
                "riverside",
                "--from",
                "2026-05-01",
                "--to",
                "2026-05-31",
                "--format",
                "csv",
            ],
            capsys,
        ),  # fmt: skip
    }


def _pack(*, as_recorded: bool) -> bytes:
    """Sam's evidence pack of the past day (as recorded, or with the corrections since)."""
    sam = Person.objects.get(external_id="sam", superseded_at__isnull=True)
    pack = build_person_pack(person=sam, as_of=D, as_recorded=as_recorded, today=TODAY)
    return person_pack_document(pack).encode()


def the_corrected(riverside: Service, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    report, _ = build_service_report(service=riverside, period=MAY, as_recorded=False)
    return {
        "cli": pairs(cli(["audit", "--person", "sam", "--as-of", D.isoformat()], capsys)),
        "measure": [(m.month.key, m.ratio) for m in report.measures.decision_makers.months],
        "evidence_pack": _pack(as_recorded=False),
    }


def test_a_past_audit_trend_point_and_measure_stay_the_same_after_later_edits(
    riverside: Service, capsys: pytest.CaptureFixture[str]
) -> None:
    sam = recorded_on(
        example_file("01-risk-and-independence.before.yaml"), riverside, dt.date(2026, 5, 20)
    )
    for day in (D, MONTH_END):  # what the nightly job saves
        service_audit_recorded(service=riverside, as_of=day)
    before = the_past(riverside, capsys)
    corrected_before = the_corrected(riverside, capsys)
    assert pairs(before["cli_json"]) == [
        ("RC02", "role:mobility_outdoors"),
        ("RK01", "decision:m0/mobility_outdoors"),
        ("RK02", "risk:ra0"),
    ]
    assert corrected_before["cli"] == pairs(before["cli_json"])  # nothing corrected yet
    assert before["trend_point"][0] == ("2026-05",)
    assert before["trend_point"][2] == (3,)
    assert before["measure"] == [("2026-05", corrected_before["measure"][0][1])]
    assert (before["measure"][0][1].numerator, before["measure"][0][1].denominator) == (0, 1)

    # later edits, each through the services, each written now (after the day)
    record_save(
        person=sam,
        kind="role",
        original_key="mobility_outdoors",
        record={
            "area": "mobility_outdoors",
            "decides": "sam",
            "contributes": ["priya"],
            "informed": ["grace"],
        },
        actor=None,
    )
    record_save(
        person=sam,
        kind="consent",
        original_key="c-plan",
        record={"id": "c-plan", "kind": "care_plan", "given_by": "sam", "date": "2026-10-20"},
        actor=None,
    )
    record_correct(
        person=sam,
        kind="risk_assessment",
        key="ra0",
        reason="Written for another activity",
        actor=None,
    )

    after = the_past(riverside, capsys)
    for name, value in before.items():
        assert after[name] == value, name  # byte for byte
    # the view with the corrections made since changes: Grace's role passed to Sam, the
    # care-plan consent now dates from October and the risk assessment was entered in error
    corrected_after = the_corrected(riverside, capsys)
    assert corrected_after["evidence_pack"] != corrected_before["evidence_pack"]
    assert corrected_after["cli"] == [
        ("IC02", "plan"),
        ("RK01", "decision:m0/mobility_outdoors"),
    ]
    ratio = corrected_after["measure"][0][1]
    assert (ratio.numerator, ratio.denominator) == (1, 1)

    # a run of the month's end saved with the corrections since changes the trends'
    # corrected view; the trends as recorded stay as they were
    cli(["audit", "--service", "riverside", "--as-of", MONTH_END.isoformat(), "--save"], capsys)
    assert audit_trends(service=riverside, as_of=MONTH_END, as_recorded=False).totals == (2,)
    trends = audit_trends(service=riverside, as_of=MONTH_END)
    assert (trends.months, trends.table, trends.totals) == before["trend_point"]


def test_the_records_as_recorded_at_the_end_of_a_uk_day(riverside: Service) -> None:
    # written at 23:30 UK summer time on 20 May (22:30 UTC): still 20 May in the UK
    at = dt.datetime(2026, 5, 20, 23, 30, tzinfo=UK)
    result = casefile_import(
        casefile=example_file("01-risk-and-independence.before.yaml"),
        service=riverside,
        actor=None,
        at=at,
    )
    sam = Person.objects.get(pk=result.person_pk)
    assert end_of_day(dt.date(2026, 5, 20)) == dt.datetime(2026, 5, 20, 23, tzinfo=dt.UTC)
    assert casefile_recorded(person=sam, at=end_of_day(dt.date(2026, 5, 19))) is None
    recorded = casefile_recorded(person=sam, at=end_of_day(dt.date(2026, 5, 20)))
    assert recorded is not None
    assert [r.id for r in recorded.risk_assessments] == ["ra0"]
    # in winter the UK day ends at midnight UTC
    assert end_of_day(dt.date(2026, 1, 15)) == dt.datetime(2026, 1, 16, tzinfo=dt.UTC)

    # entered in error later: still in the file as recorded before, gone after
    record_correct(person=sam, kind="risk_assessment", key="ra0", reason="Wrong file", actor=None)
    again = casefile_recorded(person=sam, at=end_of_day(dt.date(2026, 5, 20)))
    assert again == recorded
    now = casefile_recorded(person=sam, at=dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1))
    assert now is not None and now.risk_assessments == []


def test_reading_the_past_of_a_service_is_two_queries_however_many_people(
    riverside: Service,
) -> None:
    day = dt.date(2026, 5, 20)
    for n in range(6):
        text = json.dumps(example_data("01-risk-and-independence.before.yaml"), default=str)
        recorded_on(build(json.loads(text.replace('"sam"', f'"p{n}"'))), riverside, day)
    people = Person.objects.filter(service=riverside)
    with CaptureQueriesContext(connection) as queries:
        found = list(casefiles_recorded(people, at=end_of_day(day)))
    assert len(queries) == 2
    assert sorted(r.external_id for r in found) == [f"p{n}" for n in range(6)]
    with CaptureQueriesContext(connection) as queries:
        assert list(casefiles_recorded(people, at=end_of_day(dt.date(2026, 5, 19)))) == []
    assert len(queries) == 2


@pytest.fixture
def manager(riverside: Service, member: Callable[..., User]) -> Client:
    member("tom", riverside, StaffRole.TEAM_LEADER, first_name="Tom", last_name="Reid")
    client = Client()
    client.login(username="tom", password="pw-for-tests-only")
    return client


def test_pages_about_a_past_day_show_the_records_as_recorded_with_a_switch(
    riverside: Service, manager: Client
) -> None:
    sam = recorded_on(
        example_file("01-risk-and-independence.before.yaml"), riverside, dt.date(2026, 5, 20)
    )
    service_audit_recorded(service=riverside, as_of=MONTH_END)
    record_correct(person=sam, kind="risk_assessment", key="ra0", reason="Wrong file", actor=None)

    audit_url = f"/governance/services/{riverside.pk}/audit/"
    page = manager.get(f"{audit_url}?as_of={D}").content.decode()
    assert "As recorded on 25 May 2026" in page
    assert "RK02" in page  # the risk assessment was on the file that day
    assert f'href="{audit_url}?as_of={D}&amp;view=corrected"' in page
    corrected = manager.get(f"{audit_url}?as_of={D}&view=corrected").content.decode()
    assert "With the corrections made since" in corrected
    assert "RK02" not in corrected
    assert f'href="{audit_url}?as_of={D}"' in corrected
    today_page = manager.get(audit_url).content.decode()
    assert "As recorded on" not in today_page and "With the corrections" not in today_page

    findings_url = f"/people/{sam.pk}/findings/"
    findings = manager.get(f"{findings_url}?as_of={D}")
    assert findings.status_code == 200
    body = findings.content.decode()
    assert "As recorded on 25 May 2026" in body and 'data-rule="RK02"' in body
    body = manager.get(f"{findings_url}?as_of={D}&view=corrected").content.decode()
    assert "With the corrections made since" in body and 'data-rule="RK02"' not in body
    early = manager.get(f"{findings_url}?as_of=2026-05-19").content.decode()
    assert "Nothing had been recorded about Sam Okafor by the end of 19 May 2026" in early

    trends = manager.get(
        f"/governance/services/{riverside.pk}/trends/?as_of={MONTH_END}"
    ).content.decode()
    assert "As recorded on 31 May 2026" in trends
    assert '<td data-label="May 2026"><strong>3</strong></td>' in trends

    report_url = f"/services/{riverside.pk}/report/"
    report = manager.get(f"{report_url}?from=2026-05-01&to={MONTH_END}").content.decode()
    assert "As recorded on 31 May 2026" in report
    corrected_report = manager.get(
        f"{report_url}?from=2026-05-01&to={MONTH_END}&view=corrected"
    ).content.decode()
    assert "With the corrections made since" in corrected_report
