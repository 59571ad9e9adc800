"""Formatting for the staff pages: labels from the case file's vocabularies and dates."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template

from kinwise.access import KIND_ACTIONS, correction_action
from kinwise.readings import labels

register = template.Library()


@register.filter
def long_date(value: dt.date | None) -> str:
    return labels.long_date(value)


@register.filter
def area(value: str | None) -> str:
    return labels.area_label(value)


@register.filter
def area_title(value: str | None) -> str:
    return labels.area_title(value)


@register.filter
def method(value: str) -> str:
    return labels.method_label(value)


@register.filter
def task(value: str) -> str:
    return labels.task_label(value)


@register.filter
def setting(value: str) -> str:
    return labels.SETTING_LABELS.get(value, value)


@register.filter
def meeting_kind(value: str) -> str:
    return labels.MEETING_KIND_LABELS.get(value, value)


@register.filter
def position(value: str) -> str:
    return labels.POSITION_LABELS.get(value, value)


@register.filter
def authority_kind(value: str) -> str:
    return labels.AUTHORITY_LABELS.get(value, value)


@register.filter
def consent_kind(value: str) -> str:
    return labels.CONSENT_LABELS.get(value, value)


@register.filter
def member_kind(value: str) -> str:
    return labels.MEMBER_KIND_LABELS.get(value, value)


@register.filter
def record_kind(value: str) -> str:
    return labels.kind_label(value)


@register.filter
def support(value: str) -> str:
    return labels.SUPPORT_LABELS.get(value, value)


@register.filter
def severity_tag(value: str) -> str:
    """The NHS.UK tag colour of a finding's severity."""
    return {"high": "nhsuk-tag--red", "medium": "nhsuk-tag--orange", "low": "nhsuk-tag--grey"}.get(
        value, ""
    )


@register.filter
def join_names(values: list[str] | tuple[str, ...] | None) -> str:
    items = list(values or [])
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key)


@register.simple_tag(takes_context=True)
def record_url(context: Any, kind: str, key: Any, action: str = "correct") -> str:
    """The address of an action on one record (``correct`` or ``history``) by its opaque
    id, from the page's ``record_ids``; empty when the record is not current, or (to
    correct it) when the viewer may not take it out as entered in error (``may``)."""
    found = context.get("record_ids", {}).get((kind, str(key)))
    if not found or (action == "correct" and not _may_correct(context, kind)):
        return ""
    return f"{context['base']}/records/{found[0]}/{action}/"


def _may_correct(context: Any, kind: str) -> bool:
    return correction_action(kind) in (context.get("may") or ())


@register.filter
def may_record(kind: str, may: Any) -> bool:
    """Whether the viewer (whose actions are ``may``) may record or change a record of
    ``kind``."""
    action = KIND_ACTIONS.get(kind)
    return action is not None and action in (may or ())


@register.simple_tag(takes_context=True)
def inner_record_url(context: Any, kind: str, key: Any, attr: str, index: int) -> str:
    """The address that takes one row inside a record (a trial's session, a meeting's
    contribution) out as entered in error."""
    found = context.get("record_ids", {}).get((kind, str(key)))
    if not found or not _may_correct(context, kind):
        return ""
    return f"{context['base']}/records/{found[0]}/{attr}/{index}/correct/"
