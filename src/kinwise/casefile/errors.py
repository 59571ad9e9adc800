"""Turning pydantic's errors into the case file's plain messages, each with its path."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import ValidationError

from kinwise.casefile.schema import YamlDate
from kinwise.errors import FieldError, FieldErrorCode

_LITERAL_NOUNS = {
    "area": "area",
    "areas": "area",
    "required_areas": "area",
    "method": "method",
    "methods": "method",
    "task": "task",
    "trained": "task",
    "kind": "kind",
    "setting": "setting",
    "outcome": "outcome",
    "agreed_position": "position",
    "support": "support level",
    "severity": "severity",
    "route": "route",
    "stage": "stage",
    "role": "role line",
    "change": "change",
    "basis": "basis",
    "assessment": "assessment",
}


def _version_of(data: Any) -> int:
    value = data.get("kinwise") if isinstance(data, dict) else None
    return 2 if type(value) is int and value == 2 else 1


def format_path(loc: Sequence[int | str]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _path_key(path: str) -> list[tuple[int, Any]]:
    """Sort key keeping list indexes numeric, so meetings[10] comes after meetings[2]."""
    key: list[tuple[int, Any]] = []
    for token in re.findall(r"\[(\d+)\]|([^.\[\]]+)", path):
        index, name = token
        key.append((0, int(index)) if index else (1, name))
    return key


def sort_errors(errors: Iterable[FieldError]) -> list[FieldError]:
    unique = list(dict.fromkeys(errors))
    return sorted(unique, key=lambda e: (_path_key(e.path), e.message))


def _field_name(loc: Sequence[int | str]) -> str:
    for part in reversed(loc):
        if isinstance(part, str):
            return part
    return ""


def _lookup(data: Any, loc: Sequence[int | str]) -> tuple[bool, Any]:
    current = data
    for part in loc:
        if isinstance(current, dict) and part in current:
            current = current[part]
            continue
        if isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            current = current[part]
            continue
        return False, None
    return True, current


def _clean_loc(loc: Sequence[int | str]) -> tuple[int | str, ...]:
    # pydantic adds validator tags (e.g. "function-after[...]") to a loc; they are not in the file
    return tuple(p for p in loc if not (isinstance(p, str) and ("[" in p or p in {"int", "float"})))


def _message(err: Any, data: Any) -> str:
    kind = err["type"]
    loc = _clean_loc(err["loc"])
    field = _field_name(loc)
    present, value = _lookup(data, loc)
    if kind == "missing" or (present and value is None):
        return "required field is missing"
    if kind in {"invalid_key", "extra_forbidden"}:  # invalid_key: a key YAML reads as non-text
        return f"unknown field (not part of case-file format version {_version_of(data)})"
    if kind == "literal_error":
        if field == "kinwise":
            return (
                f"format version {value!r} is not supported: this reader reads versions 1 and 2"
                if present
                else "required field is missing"
            )
        if err["loc"] and err["loc"][-1] == "[key]":
            return f"unknown task '{loc[-1]}'"
        noun = _LITERAL_NOUNS.get(field, "value")
        return f"unknown {noun} {_quoted(value)}"
    if kind in {"string_type", "str_type"}:
        return f"expected text, got {_describe(value)}" + _quote_hint(value)
    if kind in {"bool_type", "bool_parsing"}:
        return f"expected true or false, got {_describe(value)}"
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        return f"expected a whole number, got {_describe(value)}"
    if kind in {"list_type"}:
        return f"expected a list, got {_describe(value)}"
    if kind in {"dict_type", "model_type", "model_attributes_type"}:
        return f"expected a mapping of fields, got {_describe(value)}"
    if kind == "too_short":
        return "must have at least one entry"
    if kind in {"greater_than_equal", "less_than_equal", "greater_than", "less_than"}:
        ctx = err.get("ctx", {})
        bound = next(iter(ctx.values()), "")
        words = {
            "greater_than_equal": "at least",
            "less_than_equal": "at most",
            "greater_than": "more than",
            "less_than": "less than",
        }[kind]
        return f"{value!r} is out of range: must be {words} {bound}"
    if kind == "value_error" and field == "kinwise" and loc == ("kinwise",):
        return f"expected the whole number 1, got {_describe(value)}"
    if kind == "value_error":
        msg = str(err.get("msg", ""))
        return msg.removeprefix("Value error, ")
    return str(err.get("msg", "is not valid"))


def _quoted(value: Any) -> str:
    return f"'{value}'" if isinstance(value, str) else _describe(value)


def _describe(value: Any) -> str:
    if isinstance(value, YamlDate):
        return f"the date {value.text}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"text {value!r}"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _quote_hint(value: Any) -> str:
    if isinstance(value, bool | int | float | YamlDate):
        return " (quote it in YAML when it is meant as text)"
    return ""


def _code(error_type: str) -> FieldErrorCode:
    if error_type == "missing":
        return FieldErrorCode.MISSING
    if error_type == "extra_forbidden":
        return FieldErrorCode.UNKNOWN_FIELD
    return FieldErrorCode.INVALID


def format_validation_error(exc: ValidationError, data: Any) -> list[FieldError]:
    errors: list[FieldError] = []
    for err in exc.errors():
        loc = _clean_loc(err["loc"])
        errors.append(FieldError(format_path(loc), _message(err, data), _code(err["type"])))
    return errors
