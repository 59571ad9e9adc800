"""Uploading an eMAR file on the person's page: the same importer as `kinwise
import-emar`; example 3's audits rebuilt through the upload give its error rates
(12.5%, 8.9%, 0.9%, 0%); problems shown in plain words with line and column, nothing
written; a re-import says "already imported"; only those who may record a medication
audit; the size checked before reading."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from kinwise.core.models import RecordVersion
from kinwise.records.selectors import casefile_export
from kinwise.reports.measures import medication_audit_rates
from tests.records.test_emar_import import AUDITS, YEAR, emar_audits, emar_csv, world

__all__ = ["world"]
pytestmark = pytest.mark.django_db


def _client(username: str) -> Client:
    from django.contrib.auth import get_user_model

    from tests.signin import signed_in_client

    return signed_in_client(get_user_model().objects.get(username=username))


def _upload(client: Client, person: Any, text: str | bytes, name: str = "emar.csv") -> Any:
    data = text.encode() if isinstance(text, str) else text
    return client.post(f"/people/{person.pk}/emar/", {"emar_file": SimpleUploadedFile(name, data)})


def test_example_3_rebuilt_through_the_upload_gives_its_error_rates_and_a_re_import_changes_nothing(
    world: dict[str, Any],
) -> None:
    daniel = world["daniel"]
    client = _client("ruth")
    assert client.get(f"/people/{daniel.pk}/emar/").status_code == 200
    response = _upload(client, daniel, emar_csv())
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "The eMAR file is imported: medication audits 4 added, 0 changed" in page
    rebuilt = [
        r
        for r in medication_audit_rates(casefile_export(person=daniel), period=YEAR)
        if r.audit.startswith("emar-")
    ]
    assert [r.ratio.percent() for r in rebuilt] == ["12.5%", "8.9%", "0.9%", "0.0%"]
    assert [a[2] for a in emar_audits(daniel)] == ["ruth"] * 4
    versions = RecordVersion.objects.filter(person=daniel).count()
    again = _upload(client, daniel, emar_csv())
    assert again.status_code == 302
    assert "This eMAR file was already imported: nothing has changed" in (
        client.get(again["Location"]).content.decode()
    )
    assert RecordVersion.objects.filter(person=daniel).count() == versions
    assert len(emar_audits(daniel)) == 4


def test_a_bad_row_is_shown_with_its_line_and_column_and_nothing_is_written(
    world: dict[str, Any],
) -> None:
    daniel = world["daniel"]
    lines = emar_csv({"ma1": AUDITS["ma1"]}).splitlines(keepends=True)
    lines[5] = lines[5].replace(",given\n", ",forgotten\n")
    response = _upload(_client("ruth"), daniel, "".join(lines))
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Line 6, column outcome:" in page
    assert emar_audits(daniel) == []


def test_an_empty_or_too_large_or_binary_file_is_refused_before_parsing(
    world: dict[str, Any], settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    daniel = world["daniel"]
    client = _client("ruth")
    none = client.post(f"/people/{daniel.pk}/emar/", {})
    assert none.status_code == 400
    assert "Choose an eMAR file to upload" in none.content.decode()
    monkeypatch.setattr("kinwise.web.views.emar.MAX_FILE_BYTES", 100)

    def never(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("parsed")

    monkeypatch.setattr("kinwise.web.views.emar.parse_emar", never)
    big = _upload(client, daniel, "x" * 101)
    assert big.status_code == 400
    assert "The file is larger than the limit of 20 MB" in big.content.decode()
    binary = _upload(client, daniel, b"\x00\x01\x02")
    assert binary.status_code == 400
    assert "holds a NUL byte" in binary.content.decode()
    assert emar_audits(daniel) == []


def test_a_support_worker_may_not_upload(world: dict[str, Any]) -> None:
    daniel = world["daniel"]
    client = _client("owen")
    assert client.get(f"/people/{daniel.pk}/emar/").status_code == 403
    assert _upload(client, daniel, emar_csv()).status_code == 403
    assert emar_audits(daniel) == []
