"""Nothing typed is lost, in Chromium with the Content-Security-Policy on: a view typed,
the session ended on the server (idle), Save, sign in again, and what was typed is on the
form to check and save; then a draft kept while typing, offered when the form is opened
again and restored. axe-core finds nothing on the form shown again or restored."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore

from kinwise.accounts.sessions import SEEN
from kinwise.core.models import RecordVersion, StaffRole
from kinwise.core.services import organisation_ensure, service_ensure, staff_user_ensure
from kinwise.drafts.models import FormInput
from kinwise.records.models import Person
from tests.browser.conftest import axe_violations, base_url, sign_in
from tests.web.conftest import PASSWORD, import_example

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def aisha(settings: Any) -> Person:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    acme = organisation_ensure(slug="acme", name="Acme Care")
    oakfield = service_ensure(organisation=acme, external_id="oakfield", name="Oakfield")
    staff_user_ensure(
        username="lena", password=PASSWORD, service=oakfield, role=StaffRole.SUPPORT_WORKER
    )
    return import_example("02-vocal-relative.before.yaml", oakfield)


def end_session_on_server(page: Any) -> None:
    """The browser's session, last used 31 minutes ago: the next request ends it."""
    cookie = next(c for c in page.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME)
    session = SessionStore(session_key=cookie["value"])
    session[SEEN] = float(session[SEEN]) - 31 * 60
    session.save()


def fill_view(page: Any, summary: str) -> None:
    page.fill("#id_date", "2026-06-02")
    page.select_option("#id_method", "talking_mats")
    page.check("input[name=setting][value=separate]")
    page.select_option("#id_captured_by", "lena")
    page.check("input[name=present][value=lena]")
    page.check("input[name=direct][value=yes]")
    page.fill("#id_summary", summary)


def test_typed_input_survives_the_session_ending_and_a_draft_is_restored(
    strict_page: Any, browser: Any, live_server: Any, aisha: Person
) -> None:
    page = strict_page
    url = base_url(live_server)
    form = f"{url}/people/{aisha.pk}/add/voice/"
    sign_in(page, url, "lena", PASSWORD)
    page.goto(form)
    fill_view(page, "Likes the day centre on Mondays.")
    end_session_on_server(page)
    before = RecordVersion.objects.filter(person=aisha).count()

    with page.expect_navigation():
        page.click("button:has-text('Save')")
    assert page.url.startswith(f"{url}/accounts/login/")
    assert "What you had typed is kept" in page.locator("main").inner_text()
    page.fill("#id_username", "lena")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")

    assert page.url == form
    assert "You were signed out before this form was saved" in page.locator("main").inner_text()
    assert page.locator("#id_summary").input_value() == "Likes the day centre on Mondays."
    assert page.locator("#id_date").input_value() == "2026-06-02"
    assert page.locator("input[name=setting][value=separate]").is_checked()
    assert page.locator("input[name=present][value=lena]").is_checked()
    assert RecordVersion.objects.filter(person=aisha).count() == before  # not saved by itself
    # axe-core runs in a tab of its own context that lets it in (this one keeps the policy)
    assert _axe_on(browser, page, form) == []
    with page.expect_navigation():
        page.click("button:has-text('Save')")
    assert page.url == f"{url}/people/{aisha.pk}/voice/"
    assert RecordVersion.objects.filter(person=aisha).count() == before + 1
    assert FormInput.objects.count() == 0

    # a draft, kept on the server while typing (never in the browser's storage)
    page.goto(form)
    fill_view(page, "Wants to try the Tuesday group.")
    page.wait_for_selector("form[data-draft-state=kept]")
    draft = FormInput.objects.get()
    assert draft.fields["summary"] == ["Wants to try the Tuesday group."]
    assert "csrfmiddlewaretoken" not in draft.fields
    stored = page.evaluate(
        "[localStorage, sessionStorage].flatMap(s => Object.keys(s).map(k => k + '=' + s.getItem(k)))"
    )
    assert not any("Tuesday" in item for item in stored), len(stored)
    page.goto(f"{url}/people/{aisha.pk}/voice/")
    page.goto(form)
    assert "You have a draft of this form" in page.locator("main").inner_text()
    assert page.locator("#id_summary").input_value() == ""
    with page.expect_navigation():
        page.click("text=Restore the draft")
    assert page.locator("#id_summary").input_value() == "Wants to try the Tuesday group."
    assert page.locator("input[name=direct][value=yes]").is_checked()
    assert _axe_on(browser, page, page.url) == []
    with page.expect_navigation():
        page.click("button:has-text('Save')")
    assert page.url == f"{url}/people/{aisha.pk}/voice/"
    assert FormInput.objects.count() == 0
    assert RecordVersion.objects.filter(person=aisha).count() == before + 2


def _axe_on(browser: Any, page: Any, address: str) -> list[str]:
    """axe-core's violations on ``address`` opened with ``page``'s cookies in a context
    that lets axe-core's script in."""
    context = browser.new_context(viewport={"width": 1024, "height": 900}, bypass_csp=True)
    try:
        context.add_cookies(page.context.cookies())
        tab = context.new_page()
        tab.goto(address)
        return axe_violations(tab)
    finally:
        context.close()
