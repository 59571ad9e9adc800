"""The evidence documents: charts with text alternatives, PDFs with their sections, the
easy-read page, and a commissioner's report that carries no name or date of birth."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from pypdf import PdfReader

from kinwise.casefile.schema import CaseFile
from kinwise.reports.charts import FindingsPoint, findings_trend_chart, trial_chart
from kinwise.reports.easyread import PICTOGRAMS, easy_read
from kinwise.reports.measures import Period
from kinwise.reports.pack import handovers, person_pack
from kinwise.reports.pdf import html_to_pdf
from kinwise.reports.service import (
    STATEMENTS,
    ServiceReport,
    inspection,
    report_csv,
    service_report,
)
from kinwise.reports.views import (
    easy_read_document,
    person_pack_document,
    service_report_document,
)
from tests.reports.conftest import example
from tests.reports.test_measures import riley

AS_OF = date(2026, 11, 30)
SINCE = date(2025, 11, 30)
PERIOD = Period(date(2026, 1, 1), date(2026, 11, 30))


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


# --- charts -------------------------------------------------------------------------------


def test_trial_chart_has_title_description_and_text(sam: CaseFile) -> None:
    chart = trial_chart(
        sam.graded_trials[0], activity="Going out in the chair", incidents=sam.incidents
    )
    assert chart.svg.startswith(
        '<svg role="img" aria-labelledby="chart-trial-gt1-title chart-trial-gt1-desc"'
    )
    assert (
        '<title id="chart-trial-gt1-title">Graded trial: Going out in the chair</title>'
        in chart.svg
    )
    assert chart.description == (
        "12 sessions from 15 June 2026 to 7 September 2026; 12 completed and 0 stopped; "
        "stage 3 of 3 reached; incidents on 13 July 2026 (low severity)."
    )
    assert f'<desc id="chart-trial-gt1-desc">{chart.description}</desc>' in chart.svg
    assert "<text" in chart.svg  # svg.fonttype none: labels stay text
    # the same data gives the same SVG
    again = trial_chart(
        sam.graded_trials[0], activity="Going out in the chair", incidents=sam.incidents
    )
    assert again.svg == chart.svg


def test_findings_trend_chart_describes_each_run() -> None:
    chart = findings_trend_chart(
        [FindingsPoint(date(2026, 5, 1), 3, 1, 0), FindingsPoint(date(2026, 11, 1), 0, 0, 1)]
    )
    assert chart.description == (
        "Findings in each saved audit run: 1 May 2026: 3 high, 1 medium, 0 low; "
        "1 November 2026: 0 high, 0 medium, 1 low."
    )


def test_handover_is_the_day_the_task_changed_hands(daniel: CaseFile) -> None:
    found = handovers(daniel, as_of=AS_OF)
    assert [(h.date, h.label) for h in found] == [
        (date(2026, 7, 1), "Giving medication passed from Mark Hughes to Owen Price")
    ]
    assert handovers(daniel, as_of=date(2026, 6, 30)) == []


# --- the person's evidence pack --------------------------------------------------------------


@pytest.fixture(scope="module")
def daniel_pdf() -> str:
    pack = person_pack(
        example("03-historic-arrangement"),
        as_of=AS_OF,
        since=SINCE,
        findings_points=[
            FindingsPoint(date(2026, 6, 1), 3, 1, 0),
            FindingsPoint(date(2026, 11, 30), 0, 0, 0),
        ],
    )
    return flat(pdf_text(html_to_pdf(person_pack_document(pack))))


def test_evidence_pack_pdf_has_every_section(daniel_pdf: str) -> None:
    for section in (
        "Evidence pack: Daniel Hughes",
        "Who decides what",
        "Voice, decisions and outcomes",
        "Risk decisions and their evidence",
        "Graded trials",
        "Medication audits",
        "Findings",
    ):
        assert section in daniel_pdf, section


def test_evidence_pack_pdf_shows_the_medication_evidence(daniel_pdf: str) -> None:
    for rate in ("12.5%", "8.9%", "0.9%", "0.0%"):
        assert rate in daniel_pdf
    assert "Giving medication passed from Mark Hughes to Owen Price on 1 July 2026" in daniel_pdf
    # voice -> decision -> outcome, dated
    assert "18 June 2026, speech (in Daniel Hughes's own words)" in daniel_pdf
    assert "Outcome: Medication moves to trained staff from 1 July" in daniel_pdf
    assert "No findings: every audit rule is met at 30 November 2026." in daniel_pdf
    assert "Audit findings over time" in daniel_pdf


def test_evidence_pack_lists_current_findings_and_trial_charts() -> None:
    before = person_pack(
        example("01-risk-and-independence.before"), as_of=date(2026, 5, 20), since=SINCE
    )
    assert [f.rule for f in before.findings] == ["RC02", "RK01", "RK02"]
    html = person_pack_document(before)
    assert "RC02 (high):" in html
    assert "No audit runs have been saved for Sam Okafor yet" in html
    after = person_pack(example("01-risk-and-independence"), as_of=AS_OF, since=SINCE)
    assert [c.key for c in after.charts] == ["trial-gt1"]
    html = person_pack_document(after)
    assert 'role="group" aria-labelledby="chart-trial-gt1-title-caption"' in html
    assert "Assessed jointly by Sam Okafor, Grace Okafor and Priya Shah" in html


# --- easy read ------------------------------------------------------------------------------------


def test_easy_read_sentences_lead_with_the_person(sam: CaseFile) -> None:
    boxes = easy_read(sam)
    assert [(b.heading, b.sentences) for b in boxes][:2] == [
        ("My medicine", ["I decide.", "Priya Shah helps me decide."]),
        (
            "My health",
            ["I decide.", "Grace Okafor can give ideas.", "Grace Okafor is told about it."],
        ),
    ]
    assert all(f"<title>{b.picture_alt}</title>" in b.picture for b in boxes)
    assert all(b.picture_alt for b in boxes)


def test_easy_read_when_someone_else_decides_or_nobody_does() -> None:
    boxes = {b.area: b for b in easy_read(riley())}
    assert boxes["daily_living"].sentences == ["Jo Testperson decides."]
    assert boxes["relationships"].sentences == ["Kim Friendly decides."]
    assert boxes["medication"].sentences == ["I decide."]
    assert set(PICTOGRAMS) >= set(boxes)


def test_easy_read_pdf_is_one_page(sam: CaseFile) -> None:
    pdf = html_to_pdf(easy_read_document(sam))
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = flat(pdf_text(pdf))
    assert "Who decides what about my life" in text
    assert "Going out I decide. Priya Shah helps me decide." in text
    assert "Grace Okafor is there for me as family." in text


# --- the commissioners' report ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def report() -> ServiceReport:
    people = [riley(), example("01-risk-and-independence"), example("03-historic-arrangement")]
    return service_report(people, period=PERIOD, service_name="Riverside Supported Living")


def identifying_strings() -> list[str]:
    """Every name (whole and each part), id and date of birth of everyone in the case files."""
    found: set[str] = set()
    for cf in (riley(), example("01-risk-and-independence"), example("03-historic-arrangement")):
        people = [(cf.person.id, cf.person.name)] + [(m.id, m.name) for m in cf.circle]
        for ident, name in people:
            found.update({name, ident, *name.split()})
        dob = cf.person.date_of_birth
        if dob is not None:
            found.update(
                {
                    dob.isoformat(),
                    f"{dob.day} {dob.strftime('%B')} {dob.year}",
                    dob.strftime("%d/%m/%Y"),
                }
            )
    return sorted(found)


def assert_no_identifiers(text: str) -> None:
    leaked = [s for s in identifying_strings() if re.search(rf"\b{re.escape(s)}\b", text)]
    assert not leaked, f"{len(leaked)} identifying strings found"


def test_identifying_strings_cover_names_ids_and_dates_of_birth() -> None:
    strings = identifying_strings()
    assert {"Sam Okafor", "Okafor", "sam", "1995-04-12", "12 April 1995", "3 February 1990"} <= set(
        strings
    )


def test_commissioner_report_html_pdf_and_csv_carry_no_names_or_dates_of_birth(
    report: ServiceReport,
) -> None:
    html = service_report_document(report)
    assert "Medication error rate" in html  # the scan reads a real report
    assert_no_identifiers(html)
    pdf = flat(pdf_text(html_to_pdf(html)))
    assert "Co-production measures for commissioners" in pdf
    assert "Meeting voice balance" in pdf
    assert "Monthly trends" in pdf
    assert_no_identifiers(pdf)
    assert_no_identifiers(report_csv(report))


def test_the_scan_would_catch_a_name() -> None:
    with pytest.raises(AssertionError):
        assert_no_identifiers("Reviewed with Grace last week")


def test_commissioner_csv_rows(report: ServiceReport) -> None:
    lines = [line.split(",", 3)[3] for line in report_csv(report).splitlines()]
    assert report_csv(report).splitlines()[0] == (
        "service,period_from,period_to,measure,month,numerator,denominator,percent"
    )
    assert lines[0] == "measure,month,numerator,denominator,percent"
    # Riley's 2/40, 1/60 and 5/50 with Daniel's 7/56, 5/56, 1/112 and 0/112
    assert "medication_error_rate,all,21,486,4.3" in lines
    assert "medication_error_rate,2026-04,7,56,12.5" in lines
    assert "medication_error_rate,2026-02,0,0," in lines
    assert "decision_makers_valid,all,2,3,66.7" in lines
    assert "incidents_followed_up,all,1,3,33.3" in lines
    assert "incidents_followed_up_due,all,0,," in lines
    assert "safeguarding_reviewed,all,1,3,33.3" in lines
    assert "review_direct_voice,all,3,4,75.0" in lines
    assert "voice_balance_on_behalf,all,2,13,15.4" in lines
    assert "voice_balance_person,all,4,13,30.8" in lines


def test_inspector_view_covers_the_quality_statements(report: ServiceReport) -> None:
    people = [
        (1, riley()),
        (2, example("01-risk-and-independence")),
        (3, example("03-historic-arrangement")),
    ]
    statements = inspection(people, as_of=PERIOD.end, since=PERIOD.start, report=report)
    assert [s.statement for s in statements] == list(STATEMENTS)
    assert len(STATEMENTS) == 9  # the eight of version 1 and "Learning culture" (concerns)
    by_name = {s.statement: s for s in statements}
    consent = by_name["Consent to care and treatment"]
    rc02 = next(r for r in consent.rules if r.id == "RC02")
    assert [(f.person, f.subject, f.link) for f in rc02.findings] == [
        ("Riley Testperson", "role:daily_living", "/people/1/#role-daily_living")
    ]
    assert [m.measure.key for m in by_name["Medicines optimisation"].measures] == [
        "medication_error_rate"
    ]
    assert all(s.rules for s in statements)
