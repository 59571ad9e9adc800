"""The `kinwise` command. Each subcommand lives in its own module under kinwise.commands.

A module exposes ``add_parser(subparsers)`` and ``run(args) -> int``. Exit status: 0 when
the command ran, 2 on a validation or usage error (errors on stderr, nothing on stdout).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from kinwise.errors import KinwiseError

COMMANDS: tuple[str, ...] = (
    "validate",
    "schema",
    "audit",
    "import_",
    "import_emar",
    "export",
    "demo",
    "createadmin",
    "migrate",
    "serve",
    "synth",
    "report",
    "worker",
    "check",
    "sar",
    "retention",
    "backup",
    "restore",
    "access_log",
    "token",
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"kinwise: usage error: {message}\n")
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="kinwise", description="Kinwise: structured co-production with families.")
    subparsers = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"kinwise.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"kinwise.commands.{name}":
                continue
            raise
        module.add_parser(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.handler(args)
    except KinwiseError as exc:
        sys.stderr.write(f"kinwise: {exc.message}\n")
        for err in exc.errors:
            sys.stderr.write(f"  {err}\n")
        return 2
    except Exception as exc:
        if not _not_migrated(exc):
            raise
        sys.stderr.write(NOT_MIGRATED)
        return 2
    return code


NOT_MIGRATED = (
    "kinwise: the database is not set up yet (or not up to date): "
    "run `.venv/bin/kinwise migrate` first\n"
)


def _not_migrated(exc: Exception) -> bool:
    """A database error while some of Kinwise's migrations are not applied: the command
    ran before `kinwise migrate`, and a traceback would not say so."""
    from django.db.utils import DatabaseError

    if not isinstance(exc, DatabaseError):
        return False
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(connection)
        return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    except DatabaseError:
        return True


if __name__ == "__main__":
    raise SystemExit(main())
