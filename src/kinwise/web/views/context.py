"""What every page about one person starts from: access, the case file, the audit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlencode

from kinwise import clock
from kinwise.access import Purpose, person_for_viewer
from kinwise.audits.selectors import stamp_of, with_data_stamps
from kinwise.casefile import schema as cf
from kinwise.readings.findings import severity_counts
from kinwise.readings.names import Names
from kinwise.records.models import Person
from kinwise.records.selectors import record_ids
from kinwise.rules.audit import PersonAudit
from kinwise.rules.facts import PersonFacts
from kinwise.web.personview import person_view

T = TypeVar("T")

SECTIONS: tuple[tuple[str, str], ...] = (
    ("overview", "Who decides what"),
    ("voice", "Voice"),
    ("meetings", "Meetings"),
    ("risk", "Risk"),
    ("arrangements", "Arrangements"),
    ("capacity", "Capacity and consent"),
    ("findings", "Findings"),
    ("history", "History"),
)


@dataclass(frozen=True)
class PersonPage:
    """The person, their current case file, and its audit at today's date."""

    person: Person
    casefile: cf.CaseFile
    as_of: dt.date
    facts: PersonFacts
    audit: PersonAudit
    names: Names
    stamp: str
    address: str

    def context(self, section: str, **extra: Any) -> dict[str, Any]:
        return {
            "person": self.person,
            "casefile": self.casefile,
            "profile": self.casefile.person,
            "as_of": self.as_of,
            "stamp": self.stamp,
            "address": self.address,
            "audit": self.audit,
            "counts": severity_counts(self.audit.findings),
            "sections": SECTIONS,
            "section": section,
            "base": f"/people/{self.person.pk}",
            # read only when a page draws a record's links (kept pages never do)
            "record_ids": later(lambda: record_ids(person=self.person)),
            **extra,
        }


def person_page(request: HttpRequest, person_pk: int, *, purpose: Purpose = "read") -> PersonPage:
    """Load one person for the viewer, to read or to change (404 and a log line when not
    theirs to).

    The audit is at today's date, so it always reflects the records as they are; the case
    file, its facts and the audit are built once per state of the person's records and
    kept (:mod:`kinwise.web.personview`), so a page costs the access check (which reads the
    state of the records in the same query) and its template, whatever the length of the history."""
    person = person_for_viewer(
        user=request.user,
        person_pk=person_pk,
        purpose=purpose,
        people=with_data_stamps(Person.objects.select_related("service")),
    )
    stamp = stamp_of(person)
    view = person_view(person=person, stamp=stamp, as_of=clock.today())
    return PersonPage(
        person=person,
        casefile=view.casefile,
        as_of=view.as_of,
        facts=view.facts,
        audit=view.audit,
        names=Names(view.casefile),
        stamp=stamp,
        address=page_address(request),
    )


# The query parameters the read pages read (the page of a long list, the record whose
# page is wanted, the findings' period and view of a past day): the key of what a page keeps names these and no
# others, so made-up parameters neither change a page nor fill the cache with copies of it.
PAGE_PARAMETERS = ("page", "record", "as_of", "since", "view")


def page_address(request: HttpRequest) -> str:
    """The page's path with only its own query parameters, in a fixed order."""
    query = urlencode([(k, request.GET[k]) for k in PAGE_PARAMETERS if k in request.GET])
    return f"{request.path}?{query}" if query else request.path


def later(build: Callable[[], T]) -> T:
    """``build()``, run only when a template first uses the value. The read pages keep
    what they show (web/person/page.html), so a page shown again from what was kept does
    not compute its rows at all."""
    return cast(T, SimpleLazyObject(build))
