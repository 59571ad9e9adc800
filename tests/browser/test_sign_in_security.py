"""In Chromium: a registered manager sets up an authenticator app and signs in with a
code computed in the test; the idle warning takes focus, is announced and "Stay signed
in" keeps the session; pages load with no Content-Security-Policy violation."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from kinwise.core.models import StaffRole
from kinwise.core.services import organisation_ensure, service_ensure, staff_user_ensure
from tests.browser.conftest import axe_violations, base_url, sign_in_as
from tests.signin import code_for_key, code_from_secret
from tests.web.conftest import PASSWORD, import_example

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def staff(settings: Any) -> dict[str, Any]:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    acme = organisation_ensure(slug="acme", name="Acme Care")
    riverside = service_ensure(organisation=acme, external_id="riverside", name="Riverside")
    staff_user_ensure(
        username="ruth", password=PASSWORD, service=riverside, role=StaffRole.REGISTERED_MANAGER
    )
    staff_user_ensure(
        username="priya", password=PASSWORD, service=riverside, role=StaffRole.SUPPORT_WORKER
    )
    return {"riverside": riverside}


def password_step(page: Any, url: str, username: str) -> None:
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def test_a_registered_manager_sets_up_an_app_and_signs_in_with_a_code(
    page: Any, live_server: Any, staff: dict[str, Any]
) -> None:
    url = base_url(live_server)
    password_step(page, url, "ruth")
    # sent to set up two-step sign-in before any other page
    assert page.url.startswith(f"{url}/accounts/two-step/")
    page.goto(f"{url}/services/{staff['riverside'].pk}/")
    assert page.url.startswith(f"{url}/accounts/two-step/")
    assert page.locator("h1").inner_text() == "Set up two-step sign-in"
    assert page.locator("img.kw-qr").evaluate("img => img.complete && img.naturalWidth > 0")
    assert axe_violations(page) == []

    # a wrong code first: the error summary, then the right one read off the page
    page.fill("#id_code", "000000")
    page.click("form button.nhsuk-button")
    page.wait_for_load_state()
    assert page.locator(".nhsuk-error-summary").count() == 1
    assert axe_violations(page) == []
    page.wait_for_timeout(2100)  # django-otp's wait after a wrong code
    secret = page.locator("#totp-secret").inner_text()
    page.fill("#id_code", code_from_secret(secret))
    page.click("form button.nhsuk-button")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().endswith("People we support")

    page.click("text=Sign out")
    page.wait_for_load_state()
    # the next sign-in, half a minute later: a code is asked for after the password
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=31)
    with time_machine.travel(later, tick=True):
        password_step(page, url, "ruth")
        assert page.url.startswith(f"{url}/accounts/code/")
        assert page.locator("h1").inner_text() == "Enter the code from your authenticator app"
        assert axe_violations(page) == []
        page.fill("#id_code", code_from_secret(secret))
        page.click("form button.nhsuk-button")
        page.wait_for_load_state()
        assert page.locator("h1").inner_text().endswith("People we support")
        page.goto(f"{url}/accounts/security/")
        assert "Two-step sign-in is on" in page.locator("main").inner_text()


def test_the_idle_warning_takes_focus_and_stay_signed_in_keeps_the_session(
    page: Any, live_server: Any, staff: dict[str, Any]
) -> None:
    url = base_url(live_server)
    sign_in_as(page, url, "priya")
    page.clock.install()
    page.goto(f"{url}/services/{staff['riverside'].pk}/")
    warning = page.locator("#session-warning")
    assert warning.is_hidden()
    page.clock.run_for("27:50")
    assert warning.is_hidden()
    page.clock.run_for("00:20")  # 28 minutes 10 seconds: under two minutes left
    assert warning.is_visible()
    assert page.evaluate("() => document.activeElement.id") == "session-warning"
    assert warning.get_attribute("role") == "alertdialog"
    assert "You will be signed out soon" in warning.inner_text()
    assert "2 minutes" in warning.inner_text()
    assert axe_violations(page) == []

    with page.expect_response(f"{url}/accounts/session/stay/") as answer:
        page.click("text=Stay signed in")
    assert answer.value.json()["signed_in"] is True
    page.wait_for_function("() => document.getElementById('session-warning').hidden")
    page.clock.run_for("27:00")
    assert warning.is_hidden()  # the countdown started again from the server's answer
    page.clock.run_for("01:30")
    assert warning.is_visible()


def test_the_sign_in_security_pages_pass_axe(
    page: Any, live_server: Any, staff: dict[str, Any]
) -> None:
    url = base_url(live_server)
    sign_in_as(page, url, "priya")
    for path in ("/accounts/security/", "/accounts/two-step/", "/accounts/confirm/"):
        response = page.goto(f"{url}{path}")
        assert response.status == 200, path
        assert axe_violations(page) == [], path
    page.click("form button.nhsuk-button")  # the confirm page, submitted empty
    page.wait_for_load_state()
    assert page.locator(".nhsuk-error-summary").count() == 1
    assert axe_violations(page) == []


def test_a_code_page_with_an_error_passes_axe(
    page: Any, live_server: Any, staff: dict[str, Any]
) -> None:
    from django.contrib.auth import get_user_model
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = get_user_model().objects.get(username="priya")
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    url = base_url(live_server)
    password_step(page, url, "priya")
    assert page.url.startswith(f"{url}/accounts/code/")
    page.fill("#id_code", "12")
    page.click("form button.nhsuk-button")
    page.wait_for_load_state()
    assert page.locator(".nhsuk-error-summary").count() == 1
    assert axe_violations(page) == []
    page.fill("#id_code", code_for_key(device.key))
    page.click("form button.nhsuk-button")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().endswith("People we support")


def test_pages_break_no_content_security_policy_rule(
    strict_page: Any, live_server: Any, staff: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The policy allows what Kinwise's pages use: the NHS.UK frontend, HTMX, the drawn
    charts inline in reports; a violation would show in the console."""
    monkeypatch.setattr("kinwise.clock.today", lambda: dt.date(2026, 9, 30))
    sam = import_example("01-risk-and-independence.yaml", staff["riverside"])
    aisha = import_example("02-vocal-relative.before.yaml", staff["riverside"])
    page = strict_page
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text[:80])
            if "Content Security Policy" in message.text
            else None
        ),
    )
    url = base_url(live_server)
    sign_in_as(page, url, "ruth")
    paths = [
        "/accounts/login/",
        f"/services/{staff['riverside'].pk}/",
        f"/people/{sam.pk}/",
        f"/people/{sam.pk}/risk/",
        f"/people/{sam.pk}/evidence/",
        f"/services/{staff['riverside'].pk}/report/",
        f"/people/{aisha.pk}/add/meeting/",
    ]
    for path in paths:
        response = page.goto(f"{url}{path}")
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")
    # HTMX at work on the meeting form: a change in the contributions asks for the balance
    with page.expect_response(lambda r: r.url.endswith("/meetings-balance/")) as balance:
        page.locator("#contributions select").first.select_option(index=1)
    assert balance.value.status == 200
    page.wait_for_load_state("networkidle")
    assert page.evaluate("() => document.body.classList.contains('js-enabled')")
    # The NHS.UK stylesheet names its fonts on assets.nhs.uk: the policy refuses them (no
    # request leaves for another origin) and the page keeps the stylesheet's fallback font.
    others = [v for v in violations if not v.startswith("Loading the font 'https://assets.nhs.uk/")]
    assert others == []


def test_the_policy_does_block_an_inline_script(
    strict_page: Any, live_server: Any, staff: dict[str, Any]
) -> None:
    """The check above can fail: a script added inline is refused, and reported."""
    violations: list[str] = []
    strict_page.on(
        "console",
        lambda message: (
            violations.append("csp") if "Content Security Policy" in message.text else None
        ),
    )
    strict_page.goto(f"{base_url(live_server)}/accounts/login/")
    with pytest.raises(Exception, match="Content Security Policy"):
        strict_page.add_script_tag(content="window.injected = true")
    assert strict_page.evaluate("() => window.injected === undefined")
