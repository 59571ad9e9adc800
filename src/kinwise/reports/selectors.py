"""Reads for the reports: stored case files of a service and saved audit runs, in bulk."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kinwise.audits.selectors import data_stamps
from kinwise.audits.services import audit_snapshots_refresh
from kinwise.casefile.schema import CaseFile
from kinwise.core.models import Service
from kinwise.governance.models import AuditRun
from kinwise.records.models import Person
from kinwise.records.selectors import casefiles_for_service, casefiles_recorded_for_service
from kinwise.reports.charts import FindingsPoint
from kinwise.reports.measures import Ratio, ratios_from_json
from kinwise.rules.audit import PersonAudit


def _audits_of(run: AuditRun) -> list[dict[str, Any]]:
    """The people's audits of a run (a list of PersonAudit JSON; older runs: a mapping)."""
    data = run.findings
    if isinstance(data, list):
        return [a for a in data if isinstance(a, dict)]
    if isinstance(data, dict):
        return [a for a in data.values() if isinstance(a, dict)]
    return []


def _point(run: AuditRun, audits: list[dict[str, Any]]) -> FindingsPoint:
    counts = {"high": 0, "medium": 0, "low": 0}
    for audit in audits:
        for finding in audit.get("findings", []):
            severity = finding.get("severity")
            if severity in counts:
                counts[severity] += 1
    return FindingsPoint(as_of=run.as_of, **counts)


def findings_trend_for_person(
    *, person: Person, through: dt.date | None = None
) -> list[FindingsPoint]:
    """The person's findings in each saved audit run of their service that audited them,
    by the run's audit date (one query). ``through`` (the pack of a past day as
    recorded): only the runs saved as recorded of days up to it, which no later edit
    changes."""
    points = []
    runs = AuditRun.objects.filter(service_id=person.service_id)
    if through is not None:
        runs = runs.filter(as_of__lte=through, as_recorded=True)
    runs = runs.order_by("as_of", "created_at", "id")
    for run in runs:
        mine = [a for a in _audits_of(run) if a.get("person") == person.external_id]
        if mine:
            points.append(_point(run, mine))
    return points


def findings_trend_for_service(*, service: Service) -> list[FindingsPoint]:
    """All findings of each saved audit run of the service, by audit date (one query)."""
    runs = AuditRun.objects.filter(service=service).order_by("as_of", "created_at", "id")
    return [_point(run, _audits_of(run)) for run in runs]


def service_casefiles(*, service: Service) -> list[tuple[int, CaseFile]]:
    """(person pk, case file) of every current person of the service, in a fixed number of
    queries."""
    return list(casefiles_for_service(service=service).items())


def service_casefiles_recorded(*, service: Service, at: dt.datetime) -> list[tuple[int, CaseFile]]:
    """(person pk, case file) of every current person of the service as recorded just
    before ``at`` (people not recorded yet left out): two queries."""
    found = casefiles_recorded_for_service(service=service, at=at)
    return [(pk, casefile) for pk, (casefile, _) in found.items()]


def recorded_measures(
    *, service: Service, start: dt.date, end: dt.date
) -> dict[dt.date, dict[str, Ratio]]:
    """The state measures saved with the service's runs as recorded dated ``start`` to
    ``end``, by date (the latest saved of a day counts): one query."""
    found: dict[dt.date, dict[str, Ratio]] = {}
    runs = (
        AuditRun.objects.filter(
            service=service,
            person__isnull=True,
            as_recorded=True,
            as_of__gte=start,
            as_of__lte=end,
        )
        .order_by("as_of", "created_at", "id")
        .values_list("as_of", "measures")
    )
    for day, measures in runs:
        ratios = ratios_from_json(measures)
        if ratios:
            found[day] = ratios
    return found


def service_audits_stored(
    *, service: Service, as_of: dt.date, since: dt.date
) -> list[tuple[int, str, PersonAudit]]:
    """(person pk, name, audit at ``as_of`` over ``since``..``as_of``) of every current
    person of the service, in the order of their case-file ids (as
    :func:`service_casefiles` gives them), read from the stored audits (kinwise.audits):
    three queries once they are stored, however many people; the people whose records
    changed since are audited again, in bulk."""
    people = Person.objects.filter(service_id=service.pk, superseded_at__isnull=True)
    stamps = data_stamps(people=people)
    stored = audit_snapshots_refresh(stamps=stamps, as_of=as_of, since=since)
    # sorted here, not by the database: its collation may order ids otherwise than Python
    order = sorted(people.values_list("external_id", "pk"))
    return [(pk, stored[pk].audit.person_name, stored[pk].audit) for _, pk in order if pk in stored]
