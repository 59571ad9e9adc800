"""Properties of the audit over generated valid case files."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kinwise.casefile.load import validate_data
from kinwise.casefile.schema import CaseFile
from kinwise.rules.audit import audit_casefile, default_since
from kinwise.rules.catalogue import RULES_BY_ID
from tests.strategies import AS_OF, casefiles, late_records
from tests.tiers import examples

# 60 examples each before the tiers; CI runs 20 (drawn the same way each run), make test-long 300.
SETTINGS = settings(
    max_examples=examples(ci=20, long=300),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
AS_OFS = st.integers(-60, 60).map(lambda o: AS_OF + timedelta(days=o))


def valid(data: dict[str, Any]) -> CaseFile:
    model, errors = validate_data(data)
    assert errors == [], [str(e) for e in errors]
    assert model is not None
    return model


@SETTINGS
@given(casefiles(), AS_OFS)
def test_audit_runs_sorted_consistent_and_deterministic(data: dict[str, Any], as_of: date) -> None:
    cf = valid(data)
    audit = audit_casefile(cf, as_of=as_of, since=default_since(as_of))
    keys = [(f.rule, f.subject) for f in audit.findings]
    assert keys == sorted(keys)
    assert len(set(keys)) == len(keys)
    for finding in audit.findings:
        assert finding.severity == RULES_BY_ID[finding.rule].severity
        assert finding.message.strip()
    summary = audit.summary()
    assert sum(summary.values()) == len(audit.findings)
    again = audit_casefile(valid(data), as_of=as_of, since=default_since(as_of))
    assert again == audit
    assert json.loads(json.dumps(audit.to_json())) == audit.to_json()


@SETTINGS
@given(st.data())
def test_records_dated_after_as_of_never_change_the_findings(data: st.DataObject) -> None:
    original = data.draw(casefiles())
    as_of = data.draw(AS_OFS)
    extended = data.draw(late_records(original, after=as_of))
    since = default_since(as_of)
    before = audit_casefile(valid(original), as_of=as_of, since=since)
    after = audit_casefile(valid(extended), as_of=as_of, since=since)
    assert after.findings == before.findings


@SETTINGS
@given(casefiles(), AS_OFS, st.integers(0, 365), st.integers(0, 365))
def test_a_shorter_period_reports_a_subset(
    data: dict[str, Any], as_of: date, start: int, shorter_by: int
) -> None:
    cf = valid(data)
    since = as_of - timedelta(days=start)
    later_since = min(as_of, since + timedelta(days=shorter_by))
    wide = {(f.rule, f.subject) for f in audit_casefile(cf, as_of=as_of, since=since).findings}
    narrow = {
        (f.rule, f.subject) for f in audit_casefile(cf, as_of=as_of, since=later_since).findings
    }
    assert narrow <= wide
    # Rules about the current state do not move with the period.
    assert {k for k in wide if not RULES_BY_ID[k[0]].period} == {
        k for k in narrow if not RULES_BY_ID[k[0]].period
    }
