"""`kinwise retention --dry-run | --apply [--as-of YYYY-MM-DD] [--archive DIR]`.

The retention policy (kinwise.dataprotection.retention, docs/security.md): a person's
records are erased ``KINWISE_RETENTION_YEARS`` (default 8) after their support ended.

``--dry-run`` lists the people past the policy on ``--as-of`` (default today), one a
line: database ids, case-file id and the end of support, nothing else. ``--apply``
archives each (their subject-access export, in ``--archive`` or ``KINWISE_ARCHIVE_DIR``,
owner-only) and then erases their records; it prints the same lines and the archive of
each. Running it again changes nothing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "retention", help="list, or erase, the people past the retention policy"
    )
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--dry-run", action="store_true", help="list the people past the policy")
    mode.add_argument("--apply", action="store_true", help="archive, then erase, them")
    parser.add_argument("--as-of", metavar="YYYY-MM-DD", help="the day to apply it on")
    parser.add_argument("--archive", metavar="DIR", help="where the archives are written")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from kinwise.config.bootstrap import setup_django

    setup_django()
    from django.utils import timezone

    from kinwise.dataprotection.retention import retention_apply, retention_due, retention_years
    from kinwise.dates import parse_user_date

    as_of = (
        parse_user_date(args.as_of, label="--as-of")
        if args.as_of
        else timezone.localdate()  # the day in UK time
    )
    years = retention_years()
    if args.dry_run:
        due = retention_due(as_of=as_of, years=years)
        for row in due:
            sys.stdout.write(row.line() + "\n")
        sys.stderr.write(
            f"kinwise retention: {len(due)} person(s) past the policy of {years} years "
            f"after support ended, on {as_of.isoformat()} (nothing changed)\n"
        )
        return 0
    archive = Path(args.archive) if args.archive else None
    done = retention_apply(as_of=as_of, at=timezone.now(), archive_dir=archive, years=years)
    for row, erased in zip(done.due, done.erased, strict=True):
        sys.stdout.write(f"{row.line()}: erased, archive {erased.archive}\n")
    sys.stderr.write(f"kinwise retention: {len(done.erased)} person(s) erased\n")
    return 0
