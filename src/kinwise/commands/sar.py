"""`kinwise sar PERSON [--service ID] [--organisation SLUG] --out DIR`.

Writes everything held about the person (the subject-access export,
kinwise.dataprotection.subject_access) to DIR as ``person-<pk>-everything-held.json``
and ``.pdf``, readable by their owner only; prints the two paths. The export is logged
(by ids) and noted in the access log.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "sar", help="write everything held about a person (subject access), as JSON and PDF"
    )
    parser.add_argument(
        "person", metavar="PERSON", help="the person's case-file id, or #12 (the web's number)"
    )
    parser.add_argument("--service", metavar="ID", help="the person's service (when ids repeat)")
    parser.add_argument("--organisation", metavar="SLUG", help="the service's organisation")
    parser.add_argument("--out", metavar="DIR", required=True, help="the directory to write to")
    parser.set_defaults(handler=run)


def _write(path: Path, content: bytes) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(content)
    os.chmod(path, 0o600)


def run(args: argparse.Namespace) -> int:
    from kinwise.config.bootstrap import setup_django

    setup_django()
    from django.utils import timezone

    from kinwise.dataprotection.subject_access import (
        subject_access,
        subject_access_given,
        subject_access_pdf,
    )
    from kinwise.records.selectors import person_for_export

    person = person_for_export(
        person=args.person, service=args.service, organisation=args.organisation
    )
    from kinwise.access.command_line import command_read_people

    command_read_people(people=[person], command="sar")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True, mode=0o700)
    export = subject_access(person=person, made_at=timezone.now())
    stem = f"person-{person.pk}-everything-held"
    written = [out / f"{stem}.json", out / f"{stem}.pdf"]
    _write(written[0], export.to_json().encode("utf-8"))
    _write(written[1], subject_access_pdf(export))
    subject_access_given(person=person, user_id=None, form="files")
    for path in written:
        sys.stdout.write(f"{path}\n")
    return 0
