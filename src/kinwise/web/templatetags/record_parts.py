"""The two parts that every record on a person's page repeats: its findings and its
actions (change, history, entered in error).

A page about a person with five years of history draws them once per record, hundreds
of times; as template includes they were most of the cost of building such a page
afresh (docs/adr/0277). Here they are one call each, their markup built with
``format_html``, so every value is escaped as the template would escape it.

Use: ``{% load record_parts %}``, then ``{% findings_inline findings %}`` and
``{% record_actions kind key label when=... change_url=... changeable=True inline=True %}``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from kinwise.readings import labels
from kinwise.rules.engine import Finding
from kinwise.web.templatetags.kinwise_web import may_record, record_url, severity_tag

register = template.Library()


@register.simple_tag
def findings_inline(findings: Iterable[Finding] | None) -> SafeString:
    """The findings about one record as a list of tags and messages (nothing when none)."""
    shown = list(findings or ())
    if not shown:
        return mark_safe("")
    items = format_html_join(
        "\n",
        '  <li data-rule="{}"><strong class="nhsuk-tag {}">{} {}</strong> {}</li>',
        ((f.rule, severity_tag(f.severity), f.rule, f.severity, f.message) for f in shown),
    )
    return format_html(
        '\n<ul class="kw-findings-inline" aria-label="Findings">\n{}\n</ul>\n', items
    )


@register.simple_tag(takes_context=True)
def record_actions(
    context: Any,
    kind: str,
    key: Any,
    label: str,
    when: dt.date | None = None,
    change_url: str = "",
    changeable: bool = False,
    inline: bool = False,
) -> SafeString:
    """The links to change a record (where the viewer may: from ``change_url``, or the
    record's own change page when ``changeable``), to its history and to take it out as
    entered in error, each named for a screen reader by ``label`` and the date ``when``.
    ``inline`` draws them in a span (inside a line or a table cell), else a paragraph."""
    if changeable:
        change_url = record_url(context, kind, key, "change")
    history_url = record_url(context, kind, key, "history")
    correct_url = record_url(context, kind, key)
    named = format_html("{} of {}", label, labels.long_date(when)) if when else label
    links: list[SafeString] = []
    if change_url and may_record(kind, context.get("may")):
        links.append(
            format_html(
                '<a href="{}">Change<span class="nhsuk-u-visually-hidden"> {}</span></a> · ',
                change_url,
                named,
            )
        )
    if history_url:
        links.append(
            format_html(
                '<a href="{}">History<span class="nhsuk-u-visually-hidden"> of {}</span></a>',
                history_url,
                named,
            )
        )
    if correct_url:
        links.append(
            format_html(
                ' · <a href="{}">Entered in error<span class="nhsuk-u-visually-hidden">: {}'
                "</span></a>",
                correct_url,
                named,
            )
        )
    if inline:
        return format_html('<span class="nhsuk-body-s">{}</span>\n', mark_safe("".join(links)))
    return format_html(
        '<p class="nhsuk-body-s nhsuk-u-margin-bottom-0">{}</p>\n', mark_safe("".join(links))
    )
