"""The service's people list as a list that scales: search by name, who needs attention,
sort, 50 a page, another service chosen; its query count flat in the number of people."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kinwise.casefile.load import casefile_to_data, load_casefile, validate_data
from kinwise.core.lists import PAGE_SIZE, page_of, page_query
from kinwise.core.models import Service
from kinwise.records.services import casefile_import
from tests.web.conftest import CASEFILES


@pytest.fixture(autouse=True)
def on_the_day(today: Callable[[dt.date], None]) -> None:
    today(dt.date(2026, 9, 30))


def copies(service: Service, example: str, names: list[str]) -> None:
    """The example's person again under each name (a new case-file id each)."""
    text = json.dumps(casefile_to_data(load_casefile(CASEFILES / example)))
    person_id = json.loads(text)["person"]["id"]
    person_name = json.loads(text)["person"]["name"]
    for n, name in enumerate(names):
        data = json.loads(
            text.replace(f'"{person_id}"', f'"{person_id}-{n}"').replace(
                f'"{person_name}"', json.dumps(name)
            )
        )
        casefile, errors = validate_data(data)
        assert not errors and casefile is not None
        casefile_import(casefile=casefile, service=service, actor=None, source="import")


def names(body: str) -> list[str]:
    """The people listed, in order."""
    if "People, open findings and reviews coming due" not in body:
        return []
    table = body.split("People, open findings and reviews coming due")[1].split("</table>")[0]
    return re.findall(r'<th scope="row"><a href="/people/\d+/">([^<]*)</a></th>', table)


def page(client: Client, service: Service, query: str = "") -> str:
    response = client.get(f"/services/{service.pk}/{query}")
    assert response.status_code == 200
    return response.content.decode()


def test_search_filters_and_sort(world: dict[str, Any], as_user: Callable[[str], Client]) -> None:
    riverside = world["services"]["riverside"]
    # Daniel (example 3, before): open findings and overdue reviews; Sam (example 1, after)
    copies(riverside, "03-historic-arrangement.before.yaml", ["Zoe Hughes", "Daniel Hughes"])
    copies(riverside, "01-risk-and-independence.yaml", ["Sam Patel", "Amir Khan"])
    manager = as_user("manager")
    assert names(page(manager, riverside)) == [
        "Amir Khan",
        "Daniel Hughes",
        "Sam Patel",
        "Zoe Hughes",
    ]
    assert names(page(manager, riverside, "?q=HUGHES")) == ["Daniel Hughes", "Zoe Hughes"]
    assert names(page(manager, riverside, "?q=pat")) == ["Sam Patel"]
    nobody = page(manager, riverside, "?q=nobody")
    assert names(nobody) == [] and "Nobody matches these filters." in nobody
    assert "People (0 of 4)" in nobody
    overdue = page(manager, riverside, "?show=overdue")
    assert names(overdue) == ["Daniel Hughes", "Zoe Hughes"]
    with_findings = names(page(manager, riverside, "?show=findings"))
    assert {"Daniel Hughes", "Zoe Hughes"} <= set(with_findings)
    by_findings = names(page(manager, riverside, "?sort=findings"))
    assert by_findings[:2] == ["Daniel Hughes", "Zoe Hughes"]  # most findings, then by name
    by_due = names(page(manager, riverside, "?sort=due"))
    assert by_due[:2] == ["Daniel Hughes", "Zoe Hughes"]  # overdue reviews come first
    # unknown values are no filter
    assert names(page(manager, riverside, "?show=bogus&sort=bogus")) == names(
        page(manager, riverside)
    )


def test_fifty_a_page_and_the_page_bounds(
    world: dict[str, Any], as_user: Callable[[str], Client]
) -> None:
    riverside = world["services"]["riverside"]
    everyone = [f"Person {n:02d}" for n in range(1, 52)]  # 51 people
    copies(riverside, "01-risk-and-independence.yaml", everyone)
    manager = as_user("manager")
    first = page(manager, riverside)
    assert names(first) == everyone[:50]
    assert "Page 1 of 2 (51 in all)." in first
    assert 'href="?show=all&amp;sort=name&amp;page=2"' in first
    assert names(page(manager, riverside, "?page=2")) == ["Person 51"]
    assert names(page(manager, riverside, "?page=3")) == ["Person 51"]  # beyond: the last
    assert names(page(manager, riverside, "?page=x")) == everyone[:50]  # not a number: 1
    assert names(page(manager, riverside, "?q=Person+5&page=9")) == ["Person 50", "Person 51"]


def test_the_query_count_does_not_grow_with_the_people(
    world: dict[str, Any], as_user: Callable[[str], Client]
) -> None:
    riverside = world["services"]["riverside"]
    manager = as_user("manager")

    def queries(query: str) -> int:
        page(manager, riverside, query)  # the stored audits made fresh
        with CaptureQueriesContext(connection) as ctx:
            page(manager, riverside, query)
        return len(ctx.captured_queries)

    copies(riverside, "01-risk-and-independence.yaml", ["A One", "B Two"])
    small = {q: queries(q) for q in ("", "?q=one&sort=due", "?show=overdue&page=2")}
    copies(riverside, "01-risk-and-independence.yaml", [f"C {n}" for n in range(8)])
    assert {q: queries(q) for q in small} == small


def test_another_service_is_chosen_with_the_filters_kept(
    world: dict[str, Any], as_user: Callable[[str], Client]
) -> None:
    riverside, oakfield = world["services"]["riverside"], world["services"]["oakfield"]
    elsewhere = world["services"]["elsewhere"]
    manager = as_user("manager")  # a registered manager sees the whole organisation
    response = manager.get(f"/services/{riverside.pk}/?service={oakfield.pk}&q=sam&page=2")
    assert response.status_code == 302
    assert response["Location"] == f"/services/{oakfield.pk}/?q=sam"
    assert manager.get(f"/services/{riverside.pk}/?service={elsewhere.pk}").status_code == 404
    assert manager.get(f"/services/{riverside.pk}/?service=x").status_code == 404
    # the form offers the services the member of staff can see
    body = page(manager, riverside)
    assert f'<option value="{oakfield.pk}">Oakfield</option>' in body
    assert f'value="{elsewhere.pk}"' not in body


def test_paging_helpers() -> None:
    assert PAGE_SIZE == 50
    rows = list(range(101))
    assert list(page_of(rows, number=None)) == rows[:50]
    assert list(page_of(rows, number="3")) == [100]
    assert list(page_of(rows, number="4")) == [100]
    assert list(page_of(rows, number="-1")) == [100]
    assert list(page_of(rows, number="")) == rows[:50]
    assert list(page_of([], number="2")) == []
    assert page_query({"q": "a b", "show": "", "page": "3", "sort": "name"}) == (
        "?q=a+b&sort=name&page="
    )
