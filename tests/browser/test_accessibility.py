"""axe-core (WCAG 2.0, 2.1 and 2.2 A and AA rules) reports no violation on any page,
read-only pages, forms, and a form showing its errors."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kinwise.core.models import StaffRole
from kinwise.core.services import organisation_ensure, service_ensure, staff_user_ensure
from tests.browser.conftest import axe_violations, base_url, sign_in, sign_in_as
from tests.web.conftest import PASSWORD, import_example

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EXAMPLE_1 = "01-risk-and-independence.yaml"
EXAMPLE_2 = "02-vocal-relative.before.yaml"
EXAMPLE_3 = "03-historic-arrangement.before.yaml"

# (example file, path under /people/<pk>/)
PERSON_PAGES = [
    (EXAMPLE_1, ""),
    (EXAMPLE_1, "voice/"),
    (EXAMPLE_1, "meetings/"),
    (EXAMPLE_1, "risk/"),
    (EXAMPLE_1, "arrangements/"),
    (EXAMPLE_1, "capacity/"),
    (EXAMPLE_1, "findings/"),
    (EXAMPLE_1, "history/"),
    (EXAMPLE_2, ""),
    (EXAMPLE_2, "findings/"),
    (EXAMPLE_2, "meetings/m1/"),
    (EXAMPLE_3, "arrangements/"),
    (EXAMPLE_3, "history/task/t-mark-meds/"),
    (EXAMPLE_2, "edit/communication/"),
    (EXAMPLE_2, "add/voice/"),
    (EXAMPLE_2, "edit/voice/v0/"),
    (EXAMPLE_2, "add/meeting/"),
    (EXAMPLE_2, "edit/meeting/m1/"),
    (EXAMPLE_1, "add/risk/"),
    (EXAMPLE_1, "add/trial/"),
    (EXAMPLE_1, "add/session/gt1/"),
    (EXAMPLE_1, "add/incident/"),
    (EXAMPLE_1, "add/event/"),
    (EXAMPLE_1, "edit/risk/ra1/"),
    (EXAMPLE_1, "add/assessment/"),
    (EXAMPLE_1, "add/best-interests/"),
    (EXAMPLE_2, "add/consent/"),
    (EXAMPLE_2, "consents/c-plan/withdraw/"),
    (EXAMPLE_1, "add/authority/"),
    (EXAMPLE_2, "add/member/"),
    (EXAMPLE_3, "edit/training/"),
    (EXAMPLE_2, "edit/role/health_treatment/"),
    (EXAMPLE_3, "tasks/t-mark-meds/review/"),
    (EXAMPLE_3, "tasks/t-mark-meds/end/"),
    (EXAMPLE_3, "tasks/t-mark-meds/handover/"),
    (EXAMPLE_2, "remove/voice/v0/"),
]


@pytest.fixture
def manager(settings: Any) -> Any:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    organisation = organisation_ensure(slug="acme", name="Acme Care")
    oakfield = service_ensure(organisation=organisation, external_id="oakfield", name="Oakfield")
    riverside = service_ensure(organisation=organisation, external_id="riverside", name="Riverside")
    staff_user_ensure(
        username="ruth", password=PASSWORD, service=riverside, role=StaffRole.REGISTERED_MANAGER
    )
    return {"oakfield": oakfield, "riverside": riverside}


def _service_for(example: str) -> str:
    return "oakfield" if example == EXAMPLE_2 else "riverside"


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("kinwise.clock.today", lambda: dt.date(2026, 9, 30))


def test_axe_finds_violations(page: Any, live_server: Any) -> None:
    """The check can fail: a field without a label and an image without a text
    alternative are reported."""
    page.set_content('<html lang="en"><title>t</title><main><input><img src="x.png"></main></html>')
    found = {line.split(":")[0] for line in axe_violations(page)}
    assert {"label", "image-alt"} <= found


def test_sign_in_page(page: Any, live_server: Any, manager: Any) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    assert axe_violations(page) == []


def test_sign_in_errors(page: Any, live_server: Any, manager: Any) -> None:
    sign_in(page, live_server.url, "ruth", "wrong password")
    assert page.locator(".nhsuk-error-summary").count() == 1
    assert axe_violations(page) == []


def test_services_and_people(page: Any, live_server: Any, manager: Any) -> None:
    import_example(EXAMPLE_1, manager["riverside"])
    sign_in(page, live_server.url, "ruth", PASSWORD)
    assert page.locator("h1").inner_text() == "Choose a service"
    assert axe_violations(page) == []
    page.click("text=Riverside")
    assert "People we support" in page.locator("h1").inner_text()
    assert axe_violations(page) == []


@pytest.mark.parametrize(("example", "path"), PERSON_PAGES)
def test_person_page(page: Any, live_server: Any, manager: Any, example: str, path: str) -> None:
    person = import_example(example, manager[_service_for(example)])
    sign_in_as(page, live_server.url, "ruth")
    response = page.goto(f"{live_server.url}/people/{person.pk}/{path}")
    assert response.status == 200
    assert axe_violations(page) == []


@pytest.mark.parametrize(
    ("example", "path"),
    [
        (EXAMPLE_2, "add/voice/"),
        (EXAMPLE_2, "add/meeting/"),
        (EXAMPLE_1, "add/risk/"),
        (EXAMPLE_3, "tasks/t-mark-meds/handover/"),
    ],
)
def test_form_with_errors(
    page: Any, live_server: Any, manager: Any, example: str, path: str
) -> None:
    """Submitting an empty form shows the error summary, focused, and each error by its field."""
    person = import_example(example, manager[_service_for(example)])
    sign_in_as(page, live_server.url, "ruth")
    page.goto(f"{live_server.url}/people/{person.pk}/{path}")
    page.click("button[name=save], form button.nhsuk-button:not([name])")
    page.wait_for_load_state()
    summary = page.locator(".nhsuk-error-summary")
    assert summary.count() == 1
    assert page.locator(".nhsuk-error-message").count() >= 1
    assert axe_violations(page) == []


@pytest.mark.parametrize("query", ["?since=2026-04-15", "?as_of=2026-02-30&since=2027-01-01"])
def test_findings_over_a_chosen_period(
    page: Any, live_server: Any, manager: Any, query: str
) -> None:
    """The findings page with a chosen period, and with the period's errors shown."""
    person = import_example(EXAMPLE_2, manager["oakfield"])
    sign_in_as(page, live_server.url, "ruth")
    response = page.goto(f"{live_server.url}/people/{person.pk}/findings/{query}")
    has_errors = "2027" in query
    assert response.status == (400 if has_errors else 200)
    assert page.locator(".nhsuk-error-summary").count() == (1 if has_errors else 0)
    assert axe_violations(page) == []


def test_keyboard_alone_with_visible_focus(page: Any, live_server: Any, manager: Any) -> None:
    """Skip link first, focus drawn in the NHS.UK focus colour, a form submitted by
    keyboard, the error summary focused and its link taking focus to the field."""
    person = import_example(EXAMPLE_2, manager["oakfield"])
    url = base_url(live_server)
    sign_in_as(page, url, "ruth")
    page.goto(f"{url}/people/{person.pk}/consents/c-plan/withdraw/")
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => [document.activeElement.textContent.trim(), getComputedStyle(document.activeElement).backgroundColor]"
    )
    assert focused == ["Skip to main content", "rgb(255, 235, 59)"]
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "maincontent"
    # On through the page to the date field, then submit it empty with Enter.
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.id") == "id_on":
            break
    assert page.evaluate("() => document.activeElement.id") == "id_on"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.className") == "nhsuk-error-summary"
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.getAttribute('href')") == "#id_on"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "id_on"
    assert page.evaluate("() => getComputedStyle(document.activeElement).boxShadow") != "none"
