"""Sign-in resists guessing: 10 failures lock the username (from any address) and the
address (for any username) until 15 minutes after the 10th; one message for every
refusal; failures logged without the username; the checks are a few indexed queries."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kinwise.accounts.forms import SIGNIN_REFUSED
from kinwise.accounts.throttle import username_digest
from tests.accounts.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def attempt(username: str, password: str, address: str = "10.0.0.1") -> tuple[Client, Any]:
    client = Client(REMOTE_ADDR=address)
    response = client.post(LOGIN, {"username": username, "password": password})
    return client, response


def signed_in(client: Client) -> bool:
    return SESSION_KEY in client.session


def refused_page(response: Any) -> bool:
    return response.status_code == 200 and SIGNIN_REFUSED in response.content.decode()


def test_the_right_password_signs_in(staff: dict[str, Any], clock: Any) -> None:
    client, response = attempt("worker", PASSWORD)
    assert (response.status_code, response["Location"]) == (302, "/")
    assert signed_in(client)


def test_ten_wrong_passwords_lock_the_username_even_from_other_addresses_for_15_minutes(
    staff: dict[str, Any], clock: Any
) -> None:
    for n in range(10):
        client, response = attempt("worker", "wrong guess", address=f"10.0.1.{n}")
        assert refused_page(response) and not signed_in(client)
    # the 11th, with the right password, from a new address: refused, the same message
    client, response = attempt("worker", PASSWORD, address="10.0.2.1")
    assert refused_page(response)
    assert not signed_in(client)
    # another account from that address is not locked
    client, response = attempt("leader", PASSWORD, address="10.0.2.1")
    assert response.status_code == 302 and signed_in(client)

    clock.shift(15 * 60 - 1)  # still within the window of the 10th failure
    client, response = attempt("worker", PASSWORD, address="10.0.2.2")
    assert refused_page(response) and not signed_in(client)
    clock.shift(2)  # the window has passed
    client, response = attempt("worker", PASSWORD, address="10.0.2.3")
    assert response.status_code == 302 and signed_in(client)


def test_ten_failures_from_one_address_lock_that_address_for_any_username(
    staff: dict[str, Any], clock: Any
) -> None:
    for n in range(10):
        _, response = attempt(f"someone-{n}", "wrong guess", address="192.0.2.7")
        assert refused_page(response)
    client, response = attempt("manager", PASSWORD, address="192.0.2.7")
    assert refused_page(response) and not signed_in(client)
    # the same account from another address signs in
    client, response = attempt("manager", PASSWORD, address="192.0.2.8")
    assert response.status_code == 302 and signed_in(client)

    clock.shift(15 * 60 + 1)
    client, response = attempt("worker", PASSWORD, address="192.0.2.7")
    assert response.status_code == 302 and signed_in(client)


def test_nine_failures_do_not_lock(staff: dict[str, Any], clock: Any) -> None:
    for _ in range(9):
        attempt("worker", "wrong guess")
    client, response = attempt("worker", PASSWORD)
    assert response.status_code == 302 and signed_in(client)


def test_an_unknown_username_counts_the_same_and_reads_the_same(
    staff: dict[str, Any], clock: Any
) -> None:
    _, known = attempt("worker", "wrong guess", address="10.9.0.1")
    _, unknown = attempt("nobody-here", "wrong guess", address="10.9.0.2")
    assert refused_page(known) and refused_page(unknown)
    strip = lambda r: r.content.decode().replace("worker", "X").replace("nobody-here", "X")  # noqa: E731
    csrf = r'name="csrfmiddlewaretoken" value="[^"]+"'
    import re

    assert re.sub(csrf, "", strip(known)) == re.sub(csrf, "", strip(unknown))
    for n in range(9):
        attempt("nobody-here", "wrong guess", address=f"10.9.1.{n}")
    # locked like a real account: the page still says the same
    _, response = attempt("nobody-here", "anything at all", address="10.9.2.1")
    assert refused_page(response)


def test_failures_are_logged_by_a_digest_of_the_username_never_the_name(
    staff: dict[str, Any], clock: Any, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        for _ in range(11):
            attempt("worker", "wrong guess", address="10.3.0.1")
    lines = [r.getMessage() for r in caplog.records]
    refused = [line for line in lines if line.startswith("sign-in refused")]
    digest = username_digest("worker")
    # the 10th failure pauses signing in; the 11th is refused as paused
    assert (
        refused
        == [f"sign-in refused at password: user {digest} from 10.3.0.1"] * 9
        + [f"sign-in refused at password (paused): user {digest} from 10.3.0.1"] * 2
    )
    assert not any("worker" in line for line in lines)
    assert not any("wrong guess" in line for line in lines)


def test_a_locked_attempt_is_refused_before_any_password_is_hashed(
    staff: dict[str, Any], clock: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    for _ in range(10):
        attempt("worker", "wrong guess")
    hashed: list[str] = []
    from django.contrib.auth.hashers import MD5PasswordHasher

    original = MD5PasswordHasher.verify
    monkeypatch.setattr(
        MD5PasswordHasher,
        "verify",
        lambda self, password, encoded: hashed.append("x") or original(self, password, encoded),
    )
    _, response = attempt("worker", PASSWORD)
    assert refused_page(response)
    assert hashed == []


def test_a_signed_in_page_does_no_throttle_work(staff: dict[str, Any], clock: Any) -> None:
    """A guessing flood costs an ordinary signed-in page nothing: its requests read no
    sign-in attempt table."""
    for n in range(30):
        attempt(f"guess-{n}", "wrong guess", address=f"10.4.{n}.1")
    client, _ = attempt("worker", PASSWORD, address="10.5.0.1")
    page = f"/services/{staff['riverside'].pk}/"
    client.get(page)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(page).status_code == 200
    assert not any("axes_" in q["sql"] for q in captured.captured_queries)


def test_the_lockout_check_is_a_few_indexed_queries(staff: dict[str, Any], clock: Any) -> None:
    for n in range(30):
        attempt("worker", "wrong guess", address=f"10.6.{n}.1")
    with CaptureQueriesContext(connection) as captured:
        _, response = attempt("worker", PASSWORD, address="10.6.99.1")
    assert refused_page(response)
    throttle = [q["sql"] for q in captured.captured_queries if "axes_accessattempt" in q["sql"]]
    # the lock is read per parameter (address, username), the attempt recorded: no scan of
    # all attempts, each query filtered by the indexed username or address
    assert 1 <= len(throttle) <= 6
    assert all("WHERE" in sql for sql in throttle)


def test_a_password_checked_without_a_request_is_not_throttled(
    staff: dict[str, Any], clock: Any
) -> None:
    """Commands check passwords with no request: neither counted nor refused; a web
    sign-in of the same username is still paused by its own failures."""
    from django.contrib.auth import authenticate

    for _ in range(10):
        attempt("worker", "wrong guess")
    assert authenticate(username="worker", password=PASSWORD) == staff["worker"]
    _, response = attempt("worker", PASSWORD)
    assert refused_page(response)
