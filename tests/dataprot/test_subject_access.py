"""The subject-access export: everything held about a person (every record row, every
version with who, when, how and why, the access log's entries), as JSON and a readable
PDF, from a registered manager's page with step-up and from `kinwise sar`; each export
logged by ids and noted in the access log."""

from __future__ import annotations

import io
import json
import logging
import re
import stat
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from pypdf import PdfReader

from kinwise.accounts.sessions import REAUTH_AT
from kinwise.cli import main
from kinwise.core.models import RecordVersion
from kinwise.dataprotection.accesslog import NoAccessLog, access_log_section
from kinwise.dataprotection.subject_access import (
    FORMAT,
    subject_access,
    subject_access_document,
)
from kinwise.records.models import Record
from kinwise.records.services.edits import record_correct
from kinwise.records.services.support import support_end
from tests.dataprot.conftest import AT, KeptAccessLog
from tests.signin import signed_in_client

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages))


@pytest.fixture
def sam(world: dict[str, Any]) -> Any:
    """Sam, with a consent entered in error and the end of their support recorded."""
    person = world["people"]["sam"]
    record_correct(
        person=person,
        kind="consent",
        key="c-plan",
        reason="Recorded against the wrong person",
        actor=world["manager"],
    )
    support_end(person=person, ended="2026-11-01", reason="moved", actor=world["manager"])
    person.refresh_from_db()
    return person


def test_the_export_holds_every_record_row_and_every_version(
    world: dict[str, Any], sam: Any, kept_log: KeptAccessLog
) -> None:
    data = subject_access(person=sam, made_at=AT).data
    assert data["format"] == FORMAT == "kinwise-subject-access/1"
    assert data["made_at"] == "2026-11-30T09:00:00+00:00"
    assert data["person"]["database_id"] == sam.pk
    assert data["person"]["name"] == "Sam Okafor"
    assert data["person"]["date_of_birth"] == "1995-04-12"
    assert data["person"]["support_ended"] == "2026-11-01"
    assert data["service"] == {
        "database_id": world["service"].pk,
        "id": "riverside",
        "name": "Riverside Supported Living",
    }
    # every row, current or not: the consent entered in error is there, not current
    rows = Record.objects.filter(person=sam)
    assert len(data["records"]) == rows.count()
    assert {r["database_id"] for r in data["records"]} == set(rows.values_list("pk", flat=True))
    consent = next(r for r in data["records"] if (r["kind"], r["key"]) == ("consent", "c-plan"))
    assert consent["current"] is False
    assert consent["data"]["id"] == "c-plan"
    assert [(v["version"], v["action"], v["reason"]) for v in consent["versions"]] == [
        (1, "created", ""),
        (2, "entered_in_error", "Recorded against the wrong person"),
    ]
    assert consent["versions"][1]["by"] == {
        "user_id": world["manager"].pk,
        "username": "manager",
        "name": "Rita Manager",
    }
    assert consent["versions"][1]["source"] == "web"
    # every version of every record, the person's own record (kept on the person) too
    in_export = sum(len(r["versions"]) for r in data["records"]) + sum(
        len(r["versions"]) for r in data["other_history"]
    )
    assert in_export == RecordVersion.objects.filter(person=sam).count()
    person_history = [r for r in data["other_history"] if r["kind"] == "person"]
    assert [(v["version"], v["action"]) for v in person_history[0]["versions"]] == [
        (1, "created"),
        (2, "updated"),
    ]
    assert person_history[0]["versions"][1]["snapshot"]["support_ended"] == "2026-11-01"
    # the case file as it is now: without the consent entered in error
    assert [c["id"] for c in data["case_file"]["consents"]] == ["c-share"]
    assert [v["id"] for v in data["case_file"]["voice"]] == ["v1", "v2"]
    assert data["access_log"] == []


def test_the_access_log_section_comes_from_the_wired_access_log(
    world: dict[str, Any], sam: Any, kept_log: KeptAccessLog
) -> None:
    kept_log.entries[sam.pk] = [
        {
            "at": "2026-11-29T10:00:00+00:00",
            "user_id": world["worker"].pk,
            "role": "support_worker",
            "kind": "voice",
            "action": "read",
            "allowed": True,
            "where": "127.0.0.1",
            "hash": "not kept in the export",
        },
        {"at": "2026-11-29T11:00:00+00:00", "user_id": 99, "action": "read", "allowed": False},
    ]
    section = access_log_section(sam)
    assert section == [
        {
            "at": "2026-11-29T10:00:00+00:00",
            "user_id": world["worker"].pk,
            "role": "support_worker",
            "kind": "voice",
            "action": "read",
            "allowed": True,
            "where": "127.0.0.1",
        },
        {
            "at": "2026-11-29T11:00:00+00:00",
            "user_id": 99,
            "role": None,
            "kind": None,
            "action": "read",
            "allowed": False,
            "where": None,
        },
    ]
    assert subject_access(person=sam, made_at=AT).data["access_log"] == section
    html = subject_access_document(subject_access(person=sam, made_at=AT))
    assert f"Member of staff number {world['worker'].pk}" in html
    assert "No, refused" in html
    # nobody else's entries
    assert access_log_section(world["people"]["daniel"]) == []


def test_with_no_access_log_wired_there_are_no_entries(sam: Any) -> None:
    assert NoAccessLog().entries_about(person=sam) == []
    assert access_log_section(sam) == []


def test_the_export_takes_a_fixed_number_of_queries(
    world: dict[str, Any], sam: Any, django_assert_num_queries: Any
) -> None:
    # the person and service, the case file (people, documents), the rows, the versions,
    # the access log's entries about them and their users, the portal logins linked to
    # the file and their changes, unsaved form input about them with who typed it (10,
    # whatever the history)
    with django_assert_num_queries(10):
        subject_access(person=sam, made_at=AT)
    daniel = world["people"]["daniel"]
    with django_assert_num_queries(10):
        subject_access(person=daniel, made_at=AT)


def test_the_pdf_is_in_plain_english(sam: Any) -> None:
    from kinwise.dataprotection.subject_access import subject_access_pdf

    text = pdf_text(subject_access_pdf(subject_access(person=sam, made_at=AT)))
    assert "Everything held about Sam Okafor" in text
    assert "Made on 30 November 2026 at 09:00 UTC" in text
    assert "Date of birth 12 April 1995" in text
    assert "Version 2: Taken out as entered in error" in text
    assert "Why: Recorded against the wrong person" in text
    assert "by Rita Manager, on Kinwise's pages" in text
    assert "Who looked at their records" in text
    for field_name in ("date_of_birth", "external_id", "snapshot", "entered_in_error", "_id"):
        assert field_name not in text


# --- the pages ------------------------------------------------------------------------------


def test_a_registered_manager_downloads_the_export_and_it_is_logged(
    world: dict[str, Any], sam: Any, kept_log: KeptAccessLog, caplog: pytest.LogCaptureFixture
) -> None:
    client = signed_in_client(world["manager"])
    page = client.get(f"/people/{sam.pk}/everything-held/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<h1>Everything held about Sam Okafor</h1>" in html
    assert f'href="/people/{sam.pk}/everything-held.pdf"' in html
    assert kept_log.notes == []  # the page itself exports nothing
    caplog.set_level(logging.WARNING, logger="kinwise.dataprotection")
    response = client.get(f"/people/{sam.pk}/everything-held.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="everything-held.json"'
    assert (
        response["Cache-Control"].startswith("no-store") or "no-store" in response["Cache-Control"]
    )
    assert json.loads(response.content)["person"]["name"] == "Sam Okafor"
    pdf = client.get(f"/people/{sam.pk}/everything-held.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert "Everything held about Sam Okafor" in pdf_text(pdf.content)
    manager = world["manager"].pk
    assert kept_log.notes == [
        (sam.pk, manager, "subject_access"),
        (sam.pk, manager, "subject_access"),
    ]
    lines = [r.getMessage() for r in caplog.records if r.name == "kinwise.dataprotection"]
    assert lines == [
        f"subject access export: user pk={manager} person pk={sam.pk} as json",
        f"subject access export: user pk={manager} person pk={sam.pk} as pdf",
    ]
    assert not any("Okafor" in r.getMessage() for r in caplog.records)


def test_the_export_asks_for_the_password_again(
    world: dict[str, Any], sam: Any, kept_log: KeptAccessLog
) -> None:
    client = signed_in_client(world["manager"])
    session = client.session
    session[REAUTH_AT] = 0
    session.save()
    for path in ("everything-held/", "everything-held.json", "everything-held.pdf"):
        response = client.get(f"/people/{sam.pk}/{path}")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/confirm/?next=")
    assert kept_log.notes == []


@pytest.mark.parametrize("who", ["leader", "worker", "quality", "outsider"])
def test_only_a_registered_manager_of_the_person_may_export(
    world: dict[str, Any], sam: Any, kept_log: KeptAccessLog, who: str
) -> None:
    client = signed_in_client(world[who])
    for path in ("everything-held/", "everything-held.json", "everything-held.pdf"):
        assert client.get(f"/people/{sam.pk}/{path}").status_code == 404
    assert kept_log.notes == []


def test_signed_out_visitors_are_sent_to_sign_in(sam: Any) -> None:
    response = Client().get(f"/people/{sam.pk}/everything-held.json")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_evidence_pack_links_to_the_export_for_a_registered_manager(
    world: dict[str, Any], sam: Any
) -> None:
    link = f'href="/people/{sam.pk}/everything-held/"'
    assert (
        link
        in signed_in_client(world["manager"]).get(f"/people/{sam.pk}/evidence/").content.decode()
    )
    assert (
        link
        not in signed_in_client(world["worker"]).get(f"/people/{sam.pk}/evidence/").content.decode()
    )


# --- the command line ------------------------------------------------------------------------


def test_the_command_writes_both_files_owner_only(
    world: dict[str, Any],
    sam: Any,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    kept_log: KeptAccessLog,
) -> None:
    out = tmp_path / "sar"
    assert main(["sar", "sam", "--service", "riverside", "--out", str(out)]) == 0
    stem = f"person-{sam.pk}-everything-held"
    assert capsys.readouterr().out.splitlines() == [
        str(out / f"{stem}.json"),
        str(out / f"{stem}.pdf"),
    ]
    data = json.loads((out / f"{stem}.json").read_text(encoding="utf-8"))
    assert data["person"]["database_id"] == sam.pk
    assert "Everything held about Sam Okafor" in pdf_text((out / f"{stem}.pdf").read_bytes())
    for name in (f"{stem}.json", f"{stem}.pdf"):
        assert stat.S_IMODE((out / name).stat().st_mode) == 0o600
    assert kept_log.notes == [(sam.pk, None, "subject_access")]


def test_the_command_refuses_an_unknown_person(
    world: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sar", "nobody", "--out", str(tmp_path / "x")]) == 2
    assert capsys.readouterr().err == "kinwise: no person with id 'nobody'\n"
    assert not (tmp_path / "x").exists()


def test_the_real_access_log_is_in_the_export_and_notes_it(world: dict[str, Any], sam: Any) -> None:
    from kinwise.accesslog.log import verify
    from kinwise.accesslog.models import AccessLogEntry

    client = signed_in_client(world["worker"])
    assert client.get(f"/people/{sam.pk}/").status_code == 200
    assert signed_in_client(world["outsider"]).get(f"/people/{sam.pk}/").status_code == 404
    section = access_log_section(sam)
    assert [(e["user_id"], e["role"], e["kind"], e["action"], e["allowed"]) for e in section] == [
        (world["worker"].pk, "support_worker", "web:person", "read", True),
        (world["outsider"].pk, "", "web:person", "read", False),
    ]
    assert subject_access(person=sam, made_at=AT).data["access_log"] == section
    before = AccessLogEntry.objects.count()
    from kinwise.dataprotection.accesslog import access_log

    access_log().note(person=sam, user_id=world["manager"].pk, action="subject_access")
    noted = AccessLogEntry.objects.order_by("-id").first()
    assert AccessLogEntry.objects.count() == before + 1
    assert noted is not None
    assert (noted.person_pk, noted.user_pk, noted.page, noted.purpose) == (
        sam.pk,
        world["manager"].pk,
        "subject_access",
        "read",
    )
    assert verify() == []
