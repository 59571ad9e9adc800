"""`kinwise migrate`: bring the database schema up to date."""

from __future__ import annotations

import argparse
from typing import Any


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser("migrate", help="create or update the database tables")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from kinwise.config.bootstrap import setup_django

    setup_django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=1)
    return 0
