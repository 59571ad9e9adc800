"""The balance of voices in a meeting: the person's own contributions against others
speaking for them, family, staff and advocates. Pure: no Django."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from kinwise.readings.names import Names
from kinwise.rules.terms import voice_category


@dataclass(frozen=True)
class BalanceRow:
    key: str
    label: str
    count: int


def voice_balance(
    contributions: Iterable[tuple[str, str | None]], names: Names
) -> list[BalanceRow]:
    """Who spoke in a meeting: the person's own contributions, others speaking for them,
    family, and staff and professionals (advocates counted apart). ``contributions`` are
    (by, on_behalf_of) pairs; unknown speakers are left out."""
    counts: Counter[str] = Counter()
    for by, on_behalf_of in contributions:
        if not by:
            continue
        category = voice_category(by, on_behalf_of, names.person_id, names.kind(by))
        if category is not None:
            counts[category] += 1
    person = names(names.person_id)
    return [
        BalanceRow("own", f"{person}'s own contributions", counts["own"]),
        BalanceRow("for", f"Others speaking for {person}", counts["for"]),
        BalanceRow("family", "Family and friends", counts["family"]),
        BalanceRow("staff", "Staff and professionals", counts["staff"]),
        BalanceRow("advocate", "Advocates", counts["advocate"]),
    ]


def balance_warning(rows: Sequence[BalanceRow], person: str) -> str:
    counts = {r.key: r.count for r in rows}
    if counts["for"] > counts["own"]:
        return (
            f"Others have spoken for {person} more often than {person} has spoken: "
            f"ask {person} directly, with their communication method."
        )
    return ""
