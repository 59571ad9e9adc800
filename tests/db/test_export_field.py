"""The export field of format version 2 (docs/spec/casefile-v2.md, "Export"; ADR 0160):
`kinwise export` writes the lowest version that holds the person's records; a version-2
export carries the versions it was exported at as its `exported` field, in YAML and in
JSON; a version-1 YAML export keeps its comment stamp; `kinwise import` reads either and
refuses to supersede a record changed since, unless --force."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from kinwise.casefile.stamp import read_stamp
from kinwise.cli import main
from kinwise.core.models import Organisation
from kinwise.records.models import Person, Record
from kinwise.records.services.edits import record_save

EXAMPLE = (
    Path(__file__).resolve().parents[2] / "docs" / "spec" / "examples" / "04-concern-and-carer.yaml"
)


def ruth() -> Person:
    person: Person = Person.objects.get(external_id="ruth", superseded_at__isnull=True)
    return person


def exported(fmt: str, capsys: Any) -> str:
    assert main(["export", "ruth", "--format", fmt]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    return out


@pytest.fixture
def imported(organisation: Organisation, capsys: Any) -> None:
    assert main(["import", str(EXAMPLE)]) == 0
    capsys.readouterr()


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_a_version_two_export_carries_the_field(imported: None, fmt: str, capsys: Any) -> None:
    text = exported(fmt, capsys)
    data = json.loads(text) if fmt == "json" else yaml.safe_load(text)
    assert data["kinwise"] == 2
    assert read_stamp(text) is None  # no comment stamp: the field holds it
    field = data["exported"]
    assert field["person"] == {"id": "ruth", "version": 1}
    assert field["records"] == {
        kind: {row.key: 1 for row in Record.objects.filter(kind=kind, superseded_at=None)}
        for kind in field["records"]
    }
    assert set(field["records"]) == {
        "member", "consent", "plan", "role", "task", "meeting", "event", "concern",
        "role_change", "carer_plan",
    }  # fmt: skip
    assert list(data)[-1] == "exported"


@pytest.mark.django_db
def test_a_version_one_export_keeps_the_comment_stamp(
    casefiles_dir: Path, organisation: Organisation, capsys: Any
) -> None:
    assert main(["import", str(casefiles_dir / "01-risk-and-independence.yaml")]) == 0
    capsys.readouterr()
    assert main(["export", "sam"]) == 0
    text = capsys.readouterr().out
    assert read_stamp(text) is not None
    assert yaml.safe_load(text)["kinwise"] == 1
    assert "exported" not in yaml.safe_load(text)


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_a_stale_version_two_file_is_refused_unless_forced(
    imported: None, fmt: str, tmp_path: Path, capsys: Any
) -> None:
    path = tmp_path / f"ruth.{fmt}"
    path.write_text(exported(fmt, capsys), encoding="utf-8")
    # re-importing the export as it is changes nothing and is not refused
    assert main(["import", str(path)]) == 0
    capsys.readouterr()
    concern = Record.objects.get(kind="concern", key="cn1", superseded_at=None)
    record_save(
        person=ruth(),
        kind="concern",
        record={**concern.data, "outcome": "Changed on the web."},
        actor=None,
        original_key="cn1",
        based_on=concern.version,
    )
    assert main(["import", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert f"{path}: the concern 'cn1' was changed in Kinwise after this file's export" in err
    outcome = Record.objects.get(kind="concern", key="cn1", superseded_at=None).data["outcome"]
    assert outcome == "Changed on the web."
    assert main(["import", "--force", str(path)]) == 0
    capsys.readouterr()
    outcome = Record.objects.get(kind="concern", key="cn1", superseded_at=None).data["outcome"]
    assert outcome.startswith("The routine stays")


@pytest.mark.django_db
def test_a_hand_written_version_two_file_without_the_field_imports_as_before(
    imported: None, tmp_path: Path, capsys: Any
) -> None:
    data = yaml.safe_load(exported("yaml", capsys))
    del data["exported"]
    concern = Record.objects.get(kind="concern", key="cn1", superseded_at=None)
    record_save(
        person=ruth(),
        kind="concern",
        record={**concern.data, "outcome": "Changed on the web."},
        actor=None,
        original_key="cn1",
        based_on=concern.version,
    )
    path = tmp_path / "ruth.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    assert main(["import", str(path)]) == 0  # the file's state wins, as before
