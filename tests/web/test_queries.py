"""Each page's query count does not grow with the records or their history: the same at
1x and at 3x the records (and three times the versions)."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kinwise.casefile.load import casefile_to_data, validate_data
from kinwise.core.models import RecordVersion
from kinwise.records.models import Person
from kinwise.records.selectors import casefile_export
from kinwise.records.services import casefile_import
from kinwise.web.personview import person_views_clear
from tests.querycount import ACCESS_LOG_QUERIES, split
from tests.web.conftest import record_path
from tests.web.test_access import PERSON_URLS


def tripled(data: dict[str, Any], round_: int) -> dict[str, Any]:
    """Two more copies of every voice record, meeting, risk assessment, incident and event
    (new ids), each summary changed by ``round_`` so every import writes new versions."""
    out = copy.deepcopy(data)
    for key in ("voice", "meetings", "risk_assessments", "incidents", "events"):
        extra = []
        for copy_no in (2, 3):
            for record in data.get(key, []):
                item = copy.deepcopy(record)
                item["id"] = f"{record['id']}-x{copy_no}"
                extra.append(item)
        out[key] = out.get(key, []) + extra
    for record in out["voice"]:
        record["summary"] = f"{record['summary']} ({round_})"
    return out


def forget_kept_pages() -> None:
    """Nothing kept in the process: the next page about a person is built afresh."""
    person_views_clear()
    caches["template_fragments"].clear()


def count(client: Client, url: str) -> tuple[int, int]:
    """The queries of the page built afresh (the session and templates already loaded),
    and the access log's apart."""
    client.get(url)
    forget_kept_pages()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return split(captured.captured_queries)


@pytest.mark.parametrize("path", PERSON_URLS)
def test_person_page_queries_do_not_grow(
    people: dict[str, Person],
    as_user: Callable[[str], Client],
    today: Callable[[dt.date], None],
    path: str,
) -> None:
    today(dt.date(2026, 11, 30))
    sam = people["sam"]
    client = as_user("leader")
    url = f"/people/{sam.pk}/{record_path(path, sam)}"
    once = count(client, url)
    assert once[1] == ACCESS_LOG_QUERIES  # the page read leaves one entry

    base = casefile_to_data(casefile_export(person=sam))
    for round_ in (1, 2, 3):
        casefile, errors = validate_data(tripled(base, round_))
        assert errors == []
        assert casefile is not None
        casefile_import(casefile=casefile, service=sam.service, actor=None, source="test")
    assert len(casefile_export(person=sam).voice) == 3 * len(base["voice"])
    assert (
        RecordVersion.objects.filter(person=sam, kind="voice").count() >= 3 * len(base["voice"]) * 2
    )

    assert count(client, url) == once
