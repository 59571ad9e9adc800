"""The one reading of a date a person types: on a page, in a form or on the command line.

Only ``YYYY-MM-DD`` in ASCII digits, a real day of the calendar, from 1900 to 9999. No ISO
week or ordinal dates, no compact form, no other digits, no guessing: every other text is
refused with the same plain message naming the field. Dates inside a case file are read by
the case-file format instead (``kinwise.casefile.schema``), whose rules are the format's own.

Pure Python: no Django import.
"""

from __future__ import annotations

import datetime as dt
import re

from kinwise.errors import ErrorCode, KinwiseError

# The years a typed date may fall in: nothing Kinwise records happened before 1900, and
# four digits end at 9999.
EARLIEST_YEAR = 1900
LATEST_YEAR = 9999
EXAMPLE = "2026-03-31"

_TYPED_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", re.ASCII)


def date_message(label: str) -> str:
    """What to say about any date that cannot be read: the same words for every mistake.

    ``label`` names the field as a sentence would ("the audit date")."""
    return f"Enter {label} as year-month-day, for example {EXAMPLE}"


def parse_user_date(text: str, *, label: str) -> dt.date:
    """The date ``text`` writes (surrounding white space ignored), or KinwiseError
    (``ErrorCode.INVALID_DATE``) with :func:`date_message` for ``label``."""
    match = _TYPED_DATE.fullmatch(text.strip())
    if match is None:
        raise KinwiseError(ErrorCode.INVALID_DATE, date_message(label))
    year, month, day = (int(part) for part in match.groups())
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise KinwiseError(ErrorCode.INVALID_DATE, date_message(label))
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise KinwiseError(ErrorCode.INVALID_DATE, date_message(label)) from None


def parse_optional_date(text: str | None, *, label: str) -> dt.date | None:
    """None for no text (absent, empty or only white space), else :func:`parse_user_date`."""
    if text is None or not text.strip():
        return None
    return parse_user_date(text, label=label)
