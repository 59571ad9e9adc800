"""A provider sets itself up in the browser, from `kinwise createadmin` alone: the manager
adds a service, a person and a support worker; the support worker follows the emailed
link, sets a password, signs in and records a view; the manager resets a forgotten
password by email. The emails go through a real SMTP listener on this machine."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import re
import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from kinwise.cli import main
from kinwise.records.models import Person
from tests.browser.conftest import base_url, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADMIN_PASSWORD = "first-manager-passphrase"
TODAY = dt.date(2026, 9, 30)
LINK = re.compile(r"https?://\S+")


class Inbox:
    """An aiosmtpd handler keeping every message it is sent."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.arrived = threading.Condition()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.arrived:
            self.messages.append(message)  # type: ignore[arg-type]
            self.arrived.notify_all()
        return "250 Message accepted for delivery"

    def link_of(self, number: int) -> tuple[str, str]:
        """The recipient and the only link of message ``number`` (waiting for it)."""
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.messages) > number, timeout=10)
        message = self.messages[number]
        body = message.get_body(preferencelist=("plain",))
        assert body is not None
        links = LINK.findall(body.get_content())
        assert len(links) == 1
        return str(message["To"]), links[0]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def inbox(settings: Any) -> Iterator[Inbox]:
    from aiosmtpd.controller import Controller

    handler = Inbox()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.DEFAULT_FROM_EMAIL = "kinwise@care.example.org"
    try:
        yield handler
    finally:
        controller.stop()


@pytest.fixture
def first_manager(monkeypatch: pytest.MonkeyPatch, settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    monkeypatch.setenv("KINWISE_ADMIN_PASSWORD", ADMIN_PASSWORD)
    monkeypatch.setattr("kinwise.clock.today", lambda: TODAY)
    argv = ["createadmin", "--organisation", "Acme Care", "--service", "Riverside"]
    assert main([*argv, "--username", "ruth", "--email", "ruth@care.example.org"]) == 0


def _submit(page: Any, label: str) -> None:
    with page.expect_navigation():
        page.click(f"button:has-text('{label}')")
    assert page.locator(".nhsuk-error-summary").count() == 0, page.url


def test_a_provider_sets_itself_up_and_a_new_worker_records_a_view(
    page: Any, live_server: Any, inbox: Inbox, first_manager: None
) -> None:
    url = base_url(live_server)
    sign_in(page, url, "ruth", ADMIN_PASSWORD)
    page.click("text=Set up and administration")
    page.click("nav.nhsuk-breadcrumb >> text=Set up and administration")
    assert page.locator("h1").inner_text().endswith("Set up and administration")

    # a service
    page.click("text=Add a service")
    page.fill("#id_name", "Hill House")
    _submit(page, "Add the service")
    assert page.locator("h1").inner_text().endswith("Hill House")

    # a person, with a support worker in their circle
    page.click("text=Add a person")
    page.fill("#id_name", "Kim Lee")
    page.fill("#id_date_of_birth", "1994-05-17")
    page.check("input[name=methods][value=verbal]")
    page.fill("#id_notes", "Likes time to answer.")
    page.fill("#id_member-0-name", "Tom Reid")
    page.select_option("#id_member-0-kind", "staff")
    page.fill("#id_member-0-detail", "support worker")
    _submit(page, "Add the person")
    kim = Person.objects.get(name="Kim Lee")
    assert page.url == f"{url}/people/{kim.pk}/"
    assert kim.service.name == "Hill House"

    # the support worker, invited by email
    page.goto(f"{url}/manage/services/{kim.service_id}/")
    page.click("text=Invite a member of staff")
    page.fill("#id_first_name", "Tom")
    page.fill("#id_last_name", "Reid")
    page.fill("#id_username", "tom")
    page.fill("#id_email", "tom@care.example.org")
    assert page.locator("#id_service").input_value() == str(kim.service_id)
    page.check("input[name=role][value=support_worker]")
    _submit(page, "Send the invitation")
    assert "The invitation was sent" in page.locator("main").inner_text()
    to, link = inbox.link_of(0)
    assert to == "tom@care.example.org"
    assert link.startswith(f"{url}/accounts/welcome/")
    text = inbox.messages[0].get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    for personal in ("Tom", "Reid", "Kim", "Lee", "Hill House", "Acme"):
        assert personal not in text
    page.click("button:has-text('Sign out')")

    # the support worker sets a password, signs in and records Kim's view
    page.goto(link)
    assert page.locator("h1").inner_text() == "Set your password"
    page.fill("#id_new_password1", "toms-own-passphrase")
    page.fill("#id_new_password2", "toms-own-passphrase")
    _submit(page, "Save the password")
    assert page.locator("h1").inner_text() == "Your password is saved"
    page.click("text=Sign in")
    sign_in(page, url, "tom", "toms-own-passphrase")
    assert page.locator("h1").inner_text().endswith("People we support")
    assert page.locator("text=Set up and administration").count() == 0
    page.click("text=Kim Lee")
    page.goto(f"{url}/people/{kim.pk}/voice/")
    page.click("text=Record a view")
    page.fill("#id_date", "2026-09-29")
    page.select_option("#id_method", "verbal")
    page.check("input[name=setting][value=separate]")
    page.select_option("#id_captured_by", "tom-reid")
    page.check("input[name=direct][value=yes]")
    page.fill("#id_summary", "I want to choose my own support worker.")
    _submit(page, "Save")
    page.goto(f"{url}/people/{kim.pk}/voice/")
    assert "I want to choose my own support worker." in page.locator("main").inner_text()
    # and the admin pages are not for them: a member of staff is told which role they need
    assert page.goto(f"{url}/manage/").status == 403
    page.goto(f"{url}/")
    page.click("button:has-text('Sign out')")

    # the manager forgets her password and resets it by email
    page.goto(f"{url}/accounts/login/")
    page.click("text=Forgotten your password?")
    page.fill("#id_email", "ruth@care.example.org")
    _submit(page, "Send the link")
    assert page.locator("h1").inner_text() == "Check your email"
    to, link = inbox.link_of(1)
    assert to == "ruth@care.example.org"
    assert link.startswith(f"{url}/accounts/reset/")
    assert "ruth" not in inbox.messages[1].get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    page.goto(link)
    assert page.locator("h1").inner_text() == "Choose a new password"
    page.fill("#id_new_password1", "ruths-new-passphrase")
    page.fill("#id_new_password2", "ruths-new-passphrase")
    _submit(page, "Save the password")
    sign_in(page, url, "ruth", ADMIN_PASSWORD)
    assert page.locator(".nhsuk-error-summary").count() == 1
    sign_in(page, url, "ruth", "ruths-new-passphrase")
    assert page.locator(".nhsuk-error-summary").count() == 0
    assert page.goto(f"{url}/manage/").status == 200
