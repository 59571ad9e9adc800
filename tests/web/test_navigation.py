"""Links from the service and person pages to evidence and oversight."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client

from kinwise.records.models import Person


def links(html: str) -> list[str]:
    import re

    nav = html.split('aria-label="Evidence and oversight for', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'href="([^"]+)"', nav)


def test_a_manager_sees_oversight_and_evidence(
    people: dict[str, Person], world: dict[str, Any], as_user: Callable[[str], Client]
) -> None:
    riverside = world["services"]["riverside"].pk
    html = as_user("manager").get(f"/services/{riverside}/").content.decode()
    assert links(html) == [
        f"/governance/services/{riverside}/worklist/",
        f"/governance/services/{riverside}/audit/",
        f"/governance/services/{riverside}/trends/",
        f"/governance/services/{riverside}/supervision/",
        f"/services/{riverside}/report/",
        f"/services/{riverside}/inspection/",
        f"/services/{riverside}/ended/",
        f"/manage/services/{riverside}/",
    ]
    for url in links(html):
        assert as_user("manager").get(url).status_code == 200, url


def test_a_support_worker_sees_evidence_only(
    people: dict[str, Person], world: dict[str, Any], as_user: Callable[[str], Client]
) -> None:
    oakfield = world["services"]["oakfield"].pk
    html = as_user("worker").get(f"/services/{oakfield}/").content.decode()
    assert links(html) == [
        f"/services/{oakfield}/report/",
        f"/services/{oakfield}/inspection/",
        f"/services/{oakfield}/ended/",
    ]


def test_a_quality_lead_oversees_but_does_not_supervise(
    people: dict[str, Person], world: dict[str, Any], as_user: Callable[[str], Client]
) -> None:
    oakfield = world["services"]["oakfield"].pk
    html = as_user("quality").get(f"/services/{oakfield}/").content.decode()
    assert f"/governance/services/{oakfield}/worklist/" in links(html)
    assert f"/governance/services/{oakfield}/supervision/" not in links(html)


def test_the_person_page_links_to_the_evidence_pack_and_easy_read(
    people: dict[str, Person], as_user: Callable[[str], Client]
) -> None:
    sam = people["sam"].pk
    html = as_user("manager").get(f"/people/{sam}/").content.decode()
    assert f'href="/people/{sam}/evidence/"' in html
    assert f'href="/people/{sam}/easy-read/"' in html
