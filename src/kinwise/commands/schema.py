"""`kinwise schema`: the JSON Schema of the case file."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from kinwise.casefile.schema import json_schema


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser("schema", help="print the case file's JSON Schema")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    sys.stdout.write(json.dumps(json_schema(), indent=2) + "\n")
    return 0
