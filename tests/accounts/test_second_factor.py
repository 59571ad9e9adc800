"""The second factor: required for registered managers and quality leads (sent to set it
up before any other page), offered to everyone, asked after the password once set up;
the demo's logins on a demo database are exempt. Step-up before a person's data leaves."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from kinwise.accounts import sessions
from kinwise.core.models import Organisation, StaffRole
from kinwise.core.services import organisation_ensure, service_ensure, staff_user_ensure
from tests.accounts.conftest import PASSWORD
from tests.signin import code_for_key, code_from_secret
from tests.web.conftest import import_example

pytestmark = pytest.mark.django_db

STEP = 30  # seconds a code lasts


def password_step(username: str, next_: str = "") -> tuple[Client, Any]:
    client = Client()
    data = {"username": username, "password": PASSWORD}
    if next_:
        data["next"] = next_
    return client, client.post("/accounts/login/", data)


def secret_on(body: str) -> str:
    found = re.search(r'<p class="kw-secret" id="totp-secret">([A-Z2-7 ]+)</p>', body)
    assert found is not None
    return found.group(1)


def enrol(client: Client) -> str:
    """Set up an app from the set-up page as a person would; return its secret."""
    secret = secret_on(client.get("/accounts/two-step/").content.decode())
    response = client.post("/accounts/two-step/", {"code": code_from_secret(secret)})
    assert response.status_code == 302
    return secret


@pytest.mark.parametrize("role_user", ["manager", "quality"])
def test_a_manager_or_quality_lead_without_an_app_sets_one_up_before_any_other_page(
    staff: dict[str, Any], clock: Any, role_user: str
) -> None:
    client, response = password_step(role_user)
    assert response["Location"] == "/accounts/two-step/?next=%2F"
    for path in ("/", f"/services/{staff['riverside'].pk}/", "/accounts/security/"):
        refused = client.get(path)
        assert refused.status_code == 302
        assert refused["Location"].startswith("/accounts/two-step/?next=")
    # what the set-up page itself needs: the stylesheet's images, signing out
    assert "/static/nhsuk/assets/" in client.get("/assets/images/favicon.svg")["Location"]
    body = client.get("/accounts/two-step/").content.decode()
    assert "must sign in with a code as well as their password" in body
    assert 'src="data:image/svg+xml;base64,' in body  # the QR code, drawn here
    secret = secret_on(body)
    assert len(secret.replace(" ", "")) == 32

    wrong = client.post("/accounts/two-step/", {"code": "000000"})
    assert "The code is not right." in wrong.content.decode()
    assert client.get("/").status_code == 302
    clock.shift(2)  # django-otp makes each try after a wrong one wait a little longer

    before = client.cookies["kinwise-session"].value
    done = client.post("/accounts/two-step/", {"code": code_from_secret(secret), "next": "/"})
    assert done["Location"] == "/"
    assert client.cookies["kinwise-session"].value != before  # a new session id
    assert client.get(f"/services/{staff['riverside'].pk}/").status_code == 200
    device = TOTPDevice.objects.get(user=staff[role_user])
    assert device.confirmed


def test_after_set_up_sign_in_asks_for_the_code(staff: dict[str, Any], clock: Any) -> None:
    client, _ = password_step("manager")
    enrol(client)
    client.post("/accounts/logout/")
    clock.shift(STEP)  # a code works once: the next sign-in is a new code

    client, response = password_step("manager", next_=f"/services/{staff['riverside'].pk}/")
    assert response["Location"].startswith("/accounts/code/?next=")
    assert SESSION_KEY in client.session and client.session[sessions.SECOND_FACTOR] == "verify"
    assert client.get("/").status_code == 302
    # set-up is not a way round the code
    assert client.get("/accounts/two-step/")["Location"].startswith("/accounts/code/")

    assert (
        "The code is not right."
        in client.post("/accounts/code/", {"code": "123456"}).content.decode()
    )
    assert "Enter the 6-digit code" in client.post("/accounts/code/", {"code": ""}).content.decode()
    clock.shift(2)
    key = TOTPDevice.objects.get(user=staff["manager"]).key
    done = client.post(
        "/accounts/code/",
        {"code": code_for_key(key), "next": f"/services/{staff['riverside'].pk}/"},
    )
    assert done["Location"] == f"/services/{staff['riverside'].pk}/"
    assert client.get(done["Location"]).status_code == 200


def test_a_code_cannot_be_used_twice(staff: dict[str, Any], clock: Any) -> None:
    client, _ = password_step("manager")
    secret = enrol(client)
    client.post("/accounts/logout/")
    client, _ = password_step("manager")
    again = client.post("/accounts/code/", {"code": code_from_secret(secret)})
    assert again.status_code == 200 and "The code is not right." in again.content.decode()


def test_ten_wrong_codes_pause_signing_in_and_end_the_half_signed_in_session(
    staff: dict[str, Any], clock: Any
) -> None:
    client, _ = password_step("manager")
    enrol(client)
    client.post("/accounts/logout/")
    clock.shift(STEP)
    client, _ = password_step("manager")
    for _ in range(10):
        clock.shift(STEP)  # past django-otp's own growing delay between tries
        client.post("/accounts/code/", {"code": "000000"})
    assert SESSION_KEY not in client.session
    # the password alone is refused now, for 15 minutes
    client, response = password_step("manager")
    assert response.status_code == 200 and SESSION_KEY not in client.session


def test_others_are_offered_the_second_factor_and_may_turn_it_on(
    staff: dict[str, Any], clock: Any
) -> None:
    client, response = password_step("worker")
    assert response["Location"] == "/"
    body = client.get("/accounts/security/").content.decode()
    assert "Two-step sign-in is off." in body
    enrol(client)
    assert "Two-step sign-in is on" in client.get("/accounts/security/").content.decode()
    client.post("/accounts/logout/")
    clock.shift(STEP)
    _, response = password_step("worker")
    assert response["Location"].startswith("/accounts/code/")


def test_replacing_the_app_asks_for_a_code_again(staff: dict[str, Any], clock: Any) -> None:
    client, _ = password_step("worker")
    enrol(client)
    clock.shift(6 * 60)
    response = client.get("/accounts/two-step/")
    assert response["Location"].startswith("/accounts/confirm/?next=")


def make_demo(db: Any) -> dict[str, Any]:
    demo = organisation_ensure(slug="demo", name="Kinwise Demo Provider", demo=True)
    riverside = service_ensure(organisation=demo, external_id="riverside", name="Riverside")
    manager = staff_user_ensure(
        username="demo-manager",
        password=PASSWORD,
        service=riverside,
        role=StaffRole.REGISTERED_MANAGER,
    )
    return {"organisation": demo, "service": riverside, "manager": manager}


def test_the_demo_manager_on_a_demo_database_is_exempt_and_the_page_says_so(
    db: Any, clock: Any
) -> None:
    demo = make_demo(db)
    login = Client().get("/accounts/login/").content.decode()
    assert "its logins sign in without a code from an authenticator app" in login
    client, response = password_step("demo-manager")
    assert response["Location"] == "/"
    assert client.get(f"/services/{demo['service'].pk}/").status_code == 200
    body = client.get("/accounts/security/").content.decode()
    assert "This is a demo account on a demo database, so two-step sign-in is not required." in body


def test_the_demo_manager_is_not_exempt_once_the_database_holds_a_real_provider(
    db: Any, clock: Any
) -> None:
    make_demo(db)
    organisation_ensure(slug="acme", name="Acme Care")
    login = Client().get("/accounts/login/").content.decode()
    assert "without a code" not in login
    assert "Registered managers and quality leads also enter a code" in login
    _, response = password_step("demo-manager")
    assert response["Location"].startswith("/accounts/two-step/")


def test_kinwise_demo_marks_its_organisation(db: Any) -> None:
    from kinwise.records.services.demo import DEMO_ORGANISATION_SLUG, demo_load

    demo_load()
    assert Organisation.objects.get(slug=DEMO_ORGANISATION_SLUG).is_demo is True


# --- step-up -----------------------------------------------------------------------------


@pytest.fixture
def sam(staff: dict[str, Any]) -> Any:
    return import_example("01-risk-and-independence.yaml", staff["riverside"])


def test_the_evidence_pack_pdf_asks_for_the_password_after_5_minutes(
    staff: dict[str, Any], clock: Any, sam: Any
) -> None:
    client, _ = password_step("leader")
    url = f"/people/{sam.pk}/evidence.pdf"
    clock.shift(5 * 60)  # signing in entered the password: fresh for 5 minutes
    assert client.get(url)["Content-Type"] == "application/pdf"
    clock.shift(1)
    response = client.get(url)
    assert response["Location"] == f"/accounts/confirm/?next=%2Fpeople%2F{sam.pk}%2Fevidence.pdf"
    page = client.get(response["Location"]).content.decode()
    assert 'type="password"' in page
    wrong = client.post("/accounts/confirm/", {"password": "not it", "next": url})
    assert "The password is not right" in wrong.content.decode()
    right = client.post("/accounts/confirm/", {"password": PASSWORD, "next": url})
    assert right["Location"] == url
    assert client.get(url)["Content-Type"] == "application/pdf"


def test_the_fhir_download_asks_for_the_password_after_5_minutes(
    staff: dict[str, Any], clock: Any, sam: Any
) -> None:
    client, _ = password_step("leader")
    url = f"/people/{sam.pk}/evidence.fhir.json"
    clock.shift(5 * 60)
    assert client.get(url)["Content-Type"] == "application/fhir+json; charset=utf-8"
    clock.shift(1)
    response = client.get(url)
    assert response["Location"] == (
        f"/accounts/confirm/?next=%2Fpeople%2F{sam.pk}%2Fevidence.fhir.json"
    )
    right = client.post("/accounts/confirm/", {"password": PASSWORD, "next": url})
    assert right["Location"] == url
    assert client.get(url)["Content-Type"] == "application/fhir+json; charset=utf-8"


def test_step_up_asks_for_a_code_when_the_account_has_an_app(
    staff: dict[str, Any], clock: Any, sam: Any
) -> None:
    client, _ = password_step("manager")
    enrol(client)
    clock.shift(6 * 60)
    url = f"/people/{sam.pk}/evidence.pdf"
    confirm = client.get(client.get(url)["Location"]).content.decode()
    assert 'autocomplete="one-time-code"' in confirm and 'type="password"' not in confirm
    key = TOTPDevice.objects.get(user=staff["manager"]).key
    right = client.post("/accounts/confirm/", {"code": code_for_key(key), "next": url})
    assert right["Location"] == url
    assert client.get(url)["Content-Type"] == "application/pdf"


def test_step_up_passwords_count_towards_the_pause(
    staff: dict[str, Any], clock: Any, sam: Any
) -> None:
    client, _ = password_step("leader")
    clock.shift(6 * 60)
    for _ in range(9):
        client.post("/accounts/confirm/", {"password": "not it"})
    response = client.post("/accounts/confirm/", {"password": "not it"})
    assert response.status_code == 302
    assert SESSION_KEY not in client.session
    _, again = password_step("leader")
    assert again.status_code == 200  # paused


def test_a_next_to_another_site_is_not_followed(staff: dict[str, Any], clock: Any) -> None:
    client, _ = password_step("leader")
    right = client.post(
        "/accounts/confirm/", {"password": PASSWORD, "next": "https://elsewhere.example/"}
    )
    assert right["Location"] == "/"
