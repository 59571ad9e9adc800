"""`kinwise serve`: the web application on a local address (for a single machine or a demo)."""

from __future__ import annotations

import argparse
from typing import Any


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser("serve", help="serve the web application")
    parser.add_argument("--addr", default="127.0.0.1:8000", help="address:port to listen on")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from kinwise.config.bootstrap import setup_django

    setup_django()
    from django.core.management import call_command

    call_command("runserver", args.addr, use_reloader=False)
    return 0
