"""Lists that scale: paging and the query string of a filtered list.

A list page reads its filters from GET parameters (a labelled form, no JavaScript), shows
50 rows a page with the NHS.UK pagination, and keeps the filters in every page link.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator

PAGE_SIZE = 50
T = TypeVar("T")


def page_of(rows: Sequence[T], *, number: str | None) -> Page[T]:
    """The page ``number`` of ``rows``: page 1 when the number is missing or not a number,
    the last page when it is beyond the end."""
    return Paginator(rows, PAGE_SIZE).get_page(number)


def choice(value: str | None, allowed: Sequence[str], default: str) -> str:
    """``value`` when it is one of ``allowed``, else ``default`` (a stale or hand-made
    address shows the list unfiltered, never an error)."""
    return value if value is not None and value in allowed else default


def page_query(params: Mapping[str, Any]) -> str:
    """The query string that keeps ``params`` (empty ones left out), ending with ``page=``
    ready for a page number: ``?q=sam&sort=name&page=``."""
    kept = [(k, str(v)) for k, v in params.items() if v not in ("", None) and k != "page"]
    return "?" + urlencode(kept + [("page", "")])
