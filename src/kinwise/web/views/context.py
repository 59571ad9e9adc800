"""What every page about one person starts from: access, the case file, the audit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from kinwise.casefile import schema as cf
from kinwise.records.models import Person
from kinwise.records.selectors import casefile_export
from kinwise.rules.audit import PersonAudit, default_since
from kinwise.rules.engine import audit_person
from kinwise.rules.facts import PersonFacts, build_facts
from kinwise.web import clock
from kinwise.web.access import person_for_viewer
from kinwise.web.presenters import Names, severity_counts

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

    def context(self, section: str, **extra: Any) -> dict[str, Any]:
        return {
            "person": self.person,
            "casefile": self.casefile,
            "profile": self.casefile.person,
            "as_of": self.as_of,
            "audit": self.audit,
            "counts": severity_counts(self.audit.findings),
            "sections": SECTIONS,
            "section": section,
            "base": f"/people/{self.person.pk}",
            **extra,
        }


def person_page(request: HttpRequest, person_pk: int) -> PersonPage:
    """Load one person for the viewer (404 and a log line when not theirs to see).

    The audit is re-computed on every request, at today's date, so it always reflects
    the records as they are; its facts are built once and serve the page too. (The page
    loads the whole case file anyway, and auditing facts already built costs less than
    reading a stored audit.)"""
    person = person_for_viewer(user=request.user, person_pk=person_pk)
    casefile = casefile_export(person=person)
    as_of = clock.today()
    since = default_since(as_of)
    facts = build_facts(casefile, as_of=as_of)
    audit = PersonAudit(
        person=casefile.person.id,
        person_name=casefile.person.name,
        as_of=as_of,
        since=since,
        findings=tuple(audit_person(facts, as_of=as_of, since=since)),
    )
    return PersonPage(
        person=person,
        casefile=casefile,
        as_of=as_of,
        facts=facts,
        audit=audit,
        names=Names(casefile),
    )
