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
    # A case file beyond a resource limit (docs/spec/resource-limits.md): too big, too
    # deep, too many entries, records or values, or a text too long.
    RESOURCE_LIMIT = "resource_limit"
    USAGE = "usage"
    NOT_FOUND = "not_found"
    PERMISSION_DENIED = "permission_denied"
    CONFLICT = "conflict"
    INVALID_INPUT = "invalid_input"
    INVALID_DATE = "invalid_date"
    # a change based on a version of a record that another change has since replaced
    STALE = "stale"
    # work stopped at its time limit (kinwise.deadline)
    TIME_LIMIT = "time_limit"


class FieldErrorCode(StrEnum):
    """What is wrong at one place, for code that acts on an error (never on its message)."""

    INVALID = "invalid"  # a value of the wrong type or outside what the field accepts
    MISSING = "missing"  # a required field left out
    UNKNOWN_FIELD = "unknown_field"
    UNKNOWN_REFERENCE = "unknown_reference"  # names no record of the file
    WRONG_REFERENCE = "wrong_reference"  # names a record of a kind the field does not accept
    DUPLICATE = "duplicate"  # an id used twice, or a name twice in one list
    ORDER = "order"  # a date before the one it must follow
    CONSTRAINT = "constraint"  # a rule between fields or records of the file
    FUTURE = "future"  # a date after today where the record says something happened
    REFERRED_TO = "referred_to"  # a record others still refer to


@dataclass(frozen=True)
class FieldError:
    """One problem at one place: ``path`` is as in the file (``meetings[2].decisions[0].area``)."""

    path: str
    message: str
    # what is wrong, for code that acts on it; not part of equality (path and message are)
    code: FieldErrorCode = field(default=FieldErrorCode.INVALID, compare=False)

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
