"""One database's measurements for ``bench/run.py`` (run as a child process per database).

The database is the one ``KINWISE_DATABASE_URL`` (or ``KINWISE_VAR_DIR`` for SQLite)
names; it must be empty and disposable. Prints one JSON object on stdout.

Phases (``--phase``):
- ``all``: migrate; import the synthetic population (throughput); the audits, each in a
  fresh child process so that its peak memory is its own, each beside the plain read of
  its rows; the pages at 1 and 10 years of history with the Django test client; 20
  concurrent users against ``kinwise serve``; the service pages at N people after the
  nightly job; the audit of ``--spread-people`` by 1 and 2 workers; the import of files
  against validating them and a plain bulk insert. Every row of the other phases.
- ``audit``: one audit (``--scope service|organisation|files``), timed, with peak memory.
- ``supervision``: only service a's dashboard and supervision list (``--people`` people).
- ``import``: only ``kinwise import`` of ``--import-people`` synthetic files, the time to
  validate the same files without writing, and a plain bulk insert of the same rows and
  versions (rolled back), in one run (also the last part of ``all``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import resource
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from http.client import HTTPConnection
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ORG = "bench"
SEED = 20261130
PAGE_SECTIONS = ("person", "voice", "meetings", "risk", "capacity", "findings")


def _setup() -> None:
    sys.path.insert(0, str(HERE))  # for bench_urls
    from kinwise.config.bootstrap import setup_django

    setup_django()


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


# --- audit (child process) -------------------------------------------------------------


def phase_audit(args: argparse.Namespace) -> dict[str, Any]:
    _setup()
    from kinwise.casefile.load import load_casefile
    from kinwise.records.selectors import documents_map
    from kinwise.rules.audit import audit_casefile, audit_documents, default_since

    as_of = dt.date.fromisoformat(args.as_of)
    since = default_since(as_of)
    start = time.perf_counter()
    if args.scope == "files":
        paths = sorted(Path(args.files).iterdir())
        findings = 0
        for path in paths:
            findings += len(audit_casefile(load_casefile(path), as_of=as_of, since=since).findings)
        people = len(paths)
    else:
        # as `kinwise audit --service` (or the whole organisation) reads and audits
        # (kinwise.jobs.nightly.audits_measured): the stored documents, no records built
        counts = documents_map(
            service=args.service if args.scope == "service" else None,
            person=None,
            organisation=ORG,
            each=lambda d: len(audit_documents(d, as_of=as_of, since=since).findings),
        )
        findings = sum(counts)
        people = len(counts)
    seconds = time.perf_counter() - start
    out = {"people": people, "seconds": seconds, "findings": findings, "peak_mb": _peak_mb()}
    if args.scope != "files":
        # the same rows read with one plain statement per table, in the same process
        reads = [_plain_read(args.service if args.scope == "service" else None) for _ in range(3)]
        out["read_seconds"] = statistics.median(seconds for seconds, _ in reads)
        out["read_rows"] = reads[0][1]
    return out


def _plain_read(service: str | None) -> tuple[float, int]:
    """Seconds to read every row the audit reads (the people, their current records) with
    one plain ``SELECT`` per table, every row fetched, nothing built: the floor the
    audit's time is compared with ("audit vs plain read")."""
    from django.db import connection, transaction

    from kinwise.records.models import Person, Record

    people = Person.objects.filter(superseded_at__isnull=True, service__organisation__slug=ORG)
    if service is not None:
        people = people.filter(service__external_id=service)
    pks = people.values("pk")
    person_sql, person_params = people.values_list(
        *(f.attname for f in Person._meta.concrete_fields)
    ).query.sql_with_params()
    record_sql, record_params = (
        Record.objects.filter(superseded_at__isnull=True, person__in=pks)
        .values_list(*(f.attname for f in Record._meta.concrete_fields))
        .query.sql_with_params()
    )
    rows = 0
    begin = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for sql, params in ((person_sql, person_params), (record_sql, record_params)):
            cursor.execute(sql, params)
            rows += len(cursor.fetchall())
    return time.perf_counter() - begin, rows


AUDIT_RUNS = 3
# the synthetic people of the small service the pages' process serves first (numbered
# after every other population of a run)
SMALL_FIRST = 900_001


def _median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run of median time, with every run's seconds beside it."""
    ordered = sorted(runs, key=lambda run: run["seconds"])
    return {**ordered[len(ordered) // 2], "runs": [run["seconds"] for run in runs]}


def _audit_child(scope: str, as_of: dt.date, **extra: str) -> dict[str, Any]:
    argv = [sys.executable, str(Path(__file__)), "--phase", "audit", "--scope", scope]
    argv += ["--as-of", as_of.isoformat()]
    for key, value in extra.items():
        argv += [f"--{key}", value]
    done = subprocess.run(argv, capture_output=True, text=True, check=True, timeout=3600)
    result: dict[str, Any] = json.loads(done.stdout)
    return result


# --- everything (parent) ---------------------------------------------------------------


def phase_all(args: argparse.Namespace) -> dict[str, Any]:
    _setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from kinwise import clock
    from kinwise.core.services import organisation_ensure, service_ensure
    from kinwise.records.services import casefile_import
    from kinwise.synth.generate import SynthSpec, synth_casefile

    as_of = clock.today()  # the pages judge at today's date: the history ends today
    call_command("migrate", verbosity=0)
    organisation = organisation_ensure(slug=ORG, name="Bench Care")
    out: dict[str, Any] = {"vendor": connection.vendor, "as_of": as_of.isoformat()}

    def load(service_id: str, people: int, years: int, first: int = 1) -> tuple[int, float]:
        """Import people ``first``..``first+people-1``; (people, seconds spent importing)."""
        spec = SynthSpec(people=first + people - 1, years=years, seed=SEED, as_of=as_of)
        service = service_ensure(
            organisation=organisation, external_id=service_id, name=f"Bench {service_id}"
        )
        spent = 0.0
        batch: list[Any] = []

        def flush() -> float:
            begin = time.perf_counter()
            with transaction.atomic():
                for casefile in batch:
                    casefile_import(casefile=casefile, service=service, actor=None, source="bench")
            batch.clear()
            return time.perf_counter() - begin

        for index in range(first, first + people):
            batch.append(synth_casefile(spec, index))
            if len(batch) == 50:
                spent += flush()
        spent += flush()
        return people, spent

    # 1. import: N people into service a, N more into service b (the organisation is 2N)
    n, years = args.people, args.years
    a_people, a_time = load("a", n, years)
    b_people, b_time = load("b", n, years, first=n + 1)
    out["import"] = {"people": a_people + b_people, "seconds": a_time + b_time}
    log(f"imported {2 * n} people x {years} years in {a_time + b_time:.1f}s")
    _analyze()

    # 2. audits from the database at N and 2N, and from case files (each in a fresh process)
    # N and 2N alternately, three times each; the median run of each is reported (one
    # run of a few seconds moves with whatever else the machine does meanwhile)
    runs_n: list[dict[str, Any]] = []
    runs_2n: list[dict[str, Any]] = []
    for _ in range(AUDIT_RUNS):
        runs_n.append(_audit_child("service", as_of, service="a"))
        runs_2n.append(_audit_child("organisation", as_of))
    out["audit_n"] = _median_run(runs_n)
    out["audit_2n"] = _median_run(runs_2n)
    files = Path(args.workdir) / "casefiles"
    _write_files(SynthSpec(people=n, years=years, seed=SEED, as_of=as_of), files, args.yaml_people)
    out["audit_files_json"] = _audit_child("files", as_of, files=str(files / "json"))
    out["audit_files_yaml"] = _audit_child("files", as_of, files=str(files / "yaml"))
    log("audits done")

    # 3. pages at 1 and 10 years of history: the same people
    p = args.page_people
    load("h1", p, 1)
    load("h10", p, 10)
    _analyze()
    log("page populations imported")
    out["pages"] = _pages(as_of, args.page_requests)
    log("pages done")

    # 4. concurrent users against the served application: each with a caseload, then
    # each opening any person of the service
    out.update(_users(args))

    # 5. the service pages at N people (service a), after the nightly job's work
    out["sized"] = _sized_pages(args)

    # 6. a service of --spread-people audited by 1 and then 2 worker processes
    if args.spread_people > 0:
        out["spread"] = _spread_measured(args, as_of, first=2 * n + 1)

    # 7. import of files against validating them and a plain bulk insert (its own
    # organisation, after everything else: nothing above counts its people)
    out["import_files"] = _import_measure(args, as_of)
    return out


def phase_supervision(args: argparse.Namespace) -> dict[str, Any]:
    """Only the supervision row: N people into service a, then its dashboard and its
    supervision list, warm, in the same run (``bench/run.py --only supervision``)."""
    _setup()
    from django.core.management import call_command
    from django.db import transaction
    from django.test.utils import override_settings

    from kinwise import clock
    from kinwise.core.services import organisation_ensure, service_ensure
    from kinwise.records.services import casefile_import
    from kinwise.synth.generate import SynthSpec, synth_casefile

    as_of = clock.today()
    call_command("migrate", verbosity=0)
    organisation = organisation_ensure(slug=ORG, name="Bench Care")
    service = service_ensure(organisation=organisation, external_id="a", name="Bench a")
    spec = SynthSpec(people=args.people, years=args.years, seed=SEED, as_of=as_of)
    begin = time.perf_counter()
    for first in range(1, args.people + 1, 50):
        with transaction.atomic():
            for index in range(first, min(first + 50, args.people + 1)):
                casefile_import(
                    casefile=synth_casefile(spec, index),
                    service=service,
                    actor=None,
                    source="bench",
                )
    log(f"imported {args.people} people x {args.years} years in {time.perf_counter() - begin:.1f}s")
    _analyze()
    client = _client_for(["a"])
    with override_settings(ROOT_URLCONF="bench_urls"):
        page = _supervision_page(client, args.page_requests)
    log("supervision done")
    return {"pages": {"a": page}}


def _analyze() -> None:
    """Refresh the planner's statistics after a bulk load, as autovacuum (PostgreSQL) or a
    scheduled ANALYZE (SQLite) does in service: without them the first queries after an
    import measure the planner's guesses, not the application."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# --- import against its limits ---------------------------------------------------------

IMPORT_ORG = "bench-import"


def _import_files(root: Path, people: int, years: int, as_of: dt.date) -> list[Path]:
    """``people`` synthetic case files (JSON, as the bench's audit reads them)."""
    from kinwise.casefile.load import dump_casefile
    from kinwise.synth.generate import SynthSpec, synth_population

    root.mkdir(parents=True, exist_ok=True)
    paths = []
    spec = SynthSpec(people=people, years=years, seed=SEED + 1, as_of=as_of)
    for casefile in synth_population(spec):
        path = root / f"{casefile.person.id}.json"
        path.write_text(dump_casefile(casefile, fmt="json"))
        paths.append(path)
    return paths


def _validate_files(paths: list[Path]) -> tuple[list[Any], float]:
    """What ``kinwise import`` does to each file before it writes (read, parse, validate,
    the export stamp, the storage limits), timed; the case files."""
    from kinwise.casefile.limits import decode_text, read_limited, storage_errors
    from kinwise.casefile.load import parse_casefile
    from kinwise.casefile.stamp import file_stamp

    begin = time.perf_counter()
    casefiles = []
    for path in paths:
        text = decode_text(read_limited(path), name=str(path))
        casefile = parse_casefile(text, name=str(path))
        file_stamp(text, casefile, name=str(path))
        if storage_errors(casefile.model_dump(mode="json")):
            raise RuntimeError("a synthetic file is longer than the database stores")
        casefiles.append(casefile)
    return casefiles, time.perf_counter() - begin


def _plain_insert(casefiles: list[Any], service: Any) -> tuple[float, dict[str, int]]:
    """The limit: the same people, records and first versions as the import writes, by
    ``bulk_create`` into the same tables (1,000 rows a statement), rolled back. The
    documents are made before the clock starts (the import's comparison of them is its
    own cost); the model instances and the inserts are timed."""
    from django.db import transaction
    from django.utils import timezone

    from kinwise.casefile.kinds import PERSON_KIND, RECORD_KINDS, person_columns, person_snapshot
    from kinwise.core.models import RecordVersion, VersionAction
    from kinwise.records.models import Person, Record

    now = timezone.now()
    prepared = []
    for casefile in casefiles:
        records = [
            (spec.name, name, position, spec.snapshot(record))
            for spec in RECORD_KINDS
            for position, (name, record) in enumerate(spec.keyed(casefile))
        ]
        prepared.append((casefile, person_snapshot(casefile.person), records))
    counts = {"people": 0, "records": 0, "versions": 0}
    begin = time.perf_counter()
    with transaction.atomic():
        for first in range(0, len(prepared), 50):
            chunk = prepared[first : first + 50]
            people = Person.objects.bulk_create(
                [
                    Person(
                        service=service, created_at=now, updated_at=now, **person_columns(cf.person)
                    )
                    for cf, _, _ in chunk
                ]
            )
            rows, versions = [], []
            for person, (cf, snapshot, records) in zip(people, chunk, strict=True):
                versions.append(
                    RecordVersion(
                        person_id=person.pk,
                        kind=PERSON_KIND,
                        external_id=cf.person.id,
                        version=1,
                        snapshot=snapshot,
                        action=VersionAction.CREATED,
                        source="bench",
                        created_at=now,
                    )
                )
                for kind, key, position, data in records:
                    rows.append(
                        Record(
                            person_id=person.pk,
                            kind=kind,
                            key=key,
                            position=position,
                            version=1,
                            data=data,
                            created_at=now,
                            updated_at=now,
                        )
                    )
                    versions.append(
                        RecordVersion(
                            person_id=person.pk,
                            kind=kind,
                            external_id=key,
                            version=1,
                            snapshot=data,
                            action=VersionAction.CREATED,
                            source="bench",
                            created_at=now,
                        )
                    )
            Record.objects.bulk_create(rows, batch_size=1000)
            RecordVersion.objects.bulk_create(versions, batch_size=1000)
            counts["people"] += len(people)
            counts["records"] += len(rows)
            counts["versions"] += len(versions)
        seconds = time.perf_counter() - begin
        transaction.set_rollback(True)
    return seconds, counts


def _import_measure(args: argparse.Namespace, as_of: dt.date) -> dict[str, Any]:
    """``kinwise import`` of ``--import-people`` files, its validation alone, and a plain
    bulk insert of the same rows, in one run (the row "import vs validate + bulk insert")."""
    import contextlib
    import io

    from kinwise.cli import main as kinwise_main
    from kinwise.core.services import organisation_ensure, service_ensure
    from kinwise.records.models import Person

    paths = _import_files(Path(args.workdir) / "import", args.import_people, args.years, as_of)
    organisation = organisation_ensure(slug=IMPORT_ORG, name="Bench Import")
    casefiles, validate = _validate_files(paths)
    service = service_ensure(organisation=organisation, external_id="synth", name="Synthetic")
    insert, counts = _plain_insert(casefiles, service)
    # the command's modules loaded before the clock starts (start-up is not the import)
    import kinwise.access.command_line
    import kinwise.commands.import_
    import kinwise.jobs.tasks  # noqa: F401

    out = io.StringIO()
    begin = time.perf_counter()
    with contextlib.redirect_stdout(out):
        code = kinwise_main(["import", "--organisation", IMPORT_ORG, *map(str, paths)])
    imported = time.perf_counter() - begin
    if code != 0:
        raise RuntimeError(f"kinwise import exited {code}")
    people = Person.objects.filter(service__organisation=organisation).count()
    log(
        f"import {people} files {imported:.1f}s; validate {validate:.1f}s; "
        f"plain insert {insert:.1f}s ({counts['records']} records, {counts['versions']} versions)"
    )
    return {
        "people": people,
        "seconds": imported,
        "validate_seconds": validate,
        "insert_seconds": insert,
        **counts,
    }


def phase_import(args: argparse.Namespace) -> dict[str, Any]:
    """``--only import``: migrate, then :func:`_import_measure` alone."""
    _setup()
    from django.core.management import call_command
    from django.db import connection

    from kinwise import clock

    call_command("migrate", verbosity=0)
    return {
        "vendor": connection.vendor,
        "import_files": _import_measure(args, clock.today()),
    }


def _write_files(spec: Any, root: Path, yaml_people: int) -> None:
    from kinwise.casefile.load import dump_casefile
    from kinwise.synth.files import casefile_yaml
    from kinwise.synth.generate import synth_population

    (root / "json").mkdir(parents=True, exist_ok=True)
    (root / "yaml").mkdir(parents=True, exist_ok=True)
    for index, casefile in enumerate(synth_population(spec)):
        name = casefile.person.id
        (root / "json" / f"{name}.json").write_text(dump_casefile(casefile, fmt="json"))
        if index < yaml_people:
            (root / "yaml" / f"{name}.yaml").write_text(casefile_yaml(casefile))


def _client_for(service_ids: list[str]) -> Any:
    from django.test import Client

    from kinwise.accounts.sessions import SECOND_FACTOR
    from kinwise.core.models import Service, StaffRole
    from kinwise.core.services import staff_user_ensure

    user = None
    for service in Service.objects.filter(organisation__slug=ORG, external_id__in=service_ids):
        user = staff_user_ensure(
            username="bench-manager",
            password="bench-password-not-secret",
            service=service,
            role=StaffRole.REGISTERED_MANAGER,
        )
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    # the bench measures the pages, not the second factor a manager's sign-in owes: the
    # session is one whose code was given (as after the two-step page)
    session = client.session
    session.pop(SECOND_FACTOR, None)
    session.save()
    return client


def _timed(client: Any, url: str, repeat: int) -> tuple[list[float], int]:
    times, queries, _ = _timed_cold(client, url, repeat)
    return times, queries


def _timed_cold(client: Any, url: str, repeat: int) -> tuple[list[float], int, float]:
    """Timed requests after a first one (which warms the caches and, for the dashboard,
    stores the audits of the day): (times in ms, queries of a warm request, first in ms).

    Each timed request, the first included, starts with the garbage collector's debts
    paid (``gc.collect()``, not timed), as a served worker's do after
    ``settle_before_fork``: otherwise a full collection owed by the bench's own earlier
    work (importing hundreds of people into this process) lands in one page's sample. A
    request still pays for every collection its own objects set off."""
    import gc

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    gc.collect()
    begin = time.perf_counter()
    client.get(url)  # warm
    cold = (time.perf_counter() - begin) * 1000
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code} {response.get('Location', '')}")
    queries = len(captured.captured_queries)  # now: the next request clears the log
    times = []
    for _ in range(repeat):
        gc.collect()
        begin = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - begin) * 1000)
    return times, queries, cold


def _pages(as_of: dt.date, repeat: int) -> dict[str, Any]:
    from django.test.utils import override_settings
    from django.urls import reverse

    from kinwise.core.models import Service
    from kinwise.records.models import Person

    result: dict[str, Any] = {}
    client = _client_for(["a", "h1", "h10"])
    with override_settings(ROOT_URLCONF="bench_urls"):
        for service_id in ("h1", "h10"):
            service = Service.objects.get(organisation__slug=ORG, external_id=service_id)
            people = list(Person.objects.filter(service=service).order_by("external_id"))
            person_times: list[float] = []
            minimal_times: list[float] = []
            queries = minimal_queries = 0
            for person in people:
                times, queries = _timed(
                    client, reverse("web:person", kwargs={"person_pk": person.pk}), repeat
                )
                person_times += times
                times, minimal_queries = _timed(
                    client, reverse("bench_minimal", kwargs={"person_pk": person.pk}), repeat
                )
                minimal_times += times
            dash_times, dash_queries = _timed(
                client, reverse("web:service", kwargs={"service_pk": service.pk}), repeat
            )
            edit_times, edit_queries = _web_edits(people, repeat)
            result[service_id] = {
                "people": len(people),
                "edit": _summary(edit_times, edit_queries),
                "person": _summary(person_times, queries),
                "minimal": _summary(minimal_times, minimal_queries),
                "dashboard": _summary(dash_times, dash_queries),
            }
        result["a"] = _supervision_page(client, repeat)
    return result


def _supervision_page(client: Any, repeat: int) -> dict[str, Any]:
    """Service a's dashboard and its supervision list, warm, in the same run."""
    from django.urls import reverse

    from kinwise.core.models import Service
    from kinwise.records.models import Person

    service = Service.objects.get(organisation__slug=ORG, external_id="a")
    dash_times, dash_queries, cold = _timed_cold(
        client, reverse("web:service", kwargs={"service_pk": service.pk}), max(5, repeat)
    )
    # the one-query page, in the same run: the unit of the dashboard's limit
    first = Person.objects.filter(service=service).order_by("external_id").first()
    assert first is not None
    minimal_times, minimal_queries = _timed(
        client, reverse("bench_minimal", kwargs={"person_pk": first.pk}), max(5, repeat)
    )
    # supervision of the same service, warm, measured the same way: its cost is a
    # ratio to the dashboard's in this run; one row per real member of staff
    supervision_url = reverse("governance:supervision", kwargs={"service_pk": service.pk})
    sup_times, sup_queries = _timed(client, supervision_url, max(5, repeat))
    listed = re.findall(
        r"supervision/staff/\?member=([\w.-]+)", client.get(supervision_url).content.decode()
    )
    return {
        "people": Person.objects.filter(service=service).count(),
        "dashboard": {**_summary(dash_times, dash_queries), "cold": cold},
        "minimal": _summary(minimal_times, minimal_queries),
        "supervision": {
            **_summary(sup_times, sup_queries),
            "rows": len(listed),
            "staff": len(set(listed)),
            "circle_copies": _circle_staff_copies(service),
        },
    }


def _circle_staff_copies(service: Any) -> int:
    """How many circle members of kind staff the service's current people have (what a
    list of every circle's copy would show)."""
    from kinwise.records.models import Record

    return Record.objects.filter(
        person__service=service,
        person__superseded_at__isnull=True,
        kind="member",
        superseded_at__isnull=True,
        data__kind="staff",
    ).count()


def _web_edits(people: list[Any], repeat: int) -> tuple[list[float], int]:
    """One web save (a view changed, as the voice form saves it) per person and round:
    its milliseconds and queries, the save service alone (the page around it is measured
    by the person page rows)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kinwise.records.models import Record
    from kinwise.records.services import edits

    times: list[float] = []
    queries = 0
    for person in people:
        for round_ in range(repeat):
            row = Record.objects.filter(person=person, kind="voice", superseded_at=None)[0]
            record = {**row.data, "summary": f"{row.data['summary']} ({round_})"}
            begin = time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                edits.record_save(
                    person=person,
                    kind="voice",
                    record=record,
                    actor=None,
                    original_key=row.key,
                    based_on=row.version,
                )
            times.append((time.perf_counter() - begin) * 1000)
            queries = len(captured.captured_queries)
    return times, queries


def _summary(times: list[float], queries: int) -> dict[str, Any]:
    return {
        "p50": statistics.median(times),
        "p95": _pct(times, 0.95),
        "n": len(times),
        "queries": queries,
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _concurrent(
    users: int,
    duration: float,
    workers: int,
    threads: int,
    caseload: int | None,
    warmup: float,
) -> dict[str, Any]:
    """``users`` threads, each a logged-in member of staff opening person pages with no
    pause between them for ``duration`` seconds against ``kinwise serve`` (gunicorn,
    ``workers`` processes of ``threads`` threads) on loopback.

    With ``caseload``, each user works with their own ``caseload`` people of the service
    (a support worker's or a team leader's people; the users' caseloads are distinct), as
    staff do; with None, each request is about any person of the service, so nearly
    every page is built afresh (nothing kept applies). Requests that start in the first
    ``warmup`` seconds are not counted."""
    from kinwise.core.models import Service
    from kinwise.records.models import Person

    client = _client_for(["a"])
    from django.conf import settings

    name = settings.SESSION_COOKIE_NAME  # the served application's own cookie
    cookie = f"{name}={client.cookies[name].value}"
    service = Service.objects.get(organisation__slug=ORG, external_id="a")
    person_pks = list(Person.objects.filter(service=service).values_list("pk", flat=True))
    port = _free_port()
    env = dict(os.environ, KINWISE_DEBUG="0")  # the same KINWISE_SECRET_KEY as this process
    env.pop("DJANGO_SETTINGS_MODULE", None)
    kinwise = Path(sys.executable).with_name("kinwise")
    server = subprocess.Popen(
        [
            str(kinwise),
            "serve",
            "--addr",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(port, server)

        def warm(number: int) -> int:
            connection = HTTPConnection("127.0.0.1", port, timeout=60)
            section = PAGE_SECTIONS[number % len(PAGE_SECTIONS)]
            path = f"/people/{person_pks[0]}/" + ("" if section == "person" else f"{section}/")
            connection.request("GET", path, headers={"Cookie": cookie})
            response = connection.getresponse()
            response.read()
            connection.close()
            return response.status

        # every worker's first requests load templates: warm them all, each section once
        with ThreadPoolExecutor(max_workers=workers * threads) as pool:
            warm_statuses = set(pool.map(warm, range(2 * workers * threads)))
        if warm_statuses != {200}:
            raise RuntimeError(f"the served person pages answered {sorted(warm_statuses)}")
        latencies: list[float] = []
        failures = 0
        statuses: dict[str, int] = {}
        lock = threading.Lock()
        # the same users for ``warmup`` seconds first, not counted: the steady state of a
        # working day, where staff come back to pages already built
        counted_from = time.monotonic() + warmup
        deadline = counted_from + duration

        def user(number: int) -> None:
            nonlocal failures
            rng = random.Random(number)
            mine = person_pks
            if caseload is not None:
                first = (number * caseload) % len(person_pks)
                mine = (person_pks + person_pks)[first : first + caseload]
            connection = HTTPConnection("127.0.0.1", port, timeout=30)
            while time.monotonic() < deadline:
                section = rng.choice(PAGE_SECTIONS)
                pk = rng.choice(mine)
                path = f"/people/{pk}/" if section == "person" else f"/people/{pk}/{section}/"
                begin = time.perf_counter()
                try:
                    connection.request("GET", path, headers={"Cookie": cookie})
                    response = connection.getresponse()
                    response.read()
                    ok = response.status == 200
                    if response.getheader("Connection", "").lower() == "close":
                        connection.close()
                    status = str(response.status)
                except OSError as exc:
                    ok = False
                    status = type(exc).__name__
                    connection.close()
                elapsed = (time.perf_counter() - begin) * 1000
                if time.monotonic() - elapsed / 1000 < counted_from:
                    continue
                with lock:
                    statuses[status] = statuses.get(status, 0) + 1
                    if ok:
                        latencies.append(elapsed)
                    else:
                        failures += 1
            connection.close()

        with ThreadPoolExecutor(max_workers=users) as pool:
            list(pool.map(user, range(users)))
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
    return {
        "users": users,
        "caseload": caseload,
        "workers": workers,
        "threads": threads,
        "seconds": duration,
        "warmup": warmup,
        "requests": len(latencies),
        "failures": failures,
        "statuses": statuses,
        "p50": statistics.median(latencies) if latencies else float("nan"),
        "p95": _pct(latencies, 0.95),
    }


def _wait_for(port: int, server: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("kinwise serve exited before it answered")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("kinwise serve did not start")


# --- issue 17's rows alone: ``--only audit`` and ``--only pages`` ------------------------


def _import_people(service_id: str, people: int, years: int, first: int = 1) -> float:
    """Import synthetic people ``first``..``first+people-1`` into a service of the bench
    organisation, 50 to a transaction; the seconds spent importing."""
    from django.db import transaction

    from kinwise import clock
    from kinwise.core.services import organisation_ensure, service_ensure
    from kinwise.records.services import casefile_import
    from kinwise.synth.generate import SynthSpec, synth_casefile

    organisation = organisation_ensure(slug=ORG, name="Bench Care")
    service = service_ensure(
        organisation=organisation, external_id=service_id, name=f"Bench {service_id}"
    )
    spec = SynthSpec(people=first + people - 1, years=years, seed=SEED, as_of=clock.today())
    spent = 0.0
    last = first + people
    for start in range(first, last, 50):
        # each batch's files are generated before its clock starts: the time is the
        # import's alone, as the figure the target was set from (generating a synthetic
        # file is not importing it)
        batch = [synth_casefile(spec, index) for index in range(start, min(start + 50, last))]
        begin = time.perf_counter()
        with transaction.atomic():
            for casefile in batch:
                casefile_import(casefile=casefile, service=service, actor=None, source="bench")
        spent += time.perf_counter() - begin
    return spent


def phase_audits(args: argparse.Namespace) -> dict[str, Any]:
    """The audit rows alone (``bench/run.py --only audit``): N people in service a and N
    in b; the audits at N and 2N (three runs each, alternately, each in its own process,
    each with the plain read of its rows beside it); then a service of ``--spread-people``
    audited by the queue's workers, one worker process and then two, started beforehand."""
    _setup()
    from django.core.management import call_command

    from kinwise import clock

    as_of = clock.today()
    call_command("migrate", verbosity=0)
    n, years = args.people, args.years
    spent = _import_people("a", n, years) + _import_people("b", n, years, first=n + 1)
    log(f"imported {2 * n} people x {years} years in {spent:.1f}s")
    _analyze()
    runs_n: list[dict[str, Any]] = []
    runs_2n: list[dict[str, Any]] = []
    for _ in range(AUDIT_RUNS):
        runs_n.append(_audit_child("service", as_of, service="a"))
        runs_2n.append(_audit_child("organisation", as_of))
    out: dict[str, Any] = {
        "import": {"people": 2 * n, "seconds": spent},
        "audit_n": _median_run(runs_n),
        "audit_2n": _median_run(runs_2n),
    }
    log("audits done")
    if args.spread_people > 0:
        out["spread"] = _spread_measured(args, as_of, first=2 * n + 1)
    return out


def _users(args: argparse.Namespace) -> dict[str, Any]:
    """The users on their caseloads, then the same users on any person of service a."""
    out = {
        "concurrent": _concurrent(
            args.users,
            args.duration,
            args.server_workers,
            args.server_threads,
            args.caseload,
            args.warmup,
        ),
        "concurrent_any": _concurrent(
            args.users, args.duration, args.server_workers, args.server_threads, None, 0.0
        ),
    }
    log("concurrency done")
    return out


def _spread_measured(args: argparse.Namespace, as_of: dt.date, *, first: int) -> dict[str, Any]:
    """Service w of ``--spread-people`` imported (numbered from ``first``), then
    :func:`_spread`."""
    spent = _import_people("w", args.spread_people, args.spread_years, first=first)
    log(f"imported {args.spread_people} people x {args.spread_years} years in {spent:.1f}s")
    _analyze()
    out = _spread(as_of, args.workdir)
    log("spread audits done")
    return out


def _spread(as_of: dt.date, workdir: str) -> dict[str, Any]:
    """Service w audited by ``kinwise audit --service w --workers 2`` (the same chunks
    each time) against a worker of one process, then of two, each started (and given a
    first small job) before the timed audits: the median of three runs each."""
    from kinwise.jobs.spread import audit_service, audit_spread
    from kinwise.rules.audit import default_since

    service = audit_service(service="w", organisation=ORG)
    since = default_since(as_of)
    kinwise = Path(sys.executable).with_name("kinwise")
    env = dict(os.environ)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("KINWISE_QUEUE_IMMEDIATE", None)
    result: dict[str, Any] = {"people": 0}
    for processes in (1, 2):
        log_path = Path(workdir) / f"worker-{processes}.log"
        with log_path.open("wb") as log_file:
            worker = subprocess.Popen(
                [str(kinwise), "worker", "--workers", str(processes), "--no-scheduler"],
                env=env,
                stdout=log_file,
                stderr=log_file,
            )
        try:
            _warm_workers(service, as_of, since, processes)
            runs = []
            for _ in range(3):
                begin = time.perf_counter()
                audits = audit_spread(service=service, as_of=as_of, since=since, workers=2)
                runs.append(time.perf_counter() - begin)
                result["people"] = len(audits)
            result[f"w{processes}"] = {"seconds": statistics.median(runs), "runs": runs}
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=60)
            except subprocess.TimeoutExpired:
                worker.kill()
    return result


def _warm_workers(service: Any, as_of: dt.date, since: dt.date, processes: int) -> None:
    """One tiny chunk per process, so that every worker process has started, imported
    the jobs and opened its connection before the timed audits."""
    from kinwise.jobs.queue import queue
    from kinwise.jobs.spread import _collect
    from kinwise.jobs.tasks import audit_chunk_job
    from kinwise.records.models import Person

    first = Person.objects.filter(service=service).order_by("pk").values_list("pk", flat=True)[0]
    handles = [
        audit_chunk_job(
            service_pk=service.pk, first_pk=first, last_pk=first, as_of=as_of, since=since
        )
        for _ in range(processes * 2)
    ]
    _collect(handles, pending=queue.pending_count)


def phase_pages(args: argparse.Namespace) -> dict[str, Any]:
    """The page rows alone (``bench/run.py --only pages``): N people in service a; then
    :func:`_sized_pages`; then 20 users on their caseloads and the same users on any of
    the N people, no warm-up."""
    _setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    spent = _import_people("a", args.people, args.years)
    log(f"imported {args.people} people x {args.years} years in {spent:.1f}s")
    out = _sized_pages(args)
    out.update(_users(args))
    return out


def _sized_pages(args: argparse.Namespace) -> dict[str, Any]:
    """Service a (already imported, ``--people`` people): the nightly job's work for the
    service, then the dashboard's first request and the warm dashboard; supervision, the
    commissioners' report (page and CSV) and the inspection page, warm, beside the
    dashboard of the same people in the same run.

    Before the night, the process serves the dashboard of a small service of 5 people (a
    server that has been serving), so that "the first request after the nightly job" is
    the data's first request, not the process's."""
    from django.test.utils import override_settings
    from django.urls import reverse

    from kinwise import clock
    from kinwise.core.models import Service
    from kinwise.jobs.nightly import audits_measured, service_audit_keep
    from kinwise.records.models import Person
    from kinwise.rules.audit import default_since

    as_of = clock.today()
    _import_people("z", 5, args.years, first=SMALL_FIRST)
    _analyze()
    service = Service.objects.get(organisation__slug=ORG, external_id="a")
    small = Service.objects.get(organisation__slug=ORG, external_id="z")
    client = _client_for(["a", "z"])
    with override_settings(ROOT_URLCONF="bench_urls"):
        _timed(client, reverse("web:service", kwargs={"service_pk": small.pk}), 1)
    # the nightly job's work for the service (audit_chunk + service_audit_keep)
    since = default_since(as_of)
    begin = time.perf_counter()
    audits, _ = audits_measured(
        service="a",
        person=None,
        organisation=ORG,
        as_of=as_of,
        since=since,
        as_recorded=False,
        measured=False,
    )
    service_audit_keep(service=service, audits=audits, as_of=as_of, since=since)
    nightly = time.perf_counter() - begin
    log(f"nightly audit kept in {nightly:.1f}s")
    repeat = max(5, args.page_requests)
    people = Person.objects.filter(service=service, superseded_at__isnull=True).count()
    out: dict[str, Any] = {"people": people, "nightly_seconds": nightly}
    with override_settings(ROOT_URLCONF="bench_urls"):
        urls = {
            "dashboard": reverse("web:service", kwargs={"service_pk": service.pk}),
            "supervision": reverse("governance:supervision", kwargs={"service_pk": service.pk}),
            "report": reverse("reports:service_report", kwargs={"service_pk": service.pk}),
            "report_csv": reverse("reports:service_report_csv", kwargs={"service_pk": service.pk}),
            "inspection": reverse("reports:inspection", kwargs={"service_pk": service.pk}),
        }
        times, queries, first = _timed_cold(client, urls["dashboard"], repeat)
        out["dashboard"] = {**_summary(times, queries), "first_after_nightly": first}
        for name in ("supervision", "report", "report_csv", "inspection"):
            times, queries, first = _timed_cold(client, urls[name], repeat)
            out[name] = {**_summary(times, queries), "first": first}
        # the dashboard again, after the other pages: the unit of their ratios is the
        # dashboard's p50 over both rounds (the machine's load moves in between)
        times, _ = _timed(client, urls["dashboard"], repeat)
        out["dashboard"]["p50_after"] = statistics.median(times)
    log("pages done")
    return out


def log(message: str) -> None:
    sys.stderr.write(f"  [{os.environ.get('BENCH_LABEL', 'bench')}] {message}\n")
    sys.stderr.flush()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--phase",
        choices=("all", "audit", "supervision", "audits", "pages", "import"),
        required=True,
    )
    parser.add_argument("--scope", choices=("service", "organisation", "files"))
    parser.add_argument("--service")
    parser.add_argument("--files")
    parser.add_argument("--as-of")
    parser.add_argument("--people", type=int, default=100)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--page-people", type=int, default=20)
    parser.add_argument("--page-requests", type=int, default=5)
    parser.add_argument("--yaml-people", type=int, default=20)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--caseload", type=int, default=5)
    parser.add_argument("--warmup", type=float, default=10.0)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--server-workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--server-threads", type=int, default=4)
    parser.add_argument("--import-people", type=int, default=200)
    parser.add_argument("--workdir")
    parser.add_argument("--spread-people", type=int, default=2000)
    parser.add_argument("--spread-years", type=int, default=5)
    args = parser.parse_args()
    phases: dict[str, Callable[[argparse.Namespace], dict[str, Any]]] = {
        "all": phase_all,
        "audit": phase_audit,
        "supervision": phase_supervision,
        "import": phase_import,
        "audits": phase_audits,
        "pages": phase_pages,
    }
    result = phases[args.phase](args)
    sys.stdout.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
