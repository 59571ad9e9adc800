"""`kinwise export PERSON [--service ID] [--organisation SLUG] [--format yaml|json|fhir]`.

Writes the person's current records as a case file on stdout (``fhir``: as a FHIR R4
Bundle in JSON, see docs/fhir.md), in the lowest format version that holds them. The
file records the version of each record (kinwise.casefile.stamp), so that re-importing it
cannot silently overwrite a change made in Kinwise after the export: a version-1 YAML
file in comment lines at its top (docs/adr/0080), a version-2 file (YAML or JSON) in its
``exported`` field (docs/spec/casefile-v2.md, docs/adr/0160).
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
    parser.add_argument("--format", choices=("yaml", "json", "fhir"), default="yaml")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from kinwise.config.bootstrap import setup_django

    setup_django()
    from kinwise.casefile.load import dump_casefile
    from kinwise.casefile.schema import Exported
    from kinwise.casefile.stamp import stamp_field, stamp_text
    from kinwise.records.selectors import casefile_export, export_stamp, person_for_export

    person = person_for_export(
        person=args.person, service=args.service, organisation=args.organisation
    )
    from kinwise.access.command_line import command_read_people

    command_read_people(people=[person], command="export")
    if args.format == "fhir":
        import datetime
        import json

        from kinwise.reports.fhir import person_bundle

        today = datetime.date.today()  # noqa: TID251 - the command line reads the clock
        bundle = person_bundle(casefile_export(person=person), as_of=today)
        sys.stdout.write(json.dumps(bundle, indent=2, ensure_ascii=False) + "\n")
        return 0
    stamp = export_stamp(person=person)  # before the records: see export_stamp
    casefile = casefile_export(person=person)
    if casefile.kinwise == 2:
        # a version-2 file carries the stamp as its field, in YAML and JSON alike
        stamped = casefile.model_copy(
            update={"exported": Exported.model_validate(stamp_field(stamp))}
        )
        sys.stdout.write(dump_casefile(stamped, fmt=args.format))
        return 0
    if args.format == "json":
        # JSON has no comments, and a version-1 file no field for the stamp
        sys.stdout.write(dump_casefile(casefile, fmt="json"))
        return 0
    sys.stdout.write(stamp_text(stamp) + dump_casefile(casefile))
    return 0
