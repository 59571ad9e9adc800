"""A service's dashboard read from the stored audits: each current person's open findings by
severity and the reviews coming due (kinwise.readings.reviews), stored beside the audit.

Read by the service's page and filled ahead of time by the nightly ``kinwise audit
--service ID --save``, so both read the same stored rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from kinwise.audits.selectors import data_stamps
from kinwise.audits.services import Digest, audit_snapshots_refresh
from kinwise.casefile import schema as cf
from kinwise.core.models import Service
from kinwise.readings.findings import severity_counts
from kinwise.readings.reviews import ReviewDue, reviews_due
from kinwise.records.models import Person
from kinwise.rules.audit import default_since


@dataclass(frozen=True)
class PersonOverview:
    pk: int
    name: str
    findings: dict[str, int]
    reviews: list[ReviewDue] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.findings.values())


def _reviews_json(casefile: cf.CaseFile, as_of: dt.date) -> list[list[Any]]:
    return [
        [r.what, r.due.isoformat(), r.overdue, r.key, r.owner_member, r.owner_name]
        for r in reviews_due(casefile, as_of)
    ]


# the dashboard's reviews coming due, stored beside each person's audit; the code of the
# readings it calls is part of the stored rows' key
REVIEWS_DUE = Digest(
    "dashboard.reviews_due",
    _reviews_json,
    modules=(
        "kinwise.readings.reviews",
        "kinwise.readings.work",
        "kinwise.readings.names",
        "kinwise.readings.labels",
    ),
)


def supported_on(as_of: dt.date) -> Q:
    """People the service still supports on ``as_of``: no end of support, or an end after
    that day (kinwise.records.services.support)."""
    return Q(support_ended__isnull=True) | Q(support_ended__gt=as_of)


def people_overview(*, service: Service, as_of: dt.date) -> list[PersonOverview]:
    """Each current person of the service still supported on ``as_of`` with their open
    findings by severity and the reviews coming due, by name.

    Read from the stored audits (kinwise.audits): two queries once they are fresh,
    however many people and however long their history; people whose records changed
    are loaded and audited again, in bulk."""
    people = Person.objects.filter(
        supported_on(as_of), service_id=service.pk, superseded_at__isnull=True
    )
    stored = audit_snapshots_refresh(
        stamps=data_stamps(people=people),
        as_of=as_of,
        since=default_since(as_of),
        digest=REVIEWS_DUE,
    )
    rows = [
        PersonOverview(
            pk=pk,
            name=s.audit.person_name,
            findings=severity_counts(s.audit.findings),
            reviews=[
                ReviewDue(what, dt.date.fromisoformat(due), overdue, key, member, member_name)
                for what, due, overdue, key, member, member_name in s.extra
            ],
        )
        for pk, s in stored.items()
    ]
    rows.sort(key=lambda r: (r.name, r.pk))
    return rows
