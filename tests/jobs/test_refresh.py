"""After an import or a bulk change, the workers refresh the stored audits of the
services changed, so their dashboards read them (queue in immediate mode)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from kinwise.audits.models import AuditSnapshot
from kinwise.core.models import Service
from kinwise.jobs import tasks
from kinwise.records.models import Person
from kinwise.rules.audit import default_since

DAY = dt.date(2026, 12, 1)
Cli = Callable[..., tuple[int, str, str]]


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tasks, "_today", lambda: DAY)


def test_an_import_refreshes_the_stored_audits_of_its_service(
    db: None, cli: Cli, casefiles_dir: Path
) -> None:
    files = [
        str(casefiles_dir / n) for n in ("01-risk-and-independence.yaml", "02-vocal-relative.yaml")
    ]
    code, _, err = cli(
        "import",
        *files,
        "--service",
        "riverside",
        "--organisation",
        "acme",
        "--create-organisation",
    )
    assert (code, err) == (0, "")
    service = Service.objects.get(external_id="riverside")
    stored = AuditSnapshot.objects.filter(person__service=service)
    assert sorted(stored.values_list("person__external_id", flat=True)) == ["aisha", "sam"]
    assert {(s.as_of, s.since) for s in stored} == {(DAY, default_since(DAY))}


def test_a_file_that_fails_refreshes_nothing(db: None, cli: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("person: {}\n")
    code, _, _ = cli("import", str(bad), "--service", "riverside", "--organisation", "acme")
    assert code == 2
    assert AuditSnapshot.objects.count() == 0


def test_a_synthetic_population_refreshes_its_service(db: None, cli: Cli) -> None:
    code, _, err = cli("synth", "--people", "3", "--years", "1", "--service", "synthetic")
    assert (code, err) == (0, "")
    assert AuditSnapshot.objects.filter(as_of=DAY).count() == 3
    assert Person.objects.count() == 3


def test_an_import_stands_when_the_queue_cannot_be_reached(
    db: None, cli: Cli, casefiles_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def down(**kwargs: object) -> None:
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks, "service_audits_refresh_job", down)
    code, out, err = cli(
        "import",
        str(casefiles_dir / "01-risk-and-independence.yaml"),
        "--service",
        "riverside",
        "--organisation",
        "acme",
        "--create-organisation",
    )
    assert code == 0
    assert "imported person 'sam' into service 'riverside'" in out
    assert err == (
        "kinwise: the job queue could not be reached: the stored audits will be refreshed "
        "when next read\n"
    )
    assert Person.objects.filter(external_id="sam").count() == 1
    assert AuditSnapshot.objects.count() == 0
