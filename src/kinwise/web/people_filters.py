"""The people list as a manager narrows it: search by name, who needs attention, sort.

Pure reads over the rows of :func:`kinwise.web.selectors.people_overview` (already read in
a fixed number of queries), so filtering, sorting and paging add no query.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict, dataclass

from kinwise.core.lists import choice
from kinwise.web.selectors import PersonOverview

SHOW_CHOICES: dict[str, str] = {
    "all": "Everyone",
    "findings": "People with open findings",
    "overdue": "People with an overdue review",
}
SORT_CHOICES: dict[str, str] = {
    "name": "Name",
    "findings": "Most open findings first",
    "due": "Next review due first",
}


@dataclass(frozen=True)
class PeopleFilters:
    q: str = ""
    show: str = "all"
    sort: str = "name"

    def params(self) -> dict[str, str]:
        return asdict(self)


def people_filters_from(params: Mapping[str, str]) -> PeopleFilters:
    """The filters of a GET request; unknown values fall back to no filter."""
    return PeopleFilters(
        q=params.get("q", "").strip()[:100],
        show=choice(params.get("show"), list(SHOW_CHOICES), "all"),
        sort=choice(params.get("sort"), list(SORT_CHOICES), "name"),
    )


def _next_due(row: PersonOverview) -> dt.date:
    return min((r.due for r in row.reviews), default=dt.date.max)


def people_filtered(rows: list[PersonOverview], filters: PeopleFilters) -> list[PersonOverview]:
    """The people who pass the filters, in the chosen order (ties by name)."""
    needle = filters.q.casefold()
    found = [
        r
        for r in rows
        if (not needle or needle in r.name.casefold())
        and (filters.show != "findings" or r.total > 0)
        and (filters.show != "overdue" or any(review.overdue for review in r.reviews))
    ]
    found.sort(key=lambda r: (r.name.casefold(), r.pk))
    if filters.sort == "findings":
        found.sort(key=lambda r: -r.total)
    elif filters.sort == "due":
        found.sort(key=_next_due)
    return found
