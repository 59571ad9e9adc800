"""`kinwise restore --from FILE`: replace the database's content by a backup made with
`kinwise backup` (docs/operations.md). Stop the server and the workers first.

SQLite: the file is checked (a damaged file, or one that is not a Kinwise database, is
refused and nothing changes), then copied over the database with SQLite's backup API.
PostgreSQL: ``pg_restore --clean --if-exists --single-transaction`` (on any error,
nothing changes). Afterwards run `kinwise migrate` if the backup is older than the code,
and `kinwise access-log verify`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser("restore", help="restore the database from a backup file")
    parser.add_argument(
        "--from", dest="source", metavar="FILE", required=True, help="the backup file"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from kinwise.config.bootstrap import setup_django

    setup_django()
    from kinwise.dataprotection.backup import restore

    kind = restore(source=Path(args.source))
    sys.stderr.write(f"kinwise restore: {kind} database restored from {args.source}\n")
    return 0
