"""Every command that takes a person takes a case-file id (with --service when it repeats
across services) or ``#12``, the number the web shows in the person's address; every
report command writes to ``--out FILE`` (stdout without it; a PDF needs it)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kinwise.casefile.load import load_casefile
from kinwise.cli import main
from kinwise.core.services import organisation_ensure, service_ensure
from kinwise.records.models import Person
from kinwise.records.services import casefile_import

CASEFILES = Path(__file__).resolve().parents[2] / "src" / "kinwise" / "demo" / "casefiles"


@pytest.fixture
def two_sams(db: None) -> tuple[Person, Person]:
    """Sam at Riverside and another Sam (the same case-file id) at Oakfield."""
    organisation = organisation_ensure(slug="acme", name="Acme Care")
    found = []
    for service_id in ("riverside", "oakfield"):
        service = service_ensure(organisation=organisation, external_id=service_id, name=service_id)
        result = casefile_import(
            casefile=load_casefile(CASEFILES / "01-risk-and-independence.yaml"),
            service=service,
            actor=None,
            source="import",
        )
        found.append(Person.objects.get(pk=result.person_pk))
    return found[0], found[1]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_a_repeated_id_asks_for_the_service_or_the_number(
    two_sams: tuple[Person, Person], capsys: pytest.CaptureFixture[str]
) -> None:
    riverside, oakfield = two_sams
    code, out, err = run(capsys, "export", "sam")
    assert (code, out) == (2, "")
    assert err == (
        "kinwise: more than one person has the id 'sam': name the service with --service or "
        f"the person by the number the web shows (#{riverside.pk} or #{oakfield.pk})\n"
    )
    by_service = run(capsys, "export", "sam", "--service", "oakfield")
    by_number = run(capsys, "export", f"#{oakfield.pk}")
    assert by_service[0] == by_number[0] == 0
    assert by_service[1] == by_number[1]
    assert "service:\n  id: oakfield" in by_number[1]


@pytest.mark.parametrize(
    "argv",
    [
        ("export", "{number}"),
        ("audit", "--person", "{number}"),
        ("report", "person", "{number}"),
        ("access-log", "show", "--person", "{number}"),
    ],
)
def test_every_command_that_takes_a_person_takes_the_web_number(
    two_sams: tuple[Person, Person], capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]
) -> None:
    _, oakfield = two_sams
    code, out, err = run(capsys, *(a.format(number=f"#{oakfield.pk}") for a in argv))
    assert (code, err) == (0, "")
    assert out
    code, out, err = run(capsys, *(a.format(number="#999999") for a in argv))
    assert (code, out) == (2, "")
    assert err == "kinwise: no person numbered #999999\n"


def test_audit_by_number_names_the_person_by_their_id(
    two_sams: tuple[Person, Person], capsys: pytest.CaptureFixture[str]
) -> None:
    riverside, _ = two_sams
    code, out, _ = run(capsys, "audit", "--person", f"#{riverside.pk}", "--as-of", "2026-11-30")
    assert code == 0
    [audit] = json.loads(out)
    assert (audit["person"], audit["as_of"]) == ("sam", "2026-11-30")


def test_sar_takes_the_web_number(
    two_sams: tuple[Person, Person], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    riverside, _ = two_sams
    code, _, err = run(capsys, "sar", f"#{riverside.pk}", "--out", str(tmp_path / "sar"))
    assert (code, err) == (0, "")
    assert sorted(p.suffix for p in (tmp_path / "sar").iterdir()) == [".json", ".pdf"]


def test_reports_and_exports_write_to_out(
    two_sams: tuple[Person, Person], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    riverside, _ = two_sams
    number = f"#{riverside.pk}"
    html = tmp_path / "pack.html"
    # imported today: a past day is read with the corrections since (nothing was recorded
    # by the end of it)
    past = ("--as-of", "2026-11-30", "--corrected")
    assert run(capsys, "report", "person", number, *past, "--out", str(html)) == (0, "", "")
    stdout = run(capsys, "report", "person", number, *past)[1]
    assert html.read_text(encoding="utf-8") == stdout
    pdf = tmp_path / "pack.pdf"
    argv = ("report", "person", number, *past, "--format", "pdf")
    assert run(capsys, *argv, "--out", str(pdf)) == (0, "", "")
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert run(capsys, *argv) == (2, "", "kinwise: a PDF report needs --out FILE\n")
    # the former --pdf FILE is --format pdf --out FILE
    old = tmp_path / "old.pdf"
    assert run(capsys, "report", "person", number, "--pdf", str(old)) == (0, "", "")
    assert old.read_bytes().startswith(b"%PDF-")
    exported = tmp_path / "sam.yaml"
    assert run(capsys, "export", number, "--out", str(exported)) == (0, "", "")
    assert exported.read_text(encoding="utf-8") == run(capsys, "export", number)[1]
    service = ("report", "service", "riverside", "--from", "2026-01-01", "--to", "2026-06-30")
    csv = tmp_path / "report.csv"
    assert run(capsys, *service, "--format", "csv", "--out", str(csv)) == (0, "", "")
    assert csv.read_text(encoding="utf-8").splitlines()[0].startswith("service")
