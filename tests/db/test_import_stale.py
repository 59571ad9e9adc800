"""A re-import does not silently supersede a change made in Kinwise after the export.

``kinwise export`` stamps a YAML file with the version of each record; ``kinwise import``
refuses a stamped file that would overwrite a record changed, added or taken out since
(exit 2, each record named, nothing written) unless ``--force``; ``--dry-run`` says what
an import would do and writes nothing (docs/casefile.md, docs/adr/0080).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from kinwise.casefile.stamp import STAMP_MARKER, ExportStamp, read_stamp, stamp_text
from kinwise.cli import main
from kinwise.core.models import Organisation, RecordVersion, Service
from kinwise.errors import ErrorCode, KinwiseError
from kinwise.records.models import Person, Record
from kinwise.records.services.edits import (
    person_communication_update,
    record_correct,
    record_save,
)

STORY1 = "01-risk-and-independence.yaml"

V1 = {
    "id": "v1",
    "date": "2026-06-02",
    "area": "mobility_outdoors",
    "method": "verbal",
    "setting": "separate",
    "captured_by": "priya",
    "present": ["priya"],
    "direct": True,
    "summary": "I want to go to the shop and the library on my own, in my chair.",
}
V2_SUMMARY = "Route A is fine now. I want to try route B next."


def sam() -> Person:
    person: Person = Person.objects.get(external_id="sam", superseded_at__isnull=True)
    return person


def version_of(kind: str, key: str) -> int:
    version: int = Record.objects.get(kind=kind, key=key, superseded_at=None).version
    return version


def voice_summary(key: str) -> str:
    summary: str = Record.objects.get(kind="voice", key=key, superseded_at=None).data["summary"]
    return summary


@pytest.fixture
def imported(casefiles_dir: Path, organisation: Organisation, capsys: Any) -> None:
    assert main(["import", str(casefiles_dir / STORY1)]) == 0
    capsys.readouterr()


@pytest.fixture
def exported(imported: None, tmp_path: Path, capsys: Any) -> Path:
    """Sam's case file as ``kinwise export`` writes it, in a file."""
    assert main(["export", "sam"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    path = tmp_path / "sam.yaml"
    path.write_text(out, encoding="utf-8")
    return path


def edit_file(path: Path, change: Callable[[dict[str, Any]], None]) -> None:
    """Change the file's data as someone editing it offline would, keeping its stamp."""
    text = path.read_text(encoding="utf-8")
    header = "".join(line for line in text.splitlines(keepends=True) if line.startswith("#"))
    data = yaml.safe_load(text)
    change(data)
    path.write_text(header + yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def web_edit_v1(summary: str) -> None:
    record_save(
        person=sam(),
        kind="voice",
        record={**V1, "summary": summary},
        actor=None,
        original_key="v1",
        based_on=version_of("voice", "v1"),
    )


def _voice_summary_to(key: str, summary: str) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        for item in data["voice"]:
            if item["id"] == key:
                item["summary"] = summary

    return change


# --- the stamp ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_yaml_export_is_stamped_with_each_records_version(exported: Path) -> None:
    text = exported.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0].startswith("# Exported from Kinwise.")
    assert sum(1 for line in lines if line.startswith(STAMP_MARKER)) == 1
    stamp = read_stamp(text)
    assert stamp is not None
    assert (stamp.person_id, stamp.person_version) == ("sam", 1)
    # every current record, at its stored version (all 1 after one import)
    assert stamp.records == {
        (row.kind, row.key): 1 for row in Record.objects.filter(superseded_at=None)
    }
    assert len(stamp.records) == 19
    assert stamp.records[("role", "mobility_outdoors")] == 1
    assert stamp.records[("plan", "plan")] == 1
    # and the file is a version-1 case file like any other
    assert yaml.safe_load(text)["kinwise"] == 1


@pytest.mark.django_db
def test_a_json_export_is_version_two_with_the_exported_field(imported: None, capsys: Any) -> None:
    """JSON has no comments: a JSON export of a version-1 person is version 1 plus the one
    field version 2 adds for it (docs/spec/casefile-v2.md, "Export")."""
    assert main(["export", "sam", "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("{")
    assert read_stamp(out) is None
    data = json.loads(out)
    assert data["kinwise"] == 2
    assert data["person"]["id"] == "sam"
    assert data["exported"]["person"] == {"id": "sam", "version": 1}
    assert data["exported"]["records"]["voice"] == {"v1": 1, "v2": 1}
    # nothing but the field: the same records as the YAML export
    assert main(["export", "sam"]) == 0
    as_yaml = yaml.safe_load(capsys.readouterr().out)
    del data["exported"]
    assert {**data, "kinwise": 1} == as_yaml


@pytest.mark.django_db
def test_a_json_re_import_over_a_web_change_is_refused_unless_forced(
    imported: None, tmp_path: Path, capsys: Any, counts: Callable[[], dict[str, int]]
) -> None:
    assert main(["export", "sam", "--format", "json"]) == 0
    path = tmp_path / "sam.json"
    path.write_text(capsys.readouterr().out, encoding="utf-8")
    web_edit_v1("I want to go out on my own, to the shop and the library.")
    before = counts()

    assert main(["import", str(path)]) == 2

    err = capsys.readouterr().err.splitlines()
    assert err[1:] == [f"{path}: the view 'v1' was changed in Kinwise after this file's export"]
    assert counts() == before
    assert main(["import", str(path), "--force"]) == 0
    assert voice_summary("v1") == V1["summary"]


def test_the_stamp_reads_back_what_it_wrote() -> None:
    stamp = ExportStamp(
        person_id="sam",
        person_version=3,
        records={("voice", "v1"): 2, ("medicine", "Ibuprofen"): 1},
    )
    assert read_stamp(stamp_text(stamp) + "kinwise: 1\n") == stamp
    assert read_stamp("kinwise: 1\n") is None
    # a stamp is looked for only in the comment lines the file begins with
    assert read_stamp("kinwise: 1\n" + stamp_text(stamp)) is None


@pytest.mark.parametrize(
    "line",
    [
        "not json",
        '{"person": {"id": "sam", "version": 1}}',
        '{"person": {"id": "sam", "version": -1}, "records": {}}',
        '{"person": {"id": "sam", "version": 1}, "records": {"voice": {"v1": 0}}}',
        '{"person": {"id": "sam", "version": 1}, "records": {"voice": {"v1": true}}}',
        '{"person": {"id": "sam", "version": 1}, "records": {"voice": ["v1"]}}',
        '{"person": {"id": 7, "version": 1}, "records": {}}',
        pytest.param("[" * 100_000 + "]" * 100_000, id="nested-too-deep"),
    ],
)
def test_a_damaged_stamp_is_an_error(line: str) -> None:
    with pytest.raises(KinwiseError) as caught:
        read_stamp(f"{STAMP_MARKER}{line}\nkinwise: 1\n", name="sam.yaml")
    assert caught.value.code == ErrorCode.UNREADABLE_FILE
    assert caught.value.message == (
        "sam.yaml: its kinwise-export line (the export stamp) cannot be read: restore it "
        "from the export, or remove the line to import the file without the check"
    )


def test_two_stamps_are_an_error() -> None:
    text = stamp_text(ExportStamp(person_id="sam", person_version=1))
    with pytest.raises(KinwiseError):
        read_stamp(text + text + "kinwise: 1\n")


# --- refused, forced ------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_re_import_over_a_web_change_is_refused_naming_the_record(
    exported: Path, capsys: Any, counts: Callable[[], dict[str, int]]
) -> None:
    web_edit_v1("I want to go out on my own, to the shop and the library.")
    before = counts()

    assert main(["import", str(exported)]) == 2

    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines() == [
        f"{exported}: not imported: 1 record(s) changed in Kinwise after this file was "
        "exported: export the person again and make the change there, or give --force to "
        "overwrite",
        f"{exported}: the view 'v1' was changed in Kinwise after this file's export",
    ]
    assert counts() == before
    assert voice_summary("v1") == "I want to go out on my own, to the shop and the library."


@pytest.mark.django_db
def test_with_force_the_file_supersedes_the_web_change_and_history_keeps_it(
    exported: Path, capsys: Any
) -> None:
    web_edit_v1("I want to go out on my own, to the shop and the library.")

    assert main(["import", str(exported), "--force"]) == 0

    out, err = capsys.readouterr()
    assert err == ""
    assert out == (
        f"{exported}: imported person 'sam' into service 'riverside': "
        "0 created, 1 updated, 19 unchanged, 0 superseded\n"
    )
    assert voice_summary("v1") == V1["summary"]
    history = list(
        RecordVersion.objects.filter(kind="voice", external_id="v1")
        .order_by("version")
        .values_list("version", "action", "source", "snapshot__summary")
    )
    assert history == [
        (1, "created", "import", V1["summary"]),
        (2, "updated", "web", "I want to go out on my own, to the shop and the library."),
        (3, "updated", "import", V1["summary"]),
    ]


@pytest.mark.django_db
def test_records_unchanged_in_kinwise_since_the_export_do_not_trigger(
    exported: Path, capsys: Any
) -> None:
    """The file changes v2 and leaves out the incident; Kinwise changed only v1, and the
    file holds v1 as Kinwise now has it: nothing is overwritten, the import goes ahead."""
    web_edit_v1("Out on my own, please.")
    edit_file(exported, _voice_summary_to("v2", "Route B next, please."))
    edit_file(exported, _voice_summary_to("v1", "Out on my own, please."))

    assert main(["import", str(exported)]) == 0

    out, err = capsys.readouterr()
    assert err == ""
    assert "0 created, 1 updated, 19 unchanged, 0 superseded" in out
    assert voice_summary("v2") == "Route B next, please."
    assert voice_summary("v1") == "Out on my own, please."


@pytest.mark.django_db
def test_an_unchanged_re_import_of_the_export_does_nothing(exported: Path, capsys: Any) -> None:
    assert main(["import", str(exported)]) == 0
    assert "0 created, 0 updated, 20 unchanged, 0 superseded" in capsys.readouterr().out


@pytest.mark.django_db
def test_a_record_added_or_taken_out_in_kinwise_after_the_export_is_refused(
    exported: Path, capsys: Any, counts: Callable[[], dict[str, int]]
) -> None:
    record_save(
        person=sam(),
        kind="voice",
        record={**V1, "id": "", "date": "2026-11-01", "summary": "Route B was good."},
        actor=None,
    )
    record_correct(
        person=sam(), kind="consent", key="c-plan", reason="Typed into the wrong file", actor=None
    )
    before = counts()

    assert main(["import", str(exported)]) == 2

    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(f"{exported}: not imported: 2 record(s) changed in Kinwise")
    assert err[1:] == [
        f"{exported}: the consent 'c-plan' was taken out in Kinwise after this file's export",
        f"{exported}: the view 'v-1' was added in Kinwise after this file's export",
    ]
    assert counts() == before


@pytest.mark.django_db
def test_a_change_to_the_persons_details_is_refused_in_plain_words(
    exported: Path, capsys: Any
) -> None:
    person_communication_update(person=sam(), methods=["verbal"], notes=None, actor=None)

    assert main(["import", str(exported)]) == 2

    assert capsys.readouterr().err.splitlines()[1] == (
        f"{exported}: the person's details were changed in Kinwise after this file's export"
    )


@pytest.mark.django_db
def test_a_file_without_the_stamp_imports_as_before(exported: Path, capsys: Any) -> None:
    """Version-1 files without a stamp (hand-written, JSON, older exports) are imported
    exactly as before: the file's state wins."""
    web_edit_v1("Out on my own, please.")
    text = exported.read_text(encoding="utf-8")
    exported.write_text(
        "".join(line for line in text.splitlines(keepends=True) if not line.startswith("#")),
        encoding="utf-8",
    )

    assert main(["import", str(exported)]) == 0

    assert "0 created, 1 updated, 19 unchanged, 0 superseded" in capsys.readouterr().out
    assert voice_summary("v1") == V1["summary"]


@pytest.mark.django_db
def test_a_stamped_file_imported_as_a_new_person_is_not_checked(
    exported: Path, organisation: Organisation, capsys: Any
) -> None:
    """The stamp speaks of the records it was exported with: the file imported into
    another service makes a new person there, with nothing to overwrite."""
    Service.objects.create(organisation=organisation, external_id="oakfield", name="Oakfield")
    web_edit_v1("Out on my own, please.")

    assert main(["import", str(exported), "--service", "oakfield"]) == 0

    assert "20 created, 0 updated, 0 unchanged, 0 superseded" in capsys.readouterr().out


@pytest.mark.django_db
def test_a_damaged_stamp_refuses_the_file(
    exported: Path, capsys: Any, counts: Callable[[], dict[str, int]]
) -> None:
    text = exported.read_text(encoding="utf-8")
    exported.write_text(text.replace('"version":1', '"version":"one"', 1), encoding="utf-8")
    before = counts()

    assert main(["import", str(exported)]) == 2

    assert "its kinwise-export line (the export stamp) cannot be read" in capsys.readouterr().err
    assert counts() == before


# --- the dry run ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_dry_run_says_what_would_be_done_and_writes_nothing(
    exported: Path, capsys: Any, counts: Callable[[], dict[str, int]]
) -> None:
    web_edit_v1("Out on my own, please.")

    def change(data: dict[str, Any]) -> None:
        for item in data["voice"]:
            if item["id"] == "v2":
                item["summary"] = "Route B next, please."
        data["consents"] = [c for c in data["consents"] if c["id"] != "c-plan"]
        data["events"] = [
            {
                "id": "ev-new",
                "date": "2026-11-20",
                "kind": "needs_change",
                "areas": ["mobility_outdoors"],
                "description": "New wheelchair.",
            }
        ]

    edit_file(exported, change)
    before = counts()
    persons_updated = sam().updated_at

    assert main(["import", str(exported), "--dry-run"]) == 2

    out, err = capsys.readouterr()
    assert err == ""
    assert out.splitlines() == [
        f"{exported}: dry run, nothing written: would import person 'sam' into service "
        "'riverside': 1 created, 2 updated, 17 unchanged, 1 superseded",
        f"{exported}: would change the view 'v1'",
        f"{exported}: would change the view 'v2'",
        f"{exported}: would add the change of need or event 'ev-new'",
        f"{exported}: would supersede the consent 'c-plan'",
        f"{exported}: would refuse: the view 'v1' was changed in Kinwise after this file's export",
    ]
    assert counts() == before
    assert sam().updated_at == persons_updated
    assert voice_summary("v1") == "Out on my own, please."

    # with --force the dry run says it would overwrite, and succeeds; still nothing written
    assert main(["import", str(exported), "--dry-run", "--force"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        f"{exported}: would overwrite (--force): the view 'v1' was changed in Kinwise after "
        "this file's export"
    )
    assert counts() == before


@pytest.mark.django_db
def test_a_dry_run_of_a_new_file_creates_no_person_service_or_organisation(
    casefiles_dir: Path, db: None, capsys: Any, counts: Callable[[], dict[str, int]]
) -> None:
    before = counts()

    code = main(
        [
            "import",
            str(casefiles_dir / STORY1),
            "--organisation",
            "acme",
            "--create-organisation",
            "--dry-run",
        ]
    )

    out = capsys.readouterr().out.splitlines()
    assert code == 0
    assert out[0] == (
        f"{casefiles_dir / STORY1}: dry run, nothing written: would import person 'sam' into "
        "service 'riverside': 20 created, 0 updated, 0 unchanged, 0 superseded"
    )
    assert out[1] == f"{casefiles_dir / STORY1}: would add the person's details"
    assert len(out) == 21
    assert counts() == before
    assert Organisation.objects.count() == 0
