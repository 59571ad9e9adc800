"""`kinwise createadmin`: the very first login of a provider, a registered manager.

Creates the organisation when the database has none (asking its name) and its first
service when it has none, then a registered manager's login, who oversees every service
of the organisation and adds the rest in the web (Set up and administration). Asks for
what the options do not give; the password comes from KINWISE_ADMIN_PASSWORD or a prompt
(typed twice). Migrates the database first, as `kinwise demo` does.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import Any

from kinwise.errors import ErrorCode, KinwiseError

PASSWORD_VARIABLE = "KINWISE_ADMIN_PASSWORD"


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "createadmin",
        help="create the first registered manager's login (and the organisation if none)",
    )
    parser.add_argument("--username", metavar="NAME", help="the user name to sign in with")
    parser.add_argument(
        "--email", metavar="ADDRESS", help="their email address (for password resets)"
    )
    parser.add_argument(
        "--organisation",
        metavar="NAME",
        help="the provider's name, when the database has no organisation yet",
    )
    parser.add_argument(
        "--service",
        metavar="NAME",
        help="the first service's name, when the organisation has no service yet",
    )
    parser.set_defaults(handler=run)


def _ask(question: str, given: str | None, option: str) -> str:
    if given is not None:
        return given
    try:
        sys.stderr.write(f"{question}: ")
        sys.stderr.flush()
        return input()
    except EOFError:
        sys.stderr.write("\n")
        raise KinwiseError(ErrorCode.USAGE, f"give {option} (no answer was typed)") from None


def _password() -> str:
    from_env = os.environ.get(PASSWORD_VARIABLE)
    if from_env:
        return from_env
    try:
        first = getpass.getpass("Password: ")
        second = getpass.getpass("Password (again): ")
    except EOFError:
        raise KinwiseError(
            ErrorCode.USAGE, f"type the password, or set {PASSWORD_VARIABLE}"
        ) from None
    if first != second:
        raise KinwiseError(ErrorCode.USAGE, "the two passwords are not the same")
    return first


def run(args: argparse.Namespace) -> int:
    from kinwise.config.bootstrap import setup_django

    setup_django()
    from django.core.management import call_command

    from kinwise.core.models import Organisation, Service
    from kinwise.governance.provider_services import first_admin_create

    call_command("migrate", interactive=False, verbosity=0)
    organisation_name = args.organisation
    service_name = args.service
    organisations = list(Organisation.objects.all()[:2])
    if not organisations:
        organisation_name = _ask(
            "The name of your organisation (the provider)", organisation_name, "--organisation"
        )
    if not organisations or (
        len(organisations) == 1
        and not Service.objects.filter(organisation=organisations[0]).exists()
    ):
        service_name = _ask("The name of your first service", service_name, "--service")
    username = _ask("User name", args.username, "--username")
    email = _ask("Email address", args.email, "--email")
    user, organisation, service = first_admin_create(
        username=username,
        email=email,
        password=_password(),
        organisation_name=organisation_name,
        service_name=service_name,
    )
    sys.stdout.write(
        f"created the registered manager '{user.get_username()}' of {organisation.name}: "
        "they oversee every service of the organisation\n"
        "sign in on the web (`kinwise serve`) and open Set up and administration "
        "to add services, people and staff\n"
    )
    return 0
