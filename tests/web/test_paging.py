"""Long lists are shown a page at a time: a person's voice and meetings, and one record's
history (50 to a page; smaller here so that the tests stay small)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from kinwise.casefile.load import casefile_to_data, validate_data
from kinwise.core import history
from kinwise.records.models import Person
from kinwise.records.services import casefile_import
from kinwise.web import paging
from tests.web.conftest import CASEFILES

SIZE = 5


@pytest.fixture
def busy(world: dict[str, Any]) -> Person:
    """Aisha with 12 views (v00 newest ... v11 oldest) and 7 meetings, imported 8 times
    with the first view's summary changed each time (8 versions of v00)."""
    from kinwise.casefile.load import load_casefile

    data = casefile_to_data(load_casefile(CASEFILES / "02-vocal-relative.before.yaml"))
    template = data["voice"][0]
    data["voice"] = [
        {**template, "id": f"v{i:02d}", "date": f"2026-09-{28 - i:02d}"} for i in range(12)
    ]
    meeting = data["meetings"][0]
    data["meetings"] = [
        {**meeting, "id": f"m{i}", "date": f"2026-0{8 - i}-01", "decisions": []} for i in range(7)
    ]
    service = world["services"]["oakfield"]
    pk = None
    for n in range(8):
        data["voice"][0]["summary"] = f"Said it the {n}th time."
        casefile, errors = validate_data(data)
        assert casefile is not None, errors
        pk = casefile_import(casefile=casefile, service=service, actor=None).person_pk
    return Person.objects.get(pk=pk)


@pytest.fixture
def small_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    assert paging.LIST_PAGE_SIZE == 50
    assert history.RECORD_HISTORY_PAGE_SIZE == 50
    monkeypatch.setattr(paging, "LIST_PAGE_SIZE", SIZE)
    monkeypatch.setattr(history, "RECORD_HISTORY_PAGE_SIZE", SIZE)


def _ids(html: str, prefix: str) -> list[str]:
    return re.findall(rf'id="{prefix}-([^"]+)"', html)


def test_voice_is_paged_newest_first_and_a_record_opens_its_page(
    busy: Person, as_user: Callable[[str], Client], small_pages: None
) -> None:
    client = as_user("worker")
    url = f"/people/{busy.pk}/voice/"
    first = client.get(url).content.decode()
    assert _ids(first, "voice") == ["v00", "v01", "v02", "v03", "v04"]
    assert "Page 1 of 3 (12 in all)." in first
    assert 'aria-label="Pages of the views"' in first
    assert 'href="?page=2" rel="next"' in first
    last = client.get(f"{url}?page=3").content.decode()
    assert _ids(last, "voice") == ["v10", "v11"]
    assert 'href="?page=2" rel="prev"' in last and 'rel="next"' not in last
    for junk in ("x", "-1", "0", str(10**30), "\x00"):
        assert client.get(url, {"page": junk}).status_code == 200
    # the page a finding links to holds its record
    assert _ids(client.get(f"{url}?record=v07").content.decode(), "voice") == [
        "v05",
        "v06",
        "v07",
        "v08",
        "v09",
    ]
    assert _ids(client.get(f"{url}?record=nope").content.decode(), "voice")[0] == "v00"


def test_meetings_are_paged(
    busy: Person, as_user: Callable[[str], Client], small_pages: None
) -> None:
    client = as_user("worker")
    url = f"/people/{busy.pk}/meetings/"
    first = client.get(url).content.decode()
    assert _ids(first, "meeting") == ["m0", "m1", "m2", "m3", "m4"]
    assert "Page 1 of 2 (7 in all)." in first
    assert _ids(client.get(f"{url}?page=2").content.decode(), "meeting") == ["m5", "m6"]


def test_a_records_history_is_paged_and_each_change_is_against_the_version_before(
    busy: Person, as_user: Callable[[str], Client], small_pages: None
) -> None:
    client = as_user("worker")
    url = f"/people/{busy.pk}/history/voice/v00/"
    first = client.get(url).content.decode()
    assert re.findall(r'id="version-(\d+)"', first) == ["8", "7", "6", "5", "4"]
    assert "Page 1 of 2 (8 in all)." in first
    # the oldest version on the page is compared with the one before it (on page 2)
    assert "Said it the 2th time." in first and "Said it the 3th time." in first
    second = client.get(f"{url}?page=2").content.decode()
    assert re.findall(r'id="version-(\d+)"', second) == ["3", "2", "1"]
    assert client.get(f"/people/{busy.pk}/history/voice/nope/").status_code == 404
