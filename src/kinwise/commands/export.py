"""`kinwise export PERSON [--service ID] [--organisation SLUG] [--format yaml|json]`.

Writes the person's current records as a case file on stdout.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser("export", help="write a person's case file from the database")
    parser.add_argument("person", metavar="PERSON", help="the person's case-file id")
    parser.add_argument("--service", metavar="ID", help="the person's service (when ids repeat)")
    parser.add_argument("--organisation", metavar="SLUG", help="the service's organisation")
    parser.add_argument("--format", choices=("yaml", "json"), default="yaml")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from kinwise.config.bootstrap import setup_django

    setup_django()
    from kinwise.casefile.load import dump_casefile
    from kinwise.records.selectors import casefile_export, person_for_export

    person = person_for_export(
        person=args.person, service=args.service, organisation=args.organisation
    )
    sys.stdout.write(dump_casefile(casefile_export(person=person), fmt=args.format))
    return 0
