"""A person's case file, its facts and its audit at a date, kept in each process by the
state of their records.

Every page about a person shows part of the same three things: the current case file,
the audit's facts at today's date and the audit's findings. Building them costs a read
of every table of records and the audit (about 13 ms for ten years of history); they
change only when the person's records do, or when the date does. So each process keeps
the latest of them, keyed by the person, their data stamp
(:func:`kinwise.audits.selectors.data_stamp`, read with the access check in the same
query) and the date: a page about a person whose records have not changed since it was
last built costs the access check and the template, whatever the length of the history.

Nothing is kept across a write: every write moves the stamp, so the next request builds
again. The values are immutable (frozen pydantic models, frozen facts and audit). A page
asks for the view only when it builds what it shows (:class:`kinwise.web.views.context.PersonPage`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from kinwise.casefile import schema as cf
from kinwise.records.models import Person
from kinwise.records.selectors import casefile_and_documents, record_ids
from kinwise.rules.audit import PersonAudit, default_since
from kinwise.rules.catalogue import rules_version_for
from kinwise.rules.engine import audit_person
from kinwise.rules.facts import PersonFacts, facts_of_documents

# About 0.5 MB each for five years of history, 1 MB for ten; a worker keeps at most this
# many. A view is needed only while a page about the person is built (one shown again is
# read whole from the kept pages), so a few per thread suffice; and every object a kept
# view holds is one more for each full collection of the garbage collector to walk, which
# stops every thread of the process while it runs (about 25 ms at 32 views, 200 ms at 256:
# docs/adr/0278).
VIEWS_KEPT = 32


@dataclass(frozen=True)
class PersonView:
    """The person's current case file, and its facts and audit at ``as_of``."""

    casefile: cf.CaseFile
    as_of: dt.date
    facts: PersonFacts
    audit: PersonAudit
    person: Person = field(compare=False, repr=False)

    @cached_property
    def record_ids(self) -> dict[tuple[str, str], tuple[int, int]]:
        """The opaque id and version of each current record (the pages' links), read
        when a page first draws them and then kept with the view: the records are in
        the view's state until the next write moves the stamp."""
        return record_ids(person=self.person)


def person_view(*, person: Person, stamp: str, as_of: dt.date) -> PersonView:
    """The view of ``person`` whose records are in the state ``stamp``, at ``as_of``:
    built once per process and state, then read from memory."""
    return _view(person, stamp, as_of)


def person_views_clear() -> None:
    """Forget every kept view (tests that reuse database ids start from this)."""
    _view.cache_clear()


@lru_cache(maxsize=VIEWS_KEPT)
def _view(person: Person, stamp: str, as_of: dt.date) -> PersonView:
    # ``stamp`` is part of the key only: read before the records, so a write in between
    # leaves newer records under the older stamp, which the next request finds stale.
    del stamp
    casefile, documents = casefile_and_documents(person=person)
    since = default_since(as_of)
    facts = facts_of_documents(documents, as_of=as_of)
    audit = PersonAudit(
        person=casefile.person.id,
        person_name=casefile.person.name,
        as_of=as_of,
        since=since,
        findings=tuple(audit_person(facts, as_of=as_of, since=since)),
        rules_version=rules_version_for(casefile.kinwise),
    )
    return PersonView(casefile=casefile, as_of=as_of, facts=facts, audit=audit, person=person)
