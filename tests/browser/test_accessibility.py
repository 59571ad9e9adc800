"""axe-core (WCAG 2.0, 2.1 and 2.2 A and AA rules) reports no violation on any page,
read-only pages, forms, and a form showing its errors."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kinwise.core.models import StaffRole
from kinwise.core.services import organisation_ensure, service_ensure, staff_user_ensure
from tests.browser.conftest import axe_violations, base_url, sign_in, sign_in_as
from tests.web.conftest import PASSWORD, import_example, record_path

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
    (EXAMPLE_1, "add/risk_assessment/"),
    (EXAMPLE_1, "add/graded_trial/"),
    (EXAMPLE_1, "add/session/gt1/"),
    (EXAMPLE_1, "add/incident/"),
    (EXAMPLE_1, "add/event/"),
    (EXAMPLE_1, "edit/risk_assessment/ra1/"),
    (EXAMPLE_1, "add/capacity_assessment/"),
    (EXAMPLE_1, "add/best_interests/"),
    (EXAMPLE_2, "add/consent/"),
    (EXAMPLE_2, "consents/c-plan/withdraw/"),
    (EXAMPLE_1, "add/authority/"),
    (EXAMPLE_2, "add/member/"),
    (EXAMPLE_3, "edit/training/"),
    (EXAMPLE_2, "edit/role/health_treatment/"),
    (EXAMPLE_3, "tasks/t-mark-meds/review/"),
    (EXAMPLE_3, "tasks/t-mark-meds/end/"),
    (EXAMPLE_3, "tasks/t-mark-meds/handover/"),
    (EXAMPLE_2, "records/{voice:v0}/correct/"),
    (EXAMPLE_3, "add/task/"),
    (EXAMPLE_3, "edit/emotional-support/"),
    (EXAMPLE_3, "add/role/"),
    (EXAMPLE_3, "edit/plan/"),
    (EXAMPLE_3, "add/medicine/"),
    (EXAMPLE_3, "add/medication_audit/"),
    (EXAMPLE_3, "records/{medication_audit:ma1}/change/"),
    (EXAMPLE_3, "records/{task:t-mark-meds}/change/"),
    (EXAMPLE_1, "add/stage/gt1/"),
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


@pytest.mark.parametrize(
    "path", ["/accounts/security/", "/accounts/two-step/", "/accounts/confirm/"]
)
def test_sign_in_security_pages(page: Any, live_server: Any, manager: Any, path: str) -> None:
    """The account's sign-in security, setting up an authenticator app, and step-up."""
    sign_in_as(page, live_server.url, "ruth")
    response = page.goto(f"{live_server.url}{path}")
    assert response.status == 200
    assert axe_violations(page) == []


def test_sign_in_after_a_session_ended(page: Any, live_server: Any, manager: Any) -> None:
    """The sign-in page saying why the last session ended (here: the account changed)."""
    from django.contrib.auth import get_user_model

    from kinwise.core.services import account_sessions_end

    sign_in_as(page, live_server.url, "ruth")
    account_sessions_end(user_id=get_user_model().objects.get(username="ruth").pk)
    page.goto(f"{live_server.url}/services/{manager['riverside'].pk}/")
    assert "your account changed" in page.locator("main").inner_text()
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
    response = page.goto(f"{live_server.url}/people/{person.pk}/{record_path(path, person)}")
    assert response.status == 200
    assert axe_violations(page) == []


@pytest.mark.parametrize(
    ("example", "path"),
    [
        (EXAMPLE_2, "add/voice/"),
        (EXAMPLE_2, "add/meeting/"),
        (EXAMPLE_1, "add/risk_assessment/"),
        (EXAMPLE_3, "tasks/t-mark-meds/handover/"),
        (EXAMPLE_3, "add/medicine/"),
        (EXAMPLE_3, "add/medication_audit/"),
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


# --- set-up and administration --------------------------------------------------------


@pytest.fixture
def provider(manager: Any) -> dict[str, Any]:
    """The manager's organisation with a person supported, one whose support has ended,
    a support worker and an invited member of staff."""
    from django.contrib.auth import get_user_model

    from kinwise.core.models import StaffMembership
    from kinwise.records.services.support import support_end

    sam = import_example(EXAMPLE_1, manager["riverside"])
    daniel = import_example(EXAMPLE_3, manager["riverside"])
    support_end(person=daniel, ended="2026-09-01", reason="moved", actor=None)
    worker = staff_user_ensure(
        username="femi",
        password=PASSWORD,
        service=manager["oakfield"],
        role=StaffRole.SUPPORT_WORKER,
    )
    invited = get_user_model().objects.create_user(
        username="tom", email="tom@example.org", first_name="Tom", last_name="Reid"
    )
    StaffMembership.objects.create(
        user=invited, service=manager["riverside"], role=StaffRole.SUPPORT_WORKER
    )
    return {**manager, "sam": sam, "worker": worker, "invited": invited}


ADMIN_PAGES = [
    "/manage/",
    "/manage/services/add/",
    "/manage/services/{riverside}/",
    "/manage/services/{riverside}/rename/",
    "/manage/services/{riverside}/people/add/",
    "/manage/people/{sam}/end-support/",
    "/manage/staff/invite/",
    "/manage/staff/{worker}/",
    "/manage/staff/{invited}/",
    "/manage/staff/{worker}/role/",
    "/manage/staff/{worker}/deactivate/",
    "/services/{riverside}/ended/",
]

# (page, button): each form submitted empty shows its errors
ADMIN_FORMS = [
    ("/manage/services/add/", "Add the service"),
    ("/manage/services/{riverside}/people/add/", "Add the person"),
    ("/manage/people/{sam}/end-support/", "Record the end of support"),
    ("/manage/staff/invite/", "Send the invitation"),
    ("/manage/staff/{worker}/role/", "Save the role"),
]


def _admin_address(template: str, provider: dict[str, Any]) -> str:
    return template.format(
        riverside=provider["riverside"].pk,
        sam=provider["sam"].pk,
        worker=provider["worker"].pk,
        invited=provider["invited"].pk,
    )


def _fits_390(page: Any) -> bool:
    page.set_viewport_size({"width": 390, "height": 844})
    return bool(page.evaluate("() => document.documentElement.scrollWidth <= 390"))


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_admin_page(page: Any, live_server: Any, provider: dict[str, Any], path: str) -> None:
    sign_in_as(page, live_server.url, "ruth")
    response = page.goto(f"{live_server.url}{_admin_address(path, provider)}")
    assert response.status == 200
    assert axe_violations(page) == []
    assert _fits_390(page)
    assert axe_violations(page) == []


@pytest.mark.parametrize(("path", "button"), ADMIN_FORMS)
def test_admin_form_with_errors(
    page: Any, live_server: Any, provider: dict[str, Any], path: str, button: str
) -> None:
    sign_in_as(page, live_server.url, "ruth")
    page.goto(f"{live_server.url}{_admin_address(path, provider)}")
    if "people/add" in path:
        page.fill("#id_version_date", "")
        page.fill("#id_member-0-name", "Jo Lee")
    with page.expect_navigation():
        page.click(f"button:has-text('{button}')")
    assert page.locator(".nhsuk-error-summary").count() == 1
    assert page.locator(".nhsuk-error-message").count() >= 1
    assert axe_violations(page) == []
    assert _fits_390(page)


def test_admin_refusal_with_errors(page: Any, live_server: Any, provider: dict[str, Any]) -> None:
    """The staff page showing a refused change (the last role cannot be removed)."""
    sign_in_as(page, live_server.url, "ruth")
    page.goto(f"{live_server.url}/manage/staff/{provider['worker'].pk}/")
    with page.expect_navigation():
        page.click("button:has-text('Remove')")
    assert page.locator(".nhsuk-error-summary").count() == 1
    assert axe_violations(page) == []


def test_password_pages(page: Any, live_server: Any, provider: dict[str, Any]) -> None:
    """Forgotten password (empty, with an error, sent), the invitation's page to set a
    password (and its errors), a spent link, and the page after saving."""
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    url = live_server.url
    page.goto(f"{url}/accounts/password-reset/")
    assert axe_violations(page) == []
    page.fill("#id_email", "not an address")
    with page.expect_navigation():
        page.click("button:has-text('Send the link')")
    assert page.locator(".nhsuk-error-summary").count() == 1
    assert axe_violations(page) == []
    page.fill("#id_email", "nobody@example.org")
    with page.expect_navigation():
        page.click("button:has-text('Send the link')")
    assert page.locator("h1").inner_text() == "Check your email"
    assert axe_violations(page) == []

    invited = provider["invited"]
    uid = urlsafe_base64_encode(force_bytes(invited.pk))
    token = default_token_generator.make_token(invited)
    page.goto(f"{url}/accounts/welcome/{uid}/{token}/")
    assert page.locator("h1").inner_text() == "Set your password"
    assert axe_violations(page) == []
    page.fill("#id_new_password1", "one-long-passphrase")
    page.fill("#id_new_password2", "another-passphrase")
    with page.expect_navigation():
        page.click("button:has-text('Save the password')")
    assert page.locator(".nhsuk-error-summary").count() == 1
    assert axe_violations(page) == []
    assert _fits_390(page)
    page.fill("#id_new_password1", "one-long-passphrase")
    page.fill("#id_new_password2", "one-long-passphrase")
    with page.expect_navigation():
        page.click("button:has-text('Save the password')")
    assert page.locator("h1").inner_text() == "Your password is saved"
    assert axe_violations(page) == []
    page.goto(f"{url}/accounts/welcome/{uid}/{token}/")
    assert page.locator("h1").inner_text() == "This link does not work"
    assert axe_violations(page) == []


@pytest.mark.parametrize("width", [1024, 390])
def test_my_work(page: Any, live_server: Any, manager: Any, width: int) -> None:
    from django.contrib.auth import get_user_model

    from kinwise.governance.work_services import work_item_update

    riverside = manager["riverside"]
    daniel = import_example(EXAMPLE_3, riverside)
    priya = staff_user_ensure(
        username="priya", password=PASSWORD, service=riverside, role=StaffRole.SUPPORT_WORKER
    )
    work_item_update(
        person=daniel,
        key="arrangement_review:event:e1/task:t-mark-meds",
        owner=priya,
        note="",
        actor=get_user_model().objects.get(username="ruth"),
        as_of=dt.date(2026, 9, 30),
    )
    page.set_viewport_size({"width": width, "height": 900})
    sign_in_as(page, live_server.url, "priya")
    page.goto(f"{live_server.url}/services/{riverside.pk}/")
    assert "Daniel Hughes" in page.locator("#my-work-heading + ul").inner_text()
    assert axe_violations(page) == []
    page.click("text=See all your work")
    assert page.locator("h1").inner_text().endswith("My work")
    assert "Overdue (1)" in page.locator("#overdue-heading").inner_text()
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
