"""What changed between two versions of a record, field by field, as text. Pure: no Django."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


def snapshot_changes(before: dict[str, object] | None, after: dict[str, object]) -> list[Change]:
    """The fields that differ between two snapshots of a record, as text."""
    before = before or {}
    keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
    return [
        Change(k, _show(before.get(k)), _show(after.get(k)))
        for k in keys
        if before.get(k) != after.get(k)
    ]


def _show(value: object) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "; ".join(_show(v) for v in value) or "(none)"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_show(v)}" for k, v in value.items()) or "(none)"
    return str(value)
