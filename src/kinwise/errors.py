"""The one error type of Kinwise, with codes.

Messages never carry personal data beyond what the caller already holds (ids and
paths in the caller's own file), so they are safe to show on the wire and in logs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class ErrorCode(StrEnum):
    INVALID_CASEFILE = "invalid_casefile"
    UNREADABLE_FILE = "unreadable_file"
    USAGE = "usage"
    NOT_FOUND = "not_found"
    PERMISSION_DENIED = "permission_denied"
    CONFLICT = "conflict"
    INVALID_INPUT = "invalid_input"
    INVALID_DATE = "invalid_date"


@dataclass(frozen=True)
class FieldError:
    """One problem at one place: ``path`` is as in the file (``meetings[2].decisions[0].area``)."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


@dataclass
class KinwiseError(Exception):
    code: ErrorCode
    message: str
    errors: list[FieldError] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message
