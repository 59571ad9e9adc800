"""The retention policy: people past KINWISE_RETENTION_YEARS (default 8) after their
support ended are listed (ids only) by `kinwise retention --dry-run` and, with
`--apply`, archived (owner-only) then erased: record content and versions emptied, the
person a tombstone with de-identified totals, stored audits and saved runs cleaned, the
access log's entries kept and one added. Boundaries at exactly the anniversary, a day
either side, and 29 February; idempotent; people still supported refused."""

from __future__ import annotations

import datetime as dt
import json
import logging
import stat
from pathlib import Path
from typing import Any

import pytest

from kinwise.audits.models import AuditSnapshot
from kinwise.audits.selectors import data_stamps
from kinwise.audits.services import audit_snapshots_refresh
from kinwise.cli import main
from kinwise.core.models import RecordVersion
from kinwise.dataprotection.retention import (
    TOMBSTONE,
    anniversary,
    latest_end_past,
    person_erase,
    retention_apply,
    retention_due,
)
from kinwise.errors import ErrorCode, KinwiseError
from kinwise.governance.models import AuditRun, GovernanceChange, WorkItem
from kinwise.governance.services import audit_run_save
from kinwise.records.models import Person, Record
from kinwise.records.selectors import casefile_export
from kinwise.records.services.support import support_end
from kinwise.rules.audit import audit_casefile
from tests.dataprot.conftest import AT, KeptAccessLog
from tests.signin import signed_in_client

pytestmark = pytest.mark.django_db


def ended(person: Person, day: str, actor: Any = None) -> Person:
    return support_end(person=person, ended=day, reason="left", actor=actor)


# --- the dates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "years", "expected"),
    [
        (dt.date(2018, 6, 1), 8, dt.date(2026, 6, 1)),
        (dt.date(2016, 2, 29), 8, dt.date(2024, 2, 29)),  # a leap year 8 years on
        (dt.date(2016, 2, 29), 1, dt.date(2017, 3, 1)),  # none that year: 1 March
        (dt.date(2019, 12, 31), 8, dt.date(2027, 12, 31)),
    ],
)
def test_the_anniversary(day: dt.date, years: int, expected: dt.date) -> None:
    assert anniversary(day, years=years) == expected


@pytest.mark.parametrize(
    ("as_of", "years", "expected"),
    [
        (dt.date(2026, 6, 1), 8, dt.date(2018, 6, 1)),
        (dt.date(2024, 2, 29), 8, dt.date(2016, 2, 29)),
        (dt.date(2024, 2, 29), 1, dt.date(2023, 2, 28)),
    ],
)
def test_the_latest_end_past_the_policy(as_of: dt.date, years: int, expected: dt.date) -> None:
    assert latest_end_past(as_of=as_of, years=years) == expected


@pytest.mark.parametrize(
    ("end", "as_of", "due"),
    [
        ("2018-06-01", "2026-05-31", False),  # a day before 8 years
        ("2018-06-01", "2026-06-01", True),  # exactly 8 years
        ("2018-06-01", "2026-06-02", True),  # a day after
        ("2016-02-29", "2024-02-28", False),  # ended on a leap day
        ("2016-02-29", "2024-02-29", True),
        ("2016-03-01", "2024-02-29", False),
        ("2016-03-01", "2024-03-01", True),
        ("2016-02-28", "2024-02-28", True),
    ],
)
def test_who_is_past_the_policy_at_the_boundary(
    world: dict[str, Any], end: str, as_of: str, due: bool
) -> None:
    sam = ended(world["people"]["sam"], end)
    found = retention_due(as_of=dt.date.fromisoformat(as_of))
    assert [row.person_pk for row in found] == ([sam.pk] if due else [])


@pytest.mark.parametrize(
    ("end", "as_of", "due"),
    [
        ("2020-02-29", "2021-02-28", False),
        ("2020-02-29", "2021-03-01", True),
        ("2019-02-28", "2020-02-28", True),
        ("2019-03-01", "2020-02-29", False),
    ],
)
def test_the_period_is_the_setting(
    world: dict[str, Any], settings: Any, end: str, as_of: str, due: bool
) -> None:
    settings.KINWISE_RETENTION_YEARS = 1
    sam = ended(world["people"]["sam"], end)
    found = retention_due(as_of=dt.date.fromisoformat(as_of))
    assert [row.person_pk for row in found] == ([sam.pk] if due else [])


def test_people_still_supported_are_never_past_it(world: dict[str, Any]) -> None:
    # Daniel has no end; Sam's end is planned, after the day asked about
    ended(world["people"]["sam"], "2030-01-01")
    assert retention_due(as_of=dt.date(2029, 12, 31), years=1) == []
    assert [r.person_pk for r in retention_due(as_of=dt.date(2031, 1, 1), years=1)] == [
        world["people"]["sam"].pk
    ]
    with pytest.raises(KinwiseError) as refused:
        person_erase(
            person=world["people"]["daniel"],
            as_of=dt.date(2040, 1, 1),
            at=AT,
            archive_dir=Path("/nonexistent"),
        )
    assert refused.value.code == ErrorCode.CONFLICT
    assert refused.value.message == f"person {world['people']['daniel'].pk} is still supported"


def test_a_person_not_yet_past_it_is_refused_and_nothing_is_written(
    world: dict[str, Any], tmp_path: Path
) -> None:
    sam = ended(world["people"]["sam"], "2020-01-01")
    with pytest.raises(KinwiseError) as refused:
        person_erase(person=sam, as_of=dt.date(2027, 12, 31), at=AT, archive_dir=tmp_path / "a")
    assert refused.value.message == f"person {sam.pk} is not past the retention policy yet"
    assert not (tmp_path / "a").exists()
    assert Person.objects.get(pk=sam.pk).name == "Sam Okafor"


# --- erasing ----------------------------------------------------------------------------------


@pytest.fixture
def sam_past(world: dict[str, Any]) -> Person:
    """Sam, support ended on 1 June 2018, with a stored audit, a saved service run, and
    a work item with a note."""
    sam = ended(world["people"]["sam"], "2018-06-01", actor=world["manager"])
    audit_snapshots_refresh(
        stamps=data_stamps(people=Person.objects.filter(pk=sam.pk)),
        as_of=dt.date(2018, 5, 1),
        since=dt.date(2017, 5, 1),
    )
    audits = [
        audit_casefile(
            casefile_export(person=p), as_of=dt.date(2018, 5, 1), since=dt.date(2017, 5, 1)
        )
        for p in (sam, world["people"]["daniel"])
    ]
    audit_run_save(
        audits=audits,
        as_of=dt.date(2018, 5, 1),
        since=dt.date(2017, 5, 1),
        service=world["service"],
    )
    item = WorkItem.objects.create(person=sam, key="review:plan", note="Sam asked for Grace")
    GovernanceChange.objects.create(
        entity="work_item",
        entity_pk=item.pk,
        action="created",
        snapshot={"person": sam.pk, "key": "review:plan", "owner": None, "note": item.note},
    )
    return sam


def test_apply_archives_then_erases(
    world: dict[str, Any],
    sam_past: Person,
    tmp_path: Path,
    kept_log: KeptAccessLog,
    caplog: pytest.LogCaptureFixture,
) -> None:
    sam = sam_past
    assert AuditSnapshot.objects.filter(person=sam).exists()
    kinds = dict.fromkeys(Record.objects.filter(person=sam).values_list("kind", flat=True), 0)
    for kind in Record.objects.filter(person=sam).values_list("kind", flat=True):
        kinds[kind] += 1
    versions = RecordVersion.objects.filter(person=sam).count()
    daniel_before = casefile_export(person=world["people"]["daniel"])
    archive_dir = tmp_path / "archive"
    caplog.set_level(logging.WARNING, logger="kinwise.dataprotection")

    done = retention_apply(as_of=dt.date(2026, 6, 1), at=AT, archive_dir=archive_dir)

    assert [row.person_pk for row in done.due] == [sam.pk]
    archive = archive_dir / f"person-{sam.pk}.json"
    assert done.erased[0].archive == archive
    assert stat.S_IMODE(archive_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    kept = json.loads(archive.read_text(encoding="utf-8"))
    assert kept["person"]["name"] == "Sam Okafor"
    assert len(kept["records"]) == sum(kinds.values())

    erased = Person.objects.get(pk=sam.pk)
    assert erased.name == TOMBSTONE == "Record erased"
    assert erased.external_id == f"erased-{sam.pk}"
    assert (erased.date_of_birth, erased.communication_methods, erased.communication_notes) == (
        None,
        [],
        None,
    )
    assert erased.erased_at == AT and erased.superseded_at == AT
    assert erased.support_ended == dt.date(2018, 6, 1)
    assert erased.erased_totals == {"records": dict(sorted(kinds.items())), "versions": versions}
    # the rows stay, their content does not
    assert list(Record.objects.filter(person=sam).values_list("data", flat=True)) == [{}] * sum(
        kinds.values()
    )
    assert Record.objects.filter(person=sam).count() == sum(kinds.values())
    assert not Record.objects.filter(person=sam, superseded_at__isnull=True).exists()
    assert RecordVersion.objects.filter(person=sam).count() == versions
    assert all(
        s == {} for s in RecordVersion.objects.filter(person=sam).values_list("snapshot", flat=True)
    )
    assert set(RecordVersion.objects.filter(person=sam).values_list("reason", flat=True)) == {""}
    # stored audits (a cache) gone; the saved run keeps rules and severities only
    assert not AuditSnapshot.objects.filter(person=sam).exists()
    run = AuditRun.objects.get()
    mine = [e for e in run.findings if e["person"] == f"erased-{sam.pk}"]
    assert len(mine) == 1
    assert all(f["message"] == TOMBSTONE and f["evidence"] == [] for f in mine[0]["findings"])
    assert [e["person"] for e in run.findings if not e["person"].startswith("erased-")] == [
        "daniel"
    ]
    assert "Okafor" not in json.dumps(run.findings)
    assert WorkItem.objects.get(person=sam).note == ""
    assert GovernanceChange.objects.get(entity="work_item").snapshot["note"] == ""
    # the others are untouched
    assert casefile_export(person=world["people"]["daniel"]) == daniel_before
    # logged by ids, and in the access log
    assert kept_log.notes == [(sam.pk, None, "erased")]
    messages = [r.getMessage() for r in caplog.records if r.name == "kinwise.dataprotection"]
    assert messages == [
        f"retention: person pk={sam.pk} of service pk={world['service'].pk} erased, archive written",
        "retention: 1 person(s) past the policy, 1 erased",
    ]
    # applying it again changes nothing
    again = retention_apply(as_of=dt.date(2026, 6, 1), at=AT, archive_dir=archive_dir)
    assert (again.due, again.erased) == ([], [])
    assert kept_log.notes == [(sam.pk, None, "erased")]
    with pytest.raises(KinwiseError) as refused:
        person_erase(person=sam, as_of=dt.date(2026, 6, 1), at=AT, archive_dir=archive_dir)
    assert refused.value.message == f"person {sam.pk} is erased already"


def test_pages_and_lists_leave_an_erased_person_out(
    world: dict[str, Any], sam_past: Person, tmp_path: Path
) -> None:
    client = signed_in_client(world["manager"])
    service = world["service"].pk
    ended_page = client.get(f"/services/{service}/ended/").content.decode()
    assert "Sam Okafor" in ended_page
    retention_apply(as_of=dt.date(2026, 6, 1), at=AT, archive_dir=tmp_path / "a")
    for path in (f"/services/{service}/ended/", f"/services/{service}/"):
        page = client.get(path).content.decode()
        assert "Sam Okafor" not in page and TOMBSTONE not in page and "erased-" not in page
    assert "Daniel Hughes" in client.get(f"/services/{service}/").content.decode()
    for path in ("", "history/", "evidence/", "everything-held/"):
        assert client.get(f"/people/{sam_past.pk}/{path}").status_code == 404
    # the pages that read saved runs, stored audits and work items still draw, without them
    for path in ("worklist/", "trends/", "audit/?as_of=2018-05-01"):
        page = client.get(f"/governance/services/{service}/{path}")
        assert page.status_code == 200, path
        assert "Okafor" not in page.content.decode()
    inspection = client.get(f"/services/{service}/inspection/")
    assert inspection.status_code == 200
    assert "Okafor" not in inspection.content.decode()
    assert client.get(f"/people/{world['people']['daniel'].pk}/").status_code == 200


def test_an_archive_directory_others_can_read_is_refused(
    world: dict[str, Any], sam_past: Person, tmp_path: Path
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)
    with pytest.raises(KinwiseError) as refused:
        retention_apply(as_of=dt.date(2026, 6, 1), at=AT, archive_dir=shared)
    assert refused.value.message == (
        "the archive directory must be readable by its owner only (chmod 700)"
    )
    assert Person.objects.get(pk=sam_past.pk).erased_at is None
    assert list(shared.iterdir()) == []


def test_the_demo_still_loads_after_a_demo_person_is_erased(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo"]) == 0
    demo_person = Person.objects.order_by("pk").first()
    assert demo_person is not None
    external_id, service_pk = demo_person.external_id, demo_person.service_id
    ended(demo_person, "2010-01-01")
    retention_apply(as_of=dt.date(2026, 6, 1), at=AT, archive_dir=tmp_path / "a")
    capsys.readouterr()
    # the erased person is still the demo's: the demo loads again, their story afresh
    assert main(["demo"]) == 0
    assert capsys.readouterr().err == ""
    again = Person.objects.get(
        service_id=service_pk, external_id=external_id, superseded_at__isnull=True
    )
    assert again.pk != demo_person.pk and again.erased_at is None
    assert Person.objects.get(pk=demo_person.pk).name == TOMBSTONE


# --- the command line and the weekly job ----------------------------------------------------


def test_dry_run_lists_ids_and_the_end_only(
    world: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    sam = ended(world["people"]["sam"], "2018-06-01")
    daniel = ended(world["people"]["daniel"], "2018-06-02")
    assert main(["retention", "--dry-run", "--as-of", "2026-06-01"]) == 0
    out = capsys.readouterr()
    service = world["service"].pk
    assert out.out == (
        f"person {sam.pk} (case-file id sam, service {service}): support ended 2018-06-01\n"
    )
    assert out.err == (
        "kinwise retention: 1 person(s) past the policy of 8 years after support ended, "
        "on 2026-06-01 (nothing changed)\n"
    )
    assert main(["retention", "--dry-run", "--as-of", "2026-06-02"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"person {sam.pk} (case-file id sam, service {service}): support ended 2018-06-01",
        f"person {daniel.pk} (case-file id daniel, service {service}): support ended 2018-06-02",
    ]
    assert Person.objects.filter(erased_at__isnull=False).count() == 0


def test_apply_on_the_command_line(
    world: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sam = ended(world["people"]["sam"], "2018-06-01")
    archive = tmp_path / "kept"
    argv = ["retention", "--apply", "--as-of", "2026-06-01", "--archive", str(archive)]
    assert main(argv) == 0
    out = capsys.readouterr()
    assert out.out == (
        f"person {sam.pk} (case-file id sam, service {world['service'].pk}): support ended "
        f"2018-06-01: erased, archive {archive / f'person-{sam.pk}.json'}\n"
    )
    assert out.err == "kinwise retention: 1 person(s) erased\n"
    assert main(argv) == 0
    assert capsys.readouterr() == ("", "kinwise retention: 0 person(s) erased\n")


@pytest.mark.parametrize("argv", [["retention"], ["retention", "--dry-run", "--apply"]])
def test_a_mode_is_needed(world: dict[str, Any], argv: list[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    assert stopped.value.code == 2


@pytest.mark.parametrize("as_of", ["1 June", "0001-01-01", "2026-02-30"])
def test_a_bad_day_is_exit_2(
    world: dict[str, Any], as_of: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["retention", "--dry-run", "--as-of", as_of]) == 2
    out = capsys.readouterr()
    assert out.out == "" and out.err.startswith("kinwise: ")


def test_the_weekly_job_erases_only_when_the_setting_says(
    world: dict[str, Any], settings: Any, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from kinwise.jobs.tasks import RETENTION_AT, RETENTION_ON, retention_weekly

    assert (dt.time(3, 0), 6) == (RETENTION_AT, RETENTION_ON)  # Sunday 03:00 by default
    settings.KINWISE_ARCHIVE_DIR = tmp_path / "archive"
    sam = ended(world["people"]["sam"], "2018-06-01")
    caplog.set_level(logging.WARNING, logger="kinwise.jobs")
    assert retention_weekly(as_of=dt.date(2026, 6, 1), apply=False) == 1
    assert Person.objects.get(pk=sam.pk).erased_at is None
    assert [r.getMessage() for r in caplog.records if r.name == "kinwise.jobs"] == [
        "retention: 1 person(s) past the policy; not erased (KINWISE_RETENTION_APPLY is off)"
    ]
    assert retention_weekly(as_of=dt.date(2026, 6, 1), apply=True) == 1
    assert Person.objects.get(pk=sam.pk).name == TOMBSTONE
    assert (tmp_path / "archive" / f"person-{sam.pk}.json").is_file()
    assert retention_weekly(as_of=dt.date(2026, 6, 1), apply=True) == 0


def test_the_weekly_job_runs_once_a_sunday(
    world: dict[str, Any], settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kinwise.jobs import tasks

    asked: list[tuple[dt.date, bool]] = []
    monkeypatch.setattr(
        tasks, "retention_weekly", lambda *, as_of, apply: asked.append((as_of, apply)) or 0
    )
    monkeypatch.setattr(tasks, "_today", lambda: dt.date(2026, 6, 7))
    settings.KINWISE_RETENTION_APPLY = True
    tasks.weekly_retention_job()
    tasks.weekly_retention_job()  # another worker's scheduler, the same morning
    assert asked == [(dt.date(2026, 6, 7), True)]
    assert (
        tasks.weekly_retention_job.task_class().validate_datetime(dt.datetime(2026, 6, 7, 2, 0))
        is True
    )
    assert (
        tasks.weekly_retention_job.task_class().validate_datetime(dt.datetime(2026, 6, 7, 3, 0))
        is False
    )
    assert (
        tasks.weekly_retention_job.task_class().validate_datetime(dt.datetime(2026, 6, 8, 2, 0))
        is False
    )
