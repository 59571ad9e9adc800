"""Long lists on the person's pages are shown a page at a time (voice, meetings, a
record's history), 50 to a page, with the NHS.UK pagination of the history page
(web/includes/pagination.html). Any ``?page=`` value gives a page: not a number, the
first; past the end (or below 1), the last. ``?record=ID`` gives the page holding that
record (the findings link there), whatever ``?page=`` says."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from django.core.paginator import Page, Paginator

T = TypeVar("T")

LIST_PAGE_SIZE = 50


def list_page(items: Sequence[T], number: str | None, record: str | None = None) -> Page[T]:
    """One page of ``items`` (already in the order shown; records with an ``id``)."""
    if record:
        index = next(
            (i for i, item in enumerate(items) if getattr(item, "id", None) == record), None
        )
        if index is not None:
            number = str(index // LIST_PAGE_SIZE + 1)
    return Paginator(items, LIST_PAGE_SIZE).get_page(number)
