"""The service dashboard reads stored audits: what it shows is what auditing every
person now shows, before and after a change to someone's records."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kinwise.audits.models import AuditSnapshot
from kinwise.audits.overview import PersonOverview, people_overview
from kinwise.core.models import Service
from kinwise.readings.findings import severity_counts
from kinwise.readings.reviews import reviews_due
from kinwise.records.models import Person
from kinwise.records.selectors import casefile_export, casefiles_for_service
from kinwise.records.services import casefile_import
from kinwise.rules.audit import audit_casefile, default_since
from tests.audits.conftest import AS_OF


def expected(service: Service) -> list[PersonOverview]:
    rows = [
        PersonOverview(
            pk=pk,
            name=casefile.person.name,
            findings=severity_counts(
                audit_casefile(casefile, as_of=AS_OF, since=default_since(AS_OF)).findings
            ),
            reviews=reviews_due(casefile, AS_OF),
        )
        for pk, casefile in casefiles_for_service(service=service).items()
    ]
    return sorted(rows, key=lambda r: (r.name, r.pk))


@pytest.mark.django_db
def test_the_dashboard_shows_the_audit_of_now_before_and_after_a_change(
    populate: Callable[..., Service],
) -> None:
    service = populate("dash", people=5, years=3)

    assert people_overview(service=service, as_of=AS_OF) == expected(service)
    assert people_overview(service=service, as_of=AS_OF) == expected(service)  # stored
    assert any(row.reviews for row in expected(service))

    person = Person.objects.filter(service=service).order_by("external_id")[2]
    casefile = casefile_export(person=person)
    changed = casefile.model_copy(
        update={
            "person": casefile.person.model_copy(update={"name": "Renamed Person"}),
            "risk_assessments": casefile.risk_assessments[1:],
            "consents": [],
        }
    )
    casefile_import(casefile=changed, service=service, actor=None)

    after = people_overview(service=service, as_of=AS_OF)
    assert after == expected(service)
    assert "Renamed Person" in [row.name for row in after]
    assert AuditSnapshot.objects.filter(person=person).count() == 1
