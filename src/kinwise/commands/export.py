"""`kinwise export PERSON [--service ID] [--organisation SLUG] [--format yaml|json|fhir]
[--out FILE]`.

Writes the person's current records as a case file on stdout or to ``--out FILE``
(PERSON: a case-file id, or ``#12``, the number the web shows; ``fhir``: as a FHIR R4
Bundle in JSON, see docs/fhir.md). The file records the version of each record
(kinwise.casefile.stamp), so that re-importing it cannot silently overwrite a change made
in Kinwise after the export: a YAML file of version 1 in comment lines at its top
(docs/adr/0080); a JSON file, and any file holding version-2 records, as a version-2 file
whose ``exported`` field holds them (docs/spec/casefile-v2.md, docs/adr/0160). JSON has
no comments, so a JSON export is always version 2: version 1 plus that one field.
"""

from __future__ import annotations

import argparse
from typing import Any

from kinwise.commands.output import add_out, write_out


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser("export", help="write a person's case file from the database")
    parser.add_argument(
        "person", metavar="PERSON", help="the person's case-file id, or #12 (the web's number)"
    )
    parser.add_argument("--service", metavar="ID", help="the person's service (when ids repeat)")
    parser.add_argument("--organisation", metavar="SLUG", help="the service's organisation")
    parser.add_argument("--format", choices=("yaml", "json", "fhir"), default="yaml")
    add_out(parser)
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
        write_out(json.dumps(bundle, indent=2, ensure_ascii=False) + "\n", args.out)
        return 0
    stamp = export_stamp(person=person)  # before the records: see export_stamp
    casefile = casefile_export(person=person)
    if casefile.kinwise == 2 or args.format == "json":
        # a version-2 file carries the stamp as its field, in YAML and JSON alike; JSON has
        # no comments, so a JSON export is a version-2 file (version 1 plus the field)
        stamped = casefile.model_copy(
            update={"kinwise": 2, "exported": Exported.model_validate(stamp_field(stamp))}
        )
        write_out(dump_casefile(stamped, fmt=args.format), args.out)
        return 0
    write_out(stamp_text(stamp) + dump_casefile(casefile), args.out)
    return 0
