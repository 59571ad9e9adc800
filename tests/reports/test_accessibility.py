"""The evidence pages pass the same axe-core check (WCAG 2.2 AA) as the rest of the web
application, in the same headless Chromium (the browser tests' fixtures)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kinwise.core.models import StaffRole
from kinwise.core.services import organisation_ensure, service_ensure, staff_user_ensure
from kinwise.records.models import Person
from kinwise.records.services import casefile_import
from tests.browser.conftest import CHROMIUM, axe_violations, base_url, sign_in_as
from tests.browser.conftest import browser as browser  # noqa: F401 - fixture
from tests.browser.conftest import page as page  # noqa: F401 - fixture
from tests.reports.conftest import example

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason=f"browser tests skipped: {CHROMIUM} not found"
    ),
]


@pytest.fixture
def stored(settings: Any, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    monkeypatch.setattr("kinwise.clock.today", lambda: dt.date(2026, 11, 30))
    acme = organisation_ensure(slug="acme", name="Acme Care")
    riverside = service_ensure(organisation=acme, external_id="riverside", name="Riverside")
    staff_user_ensure(
        username="ruth",
        password="a-long-test-password",
        service=riverside,
        role=StaffRole.REGISTERED_MANAGER,
    )
    people = {}
    for key, name in (("sam", "01-risk-and-independence"), ("daniel", "03-historic-arrangement")):
        result = casefile_import(casefile=example(name), service=riverside, actor=None)
        people[key] = Person.objects.get(pk=result.person_pk)
    return {"service": riverside, "people": people}


@pytest.mark.parametrize(
    "path",
    [
        "people/{sam}/evidence/",
        "people/{daniel}/evidence/",
        "people/{sam}/easy-read/",
        "services/{service}/report/?from=2026-01-01&to=2026-11-30",
        "services/{service}/report/?from=2026-13-01&to=2026-11-30",
        "services/{service}/inspection/?from=2026-01-01&to=2026-11-30",
    ],
)
def test_evidence_page_has_no_axe_violation(
    page: Any,  # noqa: F811
    live_server: Any,
    stored: dict[str, Any],
    path: str,
) -> None:
    url = base_url(live_server)
    sign_in_as(page, url, "ruth")
    target = path.format(
        sam=stored["people"]["sam"].pk,
        daniel=stored["people"]["daniel"].pk,
        service=stored["service"].pk,
    )
    response = page.goto(f"{url}/{target}")
    assert response.status in (200, 400)
    assert axe_violations(page) == []
