"""`kinwise createadmin`: the first registered manager, by prompts or by options and
KINWISE_ADMIN_PASSWORD for scripts."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import User

from kinwise.access import services_visible_to
from kinwise.cli import main
from kinwise.core.models import Organisation, Service, StaffMembership
from kinwise.core.services import organisation_ensure, service_ensure
from kinwise.governance.models import GovernanceChange

PASSWORD = "a-long-admin-password"

pytestmark = pytest.mark.django_db


def test_prompts_create_the_organisation_its_first_service_and_the_manager(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("KINWISE_ADMIN_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO("Acme Care\nRiverside\nruth\nruth@example.org\n"))
    typed = iter([PASSWORD, PASSWORD])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(typed))
    assert main(["createadmin"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("created the registered manager 'ruth' of Acme Care")
    assert err == (
        "The name of your organisation (the provider): The name of your first service: "
        "User name: Email address: "
    )
    organisation = Organisation.objects.get()
    assert (organisation.slug, organisation.name) == ("acme-care", "Acme Care")
    service = Service.objects.get()
    assert (service.external_id, service.name) == ("riverside", "Riverside")
    ruth = User.objects.get(username="ruth")
    assert ruth.email == "ruth@example.org"
    assert authenticate(username="ruth", password=PASSWORD) == ruth
    assert list(StaffMembership.objects.filter(user=ruth).values_list("role", flat=True)) == [
        "registered_manager"
    ]
    assert GovernanceChange.objects.filter(entity="staff", entity_pk=ruth.pk).count() == 1


def test_options_and_the_environment_for_scripts_with_an_existing_organisation(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    acme = organisation_ensure(slug="acme", name="Acme Care")
    service_ensure(organisation=acme, external_id="oakfield", name="Oakfield")
    service_ensure(organisation=acme, external_id="riverside", name="Riverside")
    monkeypatch.setenv("KINWISE_ADMIN_PASSWORD", PASSWORD)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # nothing is asked
    code = main(["createadmin", "--username", "ruth", "--email", "ruth@example.org"])
    assert code == 0
    assert capsys.readouterr().err == ""
    ruth = User.objects.get(username="ruth")
    # a registered manager oversees every service of the organisation
    assert sorted(s.name for s in services_visible_to(ruth)) == ["Oakfield", "Riverside"]
    assert Organisation.objects.count() == 1


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["--email", "a@example.org"],
            "User name: \nkinwise: give --username (no answer was typed)\n",
        ),
        (
            ["--username", "manager", "--email", "b@example.org"],
            "kinwise: the login was not created\n  username: Someone already has this user name\n",
        ),
        (
            ["--username", "sam", "--email", "sam@example"],
            "kinwise: the login was not created\n"
            "  email: Enter an email address in the right form, like name@example.com\n",
        ),
    ],
)
def test_bad_input_is_said_plainly_and_writes_nothing(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    message: str,
) -> None:
    acme = organisation_ensure(slug="acme", name="Acme Care")
    service_ensure(organisation=acme, external_id="oakfield", name="Oakfield")
    User.objects.create_user(username="Manager", email="m@example.org")
    monkeypatch.setenv("KINWISE_ADMIN_PASSWORD", PASSWORD)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["createadmin", *argv]) == 2
    assert capsys.readouterr().err == message
    assert User.objects.count() == 1


def test_a_weak_or_mistyped_password_is_refused(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("KINWISE_ADMIN_PASSWORD", raising=False)
    args = ["createadmin", "--organisation", "Acme", "--service", "Hill House"]
    args += ["--username", "ruth", "--email", "ruth@example.org"]
    typed = iter(["one-long-password", "another-long-password"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(typed))
    assert main(args) == 2
    assert capsys.readouterr().err == "kinwise: the two passwords are not the same\n"
    monkeypatch.setenv("KINWISE_ADMIN_PASSWORD", "qwerty")
    assert main(args) == 2
    assert capsys.readouterr().err == (
        "kinwise: the login was not created\n"
        "  password: This password is too short. It must contain at least 12 characters.\n"
        "  password: This password is too common.\n"
    )
    # nothing was written: not the organisation, nor its service
    assert (Organisation.objects.count(), Service.objects.count(), User.objects.count()) == (
        0,
        0,
        0,
    )
