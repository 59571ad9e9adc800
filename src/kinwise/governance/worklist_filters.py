"""The worklist as a manager narrows it: search by name, owner, kind, state, sort.

Pure reads over :class:`kinwise.governance.selectors.ServiceWorklist` (already loaded in a
fixed number of queries), so filtering, sorting and paging add no query.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass

from kinwise.core.lists import choice
from kinwise.governance.selectors import ServiceWorklist, WorkRow
from kinwise.readings.work import KIND_LABELS

# show: which states; label for the form
SHOW_CHOICES: dict[str, str] = {
    "todo": "Still to do (overdue and due)",
    "overdue": "Overdue only",
    "closed": "Closed",
    "all": "All",
}
SHOW_STATES: dict[str, frozenset[str]] = {
    "todo": frozenset({"overdue", "open"}),
    "overdue": frozenset({"overdue"}),
    "closed": frozenset({"closed"}),
    "all": frozenset({"overdue", "open", "closed"}),
}
SORT_CHOICES: dict[str, str] = {
    "due": "Due date (most overdue first)",
    "person": "Person",
    "kind": "Kind of review",
    "owner": "Owner",
}


@dataclass(frozen=True)
class WorkFilters:
    q: str = ""
    owner: str = ""
    kind: str = ""
    show: str = "todo"
    sort: str = "due"

    def params(self) -> dict[str, str]:
        return asdict(self)


def work_filters_from(params: Mapping[str, str], *, owners: Mapping[str, str]) -> WorkFilters:
    """The filters of a GET request; unknown values fall back to no filter."""
    return WorkFilters(
        q=params.get("q", "").strip()[:100],
        owner=choice(params.get("owner"), list(owners), ""),
        kind=choice(params.get("kind"), list(KIND_LABELS), ""),
        show=choice(params.get("show"), list(SHOW_CHOICES), "todo"),
        sort=choice(params.get("sort"), list(SORT_CHOICES), "due"),
    )


def work_owners(work: ServiceWorklist) -> dict[str, str]:
    """Every owner on the worklist, key to name, by name."""
    owners = {row.owner_key: row.owner_label for row in work.rows}
    return dict(sorted(owners.items(), key=lambda kv: (kv[1].casefold(), kv[0])))


def _due_order(row: WorkRow) -> tuple[object, ...]:
    if row.state == "closed":  # most recently closed first, after everything still to do
        date = row.resolution_date or row.due
        return (1, -date.toordinal(), row.key)
    return (0, row.due.toordinal(), row.key)


def work_rows_filtered(work: ServiceWorklist, filters: WorkFilters) -> list[WorkRow]:
    """The rows that pass the filters, in the chosen order (ties by due date)."""
    states = SHOW_STATES[filters.show]
    needle = filters.q.casefold()
    rows = [
        r
        for r in work.rows
        if r.state in states
        and (not filters.owner or r.owner_key == filters.owner)
        and (not filters.kind or r.kind == filters.kind)
        and (not needle or needle in r.person_name.casefold() or needle in r.title.casefold())
    ]
    rows.sort(key=_due_order)
    if filters.sort == "person":
        rows.sort(key=lambda r: (r.person_name or r.title).casefold())
    elif filters.sort == "kind":
        rows.sort(key=lambda r: r.kind_label)
    elif filters.sort == "owner":
        rows.sort(key=lambda r: r.owner_label.casefold())
    return rows
