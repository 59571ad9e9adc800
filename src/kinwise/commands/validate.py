"""`kinwise validate FILE...`: every error of every file, with its path in the file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from kinwise.casefile.load import load_casefile
from kinwise.errors import KinwiseError


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser("validate", help="check case files against the format")
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    failed = False
    for path in args.files:
        try:
            load_casefile(path)
        except KinwiseError as exc:
            failed = True
            if not exc.errors:
                sys.stderr.write(f"{exc.message}\n")
            for err in exc.errors:
                sys.stderr.write(f"{path}: {err}\n")
            continue
        sys.stdout.write(f"{path}: valid\n")
    return 2 if failed else 0
