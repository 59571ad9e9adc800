"""What every page about one person starts from: access, the case file, the audit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any, TypeVar, cast

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlencode

from kinwise import clock
from kinwise.access import (
    Action,
    Purpose,
    actions_on_person,
    person_for_action,
    person_for_viewer,
    with_viewer_roles,
)
from kinwise.audits.selectors import stamp_of, with_data_stamps
from kinwise.casefile import schema as cf
from kinwise.casefile.kinds import RECORD_KINDS, RecordKind
from kinwise.readings.findings import severity_counts
from kinwise.readings.names import Names
from kinwise.readings.record_words import record_description
from kinwise.records.models import Person
from kinwise.records.selectors import person_details
from kinwise.rules.audit import PersonAudit
from kinwise.rules.facts import PersonFacts
from kinwise.web.personview import PersonView, person_view

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
    """The person, their current case file, and its audit at today's date.

    The case file, its facts and its audit (the person's view,
    :mod:`kinwise.web.personview`) are taken when the page first asks for them: a page
    shown again whole from what the process kept (web/person/page.html) asks for none of
    them, so it neither builds the view nor needs it kept."""

    person: Person
    as_of: dt.date
    stamp: str
    address: str
    # what the viewer may do about the person (the links and buttons a page shows)
    may: frozenset[Action] = frozenset()

    @cached_property
    def view(self) -> PersonView:
        return person_view(person=self.person, stamp=self.stamp, as_of=self.as_of)

    @property
    def casefile(self) -> cf.CaseFile:
        return self.view.casefile

    @property
    def facts(self) -> PersonFacts:
        return self.view.facts

    @property
    def audit(self) -> PersonAudit:
        return self.view.audit

    @cached_property
    def names(self) -> Names:
        return Names(self.casefile)

    @cached_property
    def profile(self) -> cf.Person:
        """The person's details, from their row (what their case file's person holds)."""
        return person_details(person=self.person)

    def context(self, section: str, **extra: Any) -> dict[str, Any]:
        return {
            "person": self.person,
            "casefile": later(lambda: self.casefile),
            "profile": later(lambda: self.profile),
            "as_of": self.as_of,
            "stamp": self.stamp,
            "address": self.address,
            "audit": later(lambda: self.audit),
            "counts": later(lambda: severity_counts(self.audit.findings)),
            "sections": SECTIONS,
            "section": section,
            "base": f"/people/{self.person.pk}",
            "may": self.may,
            # the kept read pages differ by what their viewer may do (their links)
            "may_key": ",".join(sorted(self.may)),
            # read only when a page draws a record's links (kept pages never do), and
            # then kept with the view
            "record_ids": later(lambda: self.view.record_ids),
            "listed_records": later(lambda: listed_records(self.casefile, section, self.names)),
            "changeable_kinds": LISTED_WITH_FORMS,
            **extra,
        }


# The kinds listed from the registry that staff add and change on the web
# (web/views/plan.py); a role change is written with each change of a role instead.
LISTED_WITH_FORMS = frozenset({"concern", "carer_plan", "goal", "restriction"})


@dataclass(frozen=True)
class ListedKind:
    """The records of one kind that a page lists in its generic list."""

    spec: RecordKind
    records: list[tuple[str, str]]  # each record's key and its name in plain English


def listed_records(casefile: cf.CaseFile, section: str, names: Names) -> list[ListedKind]:
    """The records of each kind whose page is ``section`` and that has no listing of its
    own (registry order), each named in plain English."""
    out = []
    for spec in RECORD_KINDS:
        if spec.own_listing or spec.page != section:
            continue
        records = [
            (key, record_description(spec, spec.snapshot(record), names=names))
            for key, record in spec.keyed(casefile)
        ]
        out.append(ListedKind(spec, records))
    return out


def person_page(
    request: HttpRequest,
    person_pk: int,
    *,
    purpose: Purpose = "read",
    action: Action | None = None,
) -> PersonPage:
    """Load one person for the viewer, to read or to change (404 and a log line when not
    theirs to); for a form, to do ``action`` (403 and a log line when their role may not:
    :func:`kinwise.access.person_for_action`). The page knows what the viewer may do
    (``may``), from the same query.

    The audit is at today's date, so it always reflects the records as they are. The case
    file, its facts and the audit are built when the page first asks for them, once per
    state of the person's records, and kept a while (:mod:`kinwise.web.personview`); a
    page shown again from what was kept asks for none of them. So a page costs the access
    check (which reads the state of the records in the same query) and its template,
    whatever the length of the history."""
    people = with_data_stamps(Person.objects.select_related("service"))
    if action is not None:
        person = person_for_action(
            user=request.user, person_pk=person_pk, action=action, people=people
        )
    else:
        person = person_for_viewer(
            user=request.user,
            person_pk=person_pk,
            purpose=purpose,
            people=with_viewer_roles(people, request.user),
        )
    return PersonPage(
        person=person,
        as_of=clock.today(),
        stamp=stamp_of(person),
        address=page_address(request),
        may=actions_on_person(person),
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
