"""Medication administration records from an eMAR, read into medication audits
(docs/spec/emar.md).

Two shapes are read: a CSV file of one row per dose, and a FHIR R4 Bundle of
MedicationAdministration resources. Either gives one :class:`EmarFile`: the person it is
about and one :class:`EmarAudit` per audit (the whole file, or each ``audit_id`` in it),
counted as the spec says: the doses due are the doses checked; missed doses and doses of
the wrong dose, medicine or time are errors; a refusal by the person is counted as a
dose due and as a refusal, never as an error; a dose given as needed (PRN) is not due.

A file with any problem gives no audit: :class:`KinwiseError` carries every problem with
its place (``line 7, outcome`` in a CSV; ``entry[3].resource.status`` in a Bundle).
Pure Python (no Django): the records layer writes the audits
(kinwise.records.services.emar).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from kinwise.casefile.schema import ID_PATTERN
from kinwise.errors import ErrorCode, FieldError, FieldErrorCode, KinwiseError

# The outcome of one dose, as the CSV's ``outcome`` column and the FHIR extension write it.
OUTCOMES: dict[str, str] = {
    "given": "given as prescribed",
    "refused": "refused by the person",
    "missed": "missed (not given, not refused)",
    "wrong_dose": "given at the wrong dose",
    "wrong_medicine": "the wrong medicine given",
    "wrong_time": "given at the wrong time",
    "as_needed": "given as needed (PRN): not a dose due",
}
ERROR_OUTCOMES = frozenset({"missed", "wrong_dose", "wrong_medicine", "wrong_time"})
NOT_DUE = frozenset({"as_needed"})

CSV_COLUMNS = ("audit_id", "person", "medicine", "due", "given_at", "outcome")
CSV_REQUIRED = ("person", "medicine", "due", "outcome")

KINWISE = "https://kinwise.example/fhir"
PERSON_SYSTEM = f"{KINWISE}/id/person"
AUDIT_SYSTEM = f"{KINWISE}/id/emar-audit"
OUTCOME_EXTENSION = f"{KINWISE}/StructureDefinition/emar-outcome"
OUTCOME_SYSTEM = f"{KINWISE}/CodeSystem/emar-outcome"

AUDIT_ID_PREFIX = "emar-"
MAX_DOSES = 50_000  # doses in one file: far beyond a month of any regimen
_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2})?)?")
_FHIR_TIME = re.compile(
    r"([0-9]{4}-[0-9]{2}-[0-9]{2})(T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?"
    r"(Z|[+-][0-9]{2}:[0-9]{2}))?"
)


@dataclass(frozen=True)
class Dose:
    """One administration record: where it is in the file, its audit, medicine, the day it
    was due (or given), and its outcome."""

    place: str
    audit: str | None
    medicine: str
    day: dt.date
    outcome: str


@dataclass(frozen=True)
class EmarAudit:
    """One medication audit drawn from an eMAR: its case-file id, the day of its last
    administration, the doses due (checked), the errors, and the refusals."""

    id: str
    date: dt.date
    doses_checked: int
    errors: int
    refusals: int
    as_needed: int

    def record(self, *, auditor: str) -> dict[str, Any]:
        """The medication audit's case-file document (``medication.audits[]``)."""
        return {
            "id": self.id,
            "date": self.date,
            "auditor": auditor,
            "doses_checked": self.doses_checked,
            "errors": self.errors,
        }


@dataclass(frozen=True)
class EmarFile:
    """What one eMAR file says: whose it is, and its audits in order of date."""

    person: str
    audits: tuple[EmarAudit, ...]


def _refused(errors: list[FieldError]) -> KinwiseError:
    return KinwiseError(
        ErrorCode.INVALID_INPUT, f"{len(errors)} problem(s) in the eMAR file", errors
    )


def _day(text: str, place: str, label: str, errors: list[FieldError]) -> dt.date | None:
    """The day of a ``YYYY-MM-DD[THH:MM[:SS]]`` time (CSV), or an error at ``place``."""
    value = text.strip()
    if not value:
        errors.append(FieldError(place, f"{label} is missing", FieldErrorCode.MISSING))
        return None
    if not _TIME.fullmatch(value):
        errors.append(FieldError(place, f"{label} must be written YYYY-MM-DDTHH:MM"))
        return None
    try:
        day = dt.date.fromisoformat(value[:10])
        if len(value) > 10:
            dt.time.fromisoformat(value[11:])
    except ValueError:
        errors.append(FieldError(place, f"{label} is not a real day and time"))
        return None
    return day


def _audit_id(value: str, place: str, errors: list[FieldError]) -> str | None:
    value = value.strip()
    if not value:
        errors.append(FieldError(place, "the audit id is missing", FieldErrorCode.MISSING))
        return None
    if not ID_PATTERN.fullmatch(value) or len(value) > 100:
        errors.append(
            FieldError(place, "the audit id may hold only letters, digits, '.', '_' and '-'")
        )
        return None
    return value


def _outcome(value: str, place: str, errors: list[FieldError]) -> str | None:
    value = value.strip()
    if value in OUTCOMES:
        return value
    if not value:
        errors.append(FieldError(place, "the outcome is missing", FieldErrorCode.MISSING))
    else:
        errors.append(FieldError(place, f"the outcome must be one of: {', '.join(OUTCOMES)}"))
    return None


# --- counting ------------------------------------------------------------------------------


def audits_of(doses: Iterable[Dose]) -> tuple[EmarAudit, ...]:
    """One audit per audit id (every dose without one: one audit of the whole file), dated
    at its last administration, its id ``emar-<audit id>`` or, without one,
    ``emar-<first day>-to-<last day>``."""
    groups: dict[str | None, list[Dose]] = {}
    for dose in doses:
        groups.setdefault(dose.audit, []).append(dose)
    audits = []
    for audit_id, group in groups.items():
        first, last = min(d.day for d in group), max(d.day for d in group)
        due = [d for d in group if d.outcome not in NOT_DUE]
        audits.append(
            EmarAudit(
                id=AUDIT_ID_PREFIX + (audit_id if audit_id is not None else f"{first}-to-{last}"),
                date=last,
                doses_checked=len(due),
                errors=sum(d.outcome in ERROR_OUTCOMES for d in due),
                refusals=sum(d.outcome == "refused" for d in due),
                as_needed=len(group) - len(due),
            )
        )
    return tuple(sorted(audits, key=lambda a: (a.date, a.id)))


def _checked(person: str | None, doses: list[Dose], errors: list[FieldError]) -> EmarFile:
    if not errors and not doses:
        errors.append(FieldError("", "the file holds no administration record"))
    if errors:
        raise _refused(errors)
    assert person is not None
    audits = audits_of(doses)
    for audit in audits:
        if audit.doses_checked == 0:
            errors.append(
                FieldError(
                    "",
                    f"the audit {audit.id} has no dose due (every dose was given as needed)",
                    FieldErrorCode.CONSTRAINT,
                )
            )
    if errors:
        raise _refused(errors)
    return EmarFile(person=person, audits=audits)


def _one_person(person: str | None, value: str, place: str, errors: list[FieldError]) -> str | None:
    if person is not None and value != person:
        errors.append(
            FieldError(
                place,
                "every record of one file must be about one person (this names another)",
                FieldErrorCode.CONSTRAINT,
            )
        )
        return person
    return value


# --- CSV -------------------------------------------------------------------------------------


def parse_emar_csv(text: str, *, name: str) -> EmarFile:
    """An eMAR CSV (docs/spec/emar.md "CSV"): every row checked, every problem named by
    its line and column; any problem refuses the whole file."""
    errors: list[FieldError] = []
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise _refused([FieldError("line 1", "the file is empty: it needs a header")]) from None
    except csv.Error as exc:
        raise _refused([FieldError("line 1", f"not a CSV file ({exc})")]) from None
    for column in header:
        if column not in CSV_COLUMNS:
            errors.append(
                FieldError(
                    f"line 1, {column or '(empty)'}",
                    f"not a column of an eMAR file (the columns: {', '.join(CSV_COLUMNS)})",
                    FieldErrorCode.UNKNOWN_FIELD,
                )
            )
    for column in CSV_COLUMNS:
        if header.count(column) > 1:
            errors.append(
                FieldError(f"line 1, {column}", "a column named twice", FieldErrorCode.DUPLICATE)
            )
    for column in CSV_REQUIRED:
        if column not in header:
            errors.append(
                FieldError("line 1", f"the column {column} is missing", FieldErrorCode.MISSING)
            )
    if errors:
        raise _refused(errors)
    person: str | None = None
    doses: list[Dose] = []
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue  # a blank line
            if len(doses) >= MAX_DOSES:
                errors.append(
                    FieldError(f"line {line}", f"more than {MAX_DOSES:,} doses in one file")
                )
                break
            if len(row) != len(header):
                errors.append(
                    FieldError(
                        f"line {line}",
                        f"{len(row)} values where the header has {len(header)} columns",
                    )
                )
                continue
            cells = dict(zip(header, row, strict=True))
            dose = _csv_dose(cells, line, errors)
            if dose is not None:
                person = _one_person(
                    person, cells["person"].strip(), f"line {line}, person", errors
                )
                doses.append(dose)
    except csv.Error as exc:
        errors.append(FieldError(f"line {reader.line_num}", f"not a CSV line ({exc})"))
    return _checked(person, doses, errors)


def _csv_dose(cells: Mapping[str, str], line: int, errors: list[FieldError]) -> Dose | None:
    before = len(errors)
    at = f"line {line}, "
    person = cells["person"].strip()
    if not person:
        errors.append(
            FieldError(at + "person", "the person's id is missing", FieldErrorCode.MISSING)
        )
    elif not ID_PATTERN.fullmatch(person):
        errors.append(FieldError(at + "person", "not a case-file id"))
    medicine = cells["medicine"].strip()
    if not medicine:
        errors.append(
            FieldError(at + "medicine", "the medicine is missing", FieldErrorCode.MISSING)
        )
    audit = _audit_id(cells["audit_id"], at + "audit_id", errors) if "audit_id" in cells else None
    outcome = _outcome(cells["outcome"], at + "outcome", errors)
    due = _day(cells["due"], at + "due", "the time the dose was due", errors)
    given = cells.get("given_at", "").strip()
    given_day = _day(given, at + "given_at", "the time it was given", errors) if given else None
    if outcome in ("missed", "refused") and given:
        errors.append(
            FieldError(
                at + "given_at",
                f"a dose {outcome} was not given: leave given_at empty",
                FieldErrorCode.CONSTRAINT,
            )
        )
    if len(errors) > before or due is None or outcome is None:
        return None
    return Dose(f"line {line}", audit, medicine, max(due, given_day or due), outcome)


# --- FHIR ------------------------------------------------------------------------------------


def parse_emar_fhir(text: str, *, name: str) -> EmarFile:
    """A FHIR R4 Bundle of MedicationAdministration resources (docs/spec/emar.md "FHIR"):
    one audit (its id the Bundle's identifier of system ``.../id/emar-audit``, else its
    days); every problem named by its FHIR path."""
    try:
        bundle = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _refused([FieldError("", f"not JSON (line {exc.lineno}: {exc.msg})")]) from None
    errors: list[FieldError] = []
    if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
        raise _refused([FieldError("resourceType", "the file must be a FHIR Bundle")])
    audit: str | None = None
    identifier = bundle.get("identifier")
    if isinstance(identifier, dict) and identifier.get("system") == AUDIT_SYSTEM:
        audit = _audit_id(str(identifier.get("value") or ""), "identifier.value", errors)
    entries = bundle.get("entry")
    if not isinstance(entries, list):
        raise _refused([FieldError("entry", "the Bundle has no entries", FieldErrorCode.MISSING)])
    if len(entries) > MAX_DOSES:
        raise _refused([FieldError("entry", f"more than {MAX_DOSES:,} entries")])
    person: str | None = None
    doses: list[Dose] = []
    for index, entry in enumerate(entries):
        at = f"entry[{index}].resource"
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if not isinstance(resource, dict):
            errors.append(FieldError(at, "the entry has no resource", FieldErrorCode.MISSING))
            continue
        kind = resource.get("resourceType")
        if kind in ("Patient", "Medication", "Practitioner", "MedicationRequest"):
            continue  # context an eMAR may send with its administrations
        if kind != "MedicationAdministration":
            errors.append(
                FieldError(
                    f"{at}.resourceType",
                    f"{_article(str(kind))} {kind!s}: only MedicationAdministration resources are read",
                )
            )
            continue
        found = _fhir_dose(resource, at, audit, errors)
        if found is not None:
            who, dose = found
            person = _one_person(person, who, f"{at}.subject", errors)
            doses.append(dose)
    return _checked(person, doses, errors)


def _fhir_dose(
    resource: Mapping[str, Any], at: str, audit: str | None, errors: list[FieldError]
) -> tuple[str, Dose] | None:
    before = len(errors)
    subject = resource.get("subject")
    person = ""
    ident = subject.get("identifier") if isinstance(subject, dict) else None
    if isinstance(ident, dict) and ident.get("system") == PERSON_SYSTEM:
        person = str(ident.get("value") or "")
    if not person or not ID_PATTERN.fullmatch(person):
        errors.append(
            FieldError(
                f"{at}.subject.identifier",
                f"the person must be named by an identifier of system {PERSON_SYSTEM}",
                FieldErrorCode.MISSING,
            )
        )
    medicine = ""
    concept = resource.get("medicationCodeableConcept")
    reference = resource.get("medicationReference")
    if isinstance(concept, dict):
        coding = concept.get("coding")
        codings: list[Any] = coding if isinstance(coding, list) else []
        medicine = str(
            concept.get("text")
            or next(
                (c.get("display") for c in codings if isinstance(c, dict) and c.get("display")), ""
            )
            or ""
        )
    elif isinstance(reference, dict):
        medicine = str(reference.get("display") or "")
    if not medicine.strip():
        errors.append(
            FieldError(
                f"{at}.medicationCodeableConcept",
                "the medicine must be named (its text, a coding's display or the reference's display)",
                FieldErrorCode.MISSING,
            )
        )
    day = _fhir_day(resource, at, errors)
    outcome = _fhir_outcome(resource, at, errors)
    if len(errors) > before or day is None or outcome is None:
        return None
    return person, Dose(at, audit, medicine.strip(), day, outcome)


def _fhir_day(resource: Mapping[str, Any], at: str, errors: list[FieldError]) -> dt.date | None:
    if "effectiveDateTime" in resource:
        place, value = f"{at}.effectiveDateTime", resource["effectiveDateTime"]
    elif isinstance(resource.get("effectivePeriod"), dict):
        period = resource["effectivePeriod"]
        key = "end" if "end" in period else "start"
        place, value = f"{at}.effectivePeriod.{key}", period.get(key)
    else:
        errors.append(
            FieldError(
                f"{at}.effective[x]", "when the dose was due is missing", FieldErrorCode.MISSING
            )
        )
        return None
    match = _FHIR_TIME.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        errors.append(FieldError(place, "not a FHIR dateTime (YYYY-MM-DDThh:mm:ss+zz:zz)"))
        return None
    try:
        return dt.date.fromisoformat(match.group(1))
    except ValueError:
        errors.append(FieldError(place, "not a real day"))
        return None


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _fhir_outcome(resource: Mapping[str, Any], at: str, errors: list[FieldError]) -> str | None:
    for index, extension in enumerate(_list(resource.get("extension"))):
        if isinstance(extension, dict) and extension.get("url") == OUTCOME_EXTENSION:
            return _outcome(
                str(extension.get("valueCode") or ""), f"{at}.extension[{index}].valueCode", errors
            )
    status = resource.get("status")
    if status == "completed":
        return "given"
    if status == "not-done":
        reasons = _list(resource.get("statusReason"))
        codes = {
            c.get("code")
            for r in reasons
            if isinstance(r, dict)
            for c in _list(r.get("coding"))
            if isinstance(c, dict) and c.get("system") == OUTCOME_SYSTEM
        }
        return "refused" if "refused" in codes else "missed"
    errors.append(
        FieldError(
            f"{at}.status",
            "an administration must be completed or not-done (or carry the emar-outcome extension)",
        )
    )
    return None


def parse_emar(text: str, *, name: str) -> EmarFile:
    """An eMAR file of either shape: a FHIR Bundle when it begins with ``{``, else a CSV."""
    if text.removeprefix("\ufeff").lstrip().startswith("{"):
        return parse_emar_fhir(text, name=name)
    return parse_emar_csv(text, name=name)
