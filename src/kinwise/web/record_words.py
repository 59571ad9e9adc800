"""A record named in plain English from its stored document ("the view of 3 May 2026"),
for the headings and links of the pages that act on one record."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from kinwise.casefile.kinds import RecordKind
from kinwise.casefile.vocab import AREA_LABELS, TASK_LABELS


def _date(value: Any) -> str:
    if not isinstance(value, str):
        return ""
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return ""
    return f"{day.day} {day.strftime('%B')} {day.year}"


def _of(data: Mapping[str, Any]) -> str:
    when = _date(data.get("date"))
    return f" of {when}" if when else ""


def record_description(
    spec: RecordKind,
    data: Mapping[str, Any],
    attr: str | None = None,
    inner: Mapping[str, Any] | None = None,
    names: Callable[[str | None], str] = lambda ref: ref or "",
) -> str:
    """The record (or the row ``inner`` of its list ``attr``) as a care manager names it."""
    if spec.name == "role":
        area = AREA_LABELS.get(str(data.get("area")), "an area")
        whole = f"who decides about {area}"
    elif spec.name == "task":
        task = TASK_LABELS.get(str(data.get("task")), "a task")
        whole = f"the task of {task} held by {names(data.get('holder'))}"
    elif spec.name == "member":
        whole = f"{data.get('name', 'a member')} in the circle"
    elif spec.name == "medicine":
        whole = f"the medicine {data.get('name', '')}".rstrip()
    else:
        whole = f"the {spec.label}{_of(data)}"
    if attr is None or inner is None:
        return whole
    if attr == "sessions":
        return f"the session{_of(inner)} of {whole}"
    if attr == "contributions":
        return f"the contribution by {names(inner.get('by'))} to {whole}"
    if attr == "decisions":
        area = AREA_LABELS.get(str(inner.get("area")), "an area")
        return f"the decision about {area} at {whole}"
    if attr == "hazards":
        return f"a hazard of {whole}"
    return f"a row of {whole}"
