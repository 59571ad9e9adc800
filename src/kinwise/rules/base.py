"""What a rule is: a named check over one person's facts, with its place in the catalogue.

A rule is a function ``check(ctx) -> Iterable[Hit]``; the :func:`rule` decorator turns
it into a :class:`Rule` carrying its id, severity, the seed pressure point it serves and
the CQC quality statements it evidences. The engine turns each :class:`Hit` into a
finding with the rule's id and severity, so a rule never repeats them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from kinwise.casefile.vocab import AREA_LABELS, TASK_LABELS
from kinwise.rules.facts import PersonFacts

Severity = Literal["high", "medium", "low"]
SEVERITIES: tuple[Severity, ...] = ("high", "medium", "low")

# The seed article's pressure points ("Why informal partnership often breaks down")
# and the inspector's expectation.
PP_AUTHORITY = "Families assuming decision-making authority without consent or capacity clarity"
PP_DEFERRING = "Staff deferring to relatives due to confidence gaps or fear of complaints"
PP_RISK = "Disagreement about risk tolerance, independence or what is safe"
PP_HISTORIC = "Historic arrangements continuing despite changed needs"

# CQC single assessment framework quality statements used by the catalogue.
QS_CONSENT = "Consent to care and treatment"
QS_INDEPENDENCE = "Independence, choice and control"
QS_RISK = "Involving people to manage risks"
QS_PERSON_CENTRED = "Person-centred care"
QS_PARTNERSHIPS = "Partnerships and communities"
QS_MEDICINES = "Medicines optimisation"
QS_SAFEGUARDING = "Safeguarding"
QS_GOVERNANCE = "Governance, management and sustainability"
QS_ASSESSING = "Assessing needs"
QS_INFORMATION = "Providing information"
QS_LEARNING = "Learning culture"
QS_STAFFING = "Safe and effective staffing"


@dataclass(frozen=True, slots=True)
class Hit:
    """One failure found by a rule: the subject, a plain-English message, the evidence ids."""

    subject: str
    message: str
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AuditContext:
    """What a rule sees: the facts, the audit date and the audit period (inclusive)."""

    facts: PersonFacts
    as_of: date
    since: date

    def in_period(self, when: date) -> bool:
        return self.since <= when <= self.as_of

    @property
    def person(self) -> str:
        return self.facts.person.name

    def name(self, ref: str) -> str:
        return self.facts.name_of(ref)


Check = Callable[[AuditContext], Iterable[Hit]]


@dataclass(frozen=True, slots=True)
class Rule:
    """A rule of the catalogue (rules.md, catalogue version 1)."""

    id: str
    severity: Severity
    title: str
    subject_form: str
    pressure_point: str
    quality_statements: tuple[str, ...]
    checks: str
    why: str
    fix: str
    period: bool
    """True for rules about something that happened: only subjects in the period count."""
    check: Check

    def __call__(self, ctx: AuditContext) -> Iterable[Hit]:
        return self.check(ctx)


def rule(
    rule_id: str,
    *,
    severity: Severity,
    title: str,
    subject_form: str,
    pressure_point: str,
    quality_statements: tuple[str, ...],
    checks: str,
    why: str,
    fix: str,
    period: bool,
) -> Callable[[Check], Rule]:
    """Declare a rule: the decorated function is its check."""

    def wrap(check: Check) -> Rule:
        return Rule(
            id=rule_id,
            severity=severity,
            title=title,
            subject_form=subject_form,
            pressure_point=pressure_point,
            quality_statements=quality_statements,
            checks=checks,
            why=why,
            fix=fix,
            period=period,
            check=check,
        )

    return wrap


def area_label(area: str) -> str:
    return AREA_LABELS.get(area, area)


def task_label(task: str) -> str:
    return TASK_LABELS.get(task, task)


def joined(items: Sequence[str]) -> str:
    """Words joined for a sentence: "A", "A and B", "A, B and C" ("" for none)."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def names(ctx: AuditContext, refs: Iterable[str]) -> str:
    """Names joined for a sentence: "A", "A and B", "A, B and C"."""
    return joined([ctx.name(r) for r in refs])


def when(d: date) -> str:
    """A date as a care manager reads it: 3 March 2026."""
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
