"""Cross-record rules of the case file (placeholder, being written)."""

from __future__ import annotations

from typing import Any

from kinwise.errors import FieldError


def check_references(data: dict[str, Any]) -> list[FieldError]:
    return []
