"""eMAR files into medication audits (docs/spec/emar.md): example 3's audits rebuilt from
the administration records give the same error rates; a file is all or nothing; a
re-import changes nothing; the importer is the auditor and must be allowed."""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kinwise.accesslog.models import AccessLogEntry
from kinwise.casefile.emar import AUDIT_SYSTEM, PERSON_SYSTEM, EmarFile, parse_emar
from kinwise.casefile.load import load_casefile
from kinwise.cli import main
from kinwise.core.models import RecordVersion, StaffRole
from kinwise.core.services import organisation_ensure, service_ensure, staff_user_ensure
from kinwise.records.models import Person
from kinwise.records.selectors import casefile_export
from kinwise.records.services import casefile_import
from kinwise.records.services.emar import medication_audits_import
from kinwise.reports.measures import Period, medication_audit_rates
from tests.web.conftest import CASEFILES

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"
HEADER = "audit_id,person,medicine,due,given_at,outcome\n"
# Daniel's regular doses each day (example 3): 8 doses due a day
DOSES = (
    ("Levetiracetam 500 mg tablets", ("08:00", "20:00")),
    ("Macrogol oral powder sachets", ("08:00",)),
    ("Co-careldopa 25/100 mg tablets", ("07:00", "11:00", "15:00", "19:00")),
    ("Rasagiline 1 mg tablets", ("08:00",)),
)
# Each audit of example 3: its last day, its days, and its doses not given as prescribed.
AUDITS: dict[str, tuple[dt.date, int, dict[str, int]]] = {
    "ma1": (
        dt.date(2026, 4, 15),
        7,
        {"missed": 3, "wrong_time": 2, "wrong_dose": 1, "wrong_medicine": 1, "refused": 2},
    ),
    "ma2": (dt.date(2026, 5, 15), 7, {"missed": 2, "wrong_time": 3, "refused": 1}),
    "ma3": (dt.date(2026, 8, 15), 14, {"wrong_time": 1}),
    "ma4": (dt.date(2026, 10, 15), 14, {"refused": 3}),
}


def emar_csv(audits: dict[str, tuple[dt.date, int, dict[str, int]]] = AUDITS) -> str:
    """Daniel's eMAR export: every dose due over each audit's days, the outcomes not
    "given" spread over them, and a paracetamol dose as needed on each audit's first day
    (not a dose due)."""
    rows = [HEADER]
    for audit_id, (last, days, outcomes) in audits.items():
        pending = [o for o, n in outcomes.items() for _ in range(n)]
        first = last - dt.timedelta(days=days - 1)
        rows.append(
            f"{audit_id},daniel,Paracetamol 500 mg tablets,{first}T13:00,{first}T13:10,as_needed\n"
        )
        for day in (first + dt.timedelta(days=n) for n in range(days)):
            for medicine, times in DOSES:
                for time in times:
                    due = f"{day}T{time}"
                    outcome = pending.pop() if pending and time == "08:00" else "given"
                    given = "" if outcome in ("missed", "refused") else due
                    rows.append(f"{audit_id},daniel,{medicine},{due},{given},{outcome}\n")
        assert pending == [], "more outcomes than doses at 08:00"
    return "".join(rows)


@pytest.fixture
def world(settings: Any) -> dict[str, Any]:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    acme = organisation_ensure(slug="acme", name="Acme Care")
    riverside = service_ensure(organisation=acme, external_id="riverside", name="Riverside")
    users = {
        # ruth and owen are in Daniel's circle; their logins exist before the file is
        # imported, so their staff directory entries are linked to them
        "ruth": staff_user_ensure(
            username="ruth", password=PASSWORD, service=riverside, role=StaffRole.REGISTERED_MANAGER
        ),
        "owen": staff_user_ensure(
            username="owen", password=PASSWORD, service=riverside, role=StaffRole.SUPPORT_WORKER
        ),
        "nia": staff_user_ensure(
            username="nia", password=PASSWORD, service=riverside, role=StaffRole.TEAM_LEADER
        ),
    }
    example = load_casefile(CASEFILES / "03-historic-arrangement.yaml")
    result = casefile_import(casefile=example, service=riverside, actor=None)
    return {"daniel": Person.objects.get(pk=result.person_pk), "users": users, "example": example}


def write(tmp_path: Path, text: str, name: str = "daniel-emar.csv") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["import-emar", *args])
    out, err = capsys.readouterr()
    return code, out, err


def emar_audits(person: Person) -> list[tuple[str, dt.date, str, int, int]]:
    audits = casefile_export(person=person).medication.audits
    return [
        (a.id, a.date, a.auditor, a.doses_checked, a.errors)
        for a in audits
        if a.id.startswith("emar-")
    ]


YEAR = Period(dt.date(2026, 1, 1), dt.date(2026, 11, 30))


def test_example_3_audits_rebuilt_from_an_emar_csv_give_the_same_error_rates(
    world: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    daniel = world["daniel"]
    code, out, err = run(capsys, write(tmp_path, emar_csv()), "--user", "ruth")
    assert (code, err) == (0, "")
    path = tmp_path / "daniel-emar.csv"
    assert out.splitlines() == [
        f"{path}: person 'daniel': 4 audit(s) added, 0 changed, 0 unchanged",
        f"{path}: emar-ma1 of 2026-04-15: 56 doses due, 7 errors, 2 refused, 1 as needed",
        f"{path}: emar-ma2 of 2026-05-15: 56 doses due, 5 errors, 1 refused, 1 as needed",
        f"{path}: emar-ma3 of 2026-08-15: 112 doses due, 1 errors, 0 refused, 1 as needed",
        f"{path}: emar-ma4 of 2026-10-15: 112 doses due, 0 errors, 3 refused, 1 as needed",
    ]
    # dated at their last administration, audited by the member of staff who imported them
    assert emar_audits(daniel) == [
        ("emar-ma1", dt.date(2026, 4, 15), "ruth", 56, 7),
        ("emar-ma2", dt.date(2026, 5, 15), "ruth", 56, 5),
        ("emar-ma3", dt.date(2026, 8, 15), "ruth", 112, 1),
        ("emar-ma4", dt.date(2026, 10, 15), "ruth", 112, 0),
    ]
    stored = medication_audit_rates(casefile_export(person=daniel), period=YEAR)
    rebuilt = [r for r in stored if r.audit.startswith("emar-")]
    typed = medication_audit_rates(world["example"], period=YEAR)
    assert [r.ratio.percent() for r in rebuilt] == ["12.5%", "8.9%", "0.9%", "0.0%"]
    assert [(r.date, r.ratio) for r in rebuilt] == [(r.date, r.ratio) for r in typed]
    # each audit has its version in the history: who, from where
    versions = RecordVersion.objects.filter(person=daniel, external_id__startswith="emar-")
    assert sorted((v.external_id, v.version, v.action, v.actor_id, v.source) for v in versions) == [
        (f"emar-ma{n}", 1, "created", world["users"]["ruth"].pk, "emar import") for n in range(1, 5)
    ]


def test_a_re_import_changes_nothing_and_a_corrected_file_is_a_new_version(
    world: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    daniel = world["daniel"]
    path = write(tmp_path, emar_csv())
    assert run(capsys, path, "--user", "ruth")[0] == 0
    versions = RecordVersion.objects.filter(person=daniel).count()
    code, out, _ = run(capsys, path, "--user", "ruth")
    assert code == 0
    assert out.splitlines()[0].endswith("0 audit(s) added, 0 changed, 4 unchanged")
    assert RecordVersion.objects.filter(person=daniel).count() == versions
    # the eMAR's corrected export of ma3 (its late dose was on time): one new version
    corrected = {**AUDITS, "ma3": (dt.date(2026, 8, 15), 14, {})}
    code, out, _ = run(capsys, write(tmp_path, emar_csv(corrected)), "--user", "ruth")
    assert out.splitlines()[0].endswith("0 audit(s) added, 1 changed, 3 unchanged")
    assert RecordVersion.objects.filter(person=daniel).count() == versions + 1
    assert emar_audits(daniel)[2] == ("emar-ma3", dt.date(2026, 8, 15), "ruth", 112, 0)


def test_a_file_with_one_bad_row_writes_nothing(
    world: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = emar_csv().replace(
        "ma3,daniel,Rasagiline 1 mg tablets,2026-08-10T08:00,2026-08-10T08:00,given",
        "ma3,daniel,Rasagiline 1 mg tablets,2026-08-10T08:00,2026-08-10T08:00,late",
    )
    line = text.splitlines().index(
        "ma3,daniel,Rasagiline 1 mg tablets,2026-08-10T08:00,2026-08-10T08:00,late"
    )
    versions = RecordVersion.objects.count()
    code, out, err = run(capsys, write(tmp_path, text), "--user", "ruth")
    path = tmp_path / "daniel-emar.csv"
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        f"{path}: not imported: 1 problem(s) in the eMAR file",
        f"{path}: line {line + 1}, outcome: the outcome must be one of: given, refused, "
        "missed, wrong_dose, wrong_medicine, wrong_time, as_needed",
    ]
    assert emar_audits(world["daniel"]) == []
    assert RecordVersion.objects.count() == versions


def test_a_fhir_bundle_of_administrations_is_one_audit(
    world: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def given(when: str, status: str = "completed") -> dict[str, Any]:
        return {
            "resource": {
                "resourceType": "MedicationAdministration",
                "status": status,
                "medicationCodeableConcept": {"text": "Co-careldopa 25/100 mg tablets"},
                "subject": {"identifier": {"system": PERSON_SYSTEM, "value": "daniel"}},
                "effectiveDateTime": when,
            }
        }

    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "identifier": {"system": AUDIT_SYSTEM, "value": "wk-46"},
        "entry": [
            given("2026-11-16T07:00:00Z"),
            given("2026-11-16T11:00:00Z", "not-done"),
            given("2026-11-16T15:00:00Z"),
            given("2026-11-17T07:05:00Z"),
        ],
    }
    code, _, err = run(capsys, write(tmp_path, json.dumps(bundle), "emar.json"), "--user", "ruth")
    assert (code, err) == (0, "")
    assert emar_audits(world["daniel"]) == [("emar-wk-46", dt.date(2026, 11, 17), "ruth", 4, 1)]


def test_only_staff_who_may_record_audits_and_are_in_the_circle_import(
    world: dict[str, Any],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    path = write(tmp_path, emar_csv())
    daniel = world["daniel"]
    # a support worker may not record medication audits: the access module decides (the
    # access log keeps the command's read of the person, the refusal is logged by ids)
    caplog.set_level(logging.WARNING, logger="kinwise.access")
    code, _, err = run(capsys, path, "--user", "owen")
    assert code == 2
    assert err.splitlines()[0].endswith(
        "not imported: 'owen' may not record medication audits for this person"
    )
    owen = world["users"]["owen"].pk
    entry = AccessLogEntry.objects.order_by("id").last()
    assert entry is not None
    assert (entry.user_pk, entry.person_pk, entry.page, entry.client) == (
        owen,
        daniel.pk,
        "import-emar",
        "command line",
    )
    assert caplog.messages == [
        f"action refused: user pk={owen} asked to change_task for person pk={daniel.pk}"
    ]
    # a team leader with no entry in the staff directory cannot be the auditor
    code, _, err = run(capsys, path, "--user", "nia")
    assert code == 2
    assert "this login is not linked to an entry of the organisation's staff directory" in err
    assert run(capsys, path, "--user", "nobody")[0] == 2
    assert emar_audits(daniel) == []


def test_the_queries_of_an_import_do_not_grow_with_its_audits(world: dict[str, Any]) -> None:
    daniel = Person.objects.select_related("service").get(pk=world["daniel"].pk)
    ruth = world["users"]["ruth"]
    counts = []
    for audits in ({"ma1": AUDITS["ma1"]}, AUDITS):
        emar = parse_emar(emar_csv(audits), name="emar.csv")
        # every audit new: ids of their own per round
        emar = EmarFile(
            person=emar.person,
            audits=tuple(replace(a, id=f"{a.id}-{len(audits)}") for a in emar.audits),
        )
        with CaptureQueriesContext(connection) as captured:
            done = medication_audits_import(person=daniel, emar=emar, actor=ruth)
        assert len(done.added) == len(audits)
        counts.append(len(captured.captured_queries))
    # the auditor's entry; under the person's lock their records and versions read; the
    # audits written with their versions in one statement each; the person's data stamp
    assert counts == [9, 9]
