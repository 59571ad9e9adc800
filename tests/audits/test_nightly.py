"""The nightly `kinwise audit --service ID --save` also stores each person's audit of the
day as the service dashboard reads it, so the first request of the morning only reads."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kinwise.audits.models import AuditSnapshot
from kinwise.audits.overview import people_overview
from kinwise.cli import main
from kinwise.commands import audit as audit_command
from kinwise.core.models import Service
from kinwise.rules.audit import default_since
from tests.audits.conftest import AS_OF


def run_audit(argv: list[str], capsys: pytest.CaptureFixture[str]) -> int:
    code = main(["audit", *argv])
    capsys.readouterr()
    return code


@pytest.fixture
def nightly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(audit_command, "_today", lambda: AS_OF)


def test_a_nightly_service_run_stores_the_dashboards_audits_of_the_day(
    populate: Callable[..., Service], nightly: None, capsys: pytest.CaptureFixture[str]
) -> None:
    service = populate("night", people=3)
    assert run_audit(["--service", "night", "--save", "--format", "json"], capsys) == 0

    stored = AuditSnapshot.objects.filter(person__service=service)
    assert stored.count() == 3
    assert {(s.as_of, s.since) for s in stored} == {(AS_OF, default_since(AS_OF))}
    assert {s.computation.split(":")[0] for s in stored} == {"dashboard.reviews_due"}

    # the morning's dashboard reads them: the stamps and the stored audits, no audit
    with CaptureQueriesContext(connection) as captured:
        rows = people_overview(service=service, as_of=AS_OF)
    assert len(rows) == 3
    assert len(captured.captured_queries) == 2
    assert AuditSnapshot.objects.filter(person__service=service).count() == 3


@pytest.mark.parametrize(
    "argv",
    [
        ["--service", "night", "--format", "json"],  # not saved
        ["--service", "night", "--save", "--as-of", "2026-06-01"],  # another day
        ["--service", "night", "--save", "--since", "2026-01-01"],  # another period
        ["--person", "p00001", "--save"],  # one person
    ],
)
def test_other_runs_store_no_audits_for_the_dashboard(
    populate: Callable[..., Service],
    nightly: None,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
) -> None:
    populate("night", people=2)
    assert run_audit(argv, capsys) == 0
    assert AuditSnapshot.objects.count() == 0
