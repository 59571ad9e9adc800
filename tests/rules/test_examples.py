"""The project's copies of the example case files give exactly their expected findings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kinwise.casefile.load import load_casefile
from kinwise.cli import main
from kinwise.rules.audit import audit_casefile, default_since

CASEFILES = Path(__file__).resolve().parents[2] / "src" / "kinwise" / "demo" / "casefiles"
EXAMPLES = sorted(CASEFILES.glob("*.yaml"))


def expected(path: Path) -> set[tuple[str, str]]:
    data = json.loads(path.with_name(path.stem + ".expected.json").read_text(encoding="utf-8"))
    assert data["case"] == path.name
    return {(f["rule"], f["subject"]) for f in data["findings"]}


def test_all_six_examples_are_present() -> None:
    assert [p.name for p in EXAMPLES] == [
        "01-risk-and-independence.before.yaml",
        "01-risk-and-independence.yaml",
        "02-vocal-relative.before.yaml",
        "02-vocal-relative.yaml",
        "03-historic-arrangement.before.yaml",
        "03-historic-arrangement.yaml",
    ]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_audit_casefile_gives_the_expected_findings(path: Path) -> None:
    cf = load_casefile(path)
    assert cf.as_of is not None
    audit = audit_casefile(cf, as_of=cf.as_of, since=default_since(cf.as_of))
    assert {(f.rule, f.subject) for f in audit.findings} == expected(path)
    assert audit.person == cf.person.id


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_cli_gives_the_expected_findings(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "--case", str(path)]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    [result] = json.loads(out)
    assert {(f["rule"], f["subject"]) for f in result["findings"]} == expected(path)
    cf = load_casefile(path)
    assert result["as_of"] == cf.as_of.isoformat()  # type: ignore[union-attr]


def test_cli_audits_all_examples_in_one_run(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "--case", *map(str, EXAMPLES)]) == 0
    results = json.loads(capsys.readouterr().out)
    assert [r["person"] for r in results] == ["sam", "sam", "aisha", "aisha", "daniel", "daniel"]
    assert [{(f["rule"], f["subject"]) for f in r["findings"]} for r in results] == [
        expected(p) for p in EXAMPLES
    ]


def test_example_json_shape_and_summary(capsys: pytest.CaptureFixture[str]) -> None:
    path = CASEFILES / "03-historic-arrangement.before.yaml"
    assert main(["audit", "--case", str(path)]) == 0
    [result] = json.loads(capsys.readouterr().out)
    assert list(result) == ["person", "as_of", "since", "rules_version", "findings", "summary"]
    assert result["person"] == "daniel"
    assert result["as_of"] == "2026-06-01"
    assert result["since"] == "2025-06-01"
    assert result["rules_version"] == 1  # a version-1 file: catalogue 1, as rules.md says
    assert result["summary"] == {"high": 2, "medium": 2, "low": 0}
    assert [(f["rule"], f["severity"]) for f in result["findings"]] == [
        ("PA01", "medium"),
        ("PA02", "high"),
        ("PA03", "high"),
        ("PA04", "medium"),
    ]
    for finding in result["findings"]:
        assert list(finding) == ["rule", "severity", "subject", "message", "evidence"]
        assert finding["message"].strip()
        assert "t-mark-meds" in finding["evidence"]
    pa02 = result["findings"][1]
    assert pa02["evidence"] == ["t-mark-meds", "e1"]


def test_messages_name_people_not_ids(capsys: pytest.CaptureFixture[str]) -> None:
    path = CASEFILES / "01-risk-and-independence.before.yaml"
    assert main(["audit", "--case", str(path)]) == 0
    [result] = json.loads(capsys.readouterr().out)
    rc02 = result["findings"][0]
    assert rc02["rule"] == "RC02"
    assert "Grace Okafor" in rc02["message"] and "Sam Okafor" in rc02["message"]
    assert "going out and getting about" in rc02["message"]
    assert "grace" not in rc02["message"] and "mobility_outdoors" not in rc02["message"]
