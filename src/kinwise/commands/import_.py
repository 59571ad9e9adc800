"""`kinwise import FILE... [--service ID] [--organisation SLUG [--create-organisation]]
[--force] [--dry-run] [--progress]`: case files into the database.

Each file is imported in its own transaction: a file with any error writes nothing and
is reported with every error; the others are still imported. Exit 2 if any file failed.
A file exported by ``kinwise export`` (YAML) carries the version of each of its records
(kinwise.casefile.stamp): a file that would overwrite a record changed in Kinwise after
its export is refused, naming each such record, unless ``--force`` is given. A dry run
prints what each file would add, change, supersede and refuse, and writes nothing.
Once the files are in, the queue's workers are asked to refresh the stored audits of
the services imported into (kinwise.jobs), so their dashboards read them. Several files
show a progress bar on standard error when it is a terminal or with ``--progress``
(kinwise.commands.progress); standard output keeps one line per file.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from kinwise.errors import ErrorCode, KinwiseError


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser("import", help="import case files into the database")
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
    parser.add_argument(
        "--service", metavar="ID", help="the service to import into (instead of the file's)"
    )
    parser.add_argument(
        "--organisation",
        metavar="SLUG",
        help="the organisation of the service (needed when the database has none or more "
        "than one); it must exist unless --create-organisation is given",
    )
    parser.add_argument(
        "--create-organisation",
        dest="create_organisation",
        action="store_true",
        help="create the --organisation when it does not exist yet",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="import an exported file even over records changed in Kinwise after its export",
    )
    parser.add_argument(
        "--dry-run",
        dest="dry_run",
        action="store_true",
        help="print what each file would add, change, supersede and refuse; write nothing",
    )
    parser.add_argument(
        "--progress",
        action="store_true",
        help="show a progress bar on standard error even when it is not a terminal "
        "(it is shown on a terminal anyway; never on standard output)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from kinwise.config.bootstrap import setup_django

    setup_django()
    from kinwise.casefile.limits import decode_text, read_limited, storage_errors
    from kinwise.casefile.load import parse_casefile
    from kinwise.casefile.stamp import file_stamp
    from kinwise.commands.progress import Progress, progress_wanted
    from kinwise.records.services.casefiles import casefile_import_file, describe

    failed = False
    imported: set[int] = set()
    progress = Progress(
        total=len(args.files),
        stream=sys.stderr,
        enabled=len(args.files) > 1
        and progress_wanted(asked=getattr(args, "progress", False), stream=sys.stderr),
    )
    for path in args.files:
        progress.step(0)
        try:
            text = decode_text(read_limited(path), name=str(path))
            casefile = parse_casefile(text, name=str(path))
            stamp = file_stamp(text, casefile, name=str(path))
            too_long = storage_errors(casefile.model_dump(mode="json"))
            if too_long:
                raise KinwiseError(
                    ErrorCode.RESOURCE_LIMIT, "longer than the database stores", too_long
                )
            service, result = casefile_import_file(
                casefile=casefile,
                service_id=args.service,
                organisation_slug=args.organisation,
                create_organisation=args.create_organisation,
                stamp=stamp,
                force=args.force,
                dry_run=args.dry_run,
            )
        except KinwiseError as exc:
            failed = True
            progress.line(f"{path}: not imported: {exc.message}\n")
            for err in exc.errors:
                progress.line(f"{path}: {err}\n")
            progress.step()
            continue
        progress.clear()
        if args.dry_run:
            sys.stdout.write(
                f"{path}: dry run, nothing written: would import person '{result.person_id}' "
                f"into service '{service.external_id}': {result.summary()}\n"
            )
            for kind, key, action in result.actions:
                sys.stdout.write(f"{path}: would {_VERBS[action]} {describe(kind, key)}\n")
            for line in result.stale:
                verb = "overwrite (--force)" if args.force else "refuse"
                sys.stdout.write(f"{path}: would {verb}: {line}\n")
            if result.stale and not args.force:
                failed = True
            progress.step()
            continue
        imported.add(service.pk)
        from kinwise.access.command_line import command_changed_person

        command_changed_person(person_pk=result.person_pk, service=service, command="import")
        sys.stdout.write(
            f"{path}: imported person '{result.person_id}' into service "
            f"'{service.external_id}': {result.summary()}\n"
        )
        progress.step()
    progress.finish()
    if imported:
        from kinwise.jobs.tasks import service_audits_refresh

        # each file's transaction has committed: the workers read what was written
        if not service_audits_refresh(service_pks=sorted(imported)):
            sys.stderr.write(
                "kinwise: the job queue could not be reached: the stored audits will be "
                "refreshed when next read\n"
            )
    return 2 if failed else 0


_VERBS = {
    "created": "add",
    "restored": "bring back",
    "updated": "change",
    "superseded": "supersede",
    "entered_in_error": "take out",
}
