"""`kinwise synth`: files on disk, or people in the database."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kinwise.casefile.load import load_casefile
from kinwise.cli import main
from kinwise.core.models import Organisation, RecordVersion, Service
from kinwise.records.models import Person
from kinwise.records.selectors import casefile_export
from kinwise.synth.generate import SynthSpec, synth_casefile


def test_out_writes_one_valid_yaml_per_person(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "people"
    code = main(["synth", "--people", "3", "--years", "2", "--seed", "5", "--out", str(out)])

    stdout, stderr = capsys.readouterr()
    assert code == 0
    assert stderr == ""
    assert stdout == f"wrote 3 case files to {out}\n"
    assert sorted(p.name for p in out.iterdir()) == ["p00001.yaml", "p00002.yaml", "p00003.yaml"]
    expected = synth_casefile(SynthSpec(people=3, years=2, seed=5), 2)
    assert load_casefile(out / "p00002.yaml") == expected


def test_as_of_sets_the_end_of_the_history(tmp_path: Path) -> None:
    code = main(
        ["synth", "--people", "1", "--years", "1", "--as-of", "2024-02-29", "--out", str(tmp_path)]
    )
    assert code == 0
    casefile = load_casefile(tmp_path / "p00001.yaml")
    assert casefile.as_of == dt.date(2024, 2, 29)
    assert max(v.date for v in casefile.voice) <= dt.date(2024, 2, 29)


def test_the_same_seed_writes_the_same_bytes(tmp_path: Path) -> None:
    for name in ("a", "b"):
        assert main(["synth", "--people", "2", "--seed", "8", "--out", str(tmp_path / name)]) == 0
    for person in ("p00001.yaml", "p00002.yaml"):
        assert (tmp_path / "a" / person).read_bytes() == (tmp_path / "b" / person).read_bytes()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--people", "2"], "one of the arguments --out --service is required"),
        (["--people", "2", "--out", "x", "--service", "s"], "not allowed with argument"),
        (["--people", "-1", "--out", "x"], "must not be negative"),
        (["--people", "two", "--out", "x"], "'two' is not a whole number"),
    ],
)
def test_usage_errors_exit_2(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["synth", *argv])
    _, stderr = capsys.readouterr()
    assert exc.value.code == 2
    assert message in stderr


def test_zero_years_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["synth", "--people", "1", "--years", "0", "--out", str(tmp_path / "x")])
    stdout, stderr = capsys.readouterr()
    assert code == 2
    assert stdout == ""
    assert "--years must be at least 1" in stderr
    assert not (tmp_path / "x").exists()


@pytest.mark.django_db
def test_service_imports_into_a_synthetic_organisation(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["synth", "--people", "4", "--years", "1", "--seed", "3", "--service", "north"])

    stdout, _ = capsys.readouterr()
    assert code == 0
    assert stdout == "imported 4 people into service 'north' of organisation 'synthetic'\n"
    service = Service.objects.get(external_id="north")
    assert service.organisation.slug == "synthetic"
    people = Person.objects.filter(service=service).order_by("external_id")
    assert [p.external_id for p in people] == ["p00001", "p00002", "p00003", "p00004"]
    # the stored records are the generated file (the round trip), with their history
    expected = synth_casefile(SynthSpec(people=4, years=1, seed=3, service_id="north"), 3)
    exported = casefile_export(person=people[2])
    assert exported == expected.model_copy(update={"as_of": None})
    records = 2 + sum(  # the person and the plan, then one version per record
        len(getattr(expected, key))
        for key in (
            "circle",
            "legal_authorities",
            "capacity_assessments",
            "best_interests",
            "consents",
            "voice",
            "meetings",
            "risk_assessments",
            "graded_trials",
            "incidents",
            "events",
        )
    )
    records += len(expected.plan.roles) + len(expected.plan.tasks)
    records += len(expected.medication.regimen) + len(expected.medication.audits)
    assert RecordVersion.objects.filter(person=people[2], source="synth").count() == records


@pytest.mark.django_db
def test_service_in_a_named_organisation_and_a_second_run_changes_nothing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = [
        "synth",
        "--people",
        "2",
        "--years",
        "1",
        "--service",
        "south",
        "--organisation",
        "acme",
    ]
    assert main(argv) == 0
    versions = RecordVersion.objects.count()
    assert main(argv) == 0
    assert RecordVersion.objects.count() == versions
    assert Organisation.objects.get(slug="acme").services.get().external_id == "south"
    assert Person.objects.filter(service__external_id="south").count() == 2
