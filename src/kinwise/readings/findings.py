"""Findings as people read them: most severe first, each with its rule's title and fix and
the page (and anchor) of the record that puts it right. Pure: no Django."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from kinwise.casefile.kinds import RECORD_KINDS
from kinwise.casefile.vocab import AREA_LABELS
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
    """Where to go to put a finding right: the page (and anchor) of its record, as the
    kind registry declares it (``RecordKind.fix_at``); the findings page otherwise."""
    base = f"/people/{person_pk}/"
    head, _, rest = subject.partition(":")
    spec = RECORD_KINDS.by_subject(head)
    at, words = spec.put_right_at if spec is not None else ("", "")
    if not at:
        return f"{base}findings/", "Go to the findings"
    record = rest.split("/")[0]
    return base + at.format(key=record), words


def subject_words(subject: str) -> str:
    """The record a finding is about, in words (``role:daily_living`` → "decision area:
    daily living"): the kind's label from the registry, and the area where the subject
    names one; never the case file's ids."""
    head, _, rest = subject.partition(":")
    spec = RECORD_KINDS.by_subject(head)
    kind = spec.label if spec is not None else "record"
    areas = [AREA_LABELS[part] for part in rest.split("/") if part in AREA_LABELS]
    return f"{kind}: {', '.join(areas)}" if areas else kind


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
