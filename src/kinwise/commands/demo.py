"""`kinwise demo`: the demo provider, its services, people and logins (safe to re-run).

The demo's logins have a published password, so the command refuses (exit 2, nothing
written) a database that holds anything but the demo: use an empty database for it."""

from __future__ import annotations

import argparse
import sys
from typing import Any

# The logins demo_load creates (kinwise.records.services.demo).
DEMO_LOGINS = ("manager", "priya")


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "demo", help="create the demo organisation, people and logins (changes nothing if present)"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from kinwise.config.bootstrap import setup_django

    setup_django()
    from django.core.management import call_command

    from kinwise.casefile.load import load_casefile
    from kinwise.errors import ErrorCode, KinwiseError
    from kinwise.records.demo_check import demo_foreign_data
    from kinwise.records.services.demo import (
        DEMO_ORGANISATION_SLUG,
        DEMO_PASSWORD,
        DEMO_SERVICES,
        demo_load,
        demo_stories,
    )

    call_command("migrate", interactive=False, verbosity=0)
    people = set()
    for before, _ in demo_stories():
        casefile = load_casefile(before)
        people.add((casefile.service.id if casefile.service else "", casefile.person.id))
    foreign = demo_foreign_data(
        organisation_slug=DEMO_ORGANISATION_SLUG,
        service_ids=frozenset(DEMO_SERVICES),
        usernames=frozenset(DEMO_LOGINS),
        people=frozenset(people),
    )
    if foreign:
        raise KinwiseError(
            ErrorCode.USAGE,
            "this database holds more than the demo ("
            + ", ".join(foreign)
            + "): the demo adds logins with a published password, so it is loaded only into "
            "an empty database or one holding only the demo (set KINWISE_DATABASE_URL or "
            "KINWISE_VAR_DIR to another database)",
        )
    loaded = demo_load()
    for line in loaded:
        sys.stdout.write(f"{line}\n")
    sys.stdout.write(
        "demo logins: 'manager' (registered manager) and 'priya' (support worker, Riverside), "
        f"password '{DEMO_PASSWORD}'\n"
    )
    return 0
