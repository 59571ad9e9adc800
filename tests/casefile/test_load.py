"""Reading, writing and publishing the case-file format."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from kinwise.casefile.load import casefile_to_data, dump_casefile, load_casefile, parse_casefile
from kinwise.casefile.schema import json_schema
from kinwise.cli import main

CASEFILES = Path(__file__).resolve().parents[2] / "src" / "kinwise" / "demo" / "casefiles"
EXAMPLES = sorted(CASEFILES.glob("*.yaml"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_dump_and_read_back_gives_the_same_case_file(path: Path, fmt: str) -> None:
    original = load_casefile(path)
    again = parse_casefile(dump_casefile(original, fmt=fmt))
    assert again == original


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_published_json_schema_accepts_every_example(path: Path) -> None:
    data = json.loads(dump_casefile(load_casefile(path), fmt="json"))
    jsonschema.Draft202012Validator(json_schema()).validate(data)


def test_published_json_schema_rejects_an_unknown_area() -> None:
    data = casefile_to_data(load_casefile(EXAMPLES[0]))
    data["plan"]["roles"][0]["area"] = "mobilty_outdoors"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(json_schema()).validate(data)


def test_explicit_empty_required_areas_survive_export() -> None:
    text = (
        "kinwise: 1\nperson: {id: sam, name: Sam, communication: {methods: [verbal]}}\n"
        "plan: {version_date: 2026-01-01, required_areas: []}\n"
    )
    casefile = parse_casefile(text)
    assert casefile.plan.required_areas == []
    assert casefile_to_data(casefile)["plan"] == {
        "version_date": "2026-01-01",
        "required_areas": [],
    }
    absent = parse_casefile(text.replace(", required_areas: []", ""))
    assert absent.plan.required_areas is None
    assert casefile_to_data(absent)["plan"] == {"version_date": "2026-01-01"}


def test_export_leaves_out_empty_optional_fields() -> None:
    data = casefile_to_data(load_casefile(CASEFILES / "02-vocal-relative.before.yaml"))
    assert data["person"] == {
        "id": "aisha",
        "name": "Aisha Rahman",
        "communication": {
            "methods": ["aac", "pictures"],
            "notes": "Uses an eye-gaze communication device; allow time; yes/no via eye blink.",
        },
    }
    assert "medication" not in data
    assert data["circle"][1] == {
        "id": "lena",
        "name": "Lena Novak",
        "kind": "staff",
        "informal_carer": False,
        "job": "support worker",
    }


def test_schema_command_prints_the_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["title"] == "Kinwise case file, format version 1"
    assert printed["required"] == ["kinwise", "person", "plan"]
    assert printed["additionalProperties"] is False


def test_schema_command_prints_each_versions_json_schema(
    capsys: pytest.CaptureFixture[str],
) -> None:
    published = (Path(__file__).parent / "casefile-v1.schema.json").read_text(encoding="utf-8")
    assert main(["schema", "--version", "1"]) == 0
    assert capsys.readouterr().out == published
    assert main(["schema", "--version", "2"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["title"] == "Kinwise case file, format version 2"
    assert {"family_views", "concerns", "role_changes", "carer_plans", "goals"} <= set(
        printed["properties"]
    )
    assert {"restrictions", "exported"} <= set(printed["properties"])
    with pytest.raises(SystemExit):
        main(["schema", "--version", "3"])
