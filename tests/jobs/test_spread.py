"""`kinwise audit --service ID --workers N`: the service's people in chunks audited by the
queue's workers (here in immediate mode: each job runs where it is asked for), giving
the same output as one process."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kinwise.audits.models import AuditSnapshot
from kinwise.commands import audit as audit_command
from kinwise.core.models import Service
from kinwise.governance.models import AuditRun
from kinwise.jobs import spread, tasks
from kinwise.jobs.spread import audit_chunk, audit_chunks_plan
from kinwise.records.models import Person
from tests.jobs.conftest import AS_OF

Cli = Callable[..., tuple[int, str, str]]


def pks(service: Service) -> list[int]:
    return list(
        Person.objects.filter(service=service, superseded_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def test_chunks_are_consecutive_people_as_even_as_can_be(
    populate: Callable[..., Service], django_assert_num_queries: Callable[..., object]
) -> None:
    service = populate("seven", people=7)
    people = pks(service)
    with django_assert_num_queries(1):  # type: ignore[attr-defined]
        plan = audit_chunks_plan(service=service, chunks=3)
    assert [(c.first_pk, c.last_pk, c.people) for c in plan] == [
        (people[0], people[2], 3),
        (people[3], people[4], 2),
        (people[5], people[6], 2),
    ]
    assert {c.service_pk for c in plan} == {service.pk}
    # never more chunks than people; at least as many as asked for
    assert [c.people for c in audit_chunks_plan(service=service, chunks=20)] == [1] * 7
    assert [c.people for c in audit_chunks_plan(service=service, chunks=1)] == [7]


def test_a_chunk_holds_at_most_chunk_most_people(
    populate: Callable[..., Service], monkeypatch: pytest.MonkeyPatch
) -> None:
    service = populate("seven", people=7)
    monkeypatch.setattr(spread, "CHUNK_MOST", 2)
    assert [c.people for c in audit_chunks_plan(service=service, chunks=1)] == [2, 2, 2, 1]
    assert [c.people for c in audit_chunks_plan(service=service, chunks=5)] == [2, 2, 1, 1, 1]


def test_a_service_with_no_people_has_no_chunks(populate: Callable[..., Service]) -> None:
    service = populate("empty", people=0)
    assert audit_chunks_plan(service=service, chunks=4) == []


def test_a_chunk_reads_a_fixed_number_of_statements_however_many_people(
    populate: Callable[..., Service],
) -> None:
    """The chunk streams its case files as the one-process audit does: one statement per
    table, whatever the chunk's size (memory holds one person's records at a time)."""
    service = populate("six", people=6)
    people = pks(service)
    counts = []
    for last in (people[1], people[5]):
        with CaptureQueriesContext(connection) as captured:
            rows = audit_chunk(
                service_pk=service.pk,
                first_pk=people[0],
                last_pk=last,
                as_of=AS_OF,
                since=AS_OF.replace(year=AS_OF.year - 1),
            )
        counts.append(len(captured.captured_queries))
        assert [pk for _, pk, _ in rows] == [p for p in people if p <= last]
    assert counts[0] == counts[1]


@pytest.mark.parametrize("workers", ["1", "2", "5"])
@pytest.mark.parametrize("fmt", ["json", "text"])
def test_workers_give_the_same_output_as_one_process(
    populate: Callable[..., Service], cli: Cli, workers: str, fmt: str
) -> None:
    populate("syn", people=9, seed=11)
    common = ["audit", "--service", "syn", "--as-of", AS_OF.isoformat(), "--format", fmt]
    code, one, err = cli(*common)
    assert (code, err) == (0, "")
    code, spread_out, err = cli(*common, "--workers", workers)
    assert (code, err) == (0, "")
    assert spread_out == one
    assert one.count("p0000") >= 9


def test_the_order_is_by_case_file_id_even_when_ids_and_database_order_differ(
    populate: Callable[..., Service], cli: Cli
) -> None:
    service = populate("syn", people=5, seed=2)
    # give the first stored people the last ids: database order is no longer id order
    for index, person in enumerate(Person.objects.filter(service=service).order_by("pk")):
        Person.objects.filter(pk=person.pk).update(external_id=f"z{9 - index}")
    common = ["audit", "--service", "syn", "--as-of", AS_OF.isoformat()]
    one = cli(*common)[1]
    assert cli(*common, "--workers", "5")[1] == one
    assert one.index('"z5"') < one.index('"z9"')


def test_a_saved_spread_run_is_one_run_with_everyone(
    populate: Callable[..., Service], cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = populate("syn", people=6)
    monkeypatch.setattr(audit_command, "_today", lambda: AS_OF)
    monkeypatch.setattr(spread, "CHUNK_MOST", 2)
    assert cli("audit", "--service", "syn", "--save")[0] == 0
    assert cli("audit", "--service", "syn", "--save", "--workers", "2")[0] == 0
    one, spread_run = AuditRun.objects.filter(service=service).order_by("id")
    assert spread_run.person is None
    assert len(spread_run.findings) == 6
    assert spread_run.findings == one.findings
    assert (spread_run.as_of, spread_run.since) == (one.as_of, one.since)
    # as the nightly run today: the dashboard's audits of the day are stored
    assert AuditSnapshot.objects.filter(person__service=service, as_of=AS_OF).count() == 6


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--person", "p00001", "--workers", "2"], "--workers spreads the audit of a --service"),
        (["--service", "syn", "--workers", "0"], "--workers must be between 1 and 64"),
        (["--service", "syn", "--workers", "65"], "--workers must be between 1 and 64"),
        (["--service", "nowhere", "--workers", "2"], "no service with id 'nowhere'"),
    ],
)
def test_bad_uses_of_workers_are_usage_errors(
    populate: Callable[..., Service], cli: Cli, argv: list[str], message: str
) -> None:
    populate("syn", people=1)
    code, out, err = cli("audit", *argv)
    assert (code, out, err) == (2, "", f"kinwise: {message}\n")


def test_workers_with_case_files_is_a_usage_error(cli: Cli, casefiles_dir: object) -> None:
    code, out, err = cli(
        "audit", "--case", f"{casefiles_dir}/01-risk-and-independence.yaml", "--workers", "2"
    )
    assert (code, out, err) == (2, "", "kinwise: --workers spreads the audit of a --service\n")


def test_a_chunk_that_fails_in_a_worker_fails_the_audit_with_nothing_printed(
    populate: Callable[..., Service], cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    populate("syn", people=3)

    def broken(**kwargs: object) -> None:
        raise RuntimeError("disk gone")

    monkeypatch.setattr(tasks, "audit_chunk", broken)
    code, out, err = cli("audit", "--service", "syn", "--workers", "2")
    assert (code, out) == (2, "")
    assert err == "kinwise: a part of the audit failed in a worker (the worker's log says why)\n"
