"""Findings as people read them: most severe first, each with its rule's title and fix and
the page (and anchor) of the record that puts it right. Pure: no Django."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from kinwise.rules.audit import PersonAudit
from kinwise.rules.catalogue import RULES_BY_ID
from kinwise.rules.engine import Finding

SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}


@dataclass(frozen=True)
class FindingView:
    rule: str
    severity: str
    title: str
    subject: str
    message: str
    fix: str
    link: str
    link_text: str


def finding_link(subject: str, person_pk: int) -> tuple[str, str]:
    """Where to go to put a finding right: the page (and anchor) of its record."""
    base = f"/people/{person_pk}"
    head, _, rest = subject.partition(":")
    record = rest.split("/")[0]
    if head == "role":
        return f"{base}/#role-{record}", "Change who decides"
    if head == "capacity":
        return f"{base}/capacity/#capacity-{record}", "Go to the capacity assessment"
    if head == "best_interests":
        return f"{base}/capacity/#best-interests-{record}", "Go to the best-interests decision"
    if head == "plan":
        return f"{base}/capacity/#consents", "Record consent to the care plan"
    if head in {"meeting", "decision"}:
        return f"{base}/meetings/{record}/", "Go to the meeting"
    if head == "voice":
        return f"{base}/voice/?record={record}#voice-{record}", "Go to the voice record"
    if head == "risk":
        return f"{base}/risk/#risk-{record}", "Go to the risk assessment"
    if head == "trial":
        return f"{base}/risk/#trial-{record}", "Go to the graded trial"
    if head in {"incident", "event"}:
        return f"{base}/risk/#{head}-{record}", f"Go to the {head}"
    if head == "task":
        return f"{base}/arrangements/#task-{record}", "Go to the task"
    return f"{base}/findings/", "Go to the findings"


def finding_views(audit: PersonAudit, person_pk: int) -> list[FindingView]:
    """The audit's findings, most severe first, each with its fix and its link."""
    out = []
    for f in sorted(audit.findings, key=lambda f: (SEVERITY_ORDER[f.severity], f.rule, f.subject)):
        rule = RULES_BY_ID.get(f.rule)
        link, link_text = finding_link(f.subject, person_pk)
        out.append(
            FindingView(
                rule=f.rule,
                severity=f.severity,
                title=rule.title if rule else f.rule,
                subject=f.subject,
                message=f.message,
                fix=rule.fix if rule else "",
                link=link,
                link_text=link_text,
            )
        )
    return out


def findings_by_subject(findings: Sequence[Finding]) -> dict[str, list[Finding]]:
    out: dict[str, list[Finding]] = {}
    for f in findings:
        out.setdefault(f.subject, []).append(f)
    return out


def severity_counts(findings: Iterable[Finding]) -> dict[str, int]:
    counts: Counter[str] = Counter(f.severity for f in findings)
    return {s: counts[s] for s in SEVERITY_ORDER}
