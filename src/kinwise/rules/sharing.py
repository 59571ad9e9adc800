"""Who may be told about which area of a person's life: the reading of share_information
consents that rule IC01 judges by, written once (the family portal's scope,
:mod:`kinwise.access.portal`, asks the same question).

A consent covers a relative for an area when it is a share_information consent current
at ``as_of``, names them and the area, and was given either by the person with capacity
to share information on the consent's date, or by someone holding an authority usable
for information_sharing at ``as_of`` (an attorney or deputy who can act for them).
"""

from __future__ import annotations

import datetime as dt

from kinwise.rules.facts import HAS_CAPACITY, ConsentFacts, PersonFacts


def consent_valid(facts: PersonFacts, consent: ConsentFacts, as_of: dt.date) -> bool:
    """Given by the person with capacity to share information at the consent's date, or
    by a member holding an authority usable for information_sharing at ``as_of``."""
    if consent.given_by == facts.person.id:
        return facts.capacity("information_sharing", consent.date) == HAS_CAPACITY
    return bool(facts.usable_authorities(consent.given_by, "information_sharing", as_of))


def sharing_consents(facts: PersonFacts, as_of: dt.date) -> list[ConsentFacts]:
    """The share_information consents current at ``as_of``."""
    return [c for c in facts.consents if c.kind == "share_information" and c.is_current(as_of)]


def covering_consents(
    facts: PersonFacts, member: str, area: str, as_of: dt.date
) -> list[ConsentFacts]:
    """The current share_information consents that name ``member`` and ``area`` (valid
    or not: IC01 cites them either way)."""
    return [c for c in sharing_consents(facts, as_of) if member in c.to and area in c.areas]


def sharing_consented(facts: PersonFacts, member: str, area: str, as_of: dt.date) -> bool:
    """Whether a valid current consent lets ``area`` be shared with ``member``."""
    return any(
        consent_valid(facts, c, as_of) for c in covering_consents(facts, member, area, as_of)
    )
