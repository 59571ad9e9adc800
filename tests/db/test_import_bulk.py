"""The import's bulk writes (docs/adr/0245): one statement per table per batch, whatever
the length of the history, with the values an ORM insert stores; and its progress bar."""

from __future__ import annotations

import datetime as dt
import io
import math
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from kinwise.casefile.kinds import RECORD_KINDS
from kinwise.casefile.load import dump_casefile
from kinwise.cli import main
from kinwise.commands.progress import Progress
from kinwise.core import bulk
from kinwise.core.history import VERSION_COLUMNS
from kinwise.core.models import Organisation, RecordVersion, Service, VersionAction
from kinwise.records.models import Person, Record
from kinwise.records.services import casefile_import
from kinwise.synth.generate import SynthSpec, synth_casefile

AT = dt.datetime(2026, 11, 30, 9, 15, 30, 123456, tzinfo=dt.UTC)


def synth(index: int, years: int) -> object:
    return synth_casefile(
        SynthSpec(people=3, years=years, seed=7, as_of=dt.date(2026, 11, 30)), index
    )


def inserts(queries: list[dict[str, str]], table: str) -> int:
    """Statements that add rows to ``table``: a multi-row INSERT, or on PostgreSQL a COPY."""
    return sum(
        1 for q in queries if q["sql"].startswith((f'INSERT INTO "{table}"', f'COPY "{table}" ('))
    )


def copies(queries: list[dict[str, str]]) -> int:
    return sum(1 for q in queries if q["sql"].startswith("COPY "))


@pytest.mark.django_db
def test_a_new_person_costs_the_same_queries_whatever_the_length_of_the_history(
    riverside: Service,
) -> None:
    # the first import brings the organisation's staff directory; the next ones find it
    casefile_import(casefile=synth(1, 1), service=riverside, actor=None, at=AT)
    counts = []
    records = []
    for index, years in ((2, 1), (3, 4)):
        casefile = synth(index, years)
        with CaptureQueriesContext(connection) as captured:
            result = casefile_import(casefile=casefile, service=riverside, actor=None, at=AT)
        counts.append(len(captured.captured_queries))
        records.append(result.created)
        queries = captured.captured_queries
        assert inserts(queries, "records_record") == 1
        assert inserts(queries, "core_recordversion") == 1
        assert inserts(queries, "records_person") == 1
    assert records == [78, 144]  # four years of history hold nearly twice the records
    # savepoint, the person looked for, created, its records and their versions; the
    # staff directory read, the logins of its new members, they and their versions
    # written; release
    assert counts == [10, 10]


@pytest.mark.django_db
def test_records_beyond_a_batch_take_one_more_statement_per_table_per_batch(
    riverside: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk, "BATCH_ROWS", 25)
    casefile = synth(1, 2)
    with CaptureQueriesContext(connection) as captured:
        result = casefile_import(casefile=casefile, service=riverside, actor=None, at=AT)
    records = Record.objects.filter(person__external_id=result.person_id).count()
    assert records == result.created - 1  # the person's details are versioned, not a record
    queries = captured.captured_queries
    if connection.vendor == "postgresql":
        # COPY streams every row in one statement: no parameters to cap
        assert inserts(queries, "records_record") == 1
        assert inserts(queries, "core_recordversion") == 1
        assert copies(queries) == 2
    else:
        assert inserts(queries, "records_record") == math.ceil(records / 25)
        assert inserts(queries, "core_recordversion") == math.ceil(result.created / 25)
        assert copies(queries) == 0
    assert RecordVersion.objects.filter(person__external_id=result.person_id).count() == (
        result.created
    )


@pytest.mark.django_db
def test_the_bulk_insert_stores_what_the_orm_stores(riverside: Service) -> None:
    person = Person.objects.create(service=riverside, external_id="p", name="P")
    # COPY's text format gives tab, newline and backslash a meaning: they must arrive as sent
    document = {
        "id": "m1",
        "name": "Ann \u00e9 % ? 'q'\tone\ntwo \\N back\\slash",
        "nested": {"a": [1, 2.5, None, True]},
    }
    reason = "moved\tover\nlines \\. end"
    RecordVersion.objects.bulk_create(
        [
            RecordVersion(
                person=person,
                kind="member",
                external_id="orm",
                version=1,
                snapshot=document,
                action=VersionAction.CREATED,
                reason=reason,
                source="import",
                created_at=AT,
            )
        ]
    )
    written = bulk.rows_insert(
        model=RecordVersion,
        fields=VERSION_COLUMNS,
        rows=[(person.pk, "member", "bulk", 1, document, "created", reason, None, "import", AT)],
    )
    assert written == 1
    fields = ("kind", "version", "snapshot", "action", "reason", "actor_id", "source", "created_at")
    orm = RecordVersion.objects.filter(external_id="orm").values(*fields).get()
    fast = RecordVersion.objects.filter(external_id="bulk").values(*fields).get()
    assert fast == orm
    assert fast["created_at"] == AT
    assert fast["snapshot"] == document
    assert fast["reason"] == reason


@pytest.mark.django_db
def test_no_rows_send_no_statement(riverside: Service) -> None:
    with CaptureQueriesContext(connection) as captured:
        written = bulk.rows_insert(model=RecordVersion, fields=("kind",), rows=[])
    assert written == 0
    assert captured.captured_queries == []


def test_a_column_the_bulk_insert_cannot_adapt_is_refused() -> None:
    with pytest.raises(ValueError, match="date_of_birth: DateField is not supported"):
        bulk.rows_insert(model=Person, fields=("date_of_birth",), rows=[])


@pytest.mark.django_db
def test_a_row_with_a_value_too_few_is_refused_and_nothing_is_written(riverside: Service) -> None:
    person = Person.objects.create(service=riverside, external_id="p", name="P")
    good = (person.pk, "member", "a", 1, {"id": "a"}, "created", "", None, "import", AT)
    with pytest.raises(ValueError, match="a row of 9 values for 10 columns"), transaction.atomic():
        bulk.rows_insert(model=RecordVersion, fields=VERSION_COLUMNS, rows=[good, good[:9]])
    assert not RecordVersion.objects.filter(person=person).exists()


@pytest.mark.django_db
def test_an_import_writes_each_record_and_its_first_version(riverside: Service) -> None:
    casefile = synth(2, 1)
    result = casefile_import(casefile=casefile, service=riverside, actor=None, at=AT)
    person = Person.objects.get(external_id=result.person_id)
    stored = {(r.kind, r.key): r for r in Record.objects.filter(person=person)}
    expected = {
        (spec.name, key): (position, spec.snapshot(record))
        for spec in RECORD_KINDS
        for position, (key, record) in enumerate(spec.keyed(casefile))  # type: ignore[arg-type]
    }
    assert {key: (r.position, r.data) for key, r in stored.items()} == expected
    assert {(r.version, r.created_at, r.updated_at, r.superseded_at) for r in stored.values()} == {
        (1, AT, AT, None)
    }
    versions = RecordVersion.objects.filter(person=person).exclude(kind="person")
    assert {(v.kind, v.external_id): v.snapshot for v in versions} == {
        key: data for key, (_, data) in expected.items()
    }
    assert {(v.version, v.action, v.source, v.actor_id, v.created_at) for v in versions} == {
        (1, "created", "import", None, AT)
    }


def test_the_progress_bar_counts_files_and_ends_its_line() -> None:
    stream = io.StringIO()
    progress = Progress(total=4, stream=stream, enabled=True)
    assert progress.text(1, 2.0) == "[=======                       ] 1/4 files, 0.5 a second"
    assert progress.text(4, 0.0) == "[==============================] 4/4 files"
    for _ in range(4):
        progress.step()
    progress.finish()
    assert (
        stream.getvalue()
        .rstrip("\n")
        .rsplit("\r", 1)[1]
        .startswith("[==============================] 4/4 files")
    )
    assert stream.getvalue().endswith("\x1b[K\n")


@pytest.mark.django_db
def test_the_import_shows_progress_on_stderr_only_when_asked_or_on_a_terminal(
    tmp_path: Path, organisation: Organisation, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = []
    for index in (1, 2):
        path = tmp_path / f"p{index}.json"
        path.write_text(dump_casefile(synth(index, 1), fmt="json"), encoding="utf-8")  # type: ignore[arg-type]
        paths.append(str(path))
    assert main(["import", *paths]) == 0
    quiet = capsys.readouterr()
    assert "files" not in quiet.err  # not a terminal, not asked
    assert main(["import", "--progress", *paths]) == 0
    shown = capsys.readouterr()
    assert "2/2 files" in shown.err
    assert shown.err.endswith("\n")
    assert "files" not in shown.out and "\r" not in shown.out
    assert shown.out.splitlines()[0].startswith(f"{paths[0]}: imported person 'p00001'")
