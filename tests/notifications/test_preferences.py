"""The "Email preferences" page: each user turns their emails on or off; the change is
kept with who made it and when."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from kinwise.governance.models import GovernanceChange
from kinwise.notifications.models import EmailPreference
from tests.browser.conftest import axe_violations, base_url, sign_in_as
from tests.notifications.conftest import Riverside
from tests.signin import signed_in_client

URL = "/accounts/email/"


def client_for(user: Any) -> Client:
    return signed_in_client(user)


def checkbox(html: str, name: str) -> str | None:
    """'checked' or 'unchecked' for the named checkbox, None when it is not shown."""
    marker = f'name="{name}" type="checkbox"'
    if marker not in html:
        return None
    tail = html.split(marker, 1)[1].split(">", 1)[0]
    return "checked" if " checked" in tail else "unchecked"


def test_a_support_worker_sees_the_daily_email_on_and_no_weekly_summary(
    riverside: Riverside,
) -> None:
    response = client_for(riverside.priya).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Email preferences</h1>" in html
    assert checkbox(html, "daily_work_items") == "checked"
    assert checkbox(html, "weekly_summary") is None
    assert "Kinwise has no email address for you" not in html


def test_a_registered_manager_sees_both(riverside: Riverside) -> None:
    html = client_for(riverside.ruth).get(URL).content.decode()
    assert checkbox(html, "daily_work_items") == "checked"
    assert checkbox(html, "weekly_summary") == "checked"


def test_turning_the_daily_email_off_is_saved_with_its_history(riverside: Riverside) -> None:
    client = client_for(riverside.priya)
    response = client.post(URL, {})
    assert (response.status_code, response["Location"]) == (302, URL)
    preference = EmailPreference.objects.get(user=riverside.priya)
    assert (preference.daily_work_items, preference.weekly_summary) == (False, True)
    (change,) = GovernanceChange.objects.filter(entity="email_preference")
    assert (change.entity_pk, change.action, change.actor_id) == (
        preference.pk,
        "created",
        riverside.priya.pk,
    )
    assert change.snapshot == {
        "user": riverside.priya.pk,
        "daily_work_items": False,
        "weekly_summary": True,
    }
    page = client.get(URL).content.decode()
    assert "Your email preferences are saved." in page
    assert checkbox(page, "daily_work_items") == "unchecked"

    client.post(URL, {"daily_work_items": "on"})
    preference.refresh_from_db()
    assert preference.daily_work_items is True
    assert list(
        GovernanceChange.objects.filter(entity="email_preference").values_list("action", flat=True)
    ) == ["created", "updated"]


def test_only_a_registered_manager_can_change_the_weekly_summary(riverside: Riverside) -> None:
    client_for(riverside.priya).post(URL, {"daily_work_items": "on"})
    assert EmailPreference.objects.get(user=riverside.priya).weekly_summary is True
    client_for(riverside.ruth).post(URL, {"daily_work_items": "on"})
    assert EmailPreference.objects.get(user=riverside.ruth).weekly_summary is False
    client_for(riverside.ruth).post(URL, {"weekly_summary": "on"})
    ruth = EmailPreference.objects.get(user=riverside.ruth)
    assert (ruth.daily_work_items, ruth.weekly_summary) == (False, True)


def test_without_an_address_the_page_says_no_email_is_sent(riverside: Riverside) -> None:
    riverside.lena.email = ""
    riverside.lena.save()
    html = client_for(riverside.lena).get(URL).content.decode()
    assert "Kinwise has no email address for you, so it sends you no emails." in html


def test_signing_in_comes_first(riverside: Riverside) -> None:
    response = Client().get(URL)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={URL}"


def test_the_header_links_to_the_page(riverside: Riverside) -> None:
    html = client_for(riverside.tom).get("/", follow=True).content.decode()
    assert f'<a class="nhsuk-header__account-link" href="{URL}">Email preferences</a>' in html


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1024, 390])
def test_the_page_is_accessible(
    page: Any, live_server: Any, riverside: Riverside, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    site = base_url(live_server)
    sign_in_as(page, site, "ruth")
    page.goto(f"{site}{URL}")
    assert axe_violations(page) == []
    page.uncheck("#weekly_summary")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert (
        page.locator(".nhsuk-notification-banner")
        .inner_text()
        .strip()
        .endswith("Your email preferences are saved.")
    )
    assert axe_violations(page) == []
    # nothing wider than the screen
    assert page.evaluate("document.documentElement.scrollWidth") <= width
