"""The evidence pages and the report command over stored records."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from fhir.resources.R4B.bundle import Bundle
from pypdf import PdfReader

from kinwise.accesslog.models import AccessLogEntry
from kinwise.cli import main
from kinwise.governance.services import audit_run_save
from kinwise.records.selectors import casefile_export
from kinwise.reports.fhir import person_bundle
from kinwise.reports.kept import reports_kept_clear
from kinwise.rules.audit import audit_casefile
from tests.querycount import ACCESS_LOG_QUERIES, split
from tests.reports.conftest import example
from tests.signin import signed_in_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> date:
    value = date(2026, 11, 30)
    monkeypatch.setattr("kinwise.clock.today", lambda: value)
    return value


def client_for(user: Any) -> Client:
    return signed_in_client(user)


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages))


def test_evidence_pack_page(riverside_world: dict[str, Any], today: date) -> None:
    daniel = riverside_world["people"]["daniel"]
    before = example("03-historic-arrangement.before")
    audit_run_save(
        audits=[audit_casefile(before, as_of=date(2026, 6, 1), since=date(2025, 6, 1))],
        as_of=date(2026, 6, 1),
        since=date(2025, 6, 1),
        service=riverside_world["service"],
    )
    response = client_for(riverside_world["manager"]).get(f"/people/{daniel.pk}/evidence/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Evidence pack: Daniel Hughes</h1>" in html
    assert '<figure class="kw-report-chart" role="group"' in html
    assert "Medication audits: error rate" in html
    # the trend comes from the saved audit run of 1 June: PA02 and PA03 (high), PA01 and
    # PA04 (medium)
    assert "1 June 2026: 2 high, 2 medium, 0 low" in html
    assert f'href="/people/{daniel.pk}/evidence.pdf"' in html


def test_evidence_pack_pdf(riverside_world: dict[str, Any], today: date) -> None:
    sam = riverside_world["people"]["sam"]
    response = client_for(riverside_world["manager"]).get(f"/people/{sam.pk}/evidence.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "Okafor" not in response["Content-Disposition"]
    assert response["Content-Disposition"] == (
        f'inline; filename="evidence-pack-person-{sam.pk}-2026-11-30.pdf"'
    )
    text = pdf_text(response.content)
    assert "Evidence pack: Sam Okafor" in text
    assert "Graded trial: Using a powered wheelchair outdoors" in text


QUERIES = 5


def test_evidence_as_a_fhir_bundle(riverside_world: dict[str, Any], today: date) -> None:
    sam = riverside_world["people"]["sam"]
    manager = riverside_world["manager"]
    client = client_for(manager)
    html = client.get(f"/people/{sam.pk}/evidence/").content.decode()
    assert f'href="/people/{sam.pk}/evidence.fhir.json"' in html
    before = AccessLogEntry.objects.count()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/people/{sam.pk}/evidence.fhir.json")
    assert response.status_code == 200
    # the session and the step-up, the person with the access decision, the records in
    # bulk, and the access log's own
    assert split(captured.captured_queries) == (QUERIES, ACCESS_LOG_QUERIES)
    # the same for a person with a longer file
    daniel = riverside_world["people"]["daniel"]
    with CaptureQueriesContext(connection) as captured:
        assert client.get(f"/people/{daniel.pk}/evidence.fhir.json").status_code == 200
    assert split(captured.captured_queries) == (QUERIES, ACCESS_LOG_QUERIES)
    assert response["Content-Type"] == "application/fhir+json; charset=utf-8"
    # named by the person's number, never by their name
    assert response["Content-Disposition"] == (
        f'attachment; filename="fhir-r4-bundle-person-{sam.pk}-2026-11-30.json"'
    )
    bundle = json.loads(response.content)
    # the Bundle the command line exports, judged at today's date
    assert bundle == person_bundle(casefile_export(person=sam), as_of=today)
    assert bundle["type"] == "collection"
    assert len(bundle["entry"]) == 16
    Bundle.model_validate(bundle)
    # one access-log entry each: the read of the person's records by this page
    assert [
        (e.page, e.person_pk, e.user_pk, e.purpose, e.allowed)
        for e in AccessLogEntry.objects.order_by("id")[before:]
    ] == [
        ("reports:person_evidence_fhir", person.pk, manager.pk, "read", True)
        for person in (sam, daniel)
    ]


def test_easy_read_page_and_pdf(riverside_world: dict[str, Any], today: date) -> None:
    sam = riverside_world["people"]["sam"]
    client = client_for(riverside_world["manager"])
    html = client.get(f"/people/{sam.pk}/easy-read/").content.decode()
    assert "Who decides what about my life" in html
    assert 'role="img" aria-label="A wheelchair going along a path"' in html
    response = client.get(f"/people/{sam.pk}/easy-read.pdf")
    assert len(PdfReader(io.BytesIO(response.content)).pages) == 1


def test_pages_of_another_organisation_are_not_found(
    riverside_world: dict[str, Any], today: date
) -> None:
    client = client_for(riverside_world["outsider"])
    sam = riverside_world["people"]["sam"]
    service = riverside_world["service"]
    for url in (
        f"/people/{sam.pk}/evidence/",
        f"/people/{sam.pk}/evidence.pdf",
        f"/people/{sam.pk}/evidence.fhir.json",
        f"/people/{sam.pk}/easy-read/",
        f"/services/{service.pk}/report/",
        f"/services/{service.pk}/report.csv",
        f"/services/{service.pk}/inspection/",
    ):
        assert client.get(url).status_code == 404, url
    assert Client().get(f"/people/{sam.pk}/evidence/").status_code == 302  # to the login


def test_service_report_page_csv_and_pdf(riverside_world: dict[str, Any], today: date) -> None:
    service = riverside_world["service"]
    client = client_for(riverside_world["manager"])
    query = "?from=2026-01-01&to=2026-11-30"
    html = client.get(f"/services/{service.pk}/report/{query}").content.decode()
    assert "Co-production measures for commissioners" in html
    assert "People supported: 2." in html
    for name in ("Sam", "Okafor", "Daniel", "Hughes", "Grace", "Mark", "Priya", "1995-04-12"):
        assert not re.search(rf"\b{name}\b", html.split("<main", 1)[1]), "identifier in report"
    rows = list(
        csv.reader(
            io.StringIO(client.get(f"/services/{service.pk}/report.csv{query}").content.decode())
        )
    )
    where = ["Riverside Supported Living", "2026-01-01", "2026-11-30"]
    assert rows[0] == [
        "service",
        "period_from",
        "period_to",
        "measure",
        "month",
        "numerator",
        "denominator",
        "percent",
    ]
    assert [*where, "medication_error_rate", "all", "13", "336", "3.9"] in rows
    assert all(row[:3] == where for row in rows[1:])
    csv_response = client.get(f"/services/{service.pk}/report.csv{query}")
    assert csv_response["Content-Disposition"] == (
        'attachment; filename="co-production-measures-riverside-supported-living-'
        '2026-01-01-to-2026-11-30.csv"'
    )
    pdf = client.get(f"/services/{service.pk}/report.pdf{query}")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == (
        'inline; filename="co-production-measures-riverside-supported-living-'
        '2026-01-01-to-2026-11-30.pdf"'
    )
    assert "Meeting voice balance" in pdf_text(pdf.content)


def test_service_report_keeps_bad_dates_and_says_what_is_wrong(
    riverside_world: dict[str, Any], today: date
) -> None:
    service = riverside_world["service"]
    client = client_for(riverside_world["manager"])
    response = client.get(f"/services/{service.pk}/report/?from=2026-13-01&to=2026-11-30")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter the start of the period as year-month-day, for example 2026-03-31" in html
    assert 'value="2026-13-01"' in html
    reversed_period = client.get(f"/services/{service.pk}/report/?from=2026-12-01&to=2026-11-30")
    assert (
        "The start of the period must be on or before its end" in reversed_period.content.decode()
    )
    # without dates: the 365 days to today
    default = client.get(f"/services/{service.pk}/report/").content.decode()
    assert "Period: 30 November 2025 to 30 November 2026." in default


@pytest.mark.parametrize("page", ["report/", "report.pdf", "report.csv", "inspection/"])
def test_report_periods_are_capped_at_ten_years(
    riverside_world: dict[str, Any], today: date, page: str
) -> None:
    service = riverside_world["service"]
    client = client_for(riverside_world["manager"])
    ten_years = client.get(f"/services/{service.pk}/{page}?from=2016-11-30&to=2026-11-30")
    assert ten_years.status_code == 200
    for query in ("from=2016-11-29&to=2026-11-30", "from=1900-01-01"):
        response = client.get(f"/services/{service.pk}/{page}?{query}")
        assert response.status_code == 400, query
        html = response.content.decode()
        assert "The period can be at most 10 years long: start it on or after " in html
    # a year before 1900 is not a date the pages take at all
    response = client.get(f"/services/{service.pk}/{page}?from=0001-01-01")
    assert response.status_code == 400
    assert "Enter the start of the period as year-month-day" in response.content.decode()
    leap = client.get(f"/services/{service.pk}/{page}?from=2018-02-28&to=2028-02-29")
    assert "start it on or after 2018-03-01" in leap.content.decode()


def test_inspector_view(riverside_world: dict[str, Any], today: date) -> None:
    service = riverside_world["service"]
    sam = riverside_world["people"]["sam"]
    html = (
        client_for(riverside_world["manager"])
        .get(f"/services/{service.pk}/inspection/?from=2026-01-01&to=2026-11-30")
        .content.decode()
    )
    for statement in (
        "Consent to care and treatment",
        "Independence, choice and control",
        "Involving people to manage risks",
        "Person-centred care",
        "Partnerships and communities",
        "Medicines optimisation",
        "Safeguarding",
        "Governance, management and sustainability",
    ):
        assert f">{statement}</h2>" in html, statement
    assert "RK01: Disagreements are settled with a rationale and evidence" in html
    assert f'href="/people/{sam.pk}/evidence/"' in html


def test_service_pages_read_a_fixed_number_of_queries(
    riverside_world: dict[str, Any], today: date, django_assert_max_num_queries: Any
) -> None:
    service = riverside_world["service"]
    client = client_for(riverside_world["manager"])
    client.get(f"/services/{service.pk}/report.csv?from=2026-01-01&to=2026-11-30")
    # each measured request builds the report (a kept one is read from the process)
    reports_kept_clear()
    with django_assert_max_num_queries(40) as two_people:
        client.get(f"/services/{service.pk}/report.csv?from=2026-01-01&to=2026-11-30")
    from kinwise.records.services import casefile_import

    casefile_import(casefile=example("02-vocal-relative"), service=service, actor=None)
    reports_kept_clear()
    with django_assert_max_num_queries(len(two_people.captured_queries)):
        client.get(f"/services/{service.pk}/report.csv?from=2026-01-01&to=2026-11-30")


# --- the command line -----------------------------------------------------------------------------


def test_report_person_pdf_and_html(
    riverside_world: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # the records were imported today: about a past day, the view with the corrections
    # since shows them (as recorded, nothing had been written by then)
    out = tmp_path / "pack.pdf"
    pdf_args = ["--as-of", "2026-11-30", "--corrected", "--pdf", str(out)]
    assert main(["report", "person", "daniel", *pdf_args]) == 0
    text = pdf_text(out.read_bytes())
    assert "Evidence pack: Daniel Hughes" in text
    assert "Medication audits" in text
    assert capsys.readouterr().out == ""
    assert main(["report", "person", "sam", "--as-of", "2026-11-30", "--corrected"]) == 0
    assert "<h1>Evidence pack: Sam Okafor</h1>" in capsys.readouterr().out


def test_report_service_formats(
    riverside_world: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["report", "service", "riverside", "--from", "2026-01-01", "--to", "2026-11-30"]
    args.append("--corrected")  # imported today: the corrected view of a past period
    assert main([*args, "--format", "csv"]) == 0
    assert (
        "Riverside Supported Living,2026-01-01,2026-11-30,medication_error_rate,all,13,336,3.9"
        in capsys.readouterr().out.splitlines()
    )
    out = tmp_path / "report.pdf"
    assert main([*args, "--format", "pdf", "--out", str(out)]) == 0
    assert "Co-production measures for commissioners" in pdf_text(out.read_bytes())
    assert main([*args, "--format", "html"]) == 0
    assert "Riverside Supported Living" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["report", "service", "nowhere", "--from", "2026-01-01", "--to", "2026-02-01"],
            "no service with id 'nowhere'",
        ),
        (
            ["report", "service", "riverside", "--from", "2026-03-01", "--to", "2026-02-01"],
            "the period cannot start (2026-03-01) after it ends (2026-02-01)",
        ),
        (
            ["report", "service", "riverside", "--from", "2026-02-30", "--to", "2026-03-01"],
            "Enter the --from date as year-month-day, for example 2026-03-31",
        ),
        (
            [
                "report",
                "service",
                "riverside",
                "--from",
                "2026-01-01",
                "--to",
                "2026-03-01",
                "--format",
                "pdf",
            ],
            "a PDF report needs --out FILE",
        ),
        (["report", "person", "nobody"], "no person with id 'nobody'"),
        (
            ["report", "service", "riverside", "--from", "2016-11-29", "--to", "2026-11-30"],
            "--from: the period can be at most 10 years long: start it on or after 2016-11-30",
        ),
    ],
)
def test_report_usage_errors(
    riverside_world: dict[str, Any],
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    message: str,
) -> None:
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"kinwise: {message}\n"


def test_export_fhir(riverside_world: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "sam", "--format", "fhir"]) == 0
    bundle = json.loads(capsys.readouterr().out)
    model = Bundle.model_validate(bundle)
    assert model.type == "collection"
    assert [e["resource"]["resourceType"] for e in bundle["entry"]][:2] == [
        "Patient",
        "RelatedPerson",
    ]


def test_inspector_view_as_a_pdf(riverside_world: dict[str, Any], today: date) -> None:
    service = riverside_world["service"]
    client = client_for(riverside_world["manager"])
    query = "?from=2026-01-01&to=2026-11-30"
    page = client.get(f"/services/{service.pk}/inspection/{query}").content.decode()
    assert f'href="/services/{service.pk}/inspection.pdf?from=2026-01-01&amp;to=2026-11-30"' in page
    pdf = client.get(f"/services/{service.pk}/inspection.pdf{query}")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == (
        'inline; filename="cqc-evidence-riverside-supported-living-2026-01-01-to-2026-11-30.pdf"'
    )
    text = pdf_text(pdf.content)
    for words in (
        "Evidence by CQC quality statement",
        "Consent to care and treatment",
        "Medicines optimisation",
        "The people supported",
        "Daniel Hughes",
    ):
        assert words in text, words
    bad = client.get(f"/services/{service.pk}/inspection.pdf?from=2026-13-01")
    assert bad.status_code == 400
    assert (
        client_for(riverside_world["outsider"])
        .get(f"/services/{service.pk}/inspection.pdf{query}")
        .status_code
        == 404
    )


def test_person_downloads_are_named_by_person_and_day(
    riverside_world: dict[str, Any], today: date
) -> None:
    daniel = riverside_world["people"]["daniel"]
    client = client_for(riverside_world["manager"])
    easy = client.get(f"/people/{daniel.pk}/easy-read.pdf")
    assert easy["Content-Disposition"] == (
        f'inline; filename="who-decides-person-{daniel.pk}-2026-11-30.pdf"'
    )
