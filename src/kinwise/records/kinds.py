"""How each kind of case-file record maps to its table, and back.

One place that knows, for every kind: its model, its pydantic schema, its rows inside
the record (children), and where it sits in a case file. Import, export, the bulk
selectors and the history all go through it, so a field added to the schema and the
model is carried everywhere.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.db import models

from kinwise.casefile import schema as cf
from kinwise.records import models as m
from kinwise.records.models.base import CaseChild, CaseRecord
from kinwise.records.reading import trusted

# An explicit empty list of required areas means "none", unlike an absent one.
_KEEP_EMPTY = frozenset({"required_areas"})


def prune(value: Any) -> Any:
    """The case file's dict form: None, empty lists and empty mappings left out."""
    if isinstance(value, dict):
        return {
            k: prune(v)
            for k, v in value.items()
            if v is not None and (k in _KEEP_EMPTY or not (v == [] or v == {}))
        }
    if isinstance(value, list):
        return [prune(v) for v in value]
    return value


def _column(name: str) -> str:
    return "external_id" if name == "id" else name


@cache
def _is_json(model: type[models.Model], column: str) -> bool:
    return isinstance(model._meta.get_field(column), models.JSONField)


@cache
def _is_float(model: type[models.Model], column: str) -> bool:
    return isinstance(model._meta.get_field(column), models.FloatField)


def _columns_of(
    record: cf.Record, model: type[models.Model], names: Sequence[str]
) -> dict[str, Any]:
    as_json = record.model_dump(mode="json", include=set(names))
    values: dict[str, Any] = {}
    for name in names:
        column = _column(name)
        values[column] = as_json[name] if _is_json(model, column) else getattr(record, name)
    return values


def _data_of(row: models.Model, names: Sequence[str]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name in names:
        column = _column(name)
        value = getattr(row, column)
        if _is_float(type(row), column) and float(value).is_integer():
            value = int(value)
        data[name] = value
    return data


@dataclass(frozen=True)
class ChildKind:
    """Rows inside a record: ``attr`` of the parent's schema, stored in ``model``."""

    attr: str
    model: type[CaseChild]
    schema: type[cf.Record]
    parent_field: str

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self.schema.model_fields)

    def columns(self, item: cf.Record) -> dict[str, Any]:
        return _columns_of(item, self.model, self.names)

    def data(self, row: CaseChild) -> dict[str, Any]:
        return _data_of(row, self.names)


@dataclass(frozen=True)
class RecordKind:
    """A kind of top-level record (``kind`` is its name in the history)."""

    kind: str
    model: type[CaseRecord]
    schema: type[cf.Record]
    records: Callable[[cf.CaseFile], Sequence[cf.Record]]
    key: Callable[[cf.Record], str]
    children: tuple[ChildKind, ...] = ()
    excluded: frozenset[str] = field(default_factory=frozenset)

    @property
    def names(self) -> tuple[str, ...]:
        skip = self.excluded | {c.attr for c in self.children}
        return tuple(n for n in self.schema.model_fields if n not in skip)

    def keyed(self, casefile: cf.CaseFile) -> list[tuple[str, cf.Record]]:
        """The file's records of this kind with their keys, in the file's order."""
        items = self.records(casefile)
        if self.kind != "medicine":
            return [(self.key(item), item) for item in items]
        seen: Counter[str] = Counter()
        out = []
        for item in items:
            base = self.key(item)
            seen[base] += 1
            out.append((base if seen[base] == 1 else f"{base}#{seen[base]}", item))
        return out

    def snapshot(self, record: cf.Record) -> dict[str, Any]:
        """The record as its case-file dict (what the history stores and imports compare)."""
        data = record.model_dump(mode="json", exclude=set(self.excluded) or None)
        result: dict[str, Any] = prune(data)
        return result

    def columns(self, record: cf.Record) -> dict[str, Any]:
        return _columns_of(record, self.model, self.names)

    def record(self, row: CaseRecord, children: Mapping[str, Sequence[CaseChild]]) -> cf.Record:
        data = _data_of(row, self.names)
        for child in self.children:
            data[child.attr] = [
                child.schema.model_validate(child.data(c)) for c in children.get(child.attr, ())
            ]
        return self.schema.model_validate(data)


def _id(record: cf.Record) -> str:
    value: str = record.id  # type: ignore[attr-defined]
    return value


RECORD_KINDS: tuple[RecordKind, ...] = (
    RecordKind("member", m.Member, cf.Member, lambda f: f.circle, _id),
    RecordKind("authority", m.Authority, cf.Authority, lambda f: f.legal_authorities, _id),
    RecordKind(
        "capacity_assessment",
        m.CapacityAssessment,
        cf.Assessment,
        lambda f: f.capacity_assessments,
        _id,
    ),
    RecordKind(
        "best_interests", m.BestInterests, cf.BestInterests, lambda f: f.best_interests, _id
    ),
    RecordKind("consent", m.Consent, cf.Consent, lambda f: f.consents, _id),
    RecordKind(
        "plan",
        m.Plan,
        cf.Plan,
        lambda f: [f.plan],
        lambda _: "plan",
        excluded=frozenset({"roles", "tasks"}),
    ),
    RecordKind("role", m.Role, cf.Role, lambda f: f.plan.roles, lambda r: r.area),  # type: ignore[attr-defined]
    RecordKind("task", m.Task, cf.Task, lambda f: f.plan.tasks, _id),
    RecordKind("voice", m.VoiceRecord, cf.Voice, lambda f: f.voice, _id),
    RecordKind(
        "meeting",
        m.Meeting,
        cf.Meeting,
        lambda f: f.meetings,
        _id,
        children=(
            ChildKind("contributions", m.Contribution, cf.Contribution, "meeting"),
            ChildKind("decisions", m.Decision, cf.Decision, "meeting"),
        ),
    ),
    RecordKind(
        "risk_assessment",
        m.RiskAssessment,
        cf.Risk,
        lambda f: f.risk_assessments,
        _id,
        children=(ChildKind("hazards", m.Hazard, cf.Hazard, "risk_assessment"),),
    ),
    RecordKind(
        "graded_trial",
        m.GradedTrial,
        cf.Trial,
        lambda f: f.graded_trials,
        _id,
        children=(
            ChildKind("stages", m.TrialStage, cf.Stage, "trial"),
            ChildKind("sessions", m.TrialSession, cf.Session, "trial"),
        ),
    ),
    RecordKind("incident", m.Incident, cf.Incident, lambda f: f.incidents, _id),
    RecordKind("event", m.Event, cf.Event, lambda f: f.events, _id),
    RecordKind(
        "medicine",
        m.Medicine,
        cf.Medicine,
        lambda f: f.medication.regimen,
        lambda r: r.name,  # type: ignore[attr-defined]
    ),
    RecordKind(
        "medication_audit", m.MedicationAudit, cf.MedAudit, lambda f: f.medication.audits, _id
    ),
)

KINDS_BY_NAME: dict[str, RecordKind] = {k.kind: k for k in RECORD_KINDS}

PERSON_KIND = "person"


def person_snapshot(person: cf.Person) -> dict[str, Any]:
    result: dict[str, Any] = prune(person.model_dump(mode="json"))
    return result


def person_columns(person: cf.Person) -> dict[str, Any]:
    return {
        "external_id": person.id,
        "name": person.name,
        "date_of_birth": person.date_of_birth,
        "communication_methods": list(person.communication.methods),
        "communication_notes": person.communication.notes,
    }


def person_record(row: m.Person) -> cf.Person:
    return cf.Person.model_validate(
        {
            "id": row.external_id,
            "name": row.name,
            "date_of_birth": row.date_of_birth,
            "communication": {
                "methods": row.communication_methods,
                "notes": row.communication_notes,
            },
        }
    )


def assemble_casefile(
    *,
    service: tuple[str, str],
    person: cf.Person,
    records: Mapping[str, Sequence[cf.Record]],
    trust: bool = False,
) -> cf.CaseFile:
    """A case file from its person and current records (by kind, in the file's order).

    With ``trust``, the records are taken as the schema's own (stored rows read by
    :mod:`kinwise.records.reading`) and the case file is built without validating it again.
    """

    def get(kind: str) -> list[cf.Record]:
        return list(records.get(kind, ()))

    plans = get("plan")
    if len(plans) != 1:
        raise ValueError(f"a person must have exactly one current plan, found {len(plans)}")
    if trust:
        trusted_plan = trusted(
            cf.Plan, {**plans[0].__dict__, "roles": get("role"), "tasks": get("task")}
        )
        return trusted(
            cf.CaseFile,
            {
                "kinwise": cf.FORMAT_VERSION,
                "as_of": None,
                "service": trusted(cf.Service, {"id": service[0], "name": service[1]}),
                "person": person,
                "circle": get("member"),
                "legal_authorities": get("authority"),
                "capacity_assessments": get("capacity_assessment"),
                "best_interests": get("best_interests"),
                "consents": get("consent"),
                "plan": trusted_plan,
                "voice": get("voice"),
                "meetings": get("meeting"),
                "risk_assessments": get("risk_assessment"),
                "graded_trials": get("graded_trial"),
                "incidents": get("incident"),
                "events": get("event"),
                "medication": trusted(
                    cf.Medication,
                    {"regimen": get("medicine"), "audits": get("medication_audit")},
                ),
            },
            unset=("as_of",),
        )
    plan = plans[0].model_copy(update={"roles": get("role"), "tasks": get("task")})
    return cf.CaseFile.model_validate(
        {
            "kinwise": cf.FORMAT_VERSION,
            "service": {"id": service[0], "name": service[1]},
            "person": person,
            "circle": get("member"),
            "legal_authorities": get("authority"),
            "capacity_assessments": get("capacity_assessment"),
            "best_interests": get("best_interests"),
            "consents": get("consent"),
            "plan": plan,
            "voice": get("voice"),
            "meetings": get("meeting"),
            "risk_assessments": get("risk_assessment"),
            "graded_trials": get("graded_trial"),
            "incidents": get("incident"),
            "events": get("event"),
            "medication": {"regimen": get("medicine"), "audits": get("medication_audit")},
        }
    )
