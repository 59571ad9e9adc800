"""Catalogue 2 keeps catalogue 1 exactly: a file with none of format version 2's records
has exactly its catalogue-1 findings, and adding version-2 records never changes a
catalogue-1 finding, except through a carer_unwell event, which catalogue 1 reads as an
event like any other (docs/spec/rules-v2.md)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kinwise.casefile.load import load_casefile, validate_data
from kinwise.casefile.schema import V2_SECTIONS, CaseFile
from kinwise.rules.audit import audit_casefile, default_since
from kinwise.rules.catalogue import CATALOGUE_ONE
from kinwise.synth.generate import SynthSpec, synth_population
from tests.strategies import AS_OF, casefiles

KEPT = Path(__file__).resolve().parents[2] / "src" / "kinwise" / "demo" / "casefiles"


def pairs(cf: CaseFile, as_of: date) -> list[tuple[str, str, str]]:
    audit = audit_casefile(cf, as_of=as_of, since=default_since(as_of))
    return [(f.rule, f.subject, f.severity) for f in audit.findings]


@pytest.mark.parametrize("path", sorted(KEPT.glob("*.yaml")), ids=lambda p: p.name)
def test_the_six_examples_have_exactly_their_expected_findings(path: Path) -> None:
    # the project's copies are the shared examples (the demo's rationale texts name
    # records in words rather than by id; the findings do not read them)
    expected = json.loads(path.with_name(path.stem + ".expected.json").read_text())
    cf = load_casefile(path)
    assert cf.kinwise == 1
    assert cf.as_of is not None
    found = pairs(cf, cf.as_of)
    assert {(r, s) for r, s, _ in found} == {
        (f["rule"], f["subject"]) for f in expected["findings"]
    }
    assert all(rule in CATALOGUE_ONE for rule, _, _ in found)


def test_synthetic_files_without_version_two_have_only_catalogue_one_findings() -> None:
    seen = 0
    for cf in synth_population(SynthSpec(people=40, years=3, seed=11)):
        assert cf.kinwise == 1
        assert cf.as_of is not None
        found = pairs(cf, cf.as_of)
        seen += len(found)
        assert all(rule in CATALOGUE_ONE for rule, _, _ in found)
    assert seen > 0


def _without_version_two(cf: CaseFile) -> CaseFile:
    return cf.model_copy(update={name: [] for name in V2_SECTIONS if name != "exported"})


def test_synthetic_version_two_records_leave_catalogue_one_as_it_was() -> None:
    changed = 0
    for cf in synth_population(SynthSpec(people=40, years=3, seed=11, version_two=1.0)):
        assert cf.kinwise == 2
        assert cf.as_of is not None
        full = pairs(cf, cf.as_of)
        one = [p for p in full if p[0] in CATALOGUE_ONE]
        assert one == pairs(_without_version_two(cf), cf.as_of)
        changed += len(full) - len(one)
    assert changed > 0  # the synthetic records do give catalogue-2 findings


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(casefiles(), st.integers(-60, 60).map(lambda o: AS_OF + timedelta(days=o)))
def test_drawn_files_catalogue_one_is_blind_to_version_two(
    data: dict[str, Any], as_of: date
) -> None:
    cf, errors = validate_data(data)
    assert cf is not None, errors
    full = pairs(cf, as_of)
    stripped = _without_version_two(cf)
    assert [p for p in full if p[0] in CATALOGUE_ONE] == pairs(stripped, as_of)
    if not any(getattr(cf, name) for name in V2_SECTIONS) and not any(
        e.kind == "carer_unwell" for e in cf.events
    ):
        assert all(rule in CATALOGUE_ONE for rule, _, _ in full)
    # catalogue 2's rules judge only version 2's records: nothing without them (a
    # carer_unwell event alone is judged only for a carer with a carer's plan)
    assert all(rule in CATALOGUE_ONE for rule, _, _ in pairs(stripped, as_of))
