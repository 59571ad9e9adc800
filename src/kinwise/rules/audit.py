"""Auditing a case file: facts at as_of, every rule, and the audit's JSON shape."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from kinwise.casefile.schema import CaseFile
from kinwise.rules.base import SEVERITIES
from kinwise.rules.catalogue import RULES_VERSION, rules_version_for
from kinwise.rules.engine import Finding, audit_person, check_period
from kinwise.rules.facts import PersonDocuments, casefile_documents, facts_of_documents
from kinwise.rules.terms import AUDIT_PERIOD_DAYS

DEFAULT_PERIOD_DAYS = AUDIT_PERIOD_DAYS


def default_since(as_of: date) -> date:
    """The default start of the audit period: as_of − 365 days."""
    return as_of - timedelta(days=DEFAULT_PERIOD_DAYS)


@dataclass(frozen=True, slots=True)
class PersonAudit:
    """The audit of one person: who, when, over which period, and the findings."""

    person: str
    person_name: str
    as_of: date
    since: date
    findings: tuple[Finding, ...]
    rules_version: int = RULES_VERSION

    def summary(self) -> dict[str, int]:
        counts: dict[str, int] = dict.fromkeys(SEVERITIES, 0)
        for finding in self.findings:
            counts[finding.severity] += 1
        return counts

    def to_json(self) -> dict[str, Any]:
        """The object rules.md specifies for ``kinwise audit --format json``."""
        return {
            "person": self.person,
            "as_of": self.as_of.isoformat(),
            "since": self.since.isoformat(),
            "rules_version": self.rules_version,
            "findings": [f.to_json() for f in self.findings],
            "summary": self.summary(),
        }


def audit_casefile(cf: CaseFile, *, as_of: date, since: date) -> PersonAudit:
    """Audit one case file at ``as_of`` over the period ``since``..``as_of``."""
    return audit_documents(casefile_documents(cf), as_of=as_of, since=since)


def audit_documents(person: PersonDocuments, *, as_of: date, since: date) -> PersonAudit:
    """Audit one case file given as its documents (as stored) at ``as_of`` over the period
    ``since``..``as_of``: what :func:`audit_casefile` finds in the same case file."""
    check_period(as_of=as_of, since=since)
    facts = facts_of_documents(person, as_of=as_of)
    findings = audit_person(facts, as_of=as_of, since=since)
    return PersonAudit(
        person=person.id,
        person_name=person.name,
        as_of=as_of,
        since=since,
        findings=tuple(findings),
        rules_version=rules_version_for(person.version),
    )
