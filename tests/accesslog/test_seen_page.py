"""Who has seen a person's records: a page for registered managers only, linked from the
person's pages, paged, in plain words (ids and usernames, never what was shown)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from kinwise.access.roles import ORGANISATION_WIDE_ROLES
from kinwise.accesslog.log import access_context, append
from kinwise.accesslog.models import AccessLogEntry
from kinwise.accesslog.selectors import PAGE_SIZE
from kinwise.records.models import Person
from tests.web.conftest import client_for

LINK = "Who has seen these records"


def rows(body: str) -> list[list[str]]:
    found = re.findall(r"<tr>\s*(<td.*?)</tr>", body, flags=re.S)
    return [
        [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        for row in found
    ]


def test_a_registered_manager_sees_who_looked_in_plain_words(
    world: dict[str, Any], people: dict[str, Person]
) -> None:
    sam = people["sam"]
    client_for(world["users"]["leader"]).get(f"/people/{sam.pk}/voice/")
    client_for(world["users"]["outsider"]).get(f"/people/{sam.pk}/")
    manager = client_for(world["users"]["manager"])
    overview = manager.get(f"/people/{sam.pk}/").content.decode()
    assert f'<a href="/people/{sam.pk}/seen-by/">{LINK}</a>' in overview
    response = manager.get(f"/people/{sam.pk}/seen-by/")
    assert response.status_code == 200
    body = response.content.decode()
    assert f"<h1>Who has seen {sam.name}'s records</h1>" in body
    table = rows(body)
    # newest first: this page itself, the manager's overview, the outsider turned away, the leader
    assert [r[1:] for r in table] == [
        [
            "manager",
            "Registered manager",
            "Who has seen these records",
            "To read",
            "Shown",
            "127.0.0.1",
        ],
        ["manager", "Registered manager", "Who decides what", "To read", "Shown", "127.0.0.1"],
        ["outsider", "No role here", "Who decides what", "To read", "Turned away", "127.0.0.1"],
        ["leader", "Team leader", "Voice", "To read", "Shown", "127.0.0.1"],
    ]
    assert "web:" not in body and sam.external_id not in re.findall(r"<td[^>]*>(.*?)</td>", body)


@pytest.mark.parametrize("viewer", ["worker", "leader", "quality", "outsider"])
def test_other_roles_are_refused_and_the_refusal_is_logged(
    world: dict[str, Any], people: dict[str, Person], viewer: str
) -> None:
    sam = people["sam"] if viewer != "worker" else people["aisha"]
    client = client_for(world["users"][viewer])
    if viewer != "outsider":  # they may read the person, but see no link to the log
        assert LINK not in client.get(f"/people/{sam.pk}/").content.decode()
    assert client.get(f"/people/{sam.pk}/seen-by/").status_code == 404
    last = AccessLogEntry.objects.order_by("-id")[0]
    assert (last.user_pk, last.person_pk, last.page, last.allowed) == (
        world["users"][viewer].pk,
        sam.pk,
        "web:access_log",
        False,
    )


def test_anonymous_is_sent_to_sign_in(people: dict[str, Person]) -> None:
    from django.test import Client

    response = Client().get(f"/people/{people['sam'].pk}/seen-by/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_list_is_paged(world: dict[str, Any], people: dict[str, Person]) -> None:
    sam = people["sam"]
    leader = world["users"]["leader"]
    with access_context(client="10.0.0.1", page="web:risk"):
        for _ in range(PAGE_SIZE + 1):
            append(
                chain=sam.service.organisation_id,
                user_pk=leader.pk,
                subject="person",
                person_pk=sam.pk,
                service_pk=sam.service_id,
                purpose="read",
                allowed=True,
                wide_roles=ORGANISATION_WIDE_ROLES,
            )
    manager = client_for(world["users"]["manager"])
    first = manager.get(f"/people/{sam.pk}/seen-by/").content.decode()
    assert len(rows(first)) == PAGE_SIZE
    assert f"Page 1 of 2 ({PAGE_SIZE + 2} in all)" in first
    second = manager.get(f"/people/{sam.pk}/seen-by/?page=2").content.decode()
    # two more entries by now (the two pages opened): the last three are the leader's
    assert [r[1:4] for r in rows(second)] == [["leader", "Team leader", "Risk"]] * 3
    assert len(rows(manager.get(f"/people/{sam.pk}/seen-by/?page=x").content.decode())) == (
        PAGE_SIZE
    )


def test_nobody_yet(world: dict[str, Any], people: dict[str, Person]) -> None:
    from kinwise.access import person_log_for_viewer
    from kinwise.accesslog.selectors import seen_page

    sam = people["sam"]
    person = person_log_for_viewer(user=world["users"]["manager"], person_pk=sam.pk)
    assert [e.page for e in seen_page(person=person, number=None)] == [""]
