"""Reading eMAR files (docs/spec/emar.md): the counts, and every bad input refused with
its place. Pure: no database."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from kinwise.casefile.emar import (
    AUDIT_SYSTEM,
    OUTCOME_EXTENSION,
    OUTCOME_SYSTEM,
    PERSON_SYSTEM,
    EmarAudit,
    parse_emar,
    parse_emar_csv,
    parse_emar_fhir,
)
from kinwise.errors import ErrorCode, FieldErrorCode, KinwiseError

HEADER = "audit_id,person,medicine,due,given_at,outcome\n"


def problems(text: str) -> list[str]:
    with pytest.raises(KinwiseError) as caught:
        parse_emar(text, name="emar.csv")
    assert caught.value.code == ErrorCode.INVALID_INPUT
    return [str(e) for e in caught.value.errors]


def test_each_outcome_is_counted_as_the_spec_says() -> None:
    text = HEADER + (
        "w1,daniel,Levetiracetam,2026-04-01T08:00,2026-04-01T08:05,given\n"
        "w1,daniel,Levetiracetam,2026-04-01T20:00,,refused\n"
        "w1,daniel,Co-careldopa,2026-04-02T07:00,,missed\n"
        "w1,daniel,Co-careldopa,2026-04-02T11:00,2026-04-02T11:00,wrong_dose\n"
        "w1,daniel,Rasagiline,2026-04-02T08:00,2026-04-02T08:00,wrong_medicine\n"
        "w1,daniel,Co-careldopa,2026-04-02T15:00,2026-04-02T16:10,wrong_time\n"
        "\n"
        "w1,daniel,Paracetamol,2026-04-03T14:00,2026-04-03T14:00,as_needed\n"
    )
    emar = parse_emar_csv(text, name="emar.csv")
    assert emar.person == "daniel"
    # the last administration is the as-needed dose of 3 April: the audit's day
    assert emar.audits == (
        EmarAudit(
            id="emar-w1",
            date=date(2026, 4, 3),
            doses_checked=6,
            errors=4,
            refusals=1,
            as_needed=1,
        ),
    )


def test_without_an_audit_id_the_file_is_one_audit_named_by_its_days() -> None:
    text = (
        "person,medicine,due,outcome,given_at\n"
        "daniel,Macrogol,2026-05-01T08:00,given,2026-05-01T08:00\n"
        "daniel,Macrogol,2026-05-02T08:00,missed,\n"
        # given after midnight: the day it was given is the last administration
        "daniel,Macrogol,2026-05-02T23:30,wrong_time,2026-05-03T00:40\n"
    )
    (audit,) = parse_emar(text, name="emar.csv").audits
    assert audit == EmarAudit("emar-2026-05-01-to-2026-05-03", date(2026, 5, 3), 3, 2, 0, 0)


def test_each_audit_id_is_one_audit_in_order_of_date() -> None:
    text = HEADER + (
        "b,daniel,Macrogol,2026-06-10T08:00,2026-06-10T08:00,given\n"
        "a,daniel,Macrogol,2026-05-10T08:00,,missed\n"
        "b,daniel,Macrogol,2026-06-11T08:00,,refused\n"
    )
    audits = parse_emar(text, name="emar.csv").audits
    assert [(a.id, a.date, a.doses_checked, a.errors, a.refusals) for a in audits] == [
        ("emar-a", date(2026, 5, 10), 1, 1, 0),
        ("emar-b", date(2026, 6, 11), 2, 0, 1),
    ]


def test_a_csv_with_bad_rows_is_refused_naming_each_line_and_column() -> None:
    text = HEADER + (
        "w1,daniel,Levetiracetam,2026-04-01T08:00,2026-04-01T08:05,given\n"
        "w1,daniel,,2026-04-01T20:00,,gave\n"
        "w 1,daniel,Macrogol,2026-02-30T08:00,,missed\n"
        "w1,daniel,Macrogol,01/04/2026,2026-04-01T08:00,refused\n"
        "w1,mark,Macrogol,2026-04-01T08:00,,missed\n"
        "w1,daniel,Macrogol\n"
    )
    assert problems(text) == [
        "line 3, medicine: the medicine is missing",
        "line 3, outcome: the outcome must be one of: given, refused, missed, wrong_dose, "
        "wrong_medicine, wrong_time, as_needed",
        "line 4, audit_id: the audit id may hold only letters, digits, '.', '_' and '-'",
        "line 4, due: the time the dose was due is not a real day and time",
        "line 5, due: the time the dose was due must be written YYYY-MM-DDTHH:MM",
        "line 5, given_at: a dose refused was not given: leave given_at empty",
        "line 6, person: every record of one file must be about one person (this names another)",
        "line 7: 3 values where the header has 6 columns",
    ]


def test_a_csv_header_must_name_the_columns() -> None:
    assert problems("person,medicine,when,outcome\n") == [
        "line 1, when: not a column of an eMAR file (the columns: audit_id, person, "
        "medicine, due, given_at, outcome)",
        "line 1: the column due is missing",
    ]
    assert problems("") == ["line 1: the file is empty: it needs a header"]
    assert problems(HEADER) == ["the file holds no administration record"]


def test_a_file_of_only_as_needed_doses_has_no_dose_due() -> None:
    text = HEADER + "w1,daniel,Paracetamol,2026-04-01T08:00,2026-04-01T08:00,as_needed\n"
    assert problems(text) == ["the audit emar-w1 has no dose due (every dose was given as needed)"]


# --- FHIR -------------------------------------------------------------------------------------


def administration(
    when: str, status: str = "completed", person: str = "daniel", **more: Any
) -> dict[str, Any]:
    return {
        "resource": {
            "resourceType": "MedicationAdministration",
            "status": status,
            "medicationCodeableConcept": {"text": "Co-careldopa 25/100 mg tablets"},
            "subject": {"identifier": {"system": PERSON_SYSTEM, "value": person}},
            "effectiveDateTime": when,
            **more,
        }
    }


def bundle(*entries: dict[str, Any], audit: str | None = "w7") -> str:
    data: dict[str, Any] = {"resourceType": "Bundle", "type": "collection", "entry": list(entries)}
    if audit is not None:
        data["identifier"] = {"system": AUDIT_SYSTEM, "value": audit}
    return json.dumps(data)


def test_a_fhir_bundle_is_one_audit() -> None:
    refused = {"statusReason": [{"coding": [{"system": OUTCOME_SYSTEM, "code": "refused"}]}]}
    late = {"extension": [{"url": OUTCOME_EXTENSION, "valueCode": "wrong_time"}]}
    text = bundle(
        {"resource": {"resourceType": "Patient", "id": "p"}},
        administration("2026-04-01T08:00:00+01:00"),
        administration("2026-04-01T12:00:00+01:00", "not-done"),
        administration("2026-04-01T16:00:00+01:00", "not-done", **refused),
        administration("2026-04-02T08:40:00Z", **late),
    )
    emar = parse_emar_fhir(text, name="emar.json")
    assert emar.person == "daniel"
    assert emar.audits == (EmarAudit("emar-w7", date(2026, 4, 2), 4, 2, 1, 0),)
    # the same Bundle with no identifier: named by its days
    (audit,) = parse_emar(
        bundle(administration("2026-04-01T08:00:00Z"), audit=None), name="b"
    ).audits
    assert audit.id == "emar-2026-04-01-to-2026-04-01"


def test_a_fhir_bundle_with_problems_is_refused_naming_each_path() -> None:
    no_subject = administration("2026-04-01T08:00:00Z")
    del no_subject["resource"]["subject"]
    no_medicine = administration("2026-04-01T08:00:00Z")
    del no_medicine["resource"]["medicationCodeableConcept"]
    text = bundle(
        administration("2026-04-01T08:00:00Z", "in-progress"),
        no_subject,
        no_medicine,
        administration("01/04/2026", extension=[{"url": OUTCOME_EXTENSION, "valueCode": "late"}]),
        {"resource": {"resourceType": "Observation"}},
        {"fullUrl": "urn:uuid:x"},
        administration("2026-04-01T09:00:00Z"),
        administration("2026-04-01T08:00:00Z", person="mark"),
        audit="w 7",
    )
    with pytest.raises(KinwiseError) as caught:
        parse_emar(text, name="emar.json")
    assert [(e.path, e.message) for e in caught.value.errors] == [
        ("identifier.value", "the audit id may hold only letters, digits, '.', '_' and '-'"),
        (
            "entry[0].resource.status",
            "an administration must be completed or not-done (or carry the emar-outcome extension)",
        ),
        (
            "entry[1].resource.subject.identifier",
            f"the person must be named by an identifier of system {PERSON_SYSTEM}",
        ),
        (
            "entry[2].resource.medicationCodeableConcept",
            "the medicine must be named (its text, a coding's display or the reference's display)",
        ),
        ("entry[3].resource.effectiveDateTime", "not a FHIR dateTime (YYYY-MM-DDThh:mm:ss+zz:zz)"),
        (
            "entry[3].resource.extension[0].valueCode",
            "the outcome must be one of: given, refused, missed, wrong_dose, wrong_medicine, "
            "wrong_time, as_needed",
        ),
        (
            "entry[4].resource.resourceType",
            "an Observation: only MedicationAdministration resources are read",
        ),
        ("entry[5].resource", "the entry has no resource"),
        (
            "entry[7].resource.subject",
            "every record of one file must be about one person (this names another)",
        ),
    ]
    assert caught.value.errors[2].code == FieldErrorCode.MISSING


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{not json", ["not JSON (line 1: Expecting property name enclosed in double quotes)"]),
        ('{"resourceType": "Patient"}', ["resourceType: the file must be a FHIR Bundle"]),
        ('{"resourceType": "Bundle"}', ["entry: the Bundle has no entries"]),
    ],
)
def test_a_file_that_is_no_bundle_is_refused(text: str, expected: list[str]) -> None:
    assert problems(text) == expected


def test_the_example_of_the_spec_counts_as_it_says() -> None:
    spec = (Path(__file__).resolve().parents[2] / "docs" / "spec" / "emar.md").read_text()
    example = spec.split("```csv\n", 1)[1].split("```", 1)[0]
    (audit,) = parse_emar(example, name="spec").audits
    assert audit == EmarAudit("emar-wk-15", date(2026, 4, 9), 4, 2, 1, 1)
