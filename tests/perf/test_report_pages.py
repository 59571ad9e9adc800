"""The commissioners' report (page and CSV) and the inspection page at realistic size
(issue 17): a warm request costs the same queries for 4 and 40 people, reads the report
kept by the state of the service's records (kinwise.reports.kept) and the stored audits,
and never audits every person again; a write moves the state, so the next request shows
it, auditing again only the person whose records changed."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kinwise.core.models import Service, StaffRole
from kinwise.core.services import organisation_ensure, service_ensure, staff_user_ensure
from kinwise.records.models import Person, Record
from kinwise.records.services import edits
from kinwise.synth.generate import DEFAULT_AS_OF, SynthSpec
from kinwise.synth.services import population_import
from tests.querycount import ACCESS_LOG_QUERIES, split
from tests.signin import signed_in_client

AS_OF = DEFAULT_AS_OF

# A warm request: the session, the viewer, the service and the viewer's role in it (the
# access check), the people's data stamps and the service's runs saved as recorded (the
# key of the kept report); the inspection page adds nothing (its statements are kept
# under the same key).
PAGE_QUERIES = {"service_report": 6, "service_report_csv": 6, "inspection": 6}


@pytest.fixture
def populate(db: None) -> Callable[..., Service]:
    organisation = organisation_ensure(slug="perf", name="Perf Care")

    def make(service_id: str, *, people: int) -> Service:
        spec = SynthSpec(people=people, years=1, seed=2, as_of=AS_OF, service_id=service_id)
        service = service_ensure(
            organisation=organisation, external_id=service_id, name=f"Service {service_id}"
        )
        assert population_import(spec=spec, service=service) == people
        return service

    return make


def _client(service: Service) -> Client:
    user = staff_user_ensure(
        username=f"manager-{service.external_id}",
        password="a-long-test-password",
        service=service,
        role=StaffRole.REGISTERED_MANAGER,
    )
    return signed_in_client(user)


@pytest.mark.django_db
def test_the_report_pages_issue_the_same_queries_for_4_and_40_people(
    populate: Callable[..., Service], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("kinwise.clock.today", lambda: AS_OF)
    few, many = populate("few", people=4), populate("many", people=40)
    counts: dict[str, list[tuple[int, int]]] = {name: [] for name in PAGE_QUERIES}
    for service in (few, many):
        client = _client(service)
        # the session's first requests (its refresh) are not a page's cost
        for _ in range(2):
            client.get(reverse("reports:service_report", args=[service.pk]))
        for name in PAGE_QUERIES:
            url = reverse(f"reports:{name}", args=[service.pk])
            assert client.get(url).status_code == 200  # the first: builds and keeps
            with CaptureQueriesContext(connection) as captured:
                page = client.get(url)
            assert page.status_code == 200
            counts[name].append(split(captured.captured_queries))
    assert counts == {
        name: [(queries, ACCESS_LOG_QUERIES)] * 2 for name, queries in PAGE_QUERIES.items()
    }


@pytest.mark.django_db
def test_a_warm_report_is_read_not_built_and_a_write_builds_it_again(
    populate: Callable[..., Service], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("kinwise.clock.today", lambda: AS_OF)
    service = populate("s", people=6)
    client = _client(service)
    built: list[int] = []
    audited: list[str] = []

    import kinwise.audits.services as stored_audits
    import kinwise.reports.views as report_views

    real_build, real_audit = report_views.build_service_report, stored_audits.audit_casefile

    def counting_build(**kwargs):  # type: ignore[no-untyped-def]
        built.append(1)
        return real_build(**kwargs)

    def counting_audit(casefile, **kwargs):  # type: ignore[no-untyped-def]
        audited.append(casefile.person.id)
        return real_audit(casefile, **kwargs)

    monkeypatch.setattr(report_views, "build_service_report", counting_build)
    monkeypatch.setattr(stored_audits, "audit_casefile", counting_audit)
    report_url = reverse("reports:service_report", args=[service.pk])
    inspection_url = reverse("reports:inspection", args=[service.pk])
    first = client.get(inspection_url)
    assert first.status_code == 200
    assert (len(built), len(audited)) == (1, 6)  # every person's audit stored once
    assert client.get(report_url).status_code == 200
    again = client.get(inspection_url)
    assert again.status_code == 200
    assert (len(built), len(audited)) == (1, 6)  # read: nothing built or audited again

    person = Person.objects.filter(service=service).order_by("pk").first()
    assert person is not None
    row = Record.objects.filter(person=person, kind="voice", superseded_at=None).first()
    assert row is not None
    edits.record_save(
        person=person,
        kind="voice",
        record={**row.data, "summary": f"{row.data['summary']} (changed)"},
        actor=None,
        original_key=row.key,
        based_on=row.version,
    )
    assert client.get(inspection_url).status_code == 200
    # the write moved the state: the report built again, only the changed person audited
    assert (len(built), audited[6:]) == (2, [person.external_id])
    assert client.get(report_url).status_code == 200
    assert len(built) == 2
