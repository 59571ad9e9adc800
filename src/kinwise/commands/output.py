"""Where a command's document goes: the one ``--out FILE`` convention of every command
that writes a report or a file (stdout without it; a PDF, being binary, needs it)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from kinwise.errors import ErrorCode, KinwiseError


def add_out(parser: Any) -> None:
    """The ``--out FILE`` option."""
    parser.add_argument(
        "--out", type=Path, metavar="FILE", help="write to FILE (default: standard output)"
    )


def write_out(data: str | bytes, out: Path | None) -> None:
    """``data`` to ``out``, or to stdout when it is None (text only: a PDF needs a file)."""
    if out is None:
        if isinstance(data, bytes):
            raise KinwiseError(ErrorCode.USAGE, "a PDF needs --out FILE")
        sys.stdout.write(data)
        return
    try:
        if isinstance(data, bytes):
            out.write_bytes(data)
        else:
            out.write_text(data, encoding="utf-8")
    except OSError as exc:
        raise KinwiseError(
            ErrorCode.USAGE, f"cannot write {out} ({exc.__class__.__name__})"
        ) from None
