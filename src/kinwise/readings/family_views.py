"""Relatives' own views (format version 2's family views), arranged for staff to read.

A family view is the relative's, never the person's voice: the pages show it apart from
the person's contributions and views, always with its author and date, and no voice
reading (the balance, VO01–VO03) counts it (docs/spec/casefile-v2.md). Pure: no Django.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kinwise.casefile import schema as cf
from kinwise.readings.names import Names


@dataclass(frozen=True, slots=True)
class FamilyViewLine:
    """One relative's view as a page shows it: who, when, about what, what they said."""

    id: str
    author: str
    date: dt.date
    area: str
    text: str


def family_views(
    casefile: cf.CaseFile,
    names: Names,
    *,
    meeting: str | None = None,
    risk_assessment: str | None = None,
) -> list[FamilyViewLine]:
    """The views given for one meeting or one risk assessment, oldest first."""
    chosen = [
        v
        for v in casefile.family_views
        if (meeting is not None and v.meeting == meeting)
        or (risk_assessment is not None and v.risk_assessment == risk_assessment)
    ]
    return [
        FamilyViewLine(id=v.id, author=names(v.author), date=v.date, area=v.area, text=v.text)
        for v in sorted(chosen, key=lambda v: v.date)
    ]
