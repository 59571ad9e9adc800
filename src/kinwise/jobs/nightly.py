"""What the nightly audit keeps of a service: what `kinwise audit --service ID --save` does."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from kinwise.core.models import Service
from kinwise.governance.models import AuditRun
from kinwise.governance.services import audit_run_save
from kinwise.rules.audit import PersonAudit


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
