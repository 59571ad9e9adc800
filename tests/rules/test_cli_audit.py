"""`kinwise audit`: exit codes, stdout only on success, dates, formats."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from kinwise.cli import main
from kinwise.commands import audit as audit_command
from kinwise.rules.audit import audit_casefile, default_since
from kinwise.rules.facts import casefile_documents
from tests.rules.helpers import base, load, role

EXAMPLES = Path(__file__).resolve().parents[2] / "src" / "kinwise" / "demo" / "casefiles"
BEFORE = EXAMPLES / "03-historic-arrangement.before.yaml"  # as_of 2026-06-01


def write(tmp_path: Path, name: str, data: dict[str, Any]) -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def audit(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["audit", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_as_of_option_overrides_the_file(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = audit(["--case", str(BEFORE), "--as-of", "2026-03-01"], capsys)
    assert (code, err) == (0, "")
    [result] = json.loads(out)
    assert (result["as_of"], result["since"]) == ("2026-03-01", "2025-03-01")
    # Before the diagnosis of 10 March 2026 the regimen is simple and nothing has changed.
    assert {(f["rule"], f["subject"]) for f in result["findings"]} == {
        ("PA01", "task:t-mark-meds"),
        ("PA04", "task:t-mark-meds"),
    }


def test_since_option_sets_the_period(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = audit(
        ["--case", str(EXAMPLES / "02-vocal-relative.before.yaml"), "--since", "2026-04-15"], capsys
    )
    assert code == 0
    [result] = json.loads(out)
    assert result["since"] == "2026-04-15"
    # The meeting of 14 April and the voice record of January fall before the period.
    assert {(f["rule"], f["subject"]) for f in result["findings"]} == {
        ("IC01", "role:health_treatment/informed:imran")
    }


def test_without_any_as_of_today_is_used(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(audit_command, "_today", lambda: date(2027, 1, 2))
    path = write(tmp_path, "no-date.yaml", base())
    code, out, _ = audit(["--case", str(path)], capsys)
    assert code == 0
    [result] = json.loads(out)
    assert (result["as_of"], result["since"]) == ("2027-01-02", "2026-01-02")


def test_since_after_as_of_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = audit(["--case", str(BEFORE), "--since", "2026-06-02"], capsys)
    assert (code, out) == (2, "")
    assert "2026-06-02" in err and "usage" not in out


def test_since_equal_to_as_of_is_fine(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = audit(["--case", str(BEFORE), "--since", "2026-06-01"], capsys)
    assert code == 0
    assert json.loads(out)[0]["since"] == "2026-06-01"


@pytest.mark.parametrize("bad", ["2026-02-30", "01/06/2026", "2026-6-1", "2026-06-01T00:00"])
def test_bad_dates_are_usage_errors(bad: str, capsys: pytest.CaptureFixture[str]) -> None:
    for option in ("--as-of", "--since"):
        code, out, err = audit(["--case", str(BEFORE), option, bad], capsys)
        assert (code, out) == (2, "")
        assert option in err


def test_an_invalid_file_prints_nothing_on_stdout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = base()
    role(data, "medication").update(decides="nobody")
    bad = write(tmp_path, "bad.yaml", data)
    code, out, err = audit(["--case", str(BEFORE), str(bad)], capsys)
    assert (code, out) == (2, "")
    assert "plan.roles[0].decides" in err and "bad.yaml" in err


def test_a_missing_file_prints_nothing_on_stdout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = audit(["--case", str(BEFORE), str(tmp_path / "absent.yaml")], capsys)
    assert (code, out) == (2, "")
    assert "absent.yaml" in err


def test_every_invalid_file_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    one = write(tmp_path, "one.yaml", {"kinwise": 1})
    two = tmp_path / "two.yaml"
    two.write_text("kinwise: [", encoding="utf-8")
    code, out, err = audit(["--case", str(one), str(two)], capsys)
    assert (code, out) == (2, "")
    assert "one.yaml" in err and "two.yaml" in err


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--case", str(BEFORE), "--save"],
        ["--case", str(BEFORE), "--person", "daniel"],
        ["--case", str(BEFORE), "--organisation", "x"],
        ["--case", str(BEFORE), "--format", "xml"],
    ],
)
def test_usage_errors_exit_2_with_nothing_on_stdout(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    try:
        code = main(["audit", *argv])
    except SystemExit as exc:  # argparse's own usage errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert err


def test_text_format_groups_by_person_and_severity(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = audit(
        ["--case", str(BEFORE), str(EXAMPLES / "03-historic-arrangement.yaml"), "--format", "text"],
        capsys,
    )
    assert (code, err) == (0, "")
    first, second = out.split("\nDaniel Hughes (daniel)")
    assert first.startswith(
        "Daniel Hughes (daniel): audit as of 2026-06-01, period 2025-06-01 to 2026-06-01\n"
        "  2 high, 2 medium, 0 low\n"
    )
    assert first.index("HIGH (2)") < first.index("PA02") < first.index("PA03")
    assert (
        first.index("PA03") < first.index("MEDIUM (2)") < first.index("PA01") < first.index("PA04")
    )
    assert "LOW" not in first
    assert "Mark Hughes" in first
    assert second.startswith(": audit as of 2026-11-30") and "No findings." in second


@pytest.mark.django_db
def test_stored_records_are_audited_through_the_selector(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from kinwise.records import selectors

    calls: list[dict[str, Any]] = []
    cf = load(base())

    def fake(*, each: Any, **kwargs: Any) -> list[Any]:
        calls.append(kwargs)
        return [each(casefile_documents(cf))]

    # the audit alone reads the stored documents, without building the records
    monkeypatch.setattr(selectors, "documents_map", fake)
    code, out, err = audit(["--service", "svc", "--as-of", "2026-06-01"], capsys)
    assert (code, err) == (0, "")
    assert calls == [{"service": "svc", "person": None, "organisation": None, "recorded_at": None}]
    expected = audit_casefile(cf, as_of=date(2026, 6, 1), since=default_since(date(2026, 6, 1)))
    assert json.loads(out) == [expected.to_json()]


def test_stored_since_after_as_of_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = audit(
        ["--person", "p", "--as-of", "2026-06-01", "--since", "2026-06-02"], capsys
    )
    assert (code, out) == (2, "")
    assert err


@pytest.mark.django_db
def test_stored_records_audit_like_their_files_and_save_a_run(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from kinwise.casefile.load import load_casefile
    from kinwise.core.models import Organisation, Service
    from kinwise.governance.models import AuditRun
    from kinwise.records.services.casefiles import casefile_import

    organisation = Organisation.objects.create(slug="acme", name="Acme Care")
    riverside = Service.objects.create(
        organisation=organisation, external_id="riverside", name="Riverside Supported Living"
    )
    files = [EXAMPLES / "01-risk-and-independence.before.yaml", BEFORE]
    for path in files:
        casefile_import(casefile=load_casefile(path), service=riverside, actor=None)

    code, out, err = audit(
        ["--service", "riverside", "--as-of", "2026-06-01", "--since", "2025-12-01", "--save"],
        capsys,
    )
    assert (code, err) == (0, "")
    stored = json.loads(out)
    code, out, _ = audit(
        ["--case", *map(str, files), "--as-of", "2026-06-01", "--since", "2025-12-01"], capsys
    )
    from_files = sorted(json.loads(out), key=lambda a: a["person"])
    assert sorted(stored, key=lambda a: a["person"]) == from_files
    assert {a["person"] for a in stored} == {"sam", "daniel"}
    [saved] = AuditRun.objects.all()
    assert (saved.as_of, saved.since) == (date(2026, 6, 1), date(2025, 12, 1))
    assert (saved.service, saved.person) == (riverside, None)
    assert sorted(saved.findings, key=lambda a: a["person"]) == from_files

    code, out, err = audit(["--person", "daniel", "--as-of", "2026-06-01"], capsys)
    assert code == 0
    [daniel] = json.loads(out)
    assert {f["subject"] for f in daniel["findings"]} == {"task:t-mark-meds"}
    assert AuditRun.objects.count() == 1

    code, out, err = audit(["--person", "daniel", "--as-of", "2026-06-01", "--save"], capsys)
    assert (code, err) == (0, "")
    person_run = AuditRun.objects.latest("id")
    assert (person_run.service, person_run.person.external_id) == (riverside, "daniel")
    assert [a["person"] for a in person_run.findings] == ["daniel"]


@pytest.mark.django_db
def test_an_unknown_stored_person_is_an_error_with_nothing_on_stdout(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = audit(["--person", "nobody", "--as-of", "2026-06-01"], capsys)
    assert (code, out) == (2, "")
    assert "nobody" in err
