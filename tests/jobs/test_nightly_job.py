"""The nightly audit scheduled in the app: every service audited in chunks by the
workers and kept as one run each, once a night however many schedulers ask (queue in
immediate mode)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from kinwise.audits.models import AuditSnapshot
from kinwise.core.models import Service
from kinwise.governance.models import AuditRun
from kinwise.jobs import spread, tasks
from kinwise.jobs.queue import queue
from kinwise.records.selectors import casefiles_map
from kinwise.rules.audit import audit_casefile, default_since
from tests.jobs.conftest import AS_OF


def one_process_findings(service: Service, as_of: dt.date) -> list[dict[str, object]]:
    audits = casefiles_map(
        service=service.external_id,
        person=None,
        each=lambda cf: audit_casefile(cf, as_of=as_of, since=default_since(as_of)),
    )
    return [a.to_json() for a in audits]


@pytest.fixture
def services(populate: Callable[..., Service]) -> list[Service]:
    return [populate("north", people=3, seed=1), populate("south", people=4, seed=2)]


def test_every_service_is_kept_as_one_run_with_the_one_process_findings(
    services: list[Service], populate: Callable[..., Service], monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = populate("nobody", people=0)
    monkeypatch.setattr(spread, "CHUNK_MOST", 2)  # several chunks per service
    assert tasks.nightly_audit_enqueue(as_of=AS_OF) == 3
    for service in services:
        (run,) = AuditRun.objects.filter(service=service, as_recorded=False)
        assert (run.as_of, run.since, run.person, run.actor) == (
            AS_OF,
            default_since(AS_OF),
            None,
            None,
        )
        assert run.findings == one_process_findings(service, AS_OF)
    (run,) = AuditRun.objects.filter(service=empty, as_recorded=False)
    assert run.findings == []
    # and the day before, as recorded at its end, once per service with its measures
    yesterday = AS_OF - dt.timedelta(days=1)
    recorded = AuditRun.objects.filter(as_recorded=True).order_by("service_id")
    assert [(r.service, r.as_of) for r in recorded] == [(s, yesterday) for s in [*services, empty]]
    tasks.nightly_audit_enqueue(as_of=AS_OF)  # asked again: the day before is kept once
    assert AuditRun.objects.filter(as_recorded=True).count() == 3
    # each person's audit of the day is stored for the dashboards
    assert AuditSnapshot.objects.filter(as_of=AS_OF).count() == 7


def test_the_nightly_job_runs_once_a_night_however_often_it_is_asked_for(
    services: list[Service], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tasks, "_today", lambda: AS_OF)
    tasks.nightly_audit_job()
    tasks.nightly_audit_job()  # a second worker's scheduler, the same night
    runs = AuditRun.objects.filter(as_recorded=False)
    assert sorted(runs.values_list("service__external_id", flat=True)) == ["north", "south"]
    monkeypatch.setattr(tasks, "_today", lambda: AS_OF + dt.timedelta(days=1))
    tasks.nightly_audit_job()
    assert runs.count() == 4
    assert runs.filter(as_of=AS_OF + dt.timedelta(days=1)).count() == 2
    # each night also keeps the day before as recorded: AS_OF - 1, then AS_OF
    assert (
        sorted(AuditRun.objects.filter(as_recorded=True).values_list("as_of", flat=True))
        == [AS_OF - dt.timedelta(days=1)] * 2 + [AS_OF] * 2
    )


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args)


def test_the_scheduler_asks_for_the_nightly_audit_at_0200_and_the_emails_at_0700_uk_time() -> None:
    def due(moment: dt.datetime) -> list[str]:
        return sorted(task.name for task in queue.read_periodic(moment))

    assert due(utc(2026, 12, 1, 2, 0)) == ["nightly_audit"]
    assert due(utc(2026, 7, 1, 1, 0)) == ["nightly_audit"]  # 02:00 British Summer Time
    assert due(utc(2026, 12, 1, 7, 0)) == ["daily_emails"]
    assert due(utc(2026, 12, 1, 7, 1)) == []
    assert due(utc(2026, 12, 1, 12, 0)) == []


def test_a_service_whose_chunk_fails_keeps_no_run_and_the_others_do(
    services: list[Service], monkeypatch: pytest.MonkeyPatch
) -> None:
    from kinwise.jobs.spread import audit_chunk

    north = services[0]

    def failing_for_north(**kwargs: object) -> object:
        if kwargs["service_pk"] == north.pk:
            raise RuntimeError("disk gone")
        return audit_chunk(**kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(tasks, "audit_chunk", failing_for_north)
    tasks.nightly_audit_enqueue(as_of=AS_OF)
    assert list(
        AuditRun.objects.filter(as_recorded=False).values_list("service__external_id", flat=True)
    ) == ["south"]
