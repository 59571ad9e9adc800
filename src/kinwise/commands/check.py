"""`kinwise check [--deploy]`: Django's system checks of the configuration in the
environment; with ``--deploy``, the checks for a production server too (run it with the
production environment: KINWISE_SECRET_KEY, KINWISE_SECURE_COOKIES=1, ...). Any warning
fails (exit 1), so CI can hold the deploy checks at zero warnings."""

from __future__ import annotations

import argparse
from typing import Any


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "check", help="check the configuration (--deploy: as a production server)"
    )
    parser.add_argument(
        "--deploy", action="store_true", help="also the checks for a production server"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from kinwise.config.bootstrap import setup_django

    setup_django()
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    try:
        call_command("check", deploy=args.deploy, fail_level="WARNING")
    except SystemCheckError as exc:
        import sys

        sys.stderr.write(f"{exc}\n")
        return 1
    return 0
