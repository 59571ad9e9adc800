"""``{% record_section "web/person/sections/NAME.html" %}``: a person page's record
section, rendered by the Jinja2 engine (kinwise.web.jinja, docs/adr/0278) with the
page's whole context, inside the Django template of its page."""

from __future__ import annotations

from typing import Any

from django import template
from django.template import engines
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag(takes_context=True)
def record_section(context: Any, name: str) -> SafeString:
    section = engines["jinja2"].get_template(name)
    return SafeString(section.render(context.flatten(), context.get("request")))
