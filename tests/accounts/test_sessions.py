"""Sessions end after 30 idle minutes and 12 hours after sign-in, get a new id at
sign-in, and end at sign-out and on the next request after the account is deactivated
or its roles change. The clock is frozen and moved by hand."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.test import Client

from kinwise.accounts import sessions
from kinwise.core.models import StaffRole
from kinwise.core.services import membership_role_set, staff_user_deactivate, staff_user_ensure
from tests.accounts.conftest import PASSWORD

pytestmark = pytest.mark.django_db

MINUTE = 60


def sign_in(username: str) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def page(client: Client, staff: dict[str, Any]) -> Any:
    return client.get(f"/services/{staff['riverside'].pk}/")


def is_sign_in_redirect(response: Any) -> bool:
    return response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_an_idle_session_ends_after_30_minutes(staff: dict[str, Any], clock: Any) -> None:
    client = sign_in("worker")
    clock.shift(30 * MINUTE)  # exactly 30 idle minutes: still signed in
    assert page(client, staff).status_code == 200
    clock.shift(30 * MINUTE)  # used just now, so 30 more minutes are fine
    assert page(client, staff).status_code == 200
    clock.shift(30 * MINUTE + 1)
    response = page(client, staff)
    assert is_sign_in_redirect(response)
    assert SESSION_KEY not in client.session
    login = client.get(response["Location"])
    assert "You were signed out because Kinwise was not used for a while." in login.content.decode()


def test_use_is_noted_at_most_once_a_minute_and_the_end_counts_from_what_was_noted(
    staff: dict[str, Any], clock: Any
) -> None:
    client = sign_in("worker")
    signed_in_at = client.session[sessions.SEEN]
    clock.shift(59)
    page(client, staff)
    assert client.session[sessions.SEEN] == signed_in_at  # not rewritten for 59 seconds
    clock.shift(1)
    page(client, staff)
    assert client.session[sessions.SEEN] == signed_in_at + 60


def test_a_session_ends_12_hours_after_sign_in_however_busy(
    staff: dict[str, Any], clock: Any
) -> None:
    client = sign_in("worker")
    for _ in range(12 * 3):  # a request every 20 minutes for 12 hours
        clock.shift(20 * MINUTE)
        assert page(client, staff).status_code == 200
    clock.shift(1)
    response = page(client, staff)
    assert is_sign_in_redirect(response)
    assert "you signed in many hours ago" in client.get(response["Location"]).content.decode()


def test_the_limits_are_settings(staff: dict[str, Any], clock: Any, settings: Any) -> None:
    settings.KINWISE_SESSION_IDLE_MINUTES = 5
    client = sign_in("worker")
    clock.shift(5 * MINUTE)
    assert page(client, staff).status_code == 200
    clock.shift(5 * MINUTE + 1)
    assert is_sign_in_redirect(page(client, staff))


def test_sign_in_gives_a_new_session_id_and_sign_out_ends_the_session(
    staff: dict[str, Any], clock: Any
) -> None:
    client = Client()
    client.get("/accounts/login/")
    client.cookies[settings.SESSION_COOKIE_NAME] = "a-session-id-planted-before-sign-in"
    client.post("/accounts/login/", {"username": "worker", "password": PASSWORD})
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert key != "a-session-id-planted-before-sign-in"
    assert Session.objects.filter(session_key=key).exists()

    assert client.post("/accounts/logout/").status_code == 302
    assert not Session.objects.filter(session_key=key).exists()
    # the old cookie, sent again, is not signed in
    stale = Client()
    stale.cookies[settings.SESSION_COOKIE_NAME] = key
    assert is_sign_in_redirect(page(stale, staff))


def test_deactivating_the_account_ends_its_sessions_on_the_next_request(
    staff: dict[str, Any], clock: Any
) -> None:
    client = sign_in("worker")
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    other = sign_in("leader")
    staff_user_deactivate(user=staff["worker"])
    response = page(client, staff)
    assert is_sign_in_redirect(response)
    assert not Session.objects.filter(session_key=key).exists()
    assert "your account changed" in client.get(response["Location"]).content.decode()
    assert page(other, staff).status_code == 200
    refused = Client().post("/accounts/login/", {"username": "worker", "password": PASSWORD})
    assert refused.status_code == 200


def test_an_account_made_inactive_directly_also_loses_its_session(
    staff: dict[str, Any], clock: Any
) -> None:
    client = sign_in("worker")
    type(staff["worker"]).objects.filter(pk=staff["worker"].pk).update(is_active=False)
    assert is_sign_in_redirect(page(client, staff))
    assert SESSION_KEY not in client.session


def test_changing_roles_ends_the_sessions_on_the_next_request(
    staff: dict[str, Any], clock: Any
) -> None:
    client = sign_in("worker")
    other = sign_in("leader")
    membership_role_set(
        user=staff["worker"], service=staff["riverside"], role=StaffRole.TEAM_LEADER
    )
    assert is_sign_in_redirect(page(client, staff))
    assert page(other, staff).status_code == 200
    again = sign_in("worker")  # a fresh sign-in works, under the new role
    assert page(again, staff).status_code == 200


def test_a_new_membership_ends_the_sessions_too(staff: dict[str, Any], clock: Any) -> None:
    client = sign_in("worker")
    staff_user_ensure(
        username="worker",
        password=PASSWORD,
        service=staff["oakfield"],
        role=StaffRole.SUPPORT_WORKER,
    )
    assert is_sign_in_redirect(page(client, staff))


def test_stay_signed_in_counts_the_session_as_used(staff: dict[str, Any], clock: Any) -> None:
    client = sign_in("worker")
    clock.shift(28 * MINUTE + 30)
    body = page(client, staff).content.decode()
    # the page carries how long is left (from the last use noted) for the warning
    assert 'data-seconds-left="' in body
    assert 'data-warn-before="120"' in body
    answer = client.post("/accounts/session/stay/", HTTP_ACCEPT="application/json")
    assert answer.json() == {"signed_in": True, "seconds_left": 30 * MINUTE}
    clock.shift(30 * MINUTE)
    assert page(client, staff).status_code == 200


def test_stay_signed_in_after_the_end_answers_signed_out(staff: dict[str, Any], clock: Any) -> None:
    client = sign_in("worker")
    clock.shift(31 * MINUTE)
    answer = client.post("/accounts/session/stay/", HTTP_ACCEPT="application/json")
    assert answer.status_code == 302  # the session ended on this request: sign in again
    assert SESSION_KEY not in client.session


def test_the_cookies_are_httponly_and_samesite_lax(staff: dict[str, Any], clock: Any) -> None:
    client = Client()
    client.get("/accounts/login/")
    client.post("/accounts/login/", {"username": "worker", "password": PASSWORD})
    session = client.cookies[settings.SESSION_COOKIE_NAME]
    assert (session["httponly"], session["samesite"], session["secure"]) == (True, "Lax", "")
    assert session["max-age"] == ""  # ends with the browser; the server ends it sooner
