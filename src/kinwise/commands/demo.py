"""`kinwise demo`: the demo provider, its services, people and logins (safe to re-run)."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "demo", help="create the demo organisation, people and logins (changes nothing if present)"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from kinwise.config.bootstrap import setup_django

    setup_django()
    from django.core.management import call_command

    from kinwise.records.services.demo import DEMO_PASSWORD, demo_load

    call_command("migrate", interactive=False, verbosity=0)
    loaded = demo_load()
    for line in loaded:
        sys.stdout.write(f"{line}\n")
    sys.stdout.write(
        "demo logins: 'manager' (registered manager) and 'priya' (support worker, Riverside), "
        f"password '{DEMO_PASSWORD}'\n"
    )
    return 0
