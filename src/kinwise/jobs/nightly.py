"""What the nightly audit keeps of a service: what `kinwise audit --service ID --save` does,
and the run of the day just ended as recorded (`kinwise audit --service ID --save
--as-recorded --as-of D`), which the trends and the commissioners' monthly measures read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from kinwise.casefile.schema import CaseFile
from kinwise.clock import end_of_day
from kinwise.core.models import Service
from kinwise.governance.models import AuditRun
from kinwise.governance.services import audit_run_save
from kinwise.records import selectors
from kinwise.reports.measures import (
    Ratio,
    ratios_json,
    saved_state_measures,
    state_measures_at,
    uses_format_2,
)
from kinwise.rules.audit import PersonAudit, audit_casefile, audit_documents, default_since


def service_audit_keep(
    *, service: Service, audits: Sequence[PersonAudit], as_of: dt.date, since: dt.date
) -> AuditRun:
    """Save the service's audit as one run (every person's audit, in order) and store
    each person's audit of the day as the service dashboard reads it, so the first
    request of the morning only reads."""
    from kinwise.audits.overview import people_overview

    run = audit_run_save(audits=audits, as_of=as_of, since=since, actor=None, service=service)
    people_overview(service=service, as_of=as_of)
    return run


def audits_measured(
    *,
    service: str | None,
    person: str | None,
    organisation: str | None,
    as_of: dt.date,
    since: dt.date,
    as_recorded: bool,
    measured: bool,
) -> tuple[list[PersonAudit], dict[str, list[int]] | None]:
    """The audits of the stored records (kinwise.records.selectors.casefiles_map), of the
    records as recorded at the end of ``as_of`` (UK time) with ``as_recorded``; with
    ``measured``, also the state measures at ``as_of`` summed over the same case files
    (kinwise.reports.measures.ratios_json), else None. One streamed read."""
    totals: dict[str, Ratio] = {}
    format_2 = False

    def each(casefile: CaseFile) -> PersonAudit:
        nonlocal format_2
        if measured:
            format_2 = format_2 or uses_format_2([casefile])
            for key, ratio in state_measures_at([casefile], at=as_of).items():
                totals[key] = totals.get(key, Ratio(0, 0)) + ratio
        return audit_casefile(casefile, as_of=as_of, since=since)

    recorded_at = end_of_day(as_of) if as_recorded else None
    if not measured:
        # the audit alone needs no record built: its facts come from the documents
        return selectors.documents_map(
            service=service,
            person=person,
            organisation=organisation,
            each=lambda documents: audit_documents(documents, as_of=as_of, since=since),
            recorded_at=recorded_at,
        ), None
    audits = selectors.casefiles_map(
        service=service,
        person=person,
        organisation=organisation,
        each=each,
        recorded_at=recorded_at,
    )
    saved = saved_state_measures(totals, format_2=format_2)
    return audits, (ratios_json(saved) if measured else None)


def service_audit_recorded(*, service: Service, as_of: dt.date) -> AuditRun:
    """Save the service's run of ``as_of`` as recorded at the end of that day, with its
    state measures: what `kinwise audit --service ID --save --as-recorded --as-of D`
    saves."""
    since = default_since(as_of)
    audits, measures = audits_measured(
        service=service.external_id,
        person=None,
        organisation=service.organisation.slug,
        as_of=as_of,
        since=since,
        as_recorded=True,
        measured=True,
    )
    return audit_run_save(
        audits=audits,
        as_of=as_of,
        since=since,
        actor=None,
        service=service,
        as_recorded=True,
        measures=measures,
    )


def recorded_run_missing(*, service: Service, as_of: dt.date) -> bool:
    """True when the service has no run of ``as_of`` as recorded saved yet (one query)."""
    return not AuditRun.objects.filter(
        service=service, person__isnull=True, as_recorded=True, as_of=as_of
    ).exists()


def service_audits_recorded_days(*, service: Service, days: Sequence[dt.date]) -> int:
    """Save the service's run as recorded of each of ``days`` that has none yet, as
    :func:`service_audit_recorded` saves each (the same audits, in the same order, and
    the same state measures), in one pass: the versions of every person read once
    (:func:`kinwise.records.selectors.casefiles_recorded_on_days`) and each person
    audited on each day from the file as recorded that day. What a year of nightly runs
    costs: the audits alone, not a read of the service per day. The number saved."""
    saved_days = set(
        AuditRun.objects.filter(
            service=service, person__isnull=True, as_recorded=True, as_of__in=list(days)
        ).values_list("as_of", flat=True)
    )
    todo = sorted(set(days) - saved_days)
    if not todo:
        return 0
    people = selectors.people_matching(
        service=service.external_id, organisation=service.organisation.slug
    )
    audits: dict[dt.date, list[tuple[str, PersonAudit]]] = {day: [] for day in todo}
    totals: dict[dt.date, dict[str, Ratio]] = {day: {} for day in todo}
    format_2: set[dt.date] = set()
    for _, external_id, files in selectors.casefiles_recorded_on_days(people, days=todo):
        for day, casefile in files.items():
            if uses_format_2([casefile]):
                format_2.add(day)
            for key, ratio in state_measures_at([casefile], at=day).items():
                totals[day][key] = totals[day].get(key, Ratio(0, 0)) + ratio
            audits[day].append(
                (external_id, audit_casefile(casefile, as_of=day, since=default_since(day)))
            )
    for day in todo:
        # the order of casefiles_map (one service: by case-file id)
        ordered = [audit for _, audit in sorted(audits[day], key=lambda pair: pair[0])]
        audit_run_save(
            audits=ordered,
            as_of=day,
            since=default_since(day),
            actor=None,
            service=service,
            as_recorded=True,
            measures=ratios_json(saved_state_measures(totals[day], format_2=day in format_2)),
        )
    return len(todo)
