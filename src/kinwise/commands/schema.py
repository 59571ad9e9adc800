"""`kinwise schema [--version 1|2]`: the JSON Schema of the case file (version 1 unless
asked for 2: version 1's is published unchanged)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from kinwise.casefile.schema import FORMAT_VERSIONS, json_schema


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser("schema", help="print the case file's JSON Schema")
    parser.add_argument(
        "--version",
        type=int,
        choices=FORMAT_VERSIONS,
        default=FORMAT_VERSIONS[0],
        help="the format version (default 1)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    sys.stdout.write(json.dumps(json_schema(args.version), indent=2) + "\n")
    return 0
