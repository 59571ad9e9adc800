"""Staff logins in the web: invitations by email with a link to set a password, roles
per service, deactivating a leaver, and resetting a forgotten password by email. Every
email carries a link on the request's own host and no personal data."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core import mail
from django.test import Client

from kinwise.core.models import StaffMembership, StaffRole
from kinwise.governance.models import GovernanceChange
from tests.web.conftest import PASSWORD
from tests.web.test_forms import summary_of

User = get_user_model()
LINK = re.compile(r"https?://[^\s]+")
NEW_PASSWORD = "a-brand-new-passphrase"


def invitation(world: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {
        "first_name": "Tom",
        "last_name": "Reid",
        "username": "tom",
        "email": "tom@example.org",
        "service": str(world["services"]["oakfield"].pk),
        "role": "support_worker",
        **changes,
    }


def only_link(message: Any) -> str:
    links = LINK.findall(message.body)
    assert len(links) == 1
    return str(links[0])


def set_password_by(link: str, client: Client, password: str = NEW_PASSWORD) -> Any:
    """Follow an emailed link as Django's views do: the token is swapped for a session."""
    path = link.split("://", 1)[1].split("/", 1)[1]
    landing = client.get(f"/{path}")
    assert landing.status_code == 302
    return client.post(landing["Location"], {"new_password1": password, "new_password2": password})


def test_an_invitation_makes_a_login_with_a_role_and_emails_only_a_link(
    world: dict[str, Any], as_user: Callable[[str], Client], settings: Any
) -> None:
    settings.ALLOWED_HOSTS = ["testserver", "care.example.net"]
    response = as_user("manager").post(
        "/manage/staff/invite/", invitation(world), HTTP_HOST="care.example.net"
    )
    tom = User.objects.get(username="tom")
    assert response.status_code == 302
    assert response["Location"] == f"/manage/staff/{tom.pk}/"
    assert (tom.first_name, tom.last_name, tom.email, tom.is_active) == (
        "Tom",
        "Reid",
        "tom@example.org",
        True,
    )
    assert not tom.has_usable_password()
    assert list(StaffMembership.objects.filter(user=tom).values_list("service_id", "role")) == [
        (world["services"]["oakfield"].pk, "support_worker")
    ]
    change = GovernanceChange.objects.get(entity="staff", entity_pk=tom.pk)
    assert (change.action, change.actor_id) == ("invited", world["users"]["manager"].pk)
    assert change.snapshot == {
        "active": True,
        "roles": {str(world["services"]["oakfield"].pk): "support_worker"},
    }

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["tom@example.org"]
    assert message.subject == "You are invited to Kinwise"
    link = only_link(message)
    assert link.startswith("http://care.example.net/accounts/welcome/")
    for personal in ("Tom", "Reid", "tom", "Oakfield", "Acme"):
        assert personal not in message.body.replace(link, "")

    # following the link sets the password; then they can sign in, and the link is spent
    client = Client()
    done = set_password_by(link, client)
    assert done.status_code == 302
    assert done["Location"] == "/accounts/password-set/"
    assert authenticate(username="tom", password=NEW_PASSWORD) is not None
    again = client.get("/" + link.split("://", 1)[1].split("/", 1)[1])
    assert "This link does not work" in again.content.decode()


def test_the_welcome_page_shows_the_user_name_and_refuses_a_weak_password(
    world: dict[str, Any], as_user: Callable[[str], Client]
) -> None:
    as_user("manager").post("/manage/staff/invite/", invitation(world))
    client = Client()
    path = "/" + only_link(mail.outbox[0]).split("://", 1)[1].split("/", 1)[1]
    landing = client.get(path, follow=True)
    assert "Set your password" in landing.content.decode()
    assert "<strong>tom</strong>" in landing.content.decode()
    weak = client.post(
        landing.redirect_chain[-1][0], {"new_password1": "short", "new_password2": "short"}
    )
    assert weak.status_code == 200
    assert summary_of(weak.content.decode()) == [
        ("id_new_password2", "This password is too short. It must contain at least 12 characters.")
    ]
    assert not User.objects.get(username="tom").has_usable_password()


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"username": "MANAGER"}, [("id_username", "Someone already has this user name")]),
        (
            {"username": "tom smith"},
            [
                (
                    "id_username",
                    "The user name can only have letters, digits and the characters @ . + - _",
                )
            ],
        ),
        ({"email": "TOM@example.org"}, [("id_email", "Someone already has this email address")]),
        (
            {"email": "tom-at-example"},
            [("id_email", "Enter an email address in the right form, like name@example.com")],
        ),
        ({"service": "999999"}, [("id_service", "Choose a service")]),
        ({"role": "owner"}, [("id_role", "Choose a role")]),
        (
            {"first_name": " ", "username": "", "email": "", "service": "", "role": ""},
            [
                ("id_first_name", "Enter their first name"),
                ("id_username", "Enter a user name"),
                ("id_email", "Enter an email address"),
                ("id_service", "Choose a service"),
                ("id_role", "Choose a role"),
            ],
        ),
    ],
)
def test_a_bad_invitation_is_refused_at_its_fields(
    world: dict[str, Any],
    as_user: Callable[[str], Client],
    changes: dict[str, str],
    expected: list[tuple[str, str]],
) -> None:
    User.objects.filter(username="manager").update(email="tom@example.org")
    User.objects.filter(username="leader").update(email="someone@example.org")
    data = invitation(world, **changes)
    if "email" not in changes:
        data["email"] = "new@example.org"
    before = User.objects.count()
    response = as_user("manager").post("/manage/staff/invite/", data)
    assert response.status_code == 400
    assert summary_of(response.content.decode()) == expected
    assert User.objects.count() == before
    assert mail.outbox == []


def test_a_service_of_another_organisation_cannot_be_given(
    world: dict[str, Any], as_user: Callable[[str], Client]
) -> None:
    elsewhere = world["services"]["elsewhere"]
    response = as_user("manager").post(
        "/manage/staff/invite/", invitation(world, service=str(elsewhere.pk))
    )
    assert summary_of(response.content.decode()) == [("id_service", "Choose a service")]
    worker = world["users"]["worker"]
    role = as_user("manager").post(
        f"/manage/staff/{worker.pk}/role/", {"service": str(elsewhere.pk), "role": "team_leader"}
    )
    assert summary_of(role.content.decode()) == [("id_service", "Choose a service")]
    assert not StaffMembership.objects.filter(service=elsewhere, user=worker).exists()


def test_an_unsent_invitation_is_said_and_can_be_sent_again(
    world: dict[str, Any], as_user: Callable[[str], Client], settings: Any
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 9  # the discard port: nothing listens there
    settings.EMAIL_TIMEOUT = 2
    client = as_user("manager")
    response = client.post("/manage/staff/invite/", invitation(world))
    tom = User.objects.get(username="tom")
    assert response["Location"] == f"/manage/staff/{tom.pk}/?unsent=1"
    assert "The invitation was not sent" in client.get(response["Location"]).content.decode()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    again = client.post(f"/manage/staff/{tom.pk}/invite/")
    assert again["Location"] == f"/manage/staff/{tom.pk}/"
    assert [m.to for m in mail.outbox] == [["tom@example.org"]]


def test_roles_are_added_changed_and_removed_with_history(
    world: dict[str, Any], as_user: Callable[[str], Client]
) -> None:
    worker = world["users"]["worker"]
    oakfield, riverside = world["services"]["oakfield"], world["services"]["riverside"]
    client = as_user("manager")
    url = f"/manage/staff/{worker.pk}/role/"
    assert (
        client.post(url, {"service": str(riverside.pk), "role": "support_worker"}).status_code
        == 302
    )
    assert (
        client.post(url, {"service": str(riverside.pk), "role": "team_leader"}).status_code == 302
    )
    roles = dict(StaffMembership.objects.filter(user=worker).values_list("service_id", "role"))
    assert roles == {oakfield.pk: "support_worker", riverside.pk: "team_leader"}
    removed = client.post(f"/manage/staff/{worker.pk}/role/{oakfield.pk}/remove/")
    assert removed.status_code == 302
    assert list(StaffMembership.objects.filter(user=worker).values_list("role", flat=True)) == [
        "team_leader"
    ]
    history = list(
        GovernanceChange.objects.filter(entity="staff", entity_pk=worker.pk).order_by("id")
    )
    assert [c.action for c in history] == ["role added", "role changed", "role removed"]
    assert history[-1].snapshot == {"active": True, "roles": {str(riverside.pk): "team_leader"}}
    page = client.get(f"/manage/staff/{worker.pk}/").content.decode()
    assert "Role removed" in page and "Team leader" in page

    # the last role cannot be removed: a leaver is deactivated instead
    last = client.post(f"/manage/staff/{worker.pk}/role/{riverside.pk}/remove/")
    assert last.status_code == 400
    assert summary_of(last.content.decode()) == [
        ("form-top", "This is their only role: deactivate them instead if they have left")
    ]
    assert StaffMembership.objects.filter(user=worker).count() == 1


def test_a_manager_cannot_change_their_own_roles_or_deactivate_themselves(
    world: dict[str, Any], as_user: Callable[[str], Client]
) -> None:
    manager = world["users"]["manager"]
    client = as_user("manager")
    response = client.post(
        f"/manage/staff/{manager.pk}/role/",
        {"service": str(world["services"]["oakfield"].pk), "role": "support_worker"},
    )
    assert summary_of(response.content.decode()) == [
        ("form-top", "You cannot change the roles of yourself: ask another registered manager")
    ]
    deactivated = client.post(f"/manage/staff/{manager.pk}/deactivate/")
    assert deactivated.status_code == 400
    manager.refresh_from_db()
    assert manager.is_active
    assert StaffMembership.objects.filter(user=manager).count() == 1


def test_a_leaver_is_deactivated_and_kept(
    world: dict[str, Any], as_user: Callable[[str], Client]
) -> None:
    worker = world["users"]["worker"]
    leaver_client = as_user("worker")
    client = as_user("manager")
    assert (
        "Deactivate the login"
        in client.get(f"/manage/staff/{worker.pk}/deactivate/").content.decode()
    )
    response = client.post(f"/manage/staff/{worker.pk}/deactivate/")
    assert response.status_code == 302
    worker.refresh_from_db()
    assert worker.is_active is False
    assert StaffMembership.objects.filter(user=worker).count() == 1
    assert authenticate(username="worker", password=PASSWORD) is None
    # their open session no longer works
    assert leaver_client.get("/").status_code == 302
    change = GovernanceChange.objects.filter(entity="staff", entity_pk=worker.pk).get()
    assert (change.action, change.actor_id, change.snapshot["active"]) == (
        "deactivated",
        world["users"]["manager"].pk,
        False,
    )
    assert "Deactivated" in client.get("/manage/").content.decode()
    # and brought back
    client.post(f"/manage/staff/{worker.pk}/reactivate/")
    assert authenticate(username="worker", password=PASSWORD) is not None


def test_a_member_of_staff_of_another_organisation_is_not_found(
    world: dict[str, Any], as_user: Callable[[str], Client]
) -> None:
    outsider = world["users"]["outsider"]
    client = as_user("manager")
    assert client.get(f"/manage/staff/{outsider.pk}/").status_code == 404
    assert client.post(f"/manage/staff/{outsider.pk}/deactivate/").status_code == 404
    outsider.refresh_from_db()
    assert outsider.is_active


# --- a forgotten password --------------------------------------------------------------


def test_a_forgotten_password_is_reset_by_email_through_djangos_views(
    world: dict[str, Any],
) -> None:
    User.objects.filter(username="leader").update(email="leader@example.org")
    client = Client()
    assert 'href="/accounts/password-reset/"' in client.get("/accounts/login/").content.decode()
    response = client.post(
        "/accounts/password-reset/", {"email": "leader@example.org"}, HTTP_HOST="127.0.0.1"
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password-reset/sent/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Reset your Kinwise password"
    link = only_link(message)
    assert link.startswith("http://127.0.0.1/accounts/reset/")
    assert "leader" not in message.body.replace(link, "")
    done = set_password_by(link, Client())
    assert done["Location"] == "/accounts/password-set/"
    assert authenticate(username="leader", password=NEW_PASSWORD) is not None
    assert authenticate(username="leader", password=PASSWORD) is None


def test_an_unknown_address_gets_the_same_answer_and_no_email(world: dict[str, Any]) -> None:
    response = Client().post("/accounts/password-reset/", {"email": "nobody@example.org"})
    assert response["Location"] == "/accounts/password-reset/sent/"
    assert mail.outbox == []


def test_a_deactivated_login_gets_no_reset_email(world: dict[str, Any]) -> None:
    User.objects.filter(username="leader").update(email="leader@example.org", is_active=False)
    Client().post("/accounts/password-reset/", {"email": "leader@example.org"})
    assert mail.outbox == []


def test_a_badly_typed_address_is_said_at_the_field(world: dict[str, Any]) -> None:
    response = Client().post("/accounts/password-reset/", {"email": "not an address"})
    assert response.status_code == 200
    assert summary_of(response.content.decode()) == [("id_email", "Enter a valid email address.")]


def test_staff_role_labels_are_words(
    world: dict[str, Any], as_user: Callable[[str], Client]
) -> None:
    page = as_user("manager").get("/manage/").content.decode()
    for role in StaffRole:
        assert role.value not in page
    assert "Registered manager, Riverside" in page


def test_a_user_name_taken_between_the_check_and_the_write_is_said_at_the_field(
    world: dict[str, Any], as_user: Callable[[str], Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("kinwise.governance.staff_services.check_new_login", lambda **given: [])
    before = User.objects.count()
    response = as_user("manager").post(
        "/manage/staff/invite/", invitation(world, username="worker")
    )
    assert response.status_code == 400
    assert summary_of(response.content.decode()) == [
        ("id_username", "Someone already has this user name")
    ]
    assert User.objects.count() == before
    assert not GovernanceChange.objects.filter(entity="staff").exists()


# --- step-up before granting a staff role --------------------------------------------------


def stale_confirmation(client: Client) -> Client:
    """The session as when the password was last entered an hour ago."""
    from kinwise.accounts.sessions import REAUTH_AT, now

    session = client.session
    session[REAUTH_AT] = now() - 3600
    session.save()
    return client


def step_up(client: Client, response: Any, target: str) -> None:
    """What a person does on the confirm page they were sent to: enter their password."""
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/confirm/?next=")
    page = client.get(response["Location"]).content.decode()
    assert 'type="password"' in page
    back = client.post("/accounts/confirm/", {"password": PASSWORD, "next": target})
    assert back["Location"] == target


def test_inviting_staff_asks_for_the_password_again_when_it_is_not_fresh(
    world: dict[str, Any], as_user: Callable[[str], Client]
) -> None:
    client = stale_confirmation(as_user("manager"))
    url = "/manage/staff/invite/"
    refused = client.post(url, invitation(world))
    assert not User.objects.filter(username="tom").exists()  # nothing granted yet
    step_up(client, refused, url)
    assert client.post(url, invitation(world)).status_code == 302
    tom = User.objects.get(username="tom")
    assert list(StaffMembership.objects.filter(user=tom).values_list("role", flat=True)) == [
        "support_worker"
    ]


def test_changing_a_role_asks_for_the_password_again_when_it_is_not_fresh(
    world: dict[str, Any], as_user: Callable[[str], Client]
) -> None:
    worker = world["users"]["worker"]
    riverside = world["services"]["riverside"]
    client = stale_confirmation(as_user("manager"))
    url = f"/manage/staff/{worker.pk}/role/"
    form = {"service": str(riverside.pk), "role": "team_leader"}
    asked = client.get(url)
    step_up(client, asked, url)
    assert not StaffMembership.objects.filter(user=worker, service=riverside).exists()
    stale_confirmation(client)
    step_up(client, client.post(url, form), url)
    assert not StaffMembership.objects.filter(user=worker, service=riverside).exists()
    assert client.post(url, form).status_code == 302
    assert StaffMembership.objects.get(user=worker, service=riverside).role == "team_leader"


def test_removing_a_role_and_other_staff_pages_need_no_step_up(
    world: dict[str, Any], as_user: Callable[[str], Client]
) -> None:
    worker = world["users"]["worker"]
    client = stale_confirmation(as_user("manager"))
    assert client.get(f"/manage/staff/{worker.pk}/").status_code == 200
