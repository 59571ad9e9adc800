"""Supervision costs the same queries whatever the number of people, and lists each real
member of staff once (the staff directory's member id), not each circle's copy."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kinwise.core.models import Service, StaffMember, StaffRole
from kinwise.core.services import organisation_ensure, service_ensure, staff_user_ensure
from kinwise.governance.selectors import supervision_summary
from kinwise.records.selectors import casefiles_for_service
from kinwise.rules.audit import default_since
from kinwise.synth.generate import DEFAULT_AS_OF, SynthSpec, synth_population
from kinwise.synth.services import population_import
from tests.querycount import ACCESS_LOG_QUERIES, split
from tests.signin import signed_in_client

AS_OF = DEFAULT_AS_OF

# The supervision list, warm: the session, the viewer, the service and the viewer's role
# in it, the people's data stamps and their stored prompt counts (beside their audits),
# the supervision records and the open actions.
SUPERVISION_QUERIES = 8


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


def _staff_ids(people: int) -> set[str]:
    spec = SynthSpec(people=people, years=1, seed=2, as_of=AS_OF)
    return {m.id for cf in synth_population(spec) for m in cf.circle if m.kind == "staff"}


@pytest.mark.django_db
def test_the_supervision_list_issues_the_same_queries_for_4_and_40_people(
    populate: Callable[..., Service], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("kinwise.clock.today", lambda: AS_OF)
    few, many = populate("few", people=4), populate("many", people=40)
    counts, listed = [], []
    for service in (few, many):
        client = _client(service)
        url = reverse("governance:supervision", args=[service.pk])
        assert client.get(url).status_code == 200  # warm: the session, the templates
        with CaptureQueriesContext(connection) as captured:
            page = client.get(url)
        assert page.status_code == 200
        counts.append(split(captured.captured_queries))
        listed.append(re.findall(r"supervision/staff/\?member=([\w.-]+)", page.content.decode()))
    # the page's own queries, and one access-log entry (counted apart)
    assert counts == [(SUPERVISION_QUERIES, ACCESS_LOG_QUERIES)] * 2
    # one row per real member of staff: the two services share the directory's entries
    # of the first team (people 1-24 of each population are supported by one team)
    for rows, people in zip(listed, (4, 40), strict=True):
        assert len(rows) == len(set(rows))
        assert set(rows) == _staff_ids(people)
    assert len(listed[1]) <= 12
    assert StaffMember.objects.count() == len(_staff_ids(40))
    # one member of staff's page reads the files of the people they support only: the
    # team leader of the first team supports 4 people in one service and 24 in the other
    staff_page = []
    for service in (few, many):
        client = _client(service)
        url = reverse("governance:supervision_staff", args=[service.pk]) + "?member=staff1-1"
        assert client.get(url).status_code == 200
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        staff_page.append(len(captured.captured_queries))
    assert staff_page[0] == staff_page[1]


@pytest.mark.django_db
def test_the_summary_has_one_entry_per_member_of_staff_with_their_prompts(
    populate: Callable[..., Service],
) -> None:
    service = populate("one", people=30)
    casefiles = casefiles_for_service(service=service)
    since = default_since(AS_OF)
    summary = supervision_summary(service=service, since=since, as_of=AS_OF, casefiles=casefiles)
    # the list reads the counts stored beside each person's audit: the same answer
    stored = supervision_summary(service=service, since=since, as_of=AS_OF)
    assert stored == summary
    assert [(s.ref.member, s.ref.name) for s in stored] == [
        (s.ref.member, s.ref.name) for s in summary
    ]
    # and once stored, no case file is read again: two queries for the counts, two for
    # the supervision records and actions
    with CaptureQueriesContext(connection) as captured:
        assert supervision_summary(service=service, since=since, as_of=AS_OF) == summary
    assert len(captured.captured_queries) == 4
    assert sorted(s.ref.member for s in summary) == sorted(_staff_ids(30))
    named = {s.ref.member: s.ref.name for s in summary}
    entries = {e.external_id: e.name for e in StaffMember.objects.all()}
    assert named == {m: entries[m] for m in named}
    assert sum(s.prompts for s in summary) > 0
