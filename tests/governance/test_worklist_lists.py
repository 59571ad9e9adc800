"""The worklist as a list that scales: search, filters, sort, 50 a page, and owners
given to another team leader or manager (by whom, recorded)."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kinwise.core.models import Organisation, Service, StaffRole
from kinwise.governance.history import changes_of
from kinwise.governance.models import WorkItem
from kinwise.records.models import Person
from tests.governance.conftest import build, example_data
from tests.signin import second_factor_given

Store = Callable[..., Person]
TASK_KEY = "arrangement_review:event:e1/task:t-mark-meds"


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> None:
    from kinwise import clock

    monkeypatch.setattr(clock, "today", lambda: dt.date(2026, 6, 1))


@pytest.fixture
def staff(riverside: Service, member: Callable[..., User]) -> dict[str, Client]:
    member("tom", riverside, StaffRole.TEAM_LEADER, first_name="Tom", last_name="Reid")
    member("ruth", riverside, StaffRole.REGISTERED_MANAGER, first_name="Ruth", last_name="Evans")
    member("quinn", riverside, StaffRole.QUALITY_LEAD, first_name="Quinn", last_name="Lee")
    member("priya", riverside, StaffRole.SUPPORT_WORKER, first_name="Priya", last_name="Shah")
    clients = {}
    for name in ("tom", "ruth", "quinn", "priya"):
        clients[name] = Client()
        clients[name].login(username=name, password="pw-for-tests-only")
        second_factor_given(clients[name])
    return clients


def daniels(store: Store, first: int, n: int, service: Service | None = None) -> list[Person]:
    """Copies of Daniel (example 3, before): four overdue reviews each on 1 June 2026."""
    text = json.dumps(example_data("03-historic-arrangement.before.yaml"))
    out = []
    for i in range(first, first + n):
        data = json.loads(
            text.replace('"Daniel Hughes"', f'"Daniel Hughes {i:02d}"')
            .replace('"daniel"', f'"daniel{i}"')
            .replace('"ruth"', f'"ruth{i}"')
        )
        out.append(store(build(data), service) if service else store(build(data)))
    return out


def worklist(riverside: Service, query: str = "") -> str:
    return f"/governance/services/{riverside.pk}/worklist/{query}"


def titles(body: str) -> list[str]:
    """The person of each row of the reviews table, in order."""
    if "No reviews match these filters." in body:
        return []
    table = body.split("Reviews found, in the order chosen")[1].split("</table>")[0]
    return re.findall(r'data-label="Person">([^<]*)</td>', table)


def test_search_by_name_and_each_filter(
    riverside: Service, staff: dict[str, Client], store: Store
) -> None:
    daniels(store, 1, 2)
    tom = staff["tom"]
    everyone = titles(tom.get(worklist(riverside)).content.decode())
    assert sorted(everyone) == ["Daniel Hughes 01"] * 4 + ["Daniel Hughes 02"] * 4
    # search: case-insensitive, part of a name
    found = titles(tom.get(worklist(riverside, "?q=hughes+01")).content.decode())
    assert found == ["Daniel Hughes 01"] * 4
    assert titles(tom.get(worklist(riverside, "?q=nobody-like-this")).content.decode()) == []
    # kind
    kind = titles(tom.get(worklist(riverside, "?kind=task_review")).content.decode())
    assert kind == ["Daniel Hughes 01", "Daniel Hughes 02"]
    # overdue only: Daniel's four each; what is due but not overdue is left out
    body = tom.get(worklist(riverside, "?show=overdue")).content.decode()
    assert len(titles(body)) == 8
    assert len(re.findall(r"\d+ days? overdue", body)) == 8
    assert titles(tom.get(worklist(riverside, "?show=closed")).content.decode()) == []
    # owner: every review of these people goes to the team leader
    assert titles(tom.get(worklist(riverside, "?owner=none")).content.decode()) == titles(
        tom.get(worklist(riverside, "?owner=bogus")).content.decode()
    )  # an unknown owner is no filter
    key = f"user:{User.objects.get(username='tom').pk}"
    assert len(titles(tom.get(worklist(riverside, f"?owner={key}")).content.decode())) == 8
    assert titles(tom.get(worklist(riverside, "?owner=none")).content.decode()) == everyone


def test_sort_by_person_and_by_due(
    riverside: Service, staff: dict[str, Client], store: Store
) -> None:
    daniels(store, 1, 3)
    tom = staff["tom"]
    by_person = titles(tom.get(worklist(riverside, "?sort=person")).content.decode())
    assert by_person == sorted(by_person)
    assert by_person[0] == "Daniel Hughes 01" and by_person[-1] == "Daniel Hughes 03"
    body = tom.get(worklist(riverside, "?sort=due")).content.decode()
    days = [int(n) for n in re.findall(r"(\d+) days? overdue", body)]
    assert days == sorted(days, reverse=True)  # most overdue first


def test_fifty_a_page_and_the_page_bounds(
    riverside: Service, staff: dict[str, Client], store: Store
) -> None:
    daniels(store, 1, 13)  # 52 reviews still to do
    tom = staff["tom"]
    first = tom.get(worklist(riverside, "?sort=person")).content.decode()
    assert "Reviews (52)" in first
    assert len(titles(first)) == 50
    assert "Page 1 of 2 (52 in all)." in first
    # the next page's link keeps the filters
    assert 'href="?show=todo&amp;sort=person&amp;page=2"' in first
    last = tom.get(worklist(riverside, "?sort=person&page=2")).content.decode()
    assert titles(last) == ["Daniel Hughes 13"] * 2
    assert titles(tom.get(worklist(riverside, "?sort=person&page=99")).content.decode()) == (
        titles(last)
    )  # beyond the end: the last page
    assert titles(tom.get(worklist(riverside, "?sort=person&page=two")).content.decode()) == (
        titles(first)
    )  # not a number: page 1
    assert titles(tom.get(worklist(riverside, "?sort=person&page=0")).content.decode()) == (
        titles(last)
    )


def test_the_query_count_does_not_grow_with_the_reviews(
    riverside: Service, staff: dict[str, Client], store: Store
) -> None:
    def queries(query: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert staff["tom"].get(worklist(riverside, query)).status_code == 200
        return len(ctx.captured_queries)

    daniels(store, 1, 1)
    small = {q: queries(q) for q in ("", "?q=hughes&sort=person", "?show=all&page=2")}
    daniels(store, 2, 14)  # 60 reviews: two pages
    assert {q: queries(q) for q in small} == small


def test_another_service_is_chosen_with_the_filters_kept(
    riverside: Service, staff: dict[str, Client], store: Store
) -> None:
    northside = Service.objects.create(
        organisation=riverside.organisation, external_id="north", name="Northside"
    )
    from kinwise.core.models import StaffMembership

    StaffMembership.objects.create(
        user=User.objects.get(username="tom"), service=northside, role=StaffRole.TEAM_LEADER
    )
    response = staff["tom"].get(worklist(riverside, f"?service={northside.pk}&q=x&page=3"))
    assert response.status_code == 302
    assert response["Location"] == f"/governance/services/{northside.pk}/worklist/?q=x"
    # a service the member of staff cannot see is not found
    elsewhere = Service.objects.create(
        organisation=Organisation.objects.create(slug="other", name="Other"),
        external_id="x",
        name="Elsewhere",
    )
    assert staff["tom"].get(worklist(riverside, f"?service={elsewhere.pk}")).status_code == 404


def reassign(client: Client, riverside: Service, person: Person, owner: str) -> Any:
    return client.post(
        f"/governance/services/{riverside.pk}/worklist/owner/",
        {"person": person.pk, "key": TASK_KEY, "owner": owner, "next": worklist(riverside)},
    )


@pytest.mark.parametrize("who", ["tom", "ruth"])
def test_a_team_leader_or_manager_reassigns_and_it_is_recorded(
    riverside: Service, staff: dict[str, Client], store: Store, who: str
) -> None:
    (daniel,) = daniels(store, 1, 1)
    quinn = User.objects.get(username="quinn")
    response = reassign(staff[who], riverside, daniel, str(quinn.pk))
    assert response.status_code == 302
    assert response["Location"] == worklist(riverside)
    item = WorkItem.objects.get(person=daniel, key=TASK_KEY)
    assert item.owner_id == quinn.pk
    body = staff[who].get(worklist(riverside, f"?owner=user:{quinn.pk}")).content.decode()
    assert "The review now belongs to Quinn Lee" in body
    assert titles(body) == ["Daniel Hughes 01"]
    # and back to the owner the records give
    assert reassign(staff[who], riverside, daniel, "").status_code == 302
    item.refresh_from_db()
    assert item.owner_id is None
    actor = User.objects.get(username=who)
    history = changes_of(entity="work_item", entity_pk=item.pk)
    assert [(c.action, c.actor_id) for c in history] == [
        ("created", actor.pk),
        ("updated", actor.pk),
    ]
    assert [(c.snapshot["previous_owner"], c.snapshot["owner"]) for c in history] == [
        (None, quinn.pk),
        (quinn.pk, None),
    ]
    assert all(c.created_at is not None for c in history)


def test_reassigning_is_refused_to_others(
    riverside: Service, staff: dict[str, Client], store: Store, member: Callable[..., User]
) -> None:
    (daniel,) = daniels(store, 1, 1)
    tom = User.objects.get(username="tom")
    # a quality lead sees the worklist, without the forms, and may not reassign
    page = staff["quinn"].get(worklist(riverside)).content.decode()
    assert "Reassign" not in page
    assert reassign(staff["quinn"], riverside, daniel, str(tom.pk)).status_code == 403
    # a support worker sees the service but not the worklist: told the role it needs
    assert reassign(staff["priya"], riverside, daniel, str(tom.pk)).status_code == 403
    # nor does a manager of another organisation's service
    other = Service.objects.create(
        organisation=Organisation.objects.create(slug="other", name="Other"),
        external_id="x",
        name="Elsewhere",
    )
    olga = member("olga", other, StaffRole.REGISTERED_MANAGER)
    outsider = Client()
    outsider.login(username="olga", password="pw-for-tests-only")
    second_factor_given(outsider)
    assert reassign(outsider, riverside, daniel, str(tom.pk)).status_code == 404
    assert not WorkItem.objects.exists()
    # a team leader: staff of another organisation are no owner, an unknown review or
    # person is not found
    assert reassign(staff["tom"], riverside, daniel, str(olga.pk)).status_code == 400
    bad_key = staff["tom"].post(
        f"/governance/services/{riverside.pk}/worklist/owner/",
        {"person": daniel.pk, "key": "risk_review:nothing", "owner": ""},
    )
    assert bad_key.status_code == 404
    bad_person = staff["tom"].post(
        f"/governance/services/{riverside.pk}/worklist/owner/",
        {"person": "x", "key": TASK_KEY, "owner": ""},
    )
    assert bad_person.status_code == 404
    assert (
        staff["tom"].get(f"/governance/services/{riverside.pk}/worklist/owner/").status_code == 405
    )
    assert not WorkItem.objects.exists()
    # a support worker of the service may be given a review (docs/access.md)
    priya = User.objects.get(username="priya")
    assert reassign(staff["tom"], riverside, daniel, str(priya.pk)).status_code == 302
    assert [(w.key, w.owner_id) for w in WorkItem.objects.all()] == [(TASK_KEY, priya.pk)]


def test_a_reassign_never_returns_to_another_site(
    riverside: Service, staff: dict[str, Client], store: Store
) -> None:
    (daniel,) = daniels(store, 1, 1)
    response = staff["tom"].post(
        f"/governance/services/{riverside.pk}/worklist/owner/",
        {"person": daniel.pk, "key": TASK_KEY, "owner": "", "next": "https://evil.example/"},
    )
    assert response["Location"] == worklist(riverside)
