"""The registry of the kinds of record: the one list every other list derives from."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from kinwise.casefile import schema as cf
from kinwise.casefile.kinds import (
    KINDS_TABLE_END,
    KINDS_TABLE_START,
    PERSON_KIND,
    RECORD_KINDS,
    Registry,
    kind_titles,
    kinds_table,
)
from kinwise.casefile.load import load_casefile
from kinwise.casefile.schema import CaseFile, json_schema
from kinwise.errors import ErrorCode, KinwiseError
from kinwise.rules.audit import audit_casefile, default_since
from kinwise.synth.generate import SynthSpec, synth_population

DOCS = Path(__file__).resolve().parents[2] / "docs" / "casefile.md"

# The case file's fields that are not lists of records.
NOT_RECORDS = {"kinwise", "as_of", "service", "person", "exported"}


def test_the_docs_table_is_the_registrys() -> None:
    text = DOCS.read_text(encoding="utf-8")
    start, end = text.index(KINDS_TABLE_START), text.index(KINDS_TABLE_END)
    assert text[start : end + len(KINDS_TABLE_END)] == kinds_table()


def test_the_docs_table_has_a_row_per_kind() -> None:
    rows = kinds_table().splitlines()[3:-1]
    assert [re.match(r"\| `(\w+)` \|", row).group(1) for row in rows] == [  # type: ignore[union-attr]
        "member",
        "authority",
        "capacity_assessment",
        "best_interests",
        "consent",
        "plan",
        "role",
        "task",
        "voice",
        "meeting",
        "risk_assessment",
        "graded_trial",
        "incident",
        "event",
        "medicine",
        "medication_audit",
        "family_view",
        "concern",
        "role_change",
        "carer_plan",
        "goal",
        "restriction",
    ]


def test_every_section_of_the_case_file_is_a_registered_place() -> None:
    sections = {k.place[0] for k in RECORD_KINDS}
    assert set(CaseFile.model_fields) - NOT_RECORDS - sections == set()
    assert sections - set(CaseFile.model_fields) == set()


def _model_at(place: tuple[str, ...]) -> Any:
    model: Any = CaseFile
    for part in place:
        annotation = model.model_fields[part].annotation
        args = getattr(annotation, "__args__", ())
        model = args[0] if args and isinstance(args[0], type) else annotation
    return model


@pytest.mark.parametrize("spec", list(RECORD_KINDS), ids=lambda k: k.name)
def test_each_kinds_place_holds_its_schema(spec: Any) -> None:
    assert _model_at(spec.place) is spec.schema


@pytest.mark.parametrize("spec", list(RECORD_KINDS), ids=lambda k: k.name)
def test_each_kinds_place_is_in_the_published_json_schema(spec: Any) -> None:
    schema = json_schema(spec.version)
    assert spec.place[0] in schema["properties"]
    if len(spec.place) == 2:
        container = _model_at(spec.place[:1]).__name__
        assert spec.place[1] in schema["$defs"][container]["properties"]
    assert spec.schema.__name__ in schema["$defs"]
    if spec.version == 2:
        assert spec.place[0] not in json_schema(1)["properties"]
        assert spec.schema.__name__ not in json_schema(1)["$defs"]


def test_version_ones_json_schema_is_as_it_was_published() -> None:
    published = (Path(__file__).parent / "casefile-v1.schema.json").read_text(encoding="utf-8")
    assert json.dumps(json_schema(), indent=2) + "\n" == published
    assert json_schema(1) == json_schema()
    two = json_schema(2)
    assert two["title"] == "Kinwise case file, format version 2"
    assert two["properties"]["kinwise"]["enum"] == [1, 2]
    assert "carer_unwell" in two["$defs"]["Event"]["properties"]["kind"]["enum"]
    assert "carer" in two["$defs"]["Event"]["properties"]
    assert {k.place[0] for k in RECORD_KINDS} | {"exported"} <= set(two["properties"])


def test_names_are_one_per_kind_and_never_the_persons() -> None:
    names = [k.name for k in RECORD_KINDS]
    assert len(set(names)) == len(names) == 22
    assert PERSON_KIND not in names
    assert kind_titles()[PERSON_KIND] == "Communication profile"
    with pytest.raises(ValueError, match="a name of its own"):
        Registry([RECORD_KINDS["voice"], RECORD_KINDS["voice"]])


def test_a_kind_is_found_by_its_name_or_not_found() -> None:
    assert RECORD_KINDS.named("graded_trial").place == ("graded_trials",)
    assert RECORD_KINDS.at(("plan", "tasks")) is RECORD_KINDS["task"]
    assert RECORD_KINDS.get("trial") is None
    with pytest.raises(KinwiseError) as raised:
        RECORD_KINDS.named("trial")
    assert raised.value.code == ErrorCode.NOT_FOUND


def test_messages_name_each_referable_kind() -> None:
    assert {k.name: k.referred_as for k in RECORD_KINDS if k.has_id} == {
        "member": "a circle member",
        "authority": "a legal authority",
        "capacity_assessment": "a capacity assessment",
        "best_interests": "a best-interests decision",
        "consent": "a consent",
        "task": "a task",
        "voice": "a voice record",
        "meeting": "a meeting",
        "risk_assessment": "a risk assessment",
        "graded_trial": "a graded trial",
        "incident": "an incident",
        "event": "an event",
        "medication_audit": "a medication audit",
        "family_view": "a family member's view",
        "concern": "a concern",
        "role_change": "a change of role",
        "carer_plan": "a carer's plan",
        "goal": "a goal",
        "restriction": "a restriction",
    }


def test_evidence_is_what_the_format_lets_a_decision_cite() -> None:
    assert [k.name for k in RECORD_KINDS if k.evidence] == [
        "capacity_assessment",
        "best_interests",
        "voice",
        "risk_assessment",
        "graded_trial",
        "incident",
        "event",
        "medication_audit",
    ]


def test_every_subject_the_audit_gives_has_a_registered_prefix() -> None:
    prefixes = {k.subject_prefix for k in RECORD_KINDS if k.subject_prefix}
    seen: set[str] = set()
    for casefile in synth_population(SynthSpec(people=30, years=3, seed=7)):
        assert casefile.as_of is not None
        audit = audit_casefile(casefile, as_of=casefile.as_of, since=default_since(casefile.as_of))
        seen |= {f.subject.split(":", 1)[0] for f in audit.findings}
    # decision:<meeting>/<area> names a row of a meeting, not a kind of its own
    assert seen - prefixes == {"decision"}
    # carer_plan:<id>/task:<task> names a contingency missing from a carer's plan
    # the subjects of rules.md's tables, besides decision:<meeting>/<area>
    assert prefixes == {
        "role",
        "best_interests",
        "capacity",
        "plan",
        "meeting",
        "voice",
        "risk",
        "incident",
        "trial",
        "task",
        "event",
        "concern",
        "role_change",
        "carer_plan",
        "goal",
        "restriction",
    }


def test_a_subject_is_written_as_rules_md_says() -> None:
    assert RECORD_KINDS["risk_assessment"].subject("ra-1") == "risk:ra-1"
    assert RECORD_KINDS["role"].subject("medication") == "role:medication"
    assert RECORD_KINDS["plan"].subject("plan") == "plan"


def test_the_plan_alone_is_single() -> None:
    assert [k.name for k in RECORD_KINDS if k.single] == ["plan"]
    assert [k.name for k in RECORD_KINDS if not k.correctable] == ["plan"]
    assert cf.FORMAT_VERSION == 1


# the kinds of subject rules.md names (`role:<area>`, `decision:<meeting>/<area>`, `plan`...)
RULES_SUBJECT_PREFIXES = (
    "best_interests", "capacity", "decision", "event", "incident", "meeting",
    "plan", "risk", "role", "task", "trial", "voice",
)  # fmt: skip


@pytest.mark.parametrize("prefix", RULES_SUBJECT_PREFIXES)
def test_every_subject_of_the_rules_is_put_right_at_a_kinds_page(prefix: str) -> None:
    spec = RECORD_KINDS.by_subject(prefix)
    assert spec is not None
    assert spec.fix_at and spec.fix_words  # version 1's kinds each have their own place


def test_the_examples_findings_all_name_a_kind() -> None:
    demo = Path(__file__).resolve().parents[2] / "src" / "kinwise" / "demo" / "casefiles"
    seen = set()
    for path in sorted(demo.glob("*.yaml")):
        casefile = load_casefile(path)
        audit = audit_casefile(casefile, as_of=casefile.as_of, since=default_since(casefile.as_of))
        for finding in audit.findings:
            seen.add(finding.subject.partition(":")[0])
    assert seen and seen <= set(RULES_SUBJECT_PREFIXES)


def test_a_kind_named_by_the_audit_says_where_its_findings_are_put_right() -> None:
    for spec in RECORD_KINDS:
        if spec.subject_prefix:
            at, words = spec.put_right_at
            assert at and words, spec.name
            if spec.single:
                assert "{key}" not in at, spec.name
            if not spec.fix_at:  # listed on its page's list of kinds without their own
                assert at.endswith(f"#listed-{spec.name}") and not spec.own_listing
    assert RECORD_KINDS.by_subject("decision") is RECORD_KINDS["meeting"]
    assert RECORD_KINDS.by_subject("hazard") is None
