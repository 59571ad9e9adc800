"""The audit engine: run every rule of the catalogue over one person's facts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from kinwise.errors import ErrorCode, KinwiseError
from kinwise.rules.base import AuditContext, Severity
from kinwise.rules.catalogue import RULES
from kinwise.rules.facts import PersonFacts


@dataclass(frozen=True, slots=True)
class Finding:
    """One failure of one rule about one record (``subject``), with a plain-English
    message and the ids of the records it was judged on."""

    rule: str
    severity: Severity
    subject: str
    message: str
    evidence: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "subject": self.subject,
            "message": self.message,
            "evidence": list(self.evidence),
        }


def check_period(*, as_of: date, since: date) -> None:
    """A period that starts after the audit date is a usage error."""
    if since > as_of:
        raise KinwiseError(
            ErrorCode.USAGE,
            f"the audit period cannot start ({since.isoformat()}) after the audit date "
            f"({as_of.isoformat()})",
        )


def audit_person(facts: PersonFacts, *, as_of: date, since: date) -> list[Finding]:
    """Every finding of every rule for one person, sorted by rule, then subject.

    ``facts`` must have been built at ``as_of``; the audit period is ``since`` to
    ``as_of``, both inclusive.
    """
    check_period(as_of=as_of, since=since)
    if facts.as_of != as_of:
        raise ValueError("facts were built at a different date from the audit date")
    ctx = AuditContext(facts=facts, as_of=as_of, since=since)
    findings: dict[tuple[str, str], Finding] = {}
    for rule in RULES:
        for hit in rule.check(ctx):
            key = (rule.id, hit.subject)
            if key not in findings:
                findings[key] = Finding(
                    rule=rule.id,
                    severity=rule.severity,
                    subject=hit.subject,
                    message=hit.message,
                    evidence=tuple(dict.fromkeys(hit.evidence)),
                )
    return [findings[key] for key in sorted(findings)]
