"""A minimal valid case file for rule tests, changed one thing at a time."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest

from kinwise.casefile.load import validate_data
from kinwise.casefile.schema import CaseFile
from kinwise.rules.audit import PersonAudit, audit_casefile, default_since

AS_OF = date(2026, 6, 1)
DEFAULT_AREAS = ("medication", "health_treatment", "personal_care", "finances_daily")

_BASE: dict[str, Any] = {
    "kinwise": 1,
    "person": {"id": "p", "name": "Pat Doe", "communication": {"methods": ["verbal", "pictures"]}},
    "circle": [
        {"id": "fam", "name": "Fran Doe", "kind": "family", "relationship": "mother"},
        {"id": "fr", "name": "Frankie Roe", "kind": "friend"},
        {"id": "st", "name": "Sol Tee", "kind": "staff"},
        {"id": "st2", "name": "Sam Two", "kind": "staff"},
        {"id": "pro", "name": "Dana Pro", "kind": "professional"},
        {"id": "adv", "name": "Ada Vee", "kind": "advocate"},
    ],
    "consents": [{"id": "c-plan", "kind": "care_plan", "given_by": "p", "date": "2025-01-01"}],
    "plan": {
        "version_date": "2025-01-01",
        "roles": [{"area": area, "decides": "p"} for area in DEFAULT_AREAS],
    },
}


def base() -> dict[str, Any]:
    """A valid file with no findings at AS_OF: the person decides every default area."""
    return copy.deepcopy(_BASE)


def day(offset: int, start: date = AS_OF) -> str:
    """AS_OF (or ``start``) plus ``offset`` days, written as in a case file."""
    return (start + timedelta(days=offset)).isoformat()


def load(data: dict[str, Any]) -> CaseFile:
    model, errors = validate_data(data)
    assert errors == [], [str(e) for e in errors]
    assert model is not None
    return model


def run(data: dict[str, Any], *, as_of: date = AS_OF, since: date | None = None) -> PersonAudit:
    return audit_casefile(
        load(data), as_of=as_of, since=since if since is not None else default_since(as_of)
    )


def pairs(data: dict[str, Any], **kwargs: Any) -> set[tuple[str, str]]:
    return {(f.rule, f.subject) for f in run(data, **kwargs).findings}


def subjects(data: dict[str, Any], rule: str, **kwargs: Any) -> set[str]:
    """The subjects one rule reports for ``data``."""
    return {s for r, s in pairs(data, **kwargs) if r == rule}


def role(data: dict[str, Any], area: str) -> dict[str, Any]:
    """The plan's role for ``area``, added (decided by the person) if missing."""
    for existing in data["plan"]["roles"]:
        if existing["area"] == area:
            return existing
    new: dict[str, Any] = {"area": area, "decides": "p"}
    data["plan"]["roles"].append(new)
    return new


def add(data: dict[str, Any], key: str, *records: dict[str, Any]) -> dict[str, Any]:
    data.setdefault(key, []).extend(records)
    return data


def assessment(ident: str, area: str, when: str, *, lacks: bool, **extra: Any) -> dict[str, Any]:
    record = {
        "id": ident,
        "area": area,
        "decision": "a decision",
        "date": when,
        "assessor": "pro",
        "impairment": lacks,
        "understand": not lacks,
        "retain": True,
        "weigh": True,
        "communicate": True,
        "outcome": "lacks_capacity" if lacks else "has_capacity",
        "support_given": "Easy-read pictures and time.",
    }
    record.update(extra)
    return record


def authority(ident: str, kind: str, *, holder: str = "fam", **extra: Any) -> dict[str, Any]:
    record = {"id": ident, "holder": holder, "kind": kind}
    record.update(extra)
    return record


def consent(ident: str, kind: str, when: str, **extra: Any) -> dict[str, Any]:
    record = {"id": ident, "kind": kind, "given_by": "p", "date": when}
    record.update(extra)
    return record


def voice(ident: str, when: str, *, direct: bool = True, **extra: Any) -> dict[str, Any]:
    record = {
        "id": ident,
        "date": when,
        "method": "verbal",
        "setting": "separate",
        "captured_by": "st",
        "direct": direct,
        "summary": "Said what matters.",
    }
    record.update(extra)
    return record


def meeting(ident: str, when: str, kind: str = "joint_planning", **extra: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": ident,
        "date": when,
        "kind": kind,
        "facilitator": "st",
        "attendees": ["p", "st"],
    }
    record.update(extra)
    return record


def risk(ident: str, area: str, when: str, **extra: Any) -> dict[str, Any]:
    record = {
        "id": ident,
        "area": area,
        "activity": "Going to the shop",
        "date": when,
        "participants": ["p", "st"],
        "hazards": [
            {
                "hazard": "Traffic",
                "likelihood": 2,
                "severity": 3,
                "residual_likelihood": 1,
                "residual_severity": 3,
            }
        ],
        "persons_view": "Wants to go.",
        "person_agrees": True,
        "agreed_position": "proceed_with_controls",
        "review_by": day(365),
    }
    record.update(extra)
    return record


def incident(ident: str, when: str, **extra: Any) -> dict[str, Any]:
    record = {
        "id": ident,
        "date": when,
        "area": "mobility_outdoors",
        "severity": "moderate",
        "description": "Fell from the kerb.",
    }
    record.update(extra)
    return record


def event(ident: str, when: str, kind: str, areas: list[str]) -> dict[str, Any]:
    return {"id": ident, "date": when, "kind": kind, "areas": areas, "description": "Changed."}


def task(ident: str, kind: str, area: str, holder: str, since: str, **extra: Any) -> dict[str, Any]:
    record = {"id": ident, "task": kind, "area": area, "holder": holder, "since": since}
    record.update(extra)
    return record


Mutate = Callable[[dict[str, Any]], object]


def case(name: str, mutate: Mutate, expected: set[str]) -> Any:
    """One row of a rule's table: a change to the base file and the subjects expected."""
    return pytest.param(mutate, expected, id=name)


def both(*mutations: Mutate) -> Mutate:
    def mutate(data: dict[str, Any]) -> None:
        for mutation in mutations:
            mutation(data)

    return mutate


def check(rule: str, mutate: Mutate, expected: set[str], **kwargs: Any) -> None:
    data = base()
    mutate(data)
    assert subjects(data, rule, **kwargs) == expected
