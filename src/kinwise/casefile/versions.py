"""Which format version a case file is, and a version-1 file read exactly as before.

The schema's models are format version 2's (a superset of version 1's). A file that does
not say ``kinwise: 2`` is read as version 1 always was: each section, field and value of
version 2 in it is reported at its path with the error version 1 gives (an unknown
field, an unknown event kind), and is taken out of what the schema and the cross-record
checks see, so that nothing of version 2 is validated or enters the file's namespace of
ids (docs/spec/casefile-v2.md, "Versions").
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from kinwise.casefile.schema import V2_EVENT_FIELDS, V2_SECTIONS, CaseFile
from kinwise.casefile.vocab import V2_EVENT_KINDS
from kinwise.errors import FieldError, FieldErrorCode


def declared_version(data: Any) -> int:
    """The version a file's data says it is: 2 only for the whole number 2, else 1 (a
    missing or bad ``kinwise`` is reported by the schema, and the file read as version 1)."""
    value = data.get("kinwise") if isinstance(data, dict) else None
    return 2 if type(value) is int and value == 2 else 1


def unknown_field_message(version: int) -> str:
    return f"unknown field (not part of case-file format version {version})"


def _unknown(path: str, value: Any) -> FieldError:
    # as version 1 words it (kinwise.casefile.errors): a null unknown field reads as missing
    message = "required field is missing" if value is None else unknown_field_message(1)
    return FieldError(path, message, FieldErrorCode.UNKNOWN_FIELD)


def as_version_one(data: dict[str, Any]) -> tuple[dict[str, Any], list[FieldError]]:
    """``data`` without what version 2 adds, and the errors version 1 reports for it."""
    errors: list[FieldError] = []
    kept = dict(data)
    for name in V2_SECTIONS:
        if name in kept:
            errors.append(_unknown(name, kept.pop(name)))
    events = kept.get("events")
    if isinstance(events, list):
        cleaned: list[Any] = []
        for index, event in enumerate(events):
            if isinstance(event, dict):
                if event.get("kind") in V2_EVENT_KINDS:
                    errors.append(
                        FieldError(
                            f"events[{index}].kind",
                            f"unknown kind '{event['kind']}'",
                            FieldErrorCode.INVALID,
                        )
                    )
                extra = [k for k in V2_EVENT_FIELDS if k in event]
                for key in extra:
                    errors.append(_unknown(f"events[{index}].{key}", event[key]))
                if extra:
                    event = {k: v for k, v in event.items() if k not in extra}
            cleaned.append(event)
        kept["events"] = cleaned
    return kept, errors


def version_needed(casefile: CaseFile) -> int:
    """The lowest format version that holds the file's records: 2 when it has a record of
    a version-2 section, a carer_unwell event or an event naming a carer, or the export
    field; else 1."""
    if any(getattr(casefile, name) for name in V2_SECTIONS):
        return 2
    return 2 if _events_need_two(casefile.events) else 1


def data_version_needed(data: dict[str, Any]) -> int:
    """:func:`version_needed` of a case file's data (as an export writes it)."""
    if any(data.get(name) for name in V2_SECTIONS):
        return 2
    events = data.get("events") or []
    return (
        2
        if any(
            isinstance(e, dict)
            and (e.get("kind") in V2_EVENT_KINDS or any(e.get(k) for k in V2_EVENT_FIELDS))
            for e in events
        )
        else 1
    )


def _events_need_two(events: Iterable[Any]) -> bool:
    return any(
        e.kind in V2_EVENT_KINDS or any(getattr(e, k) is not None for k in V2_EVENT_FIELDS)
        for e in events
    )


def settle_version(data: dict[str, Any]) -> None:
    """Give a case file's data (changed by a write) the lowest version that holds it,
    leaving out the empty sections of version 2 when that is version 1."""
    version = data_version_needed(data)
    data["kinwise"] = version
    if version == 1:
        for name in V2_SECTIONS:
            if name in data and not data[name]:
                del data[name]
