"""The worked examples of format version 2 and catalogue 2 (docs/spec/examples/): each
gives exactly its expected findings, from the file (`kinwise audit --case`) and from the
database after `kinwise import` (`kinwise audit --person`), with rules_version 2; an
export of the imported person is version 2 and imports back unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kinwise.casefile.load import casefile_to_data, load_casefile, validate_data
from kinwise.cli import main
from kinwise.records.models import Person
from kinwise.records.selectors import casefile_export

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "spec" / "examples"
FILES = sorted(EXAMPLES.glob("*.yaml"))


def expected(path: Path) -> list[tuple[str, str]]:
    data = json.loads(path.with_name(path.stem + ".expected.json").read_text(encoding="utf-8"))
    assert data["case"] == path.name
    return [(f["rule"], f["subject"]) for f in data["findings"]]


def audit(args: list[str], capsys: pytest.CaptureFixture[str]) -> dict:  # type: ignore[type-arg]
    code = main(["audit", *args, "--format", "json"])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    [result] = json.loads(out)
    assert result["rules_version"] == 2
    return result  # type: ignore[no-any-return]


def test_the_examples_are_there() -> None:
    assert [p.name for p in FILES] == [
        "04-concern-and-carer.before.yaml",
        "04-concern-and-carer.yaml",
        "05-goal-and-restriction.before.yaml",
        "05-goal-and-restriction.yaml",
    ]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_from_the_file(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = audit(["--case", str(path)], capsys)
    assert [(f["rule"], f["subject"]) for f in result["findings"]] == expected(path)


@pytest.mark.django_db
@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_from_the_database(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", "--organisation", "acme", "--create-organisation", str(path)]) == 0
    capsys.readouterr()
    cf = load_casefile(path)
    assert cf.as_of is not None
    result = audit(["--person", cf.person.id, "--as-of", cf.as_of.isoformat()], capsys)
    assert [(f["rule"], f["subject"]) for f in result["findings"]] == expected(path)
    exported = casefile_export(person=Person.objects.get(external_id=cf.person.id))
    assert exported.kinwise == 2
    again, errors = validate_data(casefile_to_data(exported))
    assert errors == [] and again is not None
    for name in ("concerns", "role_changes", "carer_plans", "goals", "restrictions", "events"):
        assert getattr(again, name) == getattr(cf, name)
