"""The command line in the access log: every person or service a command reads or
changes leaves one entry, with no user, the command as the page and "command line" as
where it was asked from; the chain stays intact (docs/access.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kinwise.access.command_line import COMMAND_LINE
from kinwise.accesslog.log import verify
from kinwise.accesslog.models import AccessLogEntry
from kinwise.cli import main
from kinwise.core.models import Service
from kinwise.records.models import Person
from tests.web.conftest import client_for

Entry = tuple[str, int | None, int | None, str, str, int | None, bool]


def new_entries(after: int) -> list[Entry]:
    return [
        (e.page, e.person_pk, e.service_pk, e.purpose, e.client, e.user_pk, e.allowed)
        for e in AccessLogEntry.objects.filter(id__gt=after).order_by("id")
    ]


def last_id() -> int:
    last = AccessLogEntry.objects.order_by("-id").values_list("id", flat=True).first()
    return last or 0


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    capsys.readouterr()
    assert main(list(argv)) == 0
    return capsys.readouterr().out


@pytest.fixture
def sam(people: dict[str, Person]) -> Person:
    return people["sam"]


def test_an_export_leaves_one_read_entry_for_the_person(
    sam: Person, capsys: pytest.CaptureFixture[str]
) -> None:
    for fmt in ("yaml", "json", "fhir"):
        before = last_id()
        run(capsys, "export", "sam", "--service", "riverside", "--format", fmt)
        assert new_entries(before) == [
            ("kinwise export", sam.pk, sam.service_id, "read", COMMAND_LINE, None, True)
        ]
    assert verify() == []


def test_reports_and_audits_name_the_person_or_the_service(
    sam: Person, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    riverside = Service.objects.get(external_id="riverside")
    before = last_id()
    run(capsys, "report", "person", "sam", "--service", "riverside")
    run(capsys, "audit", "--person", "sam", "--service", "riverside")
    run(capsys, "audit", "--service", "riverside")
    run(
        capsys,
        "report", "service", "riverside", "--from", "2026-01-01", "--to", "2026-06-30",
        "--format", "csv", "--out", str(tmp_path / "report.csv"),
    )  # fmt: skip
    assert new_entries(before) == [
        ("kinwise report person", sam.pk, riverside.pk, "read", COMMAND_LINE, None, True),
        ("kinwise audit", sam.pk, riverside.pk, "read", COMMAND_LINE, None, True),
        ("kinwise audit", None, riverside.pk, "read", COMMAND_LINE, None, True),
        ("kinwise report service", None, riverside.pk, "read", COMMAND_LINE, None, True),
    ]
    assert verify() == []


def test_an_audit_of_files_reads_nothing_stored(
    db: None, casefiles_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "audit", "--case", str(casefiles_dir / "01-risk-and-independence.yaml"))
    assert AccessLogEntry.objects.count() == 0


def test_an_import_is_a_change_and_a_dry_run_changes_nothing(
    world: dict[str, Any], casefiles_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(casefiles_dir / "01-risk-and-independence.yaml")
    run(capsys, "import", path, "--organisation", "acme", "--service", "riverside", "--dry-run")
    assert AccessLogEntry.objects.count() == 0
    run(capsys, "import", path, "--organisation", "acme", "--service", "riverside")
    sam = Person.objects.get(external_id="sam", superseded_at__isnull=True)
    assert new_entries(0) == [
        ("kinwise import", sam.pk, sam.service_id, "change", COMMAND_LINE, None, True)
    ]


def test_show_and_subject_access_are_logged_and_show_names_the_command_line(
    sam: Person, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = last_id()
    run(capsys, "export", "sam", "--service", "riverside")
    out = run(capsys, "access-log", "show", "--person", "sam", "--service", "riverside")
    assert out.splitlines()[0].split("  ")[1:3] == ["command line", "role -"]
    assert "page kinwise export  allowed  from command line" in out.splitlines()[0]
    run(capsys, "sar", "sam", "--service", "riverside", "--out", str(tmp_path / "sar"))
    pages = [entry[0] for entry in new_entries(before)]
    assert pages[:3] == ["kinwise export", "kinwise access-log show", "kinwise sar"]
    assert verify() == []


def test_the_who_has_seen_page_names_the_command(
    world: dict[str, Any], sam: Person, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "export", "sam", "--service", "riverside")
    page = client_for(world["users"]["manager"]).get(f"/people/{sam.pk}/seen-by/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "The server&#x27;s command line" in text
    assert "Case file exported" in text
