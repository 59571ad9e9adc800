"""The bulk selectors build records from stored documents without validating them again
(kinwise.records.reading, RecordKind.from_data): what they build must be exactly what
validating the same documents builds, for the examples and for a synthetic population."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from pydantic import BaseModel

from kinwise.casefile import schema as cf
from kinwise.casefile.kinds import RECORD_KINDS, assemble_casefile, person_record, trusted
from kinwise.core.models import Service
from kinwise.core.services import organisation_ensure, service_ensure
from kinwise.records.models import Person, Record
from kinwise.records.reading import validated
from kinwise.records.selectors import casefile_export, casefiles_for_service
from kinwise.records.services import casefile_import
from kinwise.synth.generate import DEFAULT_AS_OF, SynthSpec
from kinwise.synth.services import population_import
from tests.conftest import EXAMPLES


def validated_from_rows(person: Person) -> cf.CaseFile:
    """The case file as validating each stored document with its schema builds it."""
    records: dict[str, list[cf.Record]] = {}
    for row in Record.objects.filter(person=person, superseded_at=None).order_by(
        "kind", "position"
    ):
        records.setdefault(row.kind, []).append(
            RECORD_KINDS[row.kind].schema.model_validate(row.data)
        )
    return assemble_casefile(
        service=(person.service.external_id, person.service.name),
        person=person_record(person),
        records=records,
    )


def fields_set(model: Any) -> Any:
    """Every model's set fields, recursively (what ``exclude_unset`` dumps depend on)."""
    if isinstance(model, BaseModel):
        return (
            type(model).__name__,
            sorted(model.model_fields_set),
            {name: fields_set(value) for name, value in model.__dict__.items()},
        )
    if isinstance(model, list | tuple):
        return [fields_set(item) for item in model]
    return None


def assert_same(trusted_file: cf.CaseFile, checked: cf.CaseFile) -> None:
    assert trusted_file == checked
    # the same types (2 is not 2.0), the same field order, the same fields set
    assert trusted_file.model_dump_json() == checked.model_dump_json()
    assert trusted_file.model_dump_json(exclude_unset=True) == checked.model_dump_json(
        exclude_unset=True
    )
    assert fields_set(trusted_file) == fields_set(checked)
    assert validated(trusted_file) == trusted_file


@pytest.fixture
def riverside(db: None) -> Service:
    organisation = organisation_ensure(slug="reading", name="Reading Care")
    return service_ensure(organisation=organisation, external_id="riverside", name="Riverside")


@pytest.mark.parametrize("name", EXAMPLES)
def test_an_export_is_what_validating_its_rows_gives(
    name: str, example: Callable[[str], Any], riverside: Service
) -> None:
    casefile_import(casefile=example(name), service=riverside, actor=None)
    person = Person.objects.select_related("service").get()
    assert_same(casefile_export(person=person), validated_from_rows(person))


@pytest.mark.django_db
def test_a_synthetic_service_reads_as_validating_its_rows_gives() -> None:
    organisation = organisation_ensure(slug="reading", name="Reading Care")
    service = service_ensure(organisation=organisation, external_id="r", name="Service r")
    spec = SynthSpec(people=6, years=3, seed=11, as_of=DEFAULT_AS_OF, service_id="r")
    assert population_import(spec=spec, service=service) == 6

    files = casefiles_for_service(service=service)

    people = Person.objects.filter(service=service).select_related("service")
    assert sorted(files) == sorted(p.pk for p in people)
    for person in people:
        assert_same(files[person.pk], validated_from_rows(person))
    # the population exercises every kind of record and the converted columns
    together = list(files.values())
    assert any(m.trained for f in together for m in f.circle)
    assert any(f.medication.regimen for f in together)
    assert any(t.sessions for f in together for t in f.graded_trials)


def test_a_document_builds_the_record_validation_builds() -> None:
    spec = RECORD_KINDS["medicine"]
    document = {"name": "Paracetamol", "doses_per_day": 2, "route": "oral", "started": "2026-01-05"}
    record = spec.from_data(document)
    assert record == cf.Medicine.model_validate(document)
    assert type(record.doses_per_day) is int  # type: ignore[attr-defined]
    assert record.model_fields_set == {"name", "doses_per_day", "route", "started"}
    # the stored document writes every flag, as each version does
    flags = {"time_critical": False, "controlled": False, "prn": False}
    assert spec.snapshot(record) == {**document, **flags}
    assert spec.from_data(spec.snapshot(record)) == record


def test_a_trusted_record_leaves_unset_fields_out_of_its_fields_set() -> None:
    session = trusted(
        cf.Session,
        {"date": dt.date(2026, 1, 5), "stage": "s1", "outcome": "completed", "notes": None},
        unset=("notes",),
    )
    assert session == cf.Session(date=dt.date(2026, 1, 5), stage="s1", outcome="completed")
    assert session.model_fields_set == {"date", "stage", "outcome"}
    with pytest.raises(ValueError, match="frozen"):
        session.stage = "s2"  # type: ignore[misc]
