"""The family and person portal in Chromium: every portal page of the demo's four
portal logins has no axe-core violation and no horizontal scroll at 390 px, and Sam adds
what he wants to say with the keyboard alone."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kinwise.family.models import VoiceDraft
from tests.browser.conftest import axe_violations, base_url, sign_in_as
from tests.browser.test_layout import MEASURE, PHONE
from tests.portal.conftest import add_concerns, make_portal
from tests.web.conftest import make_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def portal_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("kinwise.clock.today", lambda: dt.date(2026, 12, 2))


@pytest.fixture
def portal(settings: Any, live_server: Any) -> dict[str, Any]:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    found = make_portal(make_world())
    found["concerns"] = add_concerns(found)
    found["url"] = base_url(live_server)
    return found


def portal_pages(portal: dict[str, Any]) -> dict[str, list[str]]:
    """Every portal page each demo login can open (and the forms with their errors)."""
    sam, aisha, daniel = (portal["people"][n] for n in ("sam", "aisha", "daniel"))
    return {
        "grace": [
            f"/portal/{sam.pk}/",
            f"/portal/{sam.pk}/area/mobility_outdoors/",
            f"/portal/{sam.pk}/area/health_treatment/",
            f"/portal/{sam.pk}/your-view/",
            f"/portal/{sam.pk}/concern/",
            f"/portal/{sam.pk}/concerns/",
            f"/portal/{sam.pk}/concerns/{portal['concerns']['closed']}/",
        ],
        "imran": [
            "/portal/",
            f"/portal/{aisha.pk}/",
            f"/portal/{aisha.pk}/area/daily_living/",
            f"/portal/{aisha.pk}/area/health_treatment/",
        ],
        "mark": [
            f"/portal/{daniel.pk}/",
            f"/portal/{daniel.pk}/area/medication/",
            f"/portal/{daniel.pk}/area/health_treatment/",
        ],
        "sam": [
            f"/portal/{sam.pk}/",
            f"/portal/{sam.pk}/say/",
            f"/portal/{sam.pk}/who-sees-what/",
            f"/portal/{sam.pk}/area/mobility_outdoors/",
            f"/portal/{sam.pk}/area/medication/",
        ],
    }


def _check(page: Any, problems: list[str], where: str) -> None:
    found = page.evaluate(MEASURE)
    if found["scroll"] > found["width"]:
        problems.append(f"{where}: scrolls to {found['scroll']}px {found['wide']}")
    problems.extend(f"{where}: {v}" for v in axe_violations(page))


def test_every_portal_page_passes_axe_and_fits_390_px(page: Any, portal: dict[str, Any]) -> None:
    page.set_viewport_size(PHONE)
    page.set_default_timeout(60_000)  # many pages, on a machine that may be busy
    problems: list[str] = []
    forms = {"grace": ("your-view/", "concern/"), "sam": ("say/",)}
    for username, paths in portal_pages(portal).items():
        page.context.clear_cookies()
        sign_in_as(page, portal["url"], username)
        for path in paths:
            response = page.goto(portal["url"] + path)
            assert response is not None and response.status == 200, path
            _check(page, problems, path)
            if path.endswith(forms.get(username, ("-",))):
                page.click("form button[type=submit]")  # submitted empty: the errors shown
                page.wait_for_load_state()
                assert page.locator(".nhsuk-error-summary").count() == 1, path
                _check(page, problems, path + " (errors)")
    assert problems == []


def test_sam_adds_what_he_wants_to_say_with_the_keyboard_only(
    page: Any, portal: dict[str, Any]
) -> None:
    sam = portal["people"]["sam"]
    page.set_viewport_size(PHONE)
    sign_in_as(page, portal["url"], "sam")
    page.goto(f"{portal['url']}/portal/{sam.pk}/")

    def tab_to(name: str, limit: int = 60) -> None:
        for _ in range(limit):
            page.keyboard.press("Tab")
            focused = page.evaluate(
                "() => (document.activeElement.innerText || document.activeElement.labels?.[0]"
                "?.innerText || '').trim()"
            )
            if focused.startswith(name):
                return
        raise AssertionError(f"never reached {name!r} with Tab")

    tab_to("Add what I want to say")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/portal/{sam.pk}/say/")
    tab_to("What I want to say")
    page.keyboard.type("I want to go to the library on Saturdays.")
    tab_to("Send it")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/portal/{sam.pk}/")
    assert "A member of staff will read it with you" in page.inner_text("main")
    draft = VoiceDraft.objects.get()
    assert (draft.text, draft.area, draft.helped_by) == (
        "I want to go to the library on Saturdays.",
        "",
        [],
    )
