"""`kinwise demo`'s second service: synthetic people recorded over the year before the
demo was loaded, and a saved nightly run as recorded for every day of that year, filled
in by the worker (here the queue runs jobs at once). Six people here (sixty in `make
run`): the same generator and writer, a tenth of the time."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from kinwise.cli import main
from kinwise.clock import UK
from kinwise.commands.demo import synth_demo_people_wanted
from kinwise.core.models import RecordVersion, Service
from kinwise.governance.models import AuditRun
from kinwise.governance.selectors import audit_trends, service_worklist
from kinwise.records.models import Person
from kinwise.synth.demo import SYNTH_DEMO_PEOPLE, synth_demo_spec

NOW = dt.datetime(2026, 12, 15, 9, 0, tzinfo=UK)
PEOPLE = 6


def test_make_run_asks_for_sixty_people(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KINWISE_DEMO_SYNTHETIC_PEOPLE")
    assert synth_demo_people_wanted() == SYNTH_DEMO_PEOPLE == 60
    spec = synth_demo_spec(today=NOW.date())
    assert (spec.people, spec.years, spec.as_of) == (60, 1, dt.date(2026, 12, 14))
    monkeypatch.setenv("KINWISE_DEMO_SYNTHETIC_PEOPLE", "many")
    with pytest.raises(Exception, match="must be a whole number up to 1000"):
        synth_demo_people_wanted()


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_the_synthetic_service_is_recorded_in_time_with_a_year_of_nightly_runs(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("KINWISE_DEMO_SYNTHETIC_PEOPLE", str(PEOPLE))
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "Elmbrook Supported Living: 6 synthetic people and a year of nightly audits" in out
    service = Service.objects.get(organisation__slug="demo", external_id="elmbrook")
    assert service.name == "Elmbrook Supported Living"
    people = Person.objects.filter(service=service, superseded_at__isnull=True)
    assert sorted(people.values_list("external_id", flat=True)) == [
        f"p0000{n}" for n in range(1, 7)
    ]

    # written in time: every version in the last second of a UK day of the year, the
    # first on the year's first day, and records added on many days since
    times = {
        t.astimezone(UK)
        for t in RecordVersion.objects.filter(person__service=service).values_list(
            "created_at", flat=True
        )
    }
    assert {(t.hour, t.minute, t.second) for t in times} == {(23, 59, 59)}
    days = sorted(t.date() for t in times)
    assert (days[0], days[-1]) == (dt.date(2025, 12, 15), dt.date(2026, 12, 13))
    assert len(days) > 50

    # one saved run as recorded per day of the year, the first and last exactly
    runs = AuditRun.objects.filter(service=service, person__isnull=True, as_recorded=True)
    run_days = sorted(runs.values_list("as_of", flat=True))
    assert len(run_days) == len(set(run_days)) == 365
    assert (run_days[0], run_days[-1]) == (dt.date(2025, 12, 15), dt.date(2026, 12, 14))
    last = runs.get(as_of=dt.date(2026, 12, 14))
    assert [a["person"] for a in last.findings] == [f"p0000{n}" for n in range(1, 7)]
    assert set(last.measures) == {
        "arrangements_overdue",
        "decision_makers_valid",
        "relative_authority_valid",
    }

    # a manager sees work to do, and a trend with a shape
    worklist = service_worklist(service=service, as_of=NOW.date())
    assert worklist.rows
    assert worklist.overdue
    trends = audit_trends(service=service, as_of=NOW.date())
    assert len(trends.months) == 12
    assert len(set(trends.totals)) > 1
    assert sum(len(a["findings"]) for a in last.findings) > 0

    # the service's pages read in plain words, findings and all: no id, field name or
    # code shows (the stories' crawl never meets a service whose findings are open)
    _pages_in_plain_words(service, people)

    # a second demo adds no one and saves no run
    count = AuditRun.objects.count()
    assert main(["demo"]) == 0
    capsys.readouterr()
    assert AuditRun.objects.count() == count
    assert people.count() == PEOPLE


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_the_trends_page_says_while_the_worker_fills_the_service_in(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from django.contrib.auth import get_user_model

    from kinwise.core.services import service_ensure
    from tests.signin import signed_in_client

    assert main(["demo"]) == 0  # the stories only (the tests leave the service out)
    capsys.readouterr()
    riverside = Service.objects.get(external_id="riverside")
    elmbrook = service_ensure(
        organisation=riverside.organisation, external_id="elmbrook", name="Elmbrook"
    )
    client = signed_in_client(get_user_model().objects.get(username="manager"))
    notice = "are being filled in by the background worker"
    page = client.get(f"/governance/services/{elmbrook.pk}/trends/")
    assert page.status_code == 200
    assert notice in page.content.decode()
    page = client.get(f"/governance/services/{riverside.pk}/trends/")
    assert notice not in page.content.decode()


def _pages_in_plain_words(service: Service, people: Any) -> None:
    from django.contrib.auth import get_user_model

    from tests.signin import signed_in_client
    from tests.web.test_plain_english import Page, forbidden

    client = signed_in_client(get_user_model().objects.get(username="manager"))
    addresses = [
        f"/services/{service.pk}/inspection/?from=2026-01-01&to=2026-11-30",
        f"/governance/services/{service.pk}/worklist/",
        f"/governance/services/{service.pk}/trends/",
        f"/governance/services/{service.pk}/supervision/",
    ]
    for person in people:
        addresses += [f"/people/{person.pk}/", f"/people/{person.pk}/findings/"]
    pattern = forbidden()
    hits: dict[str, set[str]] = {}
    for address in addresses:
        response = client.get(address)
        assert response.status_code == 200, address
        page = Page()
        page.feed(response.content.decode())
        for text in page.texts:
            for match in pattern.finditer(text):
                hits.setdefault(address, set()).add(match.group(0))
    assert hits == {}
