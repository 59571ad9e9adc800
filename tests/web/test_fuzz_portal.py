"""No input to the family and person portal reaches a server error: random and boundary
values posted to every portal form (a relative's view and concern, the person's "what I
want to say") and given to every query parameter of every portal page, as the portal
accounts themselves (the staff crawl of tests/web/test_fuzz.py is refused the portal).

The pages are found by following links from each account's portal; every portal route
must be among them. Examples per form and page: the tier's (tests/tiers.py), as in
tests/web/test_fuzz.py. The world and the crawl are made once for the module; each
test's posts are rolled back after it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import get_resolver

from kinwise.family.services import portal_demo_ensure
from kinwise.records.services.edits import record_save
from tests.shareddb import kept_for_module
from tests.web.conftest import PASSWORD, client_for, import_example, make_world
from tests.web.test_fuzz import (
    PROFILE,
    QUERY_PARAMETERS,
    Site,
    _fuzz,
    _route_names,
    _route_of,
    crawl,
)

ACCOUNTS = ("grace", "sam")  # Sam's mother, and Sam himself
# The portal's pages read no query parameter of their own: a quarter of the forms'
# examples each (1 in CI), to keep the test small.
GET_EXAMPLES = max(1, PROFILE.max_examples // 4)


def _crawled() -> dict[str, tuple[Any, Site]]:
    world = make_world()
    sam = import_example("01-risk-and-independence.yaml", world["services"]["riverside"])
    for member in ACCOUNTS:
        portal_demo_ensure(person=sam, member_id=member, username=member, password=PASSWORD)
    # a concern Grace raised, so that her "your concerns" page links to its progress
    record_save(
        person=sam,
        kind="concern",
        record={
            "kind": "concern",
            "raised_by": "grace",
            "date": "2026-03-01",
            "area": "health_treatment",
        },
        actor=None,
    )
    found = {}
    for username in ACCOUNTS:
        user = get_user_model().objects.get(username=username)
        site = crawl(client_for(user), start=("/portal/", f"/portal/{sam.pk}/"), only_person=sam.pk)
        found[username] = (user, site)
    return found


@pytest.fixture(scope="module")
def _sites_once(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    yield from kept_for_module(django_db_blocker, _crawled)


@pytest.fixture
def sites(
    db: Any, fast_passwords: None, _sites_once: dict[str, tuple[Any, Site]]
) -> dict[str, tuple[Client, Site]]:
    return {name: (client_for(user), site) for name, (user, site) in _sites_once.items()}


def test_every_portal_route_is_reached_by_the_accounts_crawls(
    sites: dict[str, tuple[Client, Site]],
) -> None:
    portal = {r for r in _route_names(get_resolver()) if r.startswith("portal:")}
    reached = {route for _, site in sites.values() for route in site.pages}
    assert sorted(portal - reached) == []
    forms = {
        _route_of(urlsplit(form.action).path or path)
        for _, site in sites.values()
        for path, found in site.forms.items()
        for form in found
        if form.method == "post"
    }
    assert {"portal:family_view", "portal:concern", "portal:say"} <= forms


def test_no_portal_query_parameter_value_gives_a_server_error(
    sites: dict[str, tuple[Client, Site]],
) -> None:
    for name, (client, site) in sorted(sites.items()):
        for route, paths in sorted(site.pages.items()):
            if not route.startswith("portal:"):
                continue
            for path in paths:
                names: dict[str, list[str]] = {
                    n: [] for n in sorted(site.parameters.get(path, set()))
                }
                names.update({n: [] for n in QUERY_PARAMETERS})

                def send(
                    values: dict[str, list[str]], path: str = path, client: Client = client
                ) -> int:
                    return int(client.get(path, values).status_code)

                _fuzz(send, names, GET_EXAMPLES, f"GET {name} {route} {path}")


def test_no_portal_form_input_gives_a_server_error(
    sites: dict[str, tuple[Client, Site]],
) -> None:
    posted = 0
    for name, (client, site) in sorted(sites.items()):
        for path, forms in sorted(site.forms.items()):
            for form in forms:
                target = urlsplit(form.action).path or path
                route = _route_of(target)
                if form.method != "post" or route is None or not route.startswith("portal:"):
                    continue

                def send(
                    values: dict[str, list[str]], target: str = target, client: Client = client
                ) -> int:
                    return int(client.post(target, values).status_code)

                _fuzz(send, dict(form.fields), PROFILE.max_examples, f"POST {name} {target}")
                posted += 1
    # Grace's view and concern, Sam's "what I want to say"
    assert posted >= 3
