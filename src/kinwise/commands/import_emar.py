"""`kinwise import-emar FILE... --user USERNAME [--service ID] [--organisation SLUG]`.

Reads each eMAR file (a CSV of doses, or a FHIR R4 Bundle of MedicationAdministration
resources, by its content: docs/spec/emar.md) into medication audits of the person it
names, with the member of staff ``USERNAME`` as their auditor (who must be allowed to
record medication audits for the person: kinwise.access decides, and the access log keeps
the decision). Each file is its own transaction: a file with any problem writes nothing
and is reported with every problem and its place; the others are still imported. Exit 2
if any file failed. Re-importing a file changes nothing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from kinwise.errors import ErrorCode, KinwiseError

PAGE = "import-emar"


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "import-emar", help="import eMAR administration records as medication audits"
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
    parser.add_argument(
        "--user",
        metavar="USERNAME",
        required=True,
        help="the member of staff importing the files: the audits' auditor",
    )
    parser.add_argument("--service", metavar="ID", help="the person's service (when ids repeat)")
    parser.add_argument("--organisation", metavar="SLUG", help="the service's organisation")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from kinwise.config.bootstrap import setup_django

    setup_django()
    from django.contrib.auth import get_user_model
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from kinwise.access import person_for_action
    from kinwise.accesslog.log import access_context
    from kinwise.casefile.emar import parse_emar
    from kinwise.casefile.limits import decode_text, read_limited
    from kinwise.records.selectors import person_for_export
    from kinwise.records.services.emar import medication_audits_import

    user = get_user_model().objects.filter(username=args.user, is_active=True).first()
    if user is None:
        raise KinwiseError(ErrorCode.NOT_FOUND, f"no active login named '{args.user}'")
    failed = False
    imported: set[int] = set()
    for path in args.files:
        try:
            text = decode_text(read_limited(path), name=str(path))
            emar = parse_emar(text, name=str(path))
            found = person_for_export(
                person=emar.person, service=args.service, organisation=args.organisation
            )
            with access_context(client="command line", page=PAGE):
                try:
                    person = person_for_action(user=user, person_pk=found.pk, action="change_task")
                except (Http404, PermissionDenied):
                    raise KinwiseError(
                        ErrorCode.PERMISSION_DENIED,
                        f"'{args.user}' may not record medication audits for this person",
                    ) from None
            done = medication_audits_import(person=person, emar=emar, actor=user)
        except KinwiseError as exc:
            failed = True
            sys.stderr.write(f"{path}: not imported: {exc.message}\n")
            for err in exc.errors:
                sys.stderr.write(f"{path}: {err}\n")
            continue
        imported.add(person.service_id)
        sys.stdout.write(f"{path}: person '{emar.person}': {done.summary()}\n")
        for audit in done.audits:
            sys.stdout.write(
                f"{path}: {audit.id} of {audit.date}: {audit.doses_checked} doses due, "
                f"{audit.errors} errors, {audit.refusals} refused, {audit.as_needed} as needed\n"
            )
    if imported:
        from kinwise.jobs.tasks import service_audits_refresh

        if not service_audits_refresh(service_pks=sorted(imported)):
            sys.stderr.write(
                "kinwise: the job queue could not be reached: the stored audits will be "
                "refreshed when next read\n"
            )
    return 2 if failed else 0
