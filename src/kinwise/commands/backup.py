"""`kinwise backup --out FILE`: a backup of the database (docs/operations.md).

SQLite: a copy made with SQLite's online backup API, consistent while the server runs.
PostgreSQL: ``pg_dump --format=custom`` (pg_dump must be on the PATH). The file is
readable by its owner only. Restore it with `kinwise restore --from FILE`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser("backup", help="back up the database to a file")
    parser.add_argument("--out", metavar="FILE", required=True, help="the backup file to write")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from kinwise.config.bootstrap import setup_django

    setup_django()
    from kinwise.dataprotection.backup import backup

    kind = backup(out=Path(args.out))
    sys.stderr.write(f"kinwise backup: {kind} database backed up to {args.out}\n")
    return 0
