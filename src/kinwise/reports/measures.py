"""Service measures over a period: counts and rates that commissioners can rerun and trust.

Every measure is defined in ``docs/measures.md`` (numerator, denominator, period). The
measures are pure Python over case files: no Django, no database, no clock. They reuse
the audit rules wherever a measure is the complement of a rule (a decision-maker with a
valid basis is a role without an RC01–RC03 finding), so that a measure and the audit can
never disagree.

Two kinds of measure:

* **state measures** are judged at a date (the period's end; for the monthly trend, each
  month's end within the period) over the records as they stood then;
* **event measures** count things that happened in the period (meetings, decisions,
  incidents, medication audits), judged once at the period's end and grouped by the
  month of their own date for the trend.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from kinwise.casefile.schema import CaseFile
from kinwise.deadline import check_deadline
from kinwise.errors import ErrorCode, KinwiseError
from kinwise.rules.base import AuditContext
from kinwise.rules.catalogue import RULES_BY_ID
from kinwise.rules.facts import (
    PersonDocuments,
    PersonFacts,
    casefile_documents,
    facts_of_documents,
)
from kinwise.rules.outcomes import current_goals, current_restrictions
from kinwise.rules.risk import SERIOUS_SEVERITIES
from kinwise.rules.terms import (
    ACKNOWLEDGE_WORKING_DAYS,
    RESPONSE_WORKING_DAYS,
    follow_up_closed,
    voice_category,
    working_days_after,
)

MEETING_VOICE_REVIEW = "care_plan_review"
VOICE_CATEGORIES: tuple[str, ...] = ("person", "on_behalf", "family", "staff", "advocate")
VOICE_CATEGORY_LABELS: Mapping[str, str] = {
    "person": "The person, in their own words",
    "on_behalf": "Someone speaking on the person's behalf",
    "family": "Family and friends (their own views)",
    "staff": "Staff and professionals",
    "advocate": "Advocates",
}


# --- numbers ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Ratio:
    """A count out of a count. With a zero denominator the rate is undefined (None)."""

    numerator: int
    denominator: int

    def __post_init__(self) -> None:
        if self.numerator < 0 or self.denominator < 0:
            raise ValueError("counts cannot be negative")

    @property
    def value(self) -> Fraction | None:
        return Fraction(self.numerator, self.denominator) if self.denominator else None

    def percent(self, places: int = 1) -> str:
        """The rate as a percentage rounded half up ("12.5%"); "no data" when undefined."""
        value = self.value
        if value is None:
            return "no data"
        exact = Decimal(value.numerator * 100) / Decimal(value.denominator)
        quantum = Decimal(1).scaleb(-places)
        return f"{exact.quantize(quantum, rounding=ROUND_HALF_UP)}%"

    def as_float(self) -> float | None:
        value = self.value
        return float(value) if value is not None else None

    def __add__(self, other: Ratio) -> Ratio:
        return Ratio(self.numerator + other.numerator, self.denominator + other.denominator)


ZERO = Ratio(0, 0)


def pooled(ratios: Iterable[Ratio]) -> Ratio:
    """Numerators summed over denominators summed."""
    total = ZERO
    for ratio in ratios:
        total = total + ratio
    return total


# --- the period --------------------------------------------------------------------------


# The longest period a report covers (service report, inspection view, their PDF and CSV):
# its cost grows with each month of the period, and no commissioner asks for more.
MAX_REPORT_YEARS = 10


def earliest_report_start(end: date) -> date:
    """The earliest start of a report period ending on ``end``: the same day
    MAX_REPORT_YEARS years before (29 February: 1 March)."""
    year = max(1, end.year - MAX_REPORT_YEARS)
    try:
        return end.replace(year=year)
    except ValueError:
        return date(year, 3, 1)


def report_period_problem(start: date, end: date) -> str | None:
    """Why ``start``..``end`` is too long for a report, or None when it is not."""
    earliest = earliest_report_start(end)
    if start < earliest:
        return (
            f"The period can be at most {MAX_REPORT_YEARS} years long: "
            f"start it on or after {earliest.isoformat()}"
        )
    return None


@dataclass(frozen=True, slots=True)
class Period:
    """From ``start`` to ``end``, both inclusive."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise KinwiseError(
                ErrorCode.USAGE,
                f"the period cannot start ({self.start.isoformat()}) after it ends "
                f"({self.end.isoformat()})",
            )

    def __contains__(self, when: object) -> bool:
        return isinstance(when, date) and self.start <= when <= self.end

    def months(self) -> tuple[Month, ...]:
        """The calendar months the period touches, each cut to the period."""
        found: list[Month] = []
        year, month = self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            first = date(year, month, 1)
            last = date(year, month, calendar.monthrange(year, month)[1])
            found.append(Month(first=first, start=max(first, self.start), end=min(last, self.end)))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return tuple(found)


@dataclass(frozen=True, slots=True)
class Month:
    """A calendar month (``first`` is its first day) cut to the period: ``start``..``end``."""

    first: date
    start: date
    end: date

    @property
    def label(self) -> str:
        return self.first.strftime("%b %Y")

    @property
    def key(self) -> str:
        return self.first.strftime("%Y-%m")


def month_key(when: date) -> str:
    return when.strftime("%Y-%m")


# --- results -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MonthValue:
    month: Month
    ratio: Ratio


@dataclass(frozen=True, slots=True)
class Measure:
    """One measure over the period: the overall ratio and its monthly trend."""

    key: str
    title: str
    kind: str
    """``state`` (judged at a date) or ``event`` (things that happened in the period)."""
    overall: Ratio
    months: tuple[MonthValue, ...]
    lower_is_better: bool = False
    due: int = 0
    """Event measures with a 14-day window: events in the period whose window is still open."""


@dataclass(frozen=True, slots=True)
class VoiceBalance:
    """Contributions at meetings in the period, by who spoke and for whom."""

    overall: Mapping[str, int]
    months: tuple[tuple[Month, Mapping[str, int]], ...]
    meetings: Measure
    """Meetings where contributions on the person's behalf do not outnumber their own."""

    @property
    def total(self) -> int:
        return sum(self.overall.values())

    def share(self, category: str) -> Ratio:
        return Ratio(self.overall.get(category, 0), self.total)


@dataclass(frozen=True, slots=True)
class AuditRate:
    """The error rate of one medication audit (errors ÷ doses checked)."""

    person: str
    audit: str
    date: date
    ratio: Ratio


@dataclass(frozen=True, slots=True)
class ServiceMeasures:
    period: Period
    people: int
    decision_makers: Measure
    relative_authority: Measure
    review_voice: Measure
    voice_balance: VoiceBalance
    disagreements: Measure
    incidents: Measure
    safeguarding: Measure
    arrangements_overdue: Measure
    medication: Measure
    medication_audits: tuple[AuditRate, ...] = field(default=())
    # format version 2 (docs/measures.md 10-14): None for a service with no case file of
    # format version 2 (uses_format_2, ADR 0267)
    concerns_acknowledged: Measure | None = None
    concerns_responded: Measure | None = None
    goals_reviewed: Measure | None = None
    restrictions_in_order: Measure | None = None
    carers_with_plan: Measure | None = None

    def ratio_measures(self) -> tuple[Measure, ...]:
        """The measures that are a single rate, in the order of docs/measures.md."""
        return (
            self.decision_makers,
            self.relative_authority,
            self.review_voice,
            self.voice_balance.meetings,
            self.disagreements,
            self.incidents,
            self.safeguarding,
            self.arrangements_overdue,
            self.medication,
            *(
                m
                for m in (
                    self.concerns_acknowledged,
                    self.concerns_responded,
                    self.goals_reviewed,
                    self.restrictions_in_order,
                    self.carers_with_plan,
                )
                if m is not None
            ),
        )


# --- the audit rules a measure complements -------------------------------------------------


def _subjects(facts: PersonFacts, *, since: date, rules: Iterable[str]) -> dict[str, set[str]]:
    """The subjects each of ``rules`` finds in ``facts`` (at facts.as_of, period since..)."""
    ctx = AuditContext(facts=facts, as_of=facts.as_of, since=min(since, facts.as_of))
    return {rule_id: {hit.subject for hit in RULES_BY_ID[rule_id](ctx)} for rule_id in rules}


class _Judged:
    """Facts of each case file at each date asked for, built once."""

    def __init__(self, casefiles: Sequence[CaseFile]) -> None:
        self.casefiles = casefiles
        self._facts: dict[tuple[int, date], PersonFacts] = {}
        self._documents: dict[int, PersonDocuments] = {}

    def facts(self, index: int, at: date) -> PersonFacts:
        key = (index, at)
        if key not in self._facts:
            check_deadline()  # one step: a person's facts on a day (kinwise.deadline)
            # a file's documents are made once, whatever the number of days it is judged on
            documents = self._documents.get(index)
            if documents is None:
                documents = self._documents[index] = casefile_documents(self.casefiles[index])
            self._facts[key] = facts_of_documents(documents, as_of=at)
        return self._facts[key]


_StateFn = Callable[[_Judged, date], Ratio]


# --- state measures ----------------------------------------------------------------------

DECISION_MAKER_RULES = ("RC01", "RC02", "RC03")


def _decision_makers_at(judged: _Judged, at: date) -> Ratio:
    valid = 0
    for index in range(len(judged.casefiles)):
        found = _subjects(judged.facts(index, at), since=at, rules=DECISION_MAKER_RULES)
        if not any(found.values()):
            valid += 1
    return Ratio(valid, len(judged.casefiles))


def _relative_authority_at(judged: _Judged, at: date) -> Ratio:
    valid = total = 0
    for index in range(len(judged.casefiles)):
        facts = judged.facts(index, at)
        family_roles = [r for r in facts.plan.roles if facts.is_family(r.decides)]
        if not family_roles:
            continue
        failing = _subjects(facts, since=at, rules=("RC02",))["RC02"]
        total += len(family_roles)
        valid += sum(1 for r in family_roles if f"role:{r.area}" not in failing)
    return Ratio(valid, total)


def _arrangements_overdue_at(judged: _Judged, at: date) -> Ratio:
    overdue = total = 0
    for index in range(len(judged.casefiles)):
        facts = judged.facts(index, at)
        family_tasks = [t for t in facts.current_tasks() if facts.is_family(t.holder)]
        if not family_tasks:
            continue
        failing = _subjects(facts, since=at, rules=("PA01",))["PA01"]
        total += len(family_tasks)
        overdue += sum(1 for t in family_tasks if f"task:{t.id}" in failing)
    return Ratio(overdue, total)


def _goals_reviewed_at(judged: _Judged, at: date) -> Ratio:
    good = total = 0
    for index in range(len(judged.casefiles)):
        facts = judged.facts(index, at)
        goals = current_goals(facts)
        if not goals:
            continue
        failing = _subjects(facts, since=at, rules=("GO02",))["GO02"]
        total += len(goals)
        good += sum(1 for g in goals if f"goal:{g.id}" not in failing)
    return Ratio(good, total)


def _restrictions_in_order_at(judged: _Judged, at: date) -> Ratio:
    good = total = 0
    for index in range(len(judged.casefiles)):
        facts = judged.facts(index, at)
        restrictions = current_restrictions(facts)
        if not restrictions:
            continue
        found = _subjects(facts, since=at, rules=("RS02", "RS03"))
        failing = found["RS02"] | found["RS03"]
        total += len(restrictions)
        good += sum(1 for r in restrictions if f"restriction:{r.id}" not in failing)
    return Ratio(good, total)


def _carers_with_plan_at(judged: _Judged, at: date) -> Ratio:
    good = total = 0
    for index in range(len(judged.casefiles)):
        facts = judged.facts(index, at)
        carers = {t.holder for t in facts.current_tasks() if facts.is_family(t.holder)}
        planned = {p.carer for p in facts.carer_plans}
        total += len(carers)
        good += len(carers & planned)
    return Ratio(good, total)


STATE_MEASURES: Mapping[str, _StateFn] = {
    "decision_makers_valid": _decision_makers_at,
    "relative_authority_valid": _relative_authority_at,
    "arrangements_overdue": _arrangements_overdue_at,
    "goals_reviewed": _goals_reviewed_at,
    "restrictions_in_order": _restrictions_in_order_at,
    "carers_with_plan": _carers_with_plan_at,
}
"""The state measures by key: each is a sum over people, so a saved run keeps its total."""

FORMAT_2_STATE_MEASURES = frozenset({"goals_reviewed", "restrictions_in_order", "carers_with_plan"})
"""The state measures of the format-2 kinds (docs/measures.md 12-14, ADR 0267)."""


def uses_format_2(casefiles: Iterable[CaseFile]) -> bool:
    """True when any of the case files is format version 2: it holds a record of a kind
    version 1 does not have (a stored person's file is version 2 exactly then). The
    measures of the format-2 kinds are reported and saved only for such a service, so a
    version-1 service's report and saved runs stay exactly as they were (ADR 0267)."""
    return any(cf.kinwise >= 2 for cf in casefiles)


def saved_state_measures(totals: Mapping[str, Ratio], *, format_2: bool) -> dict[str, Ratio]:
    """What a run saves of the state measures summed over its case files: all of them
    when one of the files is format version 2, else only the version-1 ones."""
    return {k: r for k, r in totals.items() if format_2 or k not in FORMAT_2_STATE_MEASURES}


Recorded = Mapping[date, Mapping[str, Ratio]]
"""State measures as saved with the runs as recorded: by the run's date, then by key."""


def state_measures_at(casefiles: Sequence[CaseFile], *, at: date) -> dict[str, Ratio]:
    """Every state measure at ``at`` over the case files, the format-2 ones included
    whatever the files' version (a run sums these over its files one by one, then keeps
    what :func:`saved_state_measures` keeps)."""
    judged = _Judged(casefiles)
    return {key: fn(judged, at) for key, fn in STATE_MEASURES.items()}


def ratios_json(ratios: Mapping[str, Ratio]) -> dict[str, list[int]]:
    return {key: [r.numerator, r.denominator] for key, r in sorted(ratios.items())}


def ratios_from_json(data: object) -> dict[str, Ratio]:
    """What :func:`ratios_json` wrote (anything else read as no measures)."""
    if not isinstance(data, dict):
        return {}
    found = {}
    for key, pair in data.items():
        if isinstance(pair, list) and len(pair) == 2 and all(isinstance(n, int) for n in pair):
            found[str(key)] = Ratio(pair[0], pair[1])
    return found


def _state_measure(
    judged: _Judged,
    period: Period,
    *,
    key: str,
    title: str,
    at: _StateFn,
    lower_is_better: bool = False,
    recorded: Recorded | None = None,
    live_from: date | None = None,
) -> Measure:
    def value(day: date) -> Ratio:
        # a past day reads the run saved as recorded at its end (none saved: no data);
        # from live_from on (today) the records as they are now are the records as recorded
        if recorded is not None and (live_from is None or day < live_from):
            return recorded.get(day, {}).get(key, ZERO)
        return at(judged, day)

    return Measure(
        key=key,
        title=title,
        kind="state",
        overall=value(period.end),
        months=tuple(MonthValue(m, value(m.end)) for m in period.months()),
        lower_is_better=lower_is_better,
    )


# --- event measures ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Counted:
    """One thing that happened, whether it counts as good, and when."""

    when: date
    good: bool


def _event_measure(
    period: Period,
    items: Sequence[_Counted],
    *,
    key: str,
    title: str,
    due: int = 0,
) -> Measure:
    by_month: dict[str, Ratio] = {}
    for item in items:
        k = month_key(item.when)
        by_month[k] = by_month.get(k, ZERO) + Ratio(int(item.good), 1)
    return Measure(
        key=key,
        title=title,
        kind="event",
        overall=pooled(by_month.values()),
        months=tuple(MonthValue(m, by_month.get(m.key, ZERO)) for m in period.months()),
        due=due,
    )


def _window_closed(when: date, at: date) -> bool:
    """rules.md: a 14-day window has closed when its date + 14 days is before ``at``."""
    return follow_up_closed(when, at)


@dataclass
class _EventItems:
    review_voice: list[_Counted] = field(default_factory=list)
    balanced: list[_Counted] = field(default_factory=list)
    disagreements: list[_Counted] = field(default_factory=list)
    incidents: list[_Counted] = field(default_factory=list)
    incidents_due: int = 0
    safeguarding: list[_Counted] = field(default_factory=list)
    safeguarding_due: int = 0
    voice: dict[str, dict[str, int]] = field(default_factory=dict)
    acknowledged: list[_Counted] = field(default_factory=list)
    acknowledged_due: int = 0
    responded: list[_Counted] = field(default_factory=list)
    responded_due: int = 0


EVENT_RULES = ("VO01", "VO02", "RK01", "RK04", "PA05", "CN01", "CN02")


def _collect_events(judged: _Judged, period: Period) -> _EventItems:
    items = _EventItems()
    end = period.end
    for index in range(len(judged.casefiles)):
        facts = judged.facts(index, end)
        found = _subjects(facts, since=period.start, rules=EVENT_RULES)
        person = facts.person.id
        for meeting in facts.meetings:
            if meeting.date not in period:
                continue
            subject = f"meeting:{meeting.id}"
            if meeting.kind == MEETING_VOICE_REVIEW:
                items.review_voice.append(_Counted(meeting.date, subject not in found["VO01"]))
            items.balanced.append(_Counted(meeting.date, subject not in found["VO02"]))
            counts = items.voice.setdefault(month_key(meeting.date), {})
            for contribution in meeting.contributions:
                category = _voice_category(
                    facts, person, contribution.by, contribution.on_behalf_of
                )
                if category is not None:  # a speaker the circle does not know: left out
                    counts[category] = counts.get(category, 0) + 1
            for decision in meeting.decisions:
                if decision.disagreement:
                    items.disagreements.append(
                        _Counted(
                            meeting.date,
                            f"decision:{meeting.id}/{decision.area}" not in found["RK01"],
                        )
                    )
        for incident in facts.incidents:
            if incident.date not in period:
                continue
            if incident.severity in SERIOUS_SEVERITIES:
                if _window_closed(incident.date, end):
                    items.incidents.append(
                        _Counted(incident.date, f"incident:{incident.id}" not in found["RK04"])
                    )
                else:
                    items.incidents_due += 1
            if incident.safeguarding:
                _safeguarding(items, incident.date, f"incident:{incident.id}", found, end)
        for event in facts.events:
            if event.date in period and event.kind == "safeguarding_concern":
                _safeguarding(items, event.date, f"event:{event.id}", found, end)
        for concern in facts.concerns:
            if concern.date not in period:
                continue
            subject = f"concern:{concern.id}"
            # judged once its deadline is before the period's end (CN01, CN02)
            if working_days_after(concern.date, ACKNOWLEDGE_WORKING_DAYS) < end:
                items.acknowledged.append(_Counted(concern.date, subject not in found["CN01"]))
            else:
                items.acknowledged_due += 1
            if working_days_after(concern.date, RESPONSE_WORKING_DAYS) < end:
                items.responded.append(_Counted(concern.date, subject not in found["CN02"]))
            else:
                items.responded_due += 1
    return items


def _safeguarding(
    items: _EventItems, when: date, subject: str, found: Mapping[str, set[str]], end: date
) -> None:
    if _window_closed(when, end):
        items.safeguarding.append(_Counted(when, subject not in found["PA05"]))
    else:
        items.safeguarding_due += 1


def _voice_category(
    facts: PersonFacts, person: str, by: str, on_behalf_of: str | None
) -> str | None:
    """The voice balance's category (:func:`kinwise.rules.terms.voice_category`) under
    the measure's names; None for a speaker the circle does not know (left out, as the
    person's voice page leaves them out)."""
    category = voice_category(by, on_behalf_of, person, facts.kind_of(by))
    if category == "own":
        return "person"
    if category == "for":
        return "on_behalf"
    return category


def _medication(
    casefiles: Sequence[CaseFile], period: Period
) -> tuple[Measure, tuple[AuditRate, ...]]:
    rates = tuple(
        sorted(
            (
                AuditRate(
                    person=cf.person.id,
                    audit=a.id,
                    date=a.date,
                    ratio=Ratio(a.errors, a.doses_checked),
                )
                for cf in casefiles
                for a in cf.medication.audits
                if a.date in period
            ),
            key=lambda r: (r.date, r.person, r.audit),
        )
    )
    by_month: dict[str, Ratio] = {}
    for rate in rates:
        k = month_key(rate.date)
        by_month[k] = by_month.get(k, ZERO) + rate.ratio
    measure = Measure(
        key="medication_error_rate",
        title="Medication error rate (errors ÷ doses checked, pooled)",
        kind="event",
        overall=pooled(r.ratio for r in rates),
        months=tuple(MonthValue(m, by_month.get(m.key, ZERO)) for m in period.months()),
        lower_is_better=True,
    )
    return measure, rates


def medication_audit_rates(cf: CaseFile, *, period: Period) -> tuple[AuditRate, ...]:
    """The error rate of each of the person's medication audits dated in the period."""
    return _medication([cf], period)[1]


# --- everything at once -------------------------------------------------------------------


def service_measures(
    casefiles: Sequence[CaseFile],
    *,
    period: Period,
    recorded: Recorded | None = None,
    live_from: date | None = None,
) -> ServiceMeasures:
    """Every measure of docs/measures.md over the case files and the period.

    With ``recorded`` (the state measures saved with the runs as recorded), each state
    measure on a day before ``live_from`` is the one saved for that day, never judged
    again here; without, every state measure is judged over ``casefiles``."""
    judged = _Judged(casefiles)
    events = _collect_events(judged, period)
    voice_overall: dict[str, int] = dict.fromkeys(VOICE_CATEGORIES, 0)
    voice_months: list[tuple[Month, Mapping[str, int]]] = []
    for month in period.months():
        counts = events.voice.get(month.key, {})
        voice_months.append((month, {c: counts.get(c, 0) for c in VOICE_CATEGORIES}))
        for category, n in counts.items():
            voice_overall[category] += n
    medication, rates = _medication(casefiles, period)
    measures = ServiceMeasures(
        period=period,
        people=len(casefiles),
        decision_makers=_state_measure(
            judged,
            period,
            key="decision_makers_valid",
            recorded=recorded,
            live_from=live_from,
            title="People whose decision areas all have a valid decision-maker",
            at=_decision_makers_at,
        ),
        relative_authority=_state_measure(
            judged,
            period,
            key="relative_authority_valid",
            recorded=recorded,
            live_from=live_from,
            title="Family decision-makers with a valid authority or delegation",
            at=_relative_authority_at,
        ),
        review_voice=_event_measure(
            period,
            events.review_voice,
            key="review_direct_voice",
            title="Care-plan reviews with the person's direct voice",
        ),
        voice_balance=VoiceBalance(
            overall=voice_overall,
            months=tuple(voice_months),
            meetings=_event_measure(
                period,
                events.balanced,
                key="meetings_not_spoken_over",
                title="Meetings where others did not speak for the person more than they spoke",
            ),
        ),
        disagreements=_event_measure(
            period,
            events.disagreements,
            key="disagreements_evidenced",
            title="Disagreements decided with a rationale and evidence",
        ),
        incidents=_event_measure(
            period,
            events.incidents,
            key="incidents_followed_up",
            title="Incidents of moderate or worse severity followed up within 14 days",
            due=events.incidents_due,
        ),
        safeguarding=_event_measure(
            period,
            events.safeguarding,
            key="safeguarding_reviewed",
            title="Safeguarding concerns reviewed within 14 days by a partnership review",
            due=events.safeguarding_due,
        ),
        arrangements_overdue=_state_measure(
            judged,
            period,
            key="arrangements_overdue",
            recorded=recorded,
            live_from=live_from,
            title="Family-held arrangements overdue for review",
            at=_arrangements_overdue_at,
            lower_is_better=True,
        ),
        medication=medication,
        medication_audits=rates,
    )
    if not uses_format_2(casefiles):
        return measures  # a version-1 service: exactly its version-1 measures (ADR 0267)
    found = _format_2_measures(judged, period, events, recorded, live_from)
    return replace(
        measures,
        concerns_acknowledged=found["concerns_acknowledged"],
        concerns_responded=found["concerns_responded"],
        goals_reviewed=found["goals_reviewed"],
        restrictions_in_order=found["restrictions_in_order"],
        carers_with_plan=found["carers_with_plan"],
    )


def _format_2_measures(
    judged: _Judged,
    period: Period,
    events: _EventItems,
    recorded: Recorded | None,
    live_from: date | None,
) -> dict[str, Measure]:
    """The measures of the format-2 kinds (docs/measures.md 10-14), by field name."""
    return dict(
        concerns_acknowledged=_event_measure(
            period,
            events.acknowledged,
            key="concerns_acknowledged",
            title="Concerns acknowledged within 3 working days",
            due=events.acknowledged_due,
        ),
        concerns_responded=_event_measure(
            period,
            events.responded,
            key="concerns_responded",
            title="Concerns answered in writing (or a delay explained) within 20 working days",
            due=events.responded_due,
        ),
        goals_reviewed=_state_measure(
            judged,
            period,
            key="goals_reviewed",
            recorded=recorded,
            live_from=live_from,
            title="Goals reviewed within their review period",
            at=_goals_reviewed_at,
        ),
        restrictions_in_order=_state_measure(
            judged,
            period,
            key="restrictions_in_order",
            recorded=recorded,
            live_from=live_from,
            title="Restrictions with a current legal basis and a review in date",
            at=_restrictions_in_order_at,
        ),
        carers_with_plan=_state_measure(
            judged,
            period,
            key="carers_with_plan",
            recorded=recorded,
            live_from=live_from,
            title="Family carers who hold a task and have a carer's plan",
            at=_carers_with_plan_at,
        ),
    )
