"""The facts of a case file's stored documents are the facts of the case file itself.

The database stores each record as its pruned JSON form (``RecordKind.snapshot``: no
null, no empty list), and the audit of stored records builds its facts from those
documents without building the records (``facts_of_documents``). A case file gives its
documents unpruned (``casefile_documents``). Both must give the same facts, so that the
audit finds the same in a file and in the database.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kinwise.casefile import schema as cf
from kinwise.casefile.kinds import RECORD_KINDS, documents_version
from kinwise.casefile.load import load_casefile, validate_data
from kinwise.casefile.vocab import DEFAULT_REQUIRED_AREAS
from kinwise.rules.audit import audit_casefile, audit_documents, default_since
from kinwise.rules.facts import (
    PersonDocuments,
    build_facts,
    casefile_documents,
    facts_of_documents,
)
from kinwise.synth.generate import SynthSpec, synth_population
from tests.rules.helpers import base, load
from tests.strategies import AS_OF, casefiles
from tests.tiers import examples

# the project's copies of the seed examples
EXAMPLES = Path(__file__).resolve().parents[2] / "src" / "kinwise" / "demo" / "casefiles"


def stored(casefile: cf.CaseFile) -> PersonDocuments:
    """The case file as the database holds it: each record's pruned snapshot."""
    documents = {
        spec.name: [spec.snapshot(record) for record in spec.records(casefile)]
        for spec in RECORD_KINDS
    }
    return PersonDocuments(
        id=casefile.person.id,
        name=casefile.person.name,
        methods=tuple(casefile.person.communication.methods),
        version=documents_version(documents),
        documents=documents,
    )


def _dates(casefile: cf.CaseFile) -> list[dt.date]:
    """Dates around the file's own: before its first record, on and after each."""
    days = sorted(
        {
            d
            for spec in RECORD_KINDS
            for record in spec.records(casefile)
            for d in [getattr(record, "date", None)]
            if isinstance(d, dt.date)
        }
    )
    if not days:
        return [AS_OF]
    return [
        days[0] - dt.timedelta(days=1),
        days[len(days) // 2],
        days[-1],
        days[-1] + dt.timedelta(days=1),
    ]


def test_synthetic_files_give_the_same_facts_from_their_stored_documents() -> None:
    population = list(synth_population(SynthSpec(people=12, years=3, seed=41, version_two=0.5)))
    assert {c.kinwise for c in population} == {1, 2}
    compared = 0
    for casefile in population:
        documents = stored(casefile)
        assert documents.version == casefile.kinwise
        for day in _dates(casefile):
            assert facts_of_documents(documents, as_of=day) == build_facts(casefile, as_of=day)
            compared += 1
    assert compared == 48


@pytest.mark.parametrize(
    "name",
    [
        "01-risk-and-independence",
        "01-risk-and-independence.before",
        "02-vocal-relative",
        "02-vocal-relative.before",
        "03-historic-arrangement",
        "03-historic-arrangement.before",
    ],
)
def test_the_seed_examples_audit_the_same_from_their_stored_documents(name: str) -> None:
    casefile = load_casefile(EXAMPLES / f"{name}.yaml")
    as_of = casefile.as_of
    assert as_of is not None
    since = default_since(as_of)
    from_file = audit_casefile(casefile, as_of=as_of, since=since)
    from_store = audit_documents(stored(casefile), as_of=as_of, since=since)
    assert from_store == from_file
    assert from_store.rules_version == 1


@settings(
    max_examples=examples(ci=30, long=400),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(casefiles(), st.integers(-60, 60))
def test_generated_files_give_the_same_facts_from_their_stored_documents(
    data: dict[str, Any], offset: int
) -> None:
    casefile, errors = validate_data(data)
    assert errors == [] and casefile is not None
    as_of = AS_OF + dt.timedelta(days=offset)
    assert facts_of_documents(stored(casefile), as_of=as_of) == build_facts(casefile, as_of=as_of)


def _one(kind: str, document: dict[str, Any]) -> PersonDocuments:
    casefile = load(base())
    documents = {**casefile_documents(casefile).documents, kind: [document]}
    return PersonDocuments(id="p", name="P", methods=("speech",), version=2, documents=documents)


def test_a_flag_absent_from_a_document_is_false_as_the_schema_says() -> None:
    incident = {"id": "i1", "date": "2026-05-01", "area": "health", "severity": "low"}
    facts = facts_of_documents(_one("incident", incident), as_of=AS_OF)
    assert [(i.id, i.safeguarding) for i in facts.incidents] == [("i1", False)]
    medicine = {"name": "M", "doses_per_day": 2.0, "route": "oral"}
    (found,) = facts_of_documents(_one("medicine", medicine), as_of=AS_OF).medicines
    assert (found.time_critical, found.controlled, found.prn) == (False, False, False)


def test_a_goal_without_its_review_period_has_the_schemas_90_days() -> None:
    assert cf.Goal.model_fields["review_every"].default == 90
    goal = {"id": "g1", "date": "2026-05-01", "area": "health", "set_by": "p"}
    (found,) = facts_of_documents(_one("goal", goal), as_of=AS_OF).goals
    assert (found.review_every, found.review_dates, found.ended) == (90, (), None)


def test_the_time_section_applies_to_documents_on_the_day_and_the_day_after() -> None:
    incident = {"id": "i1", "date": "2026-06-01", "area": "health", "severity": "low"}
    day = dt.date(2026, 6, 1)
    assert len(facts_of_documents(_one("incident", incident), as_of=day).incidents) == 1
    before = day - dt.timedelta(days=1)
    assert facts_of_documents(_one("incident", incident), as_of=before).incidents == ()


def test_the_format_version_of_documents_is_the_lowest_that_holds_them() -> None:
    casefile = load(base())
    documents = dict(casefile_documents(casefile).documents)
    assert documents_version(documents) == 1
    assert documents_version({**documents, "goal": [{"id": "g1"}]}) == 2
    assert documents_version({**documents, "goal": []}) == 1
    event = {"id": "e1", "date": "2026-05-01", "kind": "carer_unwell", "areas": ["health"]}
    assert documents_version({**documents, "event": [event]}) == 2


def test_an_empty_list_of_required_areas_means_none_and_an_absent_one_the_default() -> None:
    data = base()
    data["plan"]["required_areas"] = []
    none = load(data)
    assert build_facts(none, as_of=AS_OF).plan.required_areas == ()
    # the stored snapshot keeps the empty list, unlike every other empty list
    assert facts_of_documents(stored(none), as_of=AS_OF).plan.required_areas == ()
    data["plan"].pop("required_areas")
    default = load(data)
    assert build_facts(default, as_of=AS_OF).plan.required_areas == DEFAULT_REQUIRED_AREAS
    assert facts_of_documents(stored(default), as_of=AS_OF).plan.required_areas == (
        DEFAULT_REQUIRED_AREAS
    )
