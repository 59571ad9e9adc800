"""Every registered kind of record has its facts, and they carry every record of it."""

from __future__ import annotations

import datetime as dt

import pytest

from kinwise.casefile.kinds import RECORD_KINDS, RecordKind
from kinwise.rules.facts import FACTS_OF, build_facts
from kinwise.synth.generate import SynthSpec, synth_population

# After every date in the synthetic files: each record's facts are there.
LATER = dt.date(2100, 1, 1)


def test_every_registered_kind_has_its_facts() -> None:
    assert [k.name for k in RECORD_KINDS if k.name not in FACTS_OF] == []
    assert sorted(set(FACTS_OF) - set(RECORD_KINDS.names)) == []


@pytest.mark.parametrize("spec", list(RECORD_KINDS), ids=lambda k: k.name)
def test_a_kinds_facts_hold_each_of_its_records(spec: RecordKind) -> None:
    total = 0
    for casefile in synth_population(SynthSpec(people=6, years=2, seed=3, version_two=1.0)):
        facts = build_facts(casefile, as_of=LATER)
        count = len(spec.records(casefile))
        assert len(FACTS_OF[spec.name](facts)) == count
        total += count
    assert total > 0


def test_evidence_ids_are_the_ids_of_the_evidence_kinds() -> None:
    for casefile in synth_population(SynthSpec(people=4, years=2, seed=5)):
        facts = build_facts(casefile, as_of=LATER)
        expected = {
            record.id  # type: ignore[attr-defined]
            for spec in RECORD_KINDS
            if spec.evidence
            for record in spec.records(casefile)
        }
        assert facts.evidence_ids == expected
