"""Plain English on every page of the demo: no record id, field name or enum value of the
case file shows, in the visible text or the accessible names, on any page a registered
manager or a support worker reaches by following links from the start page, nor on any
form of those pages submitted empty or as it was offered (so with its errors), history
pages and change tables included.

The words looked for come from the case-file layer, never typed here: the demo files'
ids, the schema's field names, the vocabularies' values and the registry's audit-subject
prefixes (``meeting:m1``). Matches are whole words and case-sensitive. Ids that are a
word of a name (``sam``: the person's name is written "Sam") are left out, and so are
field names and values that are one English word (``date``, ``medication``): those
that are not are several words joined by ``_`` or ``-`` (``supported_by``,
``finances_daily``), which no sentence holds.
"""

from __future__ import annotations

import datetime as dt
import re
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import resolve
from django.urls.exceptions import Resolver404
from pydantic import BaseModel

from kinwise.casefile import schema as cf
from kinwise.casefile import vocab
from kinwise.casefile.kinds import RECORD_KINDS
from kinwise.casefile.load import load_casefile
from kinwise.clock import UK
from kinwise.commands.demo import demo_runs_save
from kinwise.records.services.demo import demo_load, demo_stories
from tests.signin import signed_in_client

TODAY = dt.datetime(2026, 12, 15, 9, 0, tzinfo=UK)

# Routes not crawled, and why.
NOT_CRAWLED = {
    "logout": "it ends the session the crawl runs in",
    "accounts:code": "only a session that still owes its second factor reaches it",
    "jobs:report_file": "a file, not a page",
    "jobs:report_file_download": "a file, not a page",
    "web:nhsuk_assets": "a redirect to a static file",
}
# Routes whose name ends so answer with a file (PDF, CSV, JSON), not a page.
FILES = ("_pdf", "_csv", "_json")
# The addresses of one page that differ only in their query (filters, sorting, paging)
# crawled at most: the words are the same, the records listed differ.
QUERIES_PER_PAGE = 1
# Reports that take seconds to draw: one address each (every service's is the same page).
ONE_ADDRESS = {"reports:inspection", "reports:service_report"}
# Forms not submitted, and why.
NOT_SUBMITTED = {
    "logout": "it ends the session",
    "manage:deactivate": "it would end a demo login the crawl may still use",
}


# --- the words that must not show ----------------------------------------------------------


def _joined(word: str) -> bool:
    """Several words joined as code joins them (``supported_by``, ``c-plan``)."""
    return bool(re.fullmatch(r"[a-z0-9]+(?:[_-][a-z0-9]+)+", word))


def _literal_values(annotation: Any) -> Iterator[str]:
    if typing.get_origin(annotation) is typing.Literal:
        yield from (str(v) for v in typing.get_args(annotation))
    for arg in typing.get_args(annotation):
        yield from _literal_values(arg)


def _models() -> set[type[BaseModel]]:
    found: set[type[BaseModel]] = set()
    todo: list[Any] = [cf.CaseFile, *(kind.schema for kind in RECORD_KINDS)]
    while todo:
        item = todo.pop()
        if isinstance(item, type) and issubclass(item, BaseModel):
            if item in found:
                continue
            found.add(item)
            todo.extend(f.annotation for f in item.model_fields.values())
        else:
            todo.extend(typing.get_args(item))
    return found


def field_names() -> set[str]:
    return {name for model in _models() for name in model.model_fields if _joined(name)}


def enum_values() -> set[str]:
    values = {
        value
        for name in dir(vocab)
        for value in _literal_values(getattr(vocab, name))
        if isinstance(getattr(vocab, name), object)
    }
    for model in _models():
        for info in model.model_fields.values():
            values.update(_literal_values(info.annotation))
    return {v for v in values if _joined(v)}


def _ids_in(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "id" and isinstance(item, str):
                yield item
            else:
                yield from _ids_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from _ids_in(item)


def demo_ids() -> set[str]:
    """Every id in the demo's case files, less those that are a word of a name."""
    ids: set[str] = set()
    name_words: set[str] = set()
    for pair in demo_stories():
        for path in pair:
            casefile = load_casefile(path)
            data = casefile.model_dump(mode="json")
            ids.update(_ids_in(data))
            names = [casefile.person.name, *(m.name for m in casefile.circle)]
            name_words.update(w.lower() for n in names for w in re.findall(r"[A-Za-z]+", n))
    return {i for i in ids if i.lower() not in name_words}


def subject_prefixes() -> set[str]:
    return {kind.subject_prefix for kind in RECORD_KINDS if kind.subject_prefix}


def all_enum_values() -> set[str]:
    """Every value of the vocabularies, one English word or not (quoted, any is a code)."""
    values = {v for name in dir(vocab) for v in _literal_values(getattr(vocab, name))}
    for model in _models():
        for info in model.model_fields.values():
            values.update(_literal_values(info.annotation))
    return values


def _longest_first(words: set[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))


def forbidden() -> re.Pattern[str]:
    """Any of the words, a subject (``meeting:m1``), a path into a case file
    (``plan.roles[0]``) or a code in quotes (``'medication'``)."""
    words = demo_ids() | field_names() | enum_values()
    return re.compile(
        rf"(?<![\w-])(?:{_longest_first(words)})(?![\w-])"
        rf"|(?<![\w-])(?:{_longest_first(subject_prefixes())}):\S"
        r"|\b[a-z_]+\[\d+\]"
        rf"|'(?:{_longest_first(all_enum_values() | field_names())})?'"
    )


# --- what a page shows -------------------------------------------------------------------

_NAMING_ATTRIBUTES = ("aria-label", "alt", "title", "placeholder", "aria-description")
_SKIPPED = {"script", "style", "template"}
_VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


@dataclass
class Form:
    method: str
    action: str
    fields: dict[str, str] = field(default_factory=dict)  # name: value as offered


class Page(HTMLParser):
    """The text a person sees or hears of a page, its links and its forms."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._hidden_depth = 0
        self._stack: list[bool] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        hidden = tag in _SKIPPED or "hidden" in a
        if tag not in _VOID:
            self._stack.append(hidden)
            self._hidden_depth += hidden
        if not self._hidden_depth and not hidden:
            self.texts.extend(a[name] for name in _NAMING_ATTRIBUTES if a.get(name))
            if tag == "input" and a.get("type") in ("submit", "button") and a.get("value"):
                self.texts.append(a["value"])
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag in ("img", "object") and (a.get("src") or a.get("data")):
            self.links.append(a.get("src") or a["data"])
        if tag == "form":
            self._form = Form(a.get("method", "get").lower(), a.get("action", ""))
            self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "textarea") and a.get("name"):
            if a.get("type") not in ("checkbox", "radio") or "checked" in a:
                self._form.fields.setdefault(a["name"], a.get("value", ""))
        elif self._form is not None and tag == "select" and a.get("name"):
            self._select = a["name"]
        elif (
            self._form is not None
            and tag == "option"
            and self._select
            and ("selected" in a or self._select not in self._form.fields)
        ):
            self._form.fields[self._select] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag not in _VOID and self._stack:
            self._hidden_depth -= self._stack.pop()
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data: str) -> None:
        if not self._hidden_depth and data.strip():
            self.texts.append(data)


def _route(path: str) -> str | None:
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


@dataclass
class Crawl:
    pages: int = 0
    forms: int = 0
    hits: dict[str, set[str]] = field(default_factory=dict)  # where: the words found

    def scan(self, where: str, texts: list[str], pattern: re.Pattern[str]) -> None:
        for text in texts:
            for match in pattern.finditer(text):
                self.hits.setdefault(where, set()).add(match.group(0))


def _shown(response: Any) -> tuple[str, str] | None:
    kind = response.get("Content-Type", "")
    if "html" in kind or "svg" in kind:
        return kind, response.content.decode()
    return None


def crawl(client: Client, pattern: re.Pattern[str]) -> Crawl:
    """Every page reached from the start page by links, each scanned, and each of its
    post forms submitted empty and as offered (the answer scanned: a form with its
    errors, or the page it goes back to)."""
    found = Crawl()
    queue = ["/"]
    seen: set[str] = set()
    posted: set[tuple[str, str]] = set()
    queried: dict[str, set[str]] = {}
    drawn: set[str] = set()
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        path, _, query = url.partition("?")
        route = _route(path)
        if route is None or route in NOT_CRAWLED or route.endswith(FILES):
            continue
        if route in ONE_ADDRESS:
            if route in drawn:
                continue
            drawn.add(route)
        if query:
            variants = queried.setdefault(path, set())
            if len(variants) >= QUERIES_PER_PAGE:
                continue
            variants.add(query)
        response = client.get(url)
        assert response.status_code < 500, url
        if response.status_code in (301, 302) and response["Location"].startswith("/"):
            queue.append(response["Location"])
            continue
        shown = _shown(response)
        if response.status_code != 200 or shown is None:
            continue
        found.pages += 1
        page = Page()
        page.feed(shown[1])
        found.scan(f"GET {url}", page.texts, pattern)
        for form in page.forms:
            action = form.action or url
            target = urlsplit(action).path or urlsplit(url).path
            if form.method != "post" or _route(target) in NOT_SUBMITTED:
                continue
            for how, data in (("empty", {}), ("as offered", form.fields)):
                if (action, how) in posted:
                    continue
                posted.add((action, how))
                answer = client.post(action, data)
                assert answer.status_code < 500, (action, how)
                found.forms += 1
                answered = _shown(answer)
                if answered is not None:
                    result = Page()
                    result.feed(answered[1])
                    found.scan(f"POST {action} ({how})", result.texts, pattern)
        for link in page.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


# --- the tests ---------------------------------------------------------------------------


def test_the_words_come_from_the_case_file_layer() -> None:
    """The lists hold what the issue names, and not the names of people."""
    ids, names, values = demo_ids(), field_names(), enum_values()
    assert {"c-plan", "ra1", "gt1", "m1"} <= ids
    assert "sam" not in ids
    assert "supported_by" in names
    assert "finances_daily" in values
    assert "meeting" in subject_prefixes()
    pattern = forbidden()
    assert pattern.search("Closed by meeting:m1")
    assert not pattern.search("Next meeting: 3 May")
    assert pattern.search("Consent c-plan.")
    assert not pattern.search("Sam's care plan")
    assert not pattern.search("ra10")
    assert pattern.search("a role for area 'medication' is already at plan.roles[0]")
    assert pattern.search("'' is not a valid id")
    assert not pattern.search("Sam's view, Grace's view")


@pytest.fixture
def demo(db: Any, settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with time_machine.travel(TODAY, tick=False):
        demo_load()
        # the runs the trends read, as `kinwise demo` saves them
        days = {d for pair in demo_stories() for path in pair if (d := load_casefile(path).as_of)}
        assert demo_runs_save(days=days, today=TODAY.date()) > 0


@pytest.mark.parametrize("username", ["manager", "priya"])
def test_no_page_of_the_demo_shows_an_id_a_field_name_or_a_code(demo: None, username: str) -> None:
    with time_machine.travel(TODAY, tick=False):
        client = signed_in_client(get_user_model().objects.get(username=username))
        found = crawl(client, forbidden())
    assert found.pages > 50
    assert found.forms > 20
    assert found.hits == {}, "\n".join(f"{w}: {sorted(h)}" for w, h in sorted(found.hits.items()))


# Forms sent with what the case file's checks refuse (the messages that name paths, ids
# and codes in an import): (person, address under /people/<pk>/, data, one message shown).
REFUSED = [
    (
        "daniel",
        "add/role/",
        {"area": "medication", "decides": "daniel"},
        "Decision area: who decides about medication is already recorded: change that instead",
    ),
    (
        "daniel",
        "add/voice/",
        {"date": "2026-06-01", "method": "verbal", "captured_by": ""},
        "Recorded by: choose one of the options",
    ),
    (
        "daniel",
        "add/voice/",
        {
            "date": "2026-06-01",
            "method": "verbal",
            "setting": "separate",
            "captured_by": "ruth",
            "present": ["mark"],
            "direct": "yes",
            "summary": "Fine.",
        },
        "Who was present: Mark Hughes is family; a view gathered separately has no family present",
    ),
    (
        "sam",
        "add/consent/",
        {"kind": "care_plan", "given_by": "grace", "date": "2026-11-01"},
        "Given by: Grace Okafor holds no legal authority in this file; consent is given by "
        "the person or by an attorney or deputy",
    ),
    (
        "sam",
        "add/session/gt1/",
        {"date": "2026-12-01", "stage": "nowhere", "outcome": "done"},
        "Stage: choose one of the options",
    ),
]


@pytest.mark.parametrize(("who", "address", "data", "expected"), REFUSED)
def test_a_refused_form_says_why_in_words(
    demo: None, who: str, address: str, data: dict[str, Any], expected: str
) -> None:
    from kinwise.records.models import Person

    with time_machine.travel(TODAY, tick=False):
        client = signed_in_client(get_user_model().objects.get(username="manager"))
        person = Person.objects.get(external_id=who)
        response = client.post(f"/people/{person.pk}/{address}", data)
    assert response.status_code == 400
    page = Page()
    page.feed(response.content.decode())
    found = Crawl()
    found.scan(address, page.texts, forbidden())
    assert found.hits == {}
    assert any("There is a problem" in text for text in page.texts)
    assert expected in [t.strip() for t in page.texts]
