"""The parts every record on a person's page repeats (kinwise.web.templatetags.record_parts):
the exact markup of each case, values escaped as a template escapes them."""

from __future__ import annotations

import datetime as dt

from django.template import Context, Template

from kinwise.rules.engine import Finding
from kinwise.web.templatetags.record_parts import findings_inline, record_actions

BASE = "/people/7"
IDS = {("voice", "v1"): (41, 3), ("consent", "c1"): (42, 1)}
# the actions of a manager: may change views and consents, and take them out in error
MANAGER = frozenset({"record_voice", "record_consent", "enter_in_error", "enter_legal_in_error"})


def _context(may: frozenset[str] = MANAGER) -> Context:
    return Context({"base": BASE, "record_ids": IDS, "may": may})


def test_every_link_in_a_paragraph_each_named_with_its_date() -> None:
    html = record_actions(
        _context(),
        "voice",
        "v1",
        "the view",
        when=dt.date(2026, 3, 5),
        change_url=f"{BASE}/edit/voice/v1/",
    )
    assert html == (
        '<p class="nhsuk-body-s nhsuk-u-margin-bottom-0">'
        '<a href="/people/7/edit/voice/v1/">Change<span class="nhsuk-u-visually-hidden">'
        " the view of 5 March 2026</span></a> · "
        '<a href="/people/7/records/41/history/">History<span class="nhsuk-u-visually-hidden">'
        " of the view of 5 March 2026</span></a>"
        ' · <a href="/people/7/records/41/correct/">Entered in error'
        '<span class="nhsuk-u-visually-hidden">: the view of 5 March 2026</span></a></p>\n'
    )


def test_inline_with_the_records_own_change_page_and_no_date() -> None:
    html = record_actions(_context(), "consent", "c1", "the consent", changeable=True, inline=True)
    assert html == (
        '<span class="nhsuk-body-s">'
        '<a href="/people/7/records/42/change/">Change<span class="nhsuk-u-visually-hidden">'
        " the consent</span></a> · "
        '<a href="/people/7/records/42/history/">History<span class="nhsuk-u-visually-hidden">'
        " of the consent</span></a>"
        ' · <a href="/people/7/records/42/correct/">Entered in error'
        '<span class="nhsuk-u-visually-hidden">: the consent</span></a></span>\n'
    )


def test_a_viewer_who_may_not_change_or_correct_sees_the_history_only() -> None:
    html = record_actions(
        _context(frozenset()), "voice", "v1", "the view", change_url=f"{BASE}/edit/voice/v1/"
    )
    assert html == (
        '<p class="nhsuk-body-s nhsuk-u-margin-bottom-0">'
        '<a href="/people/7/records/41/history/">History<span class="nhsuk-u-visually-hidden">'
        " of the view</span></a></p>\n"
    )


def test_a_record_that_is_not_current_has_no_links() -> None:
    html = record_actions(_context(), "voice", "gone", "the view", changeable=True)
    assert html == '<p class="nhsuk-body-s nhsuk-u-margin-bottom-0"></p>\n'


def test_a_label_is_escaped_once() -> None:
    html = record_actions(_context(), "consent", "c1", "Jo <O'Neil> & co", inline=True)
    assert "Jo &lt;O&#x27;Neil&gt; &amp; co" in html
    assert "<O'Neil>" not in html
    assert "&amp;lt;" not in html


def test_findings_as_tags_and_messages_escaped() -> None:
    findings = [
        Finding("R3", "high", "voice:v1", "No view since <March>", ()),
        Finding("R9", "low", "plan", "Review due", ()),
    ]
    assert findings_inline(findings) == (
        '\n<ul class="kw-findings-inline" aria-label="Findings">\n'
        '  <li data-rule="R3"><strong class="nhsuk-tag nhsuk-tag--red">R3 high</strong>'
        " No view since &lt;March&gt;</li>\n"
        '  <li data-rule="R9"><strong class="nhsuk-tag nhsuk-tag--grey">R9 low</strong>'
        " Review due</li>\n</ul>\n"
    )


def test_no_findings_draw_nothing() -> None:
    assert findings_inline([]) == ""
    assert findings_inline(None) == ""


def test_the_tags_in_a_template_take_keywords_and_filters() -> None:
    template = Template(
        "{% load record_parts %}"
        '{% record_actions kind="voice" key=key label="the view" change_url=base|add:"/edit/" %}'
        "{% findings_inline findings=findings %}"
    )
    html = template.render(
        Context(
            {
                "base": BASE,
                "record_ids": IDS,
                "may": MANAGER,
                "key": "v1",
                "findings": [Finding("R1", "medium", "plan", "Check", ())],
            }
        )
    )
    assert '<a href="/people/7/edit/">Change<span' in html
    assert '<strong class="nhsuk-tag nhsuk-tag--orange">R1 medium</strong> Check' in html
