"""The Jinja2 environment of the person pages' record sections (docs/adr/0278).

The sections that draw every record of a long history (who decides what, voice, meetings,
risk, capacity and consent) are Jinja2 templates under ``kinwise/web/jinja2/``, rendered
inside the Django template of their page by ``{% record_section %}``
(:mod:`kinwise.web.templatetags.record_sections`). They see the page's whole context and
the same filters and parts as the Django templates, under the same names, with the
Django template language's meaning:

- ``default`` gives its argument for any false value (Jinja2's own only for an undefined
  one); ``yesno``, ``pluralize`` and ``capfirst`` are Django's;
- a missing attribute is empty, however deep (``ChainableUndefined``), as in Django;
- values are escaped as Django escapes them (``conditional_escape``, so ``'`` is
  ``&#x27;``), unless marked safe (Django's safe strings are safe here too).

Rare parts shared with the Django templates (pagination, family members' views) are the
Django includes themselves (``include_django``), so their markup exists once.
"""

from __future__ import annotations

from typing import Any

from django.template.defaultfilters import capfirst, join, pluralize, yesno
from django.template.loader import render_to_string
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString
from jinja2 import ChainableUndefined, Environment, pass_context
from jinja2.runtime import Context

from kinwise.web.templatetags import kinwise_web, record_parts

# The filters of kinwise_web that the sections use, under their Django names.
_FILTERS = (
    "long_date",
    "area",
    "method",
    "setting",
    "meeting_kind",
    "position",
    "authority_kind",
    "consent_kind",
    "support",
    "severity_tag",
    "join_names",
    "may_record",
)


def _join(value: Any, separator: str) -> str:
    """Django's ``join``: each item escaped, the separator too (a safe string)."""
    return join(value, separator, autoescape=True)


def _default(value: Any, fallback: Any = "") -> Any:
    """Django's ``default``: ``fallback`` for any false value."""
    return value or fallback


@pass_context
def _inner_record_url(context: Context, kind: str, key: Any, attr: str, index: int) -> str:
    return kinwise_web.inner_record_url(context, kind, key, attr, index)


@pass_context
def _record_actions(context: Context, kind: str, key: Any, label: str, **options: Any) -> str:
    return record_parts.record_actions(context, kind, key, label, **options)


@pass_context
def _include_django(context: Context, name: str, **values: Any) -> SafeString:
    """A Django include, with the section's context and ``values`` over it."""
    merged = {**context.get_all(), **values}
    return SafeString(render_to_string(name, merged, context.get("request")))


def environment(**options: Any) -> Environment:
    """The environment Django's Jinja2 backend builds (settings.TEMPLATES)."""
    options["undefined"] = ChainableUndefined
    options["autoescape"] = True
    # every printed value goes through Django's escaping first (its safe strings pass)
    options["finalize"] = conditional_escape
    env = Environment(**options)
    for name in _FILTERS:
        env.filters[name] = getattr(kinwise_web, name)
    env.filters.update(
        default=_default, join=_join, yesno=yesno, pluralize=pluralize, capfirst=capfirst
    )
    env.globals.update(
        inner_record_url=_inner_record_url,
        record_actions=_record_actions,
        findings_inline=record_parts.findings_inline,
        include_django=_include_django,
    )
    return env
