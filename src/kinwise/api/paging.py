"""Paging by cursor: a page of at most ``limit`` items and the opaque cursor of the next
page (none: the last). A cursor is the position after the page's last item, encoded;
a cursor that cannot be read is a 422."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import TypeVar

from kinwise.errors import ErrorCode, FieldError, KinwiseError

T = TypeVar("T")

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


def encode_cursor(position: int) -> str:
    return base64.urlsafe_b64encode(f"p{position}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
        if not text.startswith("p") or not text[1:].isdigit() or len(text) > 12:
            raise ValueError(cursor)
        return int(text[1:])
    except (ValueError, UnicodeDecodeError):
        raise KinwiseError(
            ErrorCode.INVALID_INPUT,
            "the cursor is not one this API gave",
            [FieldError("cursor", "Use the cursor of the page before")],
        ) from None


def page_of(items: Sequence[T], *, cursor: str | None, limit: int) -> tuple[list[T], str | None]:
    """The page of ``items`` at ``cursor`` and the next page's cursor."""
    start = decode_cursor(cursor)
    end = start + limit
    following = encode_cursor(end) if end < len(items) else None
    return list(items[start:end]), following
