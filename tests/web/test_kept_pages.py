"""The read pages about a person are kept per state of their records: the risk page
never draws a chart, the chart answers 304 to a browser that has it, a write shows at
once, and the history is read a page at a time."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from kinwise.core.history import HISTORY_PAGE_SIZE
from kinwise.core.models import RecordVersion
from kinwise.records.models import Person
from kinwise.web import charts
from kinwise.web.views import person as person_views

TODAY = dt.date(2026, 11, 30)


@pytest.fixture
def sam(people: dict[str, Person], today: Callable[[dt.date], None]) -> Person:
    today(TODAY)
    return people["sam"]


def test_the_risk_page_describes_each_trial_chart_without_drawing_it(
    sam: Person, as_user: Callable[[str], Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object) -> str:
        raise AssertionError("the risk page drew a chart")

    monkeypatch.setattr(charts, "_draw", refuse)
    body = as_user("leader").get(f"/people/{sam.pk}/risk/").content.decode()
    assert f'<img src="/people/{sam.pk}/risk/trials/gt1/chart.svg"' in body
    assert "Progress through the stages of the graded trial." in body


def test_the_chart_is_never_stored_and_answers_its_etag_and_changes_with_the_records(
    sam: Person, as_user: Callable[[str], Client]
) -> None:
    client = as_user("leader")
    url = f"/people/{sam.pk}/risk/trials/gt1/chart.svg"
    first = client.get(url)
    assert first.status_code == 200
    assert first["Content-Type"] == "image/svg+xml"
    # a chart about a person is personal data: no cache keeps it (kinwise.accounts)
    assert first["Cache-Control"] == "no-store"
    etag = first["ETag"]
    assert re.fullmatch(r'"[0-9a-f]{32}"', etag)

    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert (again["ETag"], again["Cache-Control"]) == (etag, "no-store")

    changed = client.post(
        f"/people/{sam.pk}/edit/communication/", {"methods": ["verbal"], "notes": "Changed."}
    )
    assert changed.status_code == 302
    after = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert after.status_code == 200
    assert after["ETag"] != etag
    assert after.content == first.content  # the trial itself did not change


def test_a_kept_page_shows_a_change_at_once(sam: Person, as_user: Callable[[str], Client]) -> None:
    client = as_user("leader")
    assert "Allow time to answer." not in client.get(f"/people/{sam.pk}/").content.decode()
    response = client.post(
        f"/people/{sam.pk}/edit/communication/",
        {"methods": ["verbal"], "notes": "Allow time to answer."},
    )
    assert response.status_code == 302
    assert "Allow time to answer." in client.get(f"/people/{sam.pk}/").content.decode()


def test_a_kept_page_is_the_same_for_every_viewer_but_the_header(
    sam: Person, as_user: Callable[[str], Client]
) -> None:
    leader = as_user("leader").get(f"/people/{sam.pk}/").content.decode()
    manager = as_user("manager").get(f"/people/{sam.pk}/").content.decode()
    assert "Signed in as leader" in leader and "Signed in as manager" in manager

    def main(body: str) -> str:
        return body[body.index('<main class="nhsuk-main-wrapper"') : body.index("</main>")]

    assert main(leader) == main(manager)


def _history_rows(body: str) -> list[str]:
    return re.findall(r'<td class="kw-nowrap" data-label="When">', body)


PAGE_SIZE = 6


def test_the_history_is_shown_a_page_at_a_time(
    sam: Person, as_user: Callable[[str], Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert HISTORY_PAGE_SIZE == 50
    monkeypatch.setattr("kinwise.core.history.HISTORY_PAGE_SIZE", PAGE_SIZE)
    client = as_user("leader")
    versions = RecordVersion.objects.filter(person=sam).count()
    assert versions > 2 * PAGE_SIZE and versions % PAGE_SIZE != 0
    pages = -(-versions // PAGE_SIZE)

    first = client.get(f"/people/{sam.pk}/history/").content.decode()
    assert len(_history_rows(first)) == PAGE_SIZE
    assert f"Page 1 of {pages} ({versions} in all)." in first
    assert 'href="?page=2" rel="next"' in first
    assert 'rel="prev"' not in first

    last = client.get(f"/people/{sam.pk}/history/?page={pages}").content.decode()
    assert len(_history_rows(last)) == versions - (pages - 1) * PAGE_SIZE
    assert f'href="?page={pages - 1}" rel="prev"' in last
    assert 'rel="next"' not in last

    # not a page number: the first page; past the end: the last page
    assert _history_rows(client.get(f"/people/{sam.pk}/history/?page=x").content.decode()) == (
        _history_rows(first)
    )
    beyond = client.get(f"/people/{sam.pk}/history/?page={pages + 5}").content.decode()
    assert f"Page {pages} of {pages}" in beyond


def test_made_up_query_parameters_neither_change_nor_copy_a_kept_page(
    sam: Person, as_user: Callable[[str], Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    client = as_user("leader")
    plain = client.get(f"/people/{sam.pk}/findings/").content.decode()

    def refuse(*args: object) -> object:
        raise AssertionError("the findings page was built again")

    original = person_views.finding_views
    monkeypatch.setattr(person_views, "finding_views", refuse)
    other = client.get(f"/people/{sam.pk}/findings/?utm_source=x&b=1").content.decode()
    assert _main(other) == _main(plain)
    monkeypatch.setattr(person_views, "finding_views", original)
    # the page's own parameters do change it: a past day, and which view of it
    asked = client.get(f"/people/{sam.pk}/findings/?as_of=2026-06-01").content.decode()
    assert "As recorded on 1 June 2026" in asked
    corrected = client.get(
        f"/people/{sam.pk}/findings/?as_of=2026-06-01&view=corrected"
    ).content.decode()
    assert "about 1 June 2026 with the corrections made since" in corrected


def _main(body: str) -> str:
    return body[body.index('<main class="nhsuk-main-wrapper"') : body.index("</main>")]


def test_a_person_whose_view_is_kept_reads_their_records_ids_once(
    sam: Person, as_user: Callable[[str], Client]
) -> None:
    """The ids that a page's links name are kept with the person's view: a second page
    about them, built afresh, reads neither the records nor their ids again, and a write
    reads both again, once."""
    from django.core.cache import caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kinwise.records.models import Record

    client = as_user("leader")
    table = Record._meta.db_table

    def record_reads(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return sum(1 for q in captured.captured_queries if f'FROM "{table}"' in q["sql"])

    caches["template_fragments"].clear()
    # built afresh with no view: the records, then their ids for the links
    assert record_reads(f"/people/{sam.pk}/voice/") == 2
    # another page afresh, the view kept: nothing of the records is read
    assert record_reads(f"/people/{sam.pk}/risk/") == 0
    body = client.get(f"/people/{sam.pk}/risk/").content.decode()
    row = Record.objects.get(person=sam, kind="risk_assessment", superseded_at=None, key="ra1")
    assert f"/people/{sam.pk}/records/{row.pk}/history/" in body
    response = client.post(
        f"/people/{sam.pk}/edit/communication/", {"methods": ["verbal"], "notes": "New."}
    )
    assert response.status_code == 302
    assert record_reads(f"/people/{sam.pk}/risk/") == 2


def test_a_page_shown_again_whole_builds_no_view_of_the_person(
    sam: Person, as_user: Callable[[str], Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page read whole from the kept pages needs neither the person's case file nor
    their audit: with no view kept, showing it again reads no record and builds none;
    another page about them, built afresh, builds the view once."""
    from kinwise.web import personview

    client = as_user("leader")
    first = client.get(f"/people/{sam.pk}/capacity/")
    assert first.status_code == 200
    personview.person_views_clear()
    built: list[int] = []
    real = personview.casefile_and_documents

    def counted(*, person: Person) -> Any:
        built.append(person.pk)
        return real(person=person)

    monkeypatch.setattr(personview, "casefile_and_documents", counted)
    again = client.get(f"/people/{sam.pk}/capacity/")

    def main(body: bytes) -> bytes:
        return body[body.index(b'<main class="nhsuk-main-wrapper"') : body.index(b"</main>")]

    assert main(again.content) == main(first.content)
    assert b"Capacity assessments" in main(again.content)
    assert built == []
    assert client.get(f"/people/{sam.pk}/voice/").status_code == 200
    assert client.get(f"/people/{sam.pk}/risk/").status_code == 200
    assert built == [sam.pk]


def test_the_persons_details_from_their_row_are_their_case_files(
    people: dict[str, Person],
) -> None:
    """What a page shows of the person without their records (the title, the header)
    is what their case file holds, for every person of the seed."""
    from kinwise.records.selectors import casefile_export, person_details

    assert len(people) >= 3
    for person in people.values():
        fresh = Person.objects.get(pk=person.pk)
        assert person_details(person=fresh) == casefile_export(person=fresh).person
