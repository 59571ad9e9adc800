"""The service report for commissioners and the inspector view by CQC quality statement.

The commissioner's report is de-identified: it is built from the measures alone (counts
and rates), and nothing in it comes from a name, a date of birth, an id or free text of
the records. The inspector view is for staff and inspectors on site: it names people and
links to their records. Pure Python (no Django).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from kinwise.casefile.schema import CaseFile
from kinwise.readings.findings import finding_link, subject_words
from kinwise.reports.charts import Chart, measure_chart, voice_balance_chart
from kinwise.reports.csvsafe import SafeWriter
from kinwise.reports.measures import (
    VOICE_CATEGORIES,
    VOICE_CATEGORY_LABELS,
    Measure,
    Period,
    Ratio,
    Recorded,
    ServiceMeasures,
    service_measures,
)
from kinwise.rules.audit import PersonAudit, audit_casefile
from kinwise.rules.base import (
    QS_CONSENT,
    QS_GOVERNANCE,
    QS_INDEPENDENCE,
    QS_LEARNING,
    QS_MEDICINES,
    QS_PARTNERSHIPS,
    QS_PERSON_CENTRED,
    QS_RISK,
    QS_SAFEGUARDING,
    Rule,
)
from kinwise.rules.catalogue import rules_for_quality_statement

# Numerator and denominator of each measure in plain words (docs/measures.md has the rest).
DEFINITIONS: dict[str, tuple[str, str]] = {
    "decision_makers_valid": (
        "people with no decision-maker finding (RC01, RC02, RC03)",
        "people of the service, at the end of the period",
    ),
    "relative_authority_valid": (
        "family decision-makers with a usable authority or a current delegation (no RC02)",
        "decision areas whose decision-maker is a family member",
    ),
    "review_direct_voice": (
        "reviews where the person spoke, or with a direct voice record from 30 days before",
        "care-plan reviews in the period",
    ),
    "meetings_not_spoken_over": (
        "meetings where contributions on the person's behalf did not outnumber their own",
        "meetings in the period",
    ),
    "disagreements_evidenced": (
        "decisions with a rationale and linked evidence (no RK01)",
        "decisions that settled a disagreement, in the period",
    ),
    "incidents_followed_up": (
        "incidents followed within 14 days by a risk assessment or review of the area",
        "moderate, high or severe incidents in the period whose 14 days have passed",
    ),
    "safeguarding_reviewed": (
        "concerns followed within 14 days by a partnership review",
        "safeguarding incidents and concerns in the period whose 14 days have passed",
    ),
    "arrangements_overdue": (
        "family-held tasks not reviewed in the last 365 days (PA01)",
        "tasks held by family members, at the end of the period",
    ),
    "medication_error_rate": (
        "errors found by medication audits in the period",
        "doses checked by those audits",
    ),
    "concerns_acknowledged": (
        "concerns acknowledged on or before the 3rd working day after they were raised",
        "concerns raised in the period whose 3 working days have passed",
    ),
    "concerns_responded": (
        "concerns with a written response, or a reason for delay, by the 20th working day",
        "concerns raised in the period whose 20 working days have passed",
    ),
    "goals_reviewed": (
        "goals reviewed within their review period",
        "goals current at the end of the period",
    ),
    "restrictions_in_order": (
        "restrictions with a current legal basis and a review date not passed",
        "restrictions current at the end of the period",
    ),
    "carers_with_plan": (
        "family members holding a task who have a carer's plan",
        "family members holding a task, at the end of the period",
    ),
}

# The CQC quality statements the inspector view is organised by, and the measures that
# evidence each (the rules come from the catalogue).
STATEMENTS: tuple[str, ...] = (
    QS_CONSENT,
    QS_INDEPENDENCE,
    QS_RISK,
    QS_PERSON_CENTRED,
    QS_PARTNERSHIPS,
    QS_MEDICINES,
    QS_SAFEGUARDING,
    QS_GOVERNANCE,
    QS_LEARNING,
)
STATEMENT_MEASURES: dict[str, tuple[str, ...]] = {
    QS_CONSENT: ("decision_makers_valid", "relative_authority_valid", "restrictions_in_order"),
    QS_INDEPENDENCE: ("decision_makers_valid", "review_direct_voice"),
    QS_RISK: ("disagreements_evidenced", "incidents_followed_up", "restrictions_in_order"),
    QS_PERSON_CENTRED: ("review_direct_voice", "meetings_not_spoken_over", "goals_reviewed"),
    QS_PARTNERSHIPS: (
        "arrangements_overdue",
        "meetings_not_spoken_over",
        "safeguarding_reviewed",
        "carers_with_plan",
    ),
    QS_MEDICINES: ("medication_error_rate",),
    QS_SAFEGUARDING: ("safeguarding_reviewed", "incidents_followed_up"),
    QS_GOVERNANCE: (
        "decision_makers_valid",
        "arrangements_overdue",
        "disagreements_evidenced",
        "concerns_responded",
    ),
    QS_LEARNING: ("concerns_acknowledged", "concerns_responded"),
}
"""The measures of format version 2 (docs/measures.md 10-14) are in a report only for a
service with a format-2 file; a statement shows those of its measures the report has."""
STATEMENT_TEXT: dict[str, str] = {
    QS_CONSENT: "People's consent is sought, and who decides for them rests on capacity and law.",
    QS_INDEPENDENCE: "People decide for themselves where they can, and are supported to.",
    QS_RISK: "Risks are managed with people, with evidence, and disagreements settled openly.",
    QS_PERSON_CENTRED: "Plans are built around the person's own voice.",
    QS_PARTNERSHIPS: "Families are partners, with clear and reviewed arrangements.",
    QS_MEDICINES: "Medicines are given safely by people trained to give them.",
    QS_SAFEGUARDING: "Concerns are reviewed promptly with the people involved.",
    QS_GOVERNANCE: "The provider audits co-production and acts on what it finds.",
    QS_LEARNING: "Concerns and complaints are answered in time, and learned from.",
}


# What the things a measure has not judged yet are still within (Measure.due).
DUE_WINDOWS: dict[str, str] = {
    "concerns_acknowledged": "still within their 3 working days",
    "concerns_responded": "still within their 20 working days",
}
DUE_WINDOW = "still within their 14 days"


@dataclass(frozen=True)
class MeasureRow:
    measure: Measure
    numerator_text: str
    denominator_text: str
    chart: Chart

    @property
    def due_text(self) -> str:
        return DUE_WINDOWS.get(self.measure.key, DUE_WINDOW)


@dataclass(frozen=True)
class ServiceReport:
    service_name: str
    period: Period
    measures: ServiceMeasures
    rows: list[MeasureRow]
    voice_chart: Chart

    @property
    def charts(self) -> list[Chart]:
        return [r.chart for r in self.rows] + [self.voice_chart]

    def voice_rows(self) -> list[tuple[str, int, Ratio]]:
        balance = self.measures.voice_balance
        return [
            (VOICE_CATEGORY_LABELS[c], balance.overall.get(c, 0), balance.share(c))
            for c in VOICE_CATEGORIES
        ]


def service_report(
    casefiles: Sequence[CaseFile],
    *,
    period: Period,
    service_name: str,
    recorded: Recorded | None = None,
    live_from: date | None = None,
) -> ServiceReport:
    """The report over ``period`` (``recorded``, ``live_from``: as
    :func:`kinwise.reports.measures.service_measures` takes them)."""
    measures = service_measures(casefiles, period=period, recorded=recorded, live_from=live_from)
    rows = [
        MeasureRow(
            measure=m,
            numerator_text=DEFINITIONS[m.key][0],
            denominator_text=DEFINITIONS[m.key][1],
            chart=measure_chart(m),
        )
        for m in measures.ratio_measures()
    ]
    return ServiceReport(
        service_name=service_name,
        period=period,
        measures=measures,
        rows=rows,
        voice_chart=voice_balance_chart(measures.voice_balance),
    )


def report_csv(report: ServiceReport) -> str:
    """One row per measure and month (``all`` for the period): counts and the percentage.
    Every cell is written safe from formula injection (reports.csvsafe)."""
    out = io.StringIO()
    writer = SafeWriter(out, lineterminator="\n")
    where = [
        report.service_name,
        report.period.start.isoformat(),
        report.period.end.isoformat(),
    ]
    writer.writerow(
        ["service", "period_from", "period_to", "measure", "month", "numerator", "denominator"]
        + ["percent"]
    )

    def row(key: str, month: str, ratio: Ratio) -> None:
        percent = ratio.percent().rstrip("%") if ratio.denominator else ""
        writer.writerow([*where, key, month, ratio.numerator, ratio.denominator, percent])

    for measure in report.measures.ratio_measures():
        row(measure.key, "all", measure.overall)
        for m in measure.months:
            row(measure.key, m.month.key, m.ratio)
        if measure.kind == "event" and measure.key in (
            "incidents_followed_up",
            "safeguarding_reviewed",
            "concerns_acknowledged",
            "concerns_responded",
        ):
            writer.writerow([*where, f"{measure.key}_due", "all", measure.due, "", ""])
    balance = report.measures.voice_balance
    for category in VOICE_CATEGORIES:
        row(f"voice_balance_{category}", "all", balance.share(category))
        for month, counts in balance.months:
            total = sum(counts.values())
            row(f"voice_balance_{category}", month.key, Ratio(counts.get(category, 0), total))
    return out.getvalue()


# --- the inspector view -----------------------------------------------------------------------


@dataclass(frozen=True)
class FindingEntry:
    person: str
    person_pk: int
    subject: str
    record: str
    message: str
    link: str
    link_text: str


@dataclass(frozen=True)
class RuleEvidence:
    """A rule's id, title and what it checks (plain values: a Rule is callable, which
    templates would call), with its findings."""

    id: str
    title: str
    severity: str
    checks: str
    findings: list[FindingEntry]

    @classmethod
    def of(cls, rule: Rule, findings: list[FindingEntry]) -> RuleEvidence:
        return cls(rule.id, rule.title, rule.severity, rule.checks, findings)


@dataclass(frozen=True)
class StatementEvidence:
    statement: str
    text: str
    rules: list[RuleEvidence]
    measures: list[MeasureRow]

    @property
    def findings(self) -> int:
        return sum(len(r.findings) for r in self.rules)

    @property
    def anchor(self) -> str:
        return "qs-" + "".join(c if c.isalnum() else "-" for c in self.statement.lower())


def inspection(
    people: Sequence[tuple[int, CaseFile]],
    *,
    as_of: date,
    since: date,
    report: ServiceReport,
) -> list[StatementEvidence]:
    """For each quality statement: the rules that evidence it with today's findings
    (person, record, link to it), and the measures that evidence it over the period."""
    audits = [
        (pk, cf.person.name, audit_casefile(cf, as_of=as_of, since=since)) for pk, cf in people
    ]
    return inspection_of(audits, report=report)


def inspection_of(
    audits: Sequence[tuple[int, str, PersonAudit]], *, report: ServiceReport
) -> list[StatementEvidence]:
    """:func:`inspection` from the people's audits already made: (person pk, name, audit)
    in the order of the people (the inspection page reads them stored)."""
    rows = {r.measure.key: r for r in report.rows}
    out = []
    for statement in STATEMENTS:
        rules = []
        for rule in rules_for_quality_statement(statement):
            entries = []
            for pk, name, audit in audits:
                for f in audit.findings:
                    if f.rule != rule.id:
                        continue
                    link, link_text = finding_link(f.subject, pk)
                    entries.append(
                        FindingEntry(
                            name,
                            pk,
                            f.subject,
                            subject_words(f.subject),
                            f.message,
                            link,
                            link_text,
                        )
                    )
            rules.append(RuleEvidence.of(rule, entries))
        out.append(
            StatementEvidence(
                statement=statement,
                text=STATEMENT_TEXT[statement],
                rules=rules,
                measures=[rows[k] for k in STATEMENT_MEASURES[statement] if k in rows],
            )
        )
    return out
