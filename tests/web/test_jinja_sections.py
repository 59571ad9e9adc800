"""The Jinja2 environment of the person pages' record sections (kinwise.web.jinja) keeps
the Django template language's meaning: its escaping, ``default``, ``yesno``,
``pluralize``, ``capfirst`` and ``join``, an empty value for anything missing, and
Django's safe strings left alone."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.template import engines
from django.test import Client
from django.utils.safestring import mark_safe

from kinwise.records.models import Person


def _render(source: str, **context: Any) -> str:
    env = engines["jinja2"].env  # type: ignore[attr-defined]
    rendered: str = env.from_string(source).render(**context)
    return rendered


def test_values_are_escaped_as_django_escapes_them() -> None:
    assert _render("{{ name }}", name='Jo <O\'Neil> & "co"') == (
        "Jo &lt;O&#x27;Neil&gt; &amp; &quot;co&quot;"
    )
    assert _render("{{ html }}", html=mark_safe("<b>kept</b>")) == "<b>kept</b>"


def test_default_is_for_any_false_value() -> None:
    source = '{{ value|default("Not recorded") }}'
    assert _render(source, value="") == "Not recorded"
    assert _render(source, value=None) == "Not recorded"
    assert _render(source, value=0) == "Not recorded"
    assert _render(source, value=[]) == "Not recorded"
    assert _render(source) == "Not recorded"
    assert _render(source, value="Said no") == "Said no"


def test_the_django_filters_keep_their_meaning() -> None:
    assert _render('{{ v|yesno("Yes,No") }}', v=True) == "Yes"
    assert _render('{{ v|yesno("Yes,No") }}', v=False) == "No"
    assert _render('{{ v|yesno("Yes,No") }}', v=None) == "No"
    assert _render("session{{ n|pluralize }}", n=1) == "session"
    assert _render("session{{ n|pluralize }}", n=2) == "sessions"
    # Django's capfirst leaves the rest alone (Jinja2's capitalize would lower it)
    assert _render("{{ s|capfirst }}", s="lasting power of attorney (LPA)") == (
        "Lasting power of attorney (LPA)"
    )
    assert _render('{{ xs|join("; ") }}', xs=["a<b", "c"]) == "a&lt;b; c"
    assert _render("{{ d|long_date }}", d=None) == ""


def test_anything_missing_is_empty_however_deep() -> None:
    assert _render(
        "[{{ missing }}][{{ missing.a.b }}][{{ record.nothing.deeper }}]", record={}
    ) == ("[][][]")


def test_a_section_is_rendered_inside_its_django_page(
    people: dict[str, Person], as_user: Callable[[str], Client]
) -> None:
    """The voice section (Jinja2) sits in the Django page: the header and the section
    list around it, the record links inside it, the person's name escaped once."""
    sam = people["sam"]
    body = as_user("leader").get(f"/people/{sam.pk}/voice/").content.decode()
    assert body.count(f"<h1>{sam.name}'s voice</h1>") == 1
    assert 'aria-current="page"><strong>Voice</strong>' in body
    assert f'href="/people/{sam.pk}/records/' in body
    assert "&amp;#x27;" not in body
