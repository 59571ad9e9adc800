"""The engine, the case-file audit, the facts' treatment of time, and the catalogue."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from kinwise.errors import ErrorCode, KinwiseError
from kinwise.rules.audit import PersonAudit, audit_casefile, default_since
from kinwise.rules.catalogue import CATALOGUE_ONE, FAMILIES, RULES, RULES_BY_ID, RULES_VERSION
from kinwise.rules.engine import Finding, audit_person
from kinwise.rules.facts import build_facts
from tests.rules.helpers import (
    AS_OF,
    add,
    assessment,
    authority,
    base,
    consent,
    day,
    load,
    meeting,
    role,
    run,
    task,
    voice,
)

SEVERITY = {
    "RC01": "high", "RC02": "high", "RC03": "high", "RC04": "medium",
    "CA01": "medium", "CA02": "medium", "IC01": "high", "IC02": "medium",
    "VO01": "high", "VO02": "medium", "VO03": "high", "VO04": "low", "VO05": "medium",
    "RK01": "high", "RK02": "high", "RK03": "medium", "RK04": "high", "RK05": "medium",
    "RK06": "low",
    "PA01": "medium", "PA02": "high", "PA03": "high", "PA04": "medium", "PA05": "high",
    "PA06": "high",
    # catalogue 2 (docs/spec/rules-v2.md): only format version 2's records
    "CN01": "medium", "CN02": "medium", "CN03": "high", "CN04": "medium", "CN05": "high",
    "CP01": "high", "CP02": "medium", "CP03": "high",
    "GO01": "high", "GO02": "medium", "RS01": "high", "RS02": "high", "RS03": "medium",
}  # fmt: skip


def test_catalogue_lists_the_38_rules_in_order_with_their_severity() -> None:
    assert RULES_VERSION == 2
    assert tuple(list(SEVERITY)[:25]) == CATALOGUE_ONE
    assert [r.id for r in RULES] == list(SEVERITY)
    assert {r.id: r.severity for r in RULES} == SEVERITY
    assert [rid for _, ids in FAMILIES for rid in ids] == list(SEVERITY)
    assert set(RULES_BY_ID) == set(SEVERITY)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_every_rule_is_documented(rule: object) -> None:
    from kinwise.rules.base import Rule

    assert isinstance(rule, Rule)
    assert rule.check.__doc__ and rule.check.__doc__.startswith(rule.id)
    assert rule.title and rule.checks and rule.why and rule.fix and rule.pressure_point
    assert rule.quality_statements
    happened = {"RC04", "CA02", "VO01", "VO02", "VO03", "VO04", "VO05"} | {
        "RK01", "RK02", "RK03", "RK04", "RK05", "PA05",
        "CN01", "CN02", "CN03", "CN04", "CN05", "CP03",
    }  # fmt: skip
    assert rule.period is (rule.id in happened)


def test_since_after_as_of_is_a_usage_error() -> None:
    cf = load(base())
    with pytest.raises(KinwiseError) as raised:
        audit_casefile(cf, as_of=AS_OF, since=AS_OF + timedelta(days=1))
    assert raised.value.code is ErrorCode.USAGE
    facts = build_facts(cf, as_of=AS_OF)
    with pytest.raises(KinwiseError):
        audit_person(facts, as_of=AS_OF, since=AS_OF + timedelta(days=1))
    assert audit_casefile(cf, as_of=AS_OF, since=AS_OF).findings == ()


def test_facts_must_be_built_at_the_audit_date() -> None:
    facts = build_facts(load(base()), as_of=AS_OF)
    with pytest.raises(ValueError):
        audit_person(facts, as_of=AS_OF + timedelta(days=1), since=AS_OF)


def test_default_since_is_365_days_before() -> None:
    assert default_since(date(2026, 6, 1)) == date(2025, 6, 1)
    assert default_since(date(2024, 3, 1)) == date(2023, 3, 2)  # across 29 February


def busy() -> dict[str, object]:
    data = base()
    data["plan"]["roles"] = [r for r in data["plan"]["roles"] if r["area"] != "medication"]
    role(data, "health_treatment").update(decides="fam", informed=["fam", "fr"])
    role(data, "personal_care").update(decides="st")
    data.pop("consents")
    add(data, "voice", voice("v1", day(-5), method="bsl"), voice("v0", day(-6), method="aac"))
    return data


def test_findings_sorted_by_rule_then_subject_as_plain_strings() -> None:
    audit = run(busy())
    keys = [(f.rule, f.subject) for f in audit.findings]
    assert keys == sorted(keys)
    assert keys == [
        ("IC01", "role:health_treatment/informed:fam"),
        ("IC01", "role:health_treatment/informed:fr"),
        ("IC02", "plan"),
        ("RC01", "role:medication"),
        ("RC02", "role:health_treatment"),
        ("RC03", "role:personal_care"),
        ("VO04", "voice:v0"),
        ("VO04", "voice:v1"),
    ]
    assert [f.severity for f in audit.findings] == [
        "high", "high", "medium", "high", "high", "high", "low", "low",
    ]  # fmt: skip
    assert audit.summary() == {"high": 5, "medium": 1, "low": 2}


def test_to_json_is_exactly_the_contract() -> None:
    audit = run(busy(), since=AS_OF - timedelta(days=30))
    out = audit.to_json()
    assert list(out) == ["person", "as_of", "since", "rules_version", "findings", "summary"]
    assert out["person"] == "p"
    assert out["as_of"] == "2026-06-01"
    assert out["since"] == "2026-05-02"
    assert out["rules_version"] == 1  # a version-1 file
    assert out["summary"] == {"high": 5, "medium": 1, "low": 2}
    first = out["findings"][0]
    assert first == {
        "rule": "IC01",
        "severity": "high",
        "subject": "role:health_treatment/informed:fam",
        "message": first["message"],
        "evidence": ["fam"],
    }
    assert "Fran Doe" in first["message"] and "health and treatment" in first["message"]
    assert "Pat Doe" in first["message"]


def test_messages_use_names_and_labels_not_ids() -> None:
    for finding in run(busy()).findings:
        assert "health_treatment" not in finding.message
        assert "personal_care" not in finding.message
        assert " fam " not in finding.message and " st " not in finding.message


def test_audit_is_deterministic() -> None:
    first, second = run(busy()), run(busy())
    assert first == second
    assert isinstance(first, PersonAudit)
    assert all(isinstance(f, Finding) for f in first.findings)


# --- Time: nothing after as_of exists --------------------------------------------------------


def test_records_dated_after_as_of_are_ignored_everywhere() -> None:
    data = base()
    # Each of these would be a finding if it existed at as_of.
    add(data, "voice", voice("v-late", day(1), method="bsl"))
    add(data, "meetings", meeting("m-late", day(1), attendees=["p", "fam"], facilitator=None))
    add(
        data,
        "capacity_assessments",
        assessment("a-late", "medication", day(1), lacks=True, support_given=None),
    )
    data["plan"]["tasks"] = [task("t-late", "administer_medication", "medication", "st", day(1))]
    add(
        data,
        "legal_authorities",
        authority("lpa-late", "lpa_health_welfare", registered=day(1)),
    )
    data["consents"].append(consent("c-late", "care_plan", day(1), given_by="fam"))
    assert run(data).findings == ()
    # The same records exist when the audit date reaches them.
    later = {(f.rule, f.subject) for f in run(data, as_of=AS_OF + timedelta(days=1)).findings}
    assert later == {
        ("CA02", "capacity:a-late"),
        ("PA06", "task:t-late"),
        ("RC01", "role:medication"),
        ("VO05", "meeting:m-late"),
        ("VO04", "voice:v-late"),
    }


def test_facts_drop_later_records_and_references_to_them() -> None:
    data = base()
    add(data, "voice", voice("v1", day(-3)), voice("v2", day(2)))
    add(
        data,
        "meetings",
        meeting(
            "m1",
            day(-1),
            "partnership_review",
            decisions=[
                {
                    "area": "medication",
                    "outcome": "x",
                    "persons_view": "v2",
                    "evidence": ["v1", "v2"],
                }
            ],
            reviews_tasks=["t1", "t2"],
        ),
    )
    data["plan"]["tasks"] = [
        task(
            "t1",
            "transport",
            "medication",
            "st",
            day(-10),
            agreed=day(3),
            reviewed=day(-2),
            ended=day(4),
        ),
        task("t2", "transport", "medication", "st", day(1)),
    ]
    data["plan"]["version_date"] = day(1)
    data["circle"][2]["trained"] = {"administer_medication": day(1), "transport": day(0)}
    facts = build_facts(load(data), as_of=AS_OF)
    assert [v.id for v in facts.voice] == ["v1"]
    [decision] = facts.meetings[0].decisions
    assert decision.persons_view is None
    assert decision.evidence == ("v1",)
    assert facts.meetings[0].reviews_tasks == ("t1",)
    [t1] = facts.plan.tasks
    assert (t1.agreed, t1.reviewed, t1.ended) == (None, date(2026, 5, 30), None)
    assert facts.plan.version_date is None
    assert dict(facts.members_by_id["st"].trained) == {"transport": AS_OF}


def test_medication_complexity_at_as_of() -> None:
    data = base()
    data["medication"] = {
        "regimen": [
            {"name": "A", "doses_per_day": 2, "time_critical": True, "route": "oral"},
            {
                "name": "B",
                "doses_per_day": 1,
                "controlled": True,
                "prn": True,
                "route": "injection",
            },
            {"name": "C", "doses_per_day": 5, "route": "oral", "stopped": day(0)},
            {"name": "D", "doses_per_day": 5, "route": "oral", "started": day(1)},
        ]
    }
    facts = build_facts(load(data), as_of=AS_OF)
    assert facts.medication_complexity(AS_OF) == 4 + 6
    assert facts.medication_complexity(AS_OF - timedelta(days=1)) == 4 + 6 + 5


def test_audits_well_over_100_people_a_second() -> None:
    import time
    from pathlib import Path

    from kinwise.casefile.load import load_casefile

    folder = Path(__file__).resolve().parents[2] / "src" / "kinwise" / "demo" / "casefiles"
    files = [load_casefile(p) for p in sorted(folder.glob("*.yaml"))]
    started = time.perf_counter()
    for _ in range(50):
        for cf in files:
            assert cf.as_of is not None
            audit_casefile(cf, as_of=cf.as_of, since=default_since(cf.as_of))
    elapsed = time.perf_counter() - started
    assert elapsed < 3.0  # 300 audits: at least 100 people a second, with a wide margin


def test_docs_catalogue_matches_the_rules() -> None:
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "rules.md").read_text(encoding="utf-8")
    for rule in RULES:
        assert f"#### {rule.id} — {rule.title}\n" in text
        assert rule.checks in text and rule.fix in text
    assert "## Reading of the specification" in text
