"""Writes for governance: audit runs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Protocol

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from kinwise.core.models import Service
from kinwise.errors import ErrorCode, KinwiseError
from kinwise.governance.models import AuditRun
from kinwise.records.models import Person


class AuditLike(Protocol):
    """What a run stores of one person's audit (kinwise.rules.audit.PersonAudit)."""

    def to_json(self) -> dict[str, Any]: ...


def audit_run_save(
    *,
    audits: Sequence[AuditLike],
    as_of: dt.date,
    since: dt.date,
    actor: AbstractBaseUser | None = None,
    service: Service | None = None,
    person: Person | None = None,
    rules_version: str | int | None = None,
    as_recorded: bool = False,
    measures: dict[str, list[int]] | None = None,
) -> AuditRun:
    """Keep a new audit run (never overwriting an earlier one).

    The run's scope is explicit: ``service`` alone for a run over a whole service (the
    runs a service's trends are drawn from), ``person`` (with their service) for a run
    over one person, neither for a run over several services. ``rules_version``
    defaults to the highest of the audits' own (for a run with no audits: the rule
    catalogue's): a version-1 file's audit says catalogue 1 and a version-2 file's
    catalogue 2, which judges version-1 files exactly as catalogue 1 does, so both share a
    run; an audit of a catalogue Kinwise does not have cannot be saved.

    ``as_recorded`` says the audits are of the records as recorded at the end of
    ``as_of`` (UK time); ``measures`` are the state measures saved with such a run of a
    service (kinwise.reports.measures.ratios_json), which its reports then read.
    """
    if measures and (not as_recorded or person is not None or service is None):
        raise KinwiseError(
            ErrorCode.CONFLICT, "measures are saved with a service's run as recorded only"
        )
    if person is not None:
        if service is not None and person.service_id != service.pk:
            raise KinwiseError(ErrorCode.CONFLICT, "the person audited is not in that service")
        service = person.service
    from kinwise.rules.catalogue import RULES_VERSION

    findings = [audit.to_json() for audit in audits]
    versions = {str(f["rules_version"]) for f in findings if "rules_version" in f}
    if rules_version is not None:
        versions.add(str(rules_version))
    known = {str(n) for n in range(1, RULES_VERSION + 1)}
    if not versions <= known:
        raise KinwiseError(
            ErrorCode.CONFLICT, "the audits of this run were made by rules Kinwise does not have"
        )
    versions = {max(versions, key=int)} if versions else {str(RULES_VERSION)}
    with transaction.atomic():
        return AuditRun.objects.create(
            service=service,
            person=person,
            as_of=as_of,
            since=since,
            rules_version=versions.pop(),
            findings=findings,
            as_recorded=as_recorded,
            measures=measures or {},
            actor_id=actor.pk if actor is not None else None,
            created_at=timezone.now(),
        )
