"""The FHIR export: every bundle validates against the R4 models, and the codes are right."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle
from pydantic import ValidationError

from kinwise.casefile.kinds import RECORD_KINDS
from kinwise.casefile.load import load_casefile, parse_casefile
from kinwise.casefile.schema import CaseFile
from kinwise.reports.fhir import (
    CS_DECISION_AREA,
    CS_DECISION_ROLE,
    FHIR_RESOURCES,
    V3_ROLE,
    person_bundle,
    resource_types,
)
from kinwise.synth.generate import SynthSpec, synth_population
from tests.reports.conftest import CASEFILES, example

AUTHORITIES = """
kinwise: 1
person: {id: bo, name: Bo Example, date_of_birth: 1980-07-09, communication: {methods: [verbal]}}
circle:
  - {id: ann, name: Ann Example, kind: family, relationship: Daughter}
  - {id: cal, name: Cal Example, kind: family, relationship: son-in-law}
  - {id: dee, name: Dee Example, kind: friend}
  - {id: eve, name: Eve Example, kind: family, relationship: niece}
  - {id: fay, name: Fay Advocate, kind: advocate}
  - {id: gus, name: Gus Staff, kind: staff}
legal_authorities:
  - {id: a1, holder: ann, kind: lpa_health_welfare, registered: 2024-01-01}
  - {id: a2, holder: cal, kind: lpa_property_finance, registered: 2024-01-01}
  - {id: a3, holder: dee, kind: deputy_personal_welfare, registered: 2024-01-01, areas: [accommodation]}
  - {id: a4, holder: eve, kind: lpa_health_welfare, registered: 2024-01-01, revoked: 2025-06-01}
  - {id: a5, holder: eve, kind: lpa_property_finance, registered: 2027-01-01}
consents:
  - {id: c1, kind: share_information, given_by: ann, to: [cal, dee], areas: [health_treatment], date: 2025-01-01, withdrawn: 2025-09-01}
  - {id: c2, kind: care_plan, given_by: bo, date: 2025-02-01}
plan:
  version_date: 2025-02-01
  roles:
    - {area: health_treatment, decides: ann, supported_by: [fay], contributes: [gus], informed: [cal, dee]}
"""


def validated(bundle: dict[str, Any]) -> Bundle:
    return Bundle.model_validate(bundle)


def resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def by_identifier(bundle: dict[str, Any], kind: str, value: str) -> dict[str, Any]:
    (found,) = [r for r in resources(bundle, kind) if r["identifier"][0]["value"] == value]
    return found


def codes(concepts: list[dict[str, Any]], system: str) -> list[str]:
    return [c["code"] for cc in concepts for c in cc.get("coding", []) if c["system"] == system]


@pytest.mark.parametrize("path", sorted(CASEFILES.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_example_bundle_validates(path: Path) -> None:
    bundle = person_bundle(load_casefile(path))
    model = validated(bundle)
    assert model.type == "collection"
    # the JSON round trip through the models keeps every entry
    assert len(json.loads(model.model_dump_json())["entry"]) == len(bundle["entry"])


def test_example_1_bundle_contents(sam: CaseFile) -> None:
    bundle = person_bundle(sam)
    assert resource_types(bundle) == [
        "Patient",
        "RelatedPerson",
        "Practitioner",
        "Practitioner",
        "CareTeam",
        "CareTeam",
        "CareTeam",
        "CareTeam",
        "CareTeam",
        "CareTeam",
        "RiskAssessment",
        "Provenance",
        "Goal",
        "CarePlan",
        "Consent",
        "Consent",
    ]
    patient = resources(bundle, "Patient")[0]
    assert patient["birthDate"] == "1995-04-12"
    grace = by_identifier(bundle, "RelatedPerson", "grace")
    assert codes(grace["relationship"], V3_ROLE) == ["MTH"]
    # the jointly authored risk assessment names its three participants as authors
    (provenance,) = resources(bundle, "Provenance")
    risk = by_identifier(bundle, "RiskAssessment", "ra1")
    assert provenance["target"] == [{"reference": f"urn:uuid:{risk['id']}"}]
    assert [a["who"]["display"] for a in provenance["agent"]] == [
        "Sam Okafor",
        "Grace Okafor",
        "Priya Shah",
    ]
    assert provenance["recorded"] == "2026-06-05T00:00:00Z"
    assert [p["qualitativeRisk"]["coding"][0]["code"] for p in risk["prediction"]] == [
        "negligible",
        "negligible",
    ]
    # the graded trial reached and completed its last stage
    (goal,) = resources(bundle, "Goal")
    assert goal["lifecycleStatus"] == "completed"
    assert goal["achievementStatus"]["coding"][0]["code"] == "achieved"
    assert goal["startDate"] == "2026-06-15"
    assert goal["addresses"] == [{"reference": f"urn:uuid:{risk['id']}"}]


def test_decision_area_roles_are_care_teams(sam: CaseFile) -> None:
    bundle = person_bundle(sam)
    team = by_identifier(bundle, "CareTeam", "mobility_outdoors")
    assert codes(team["category"], CS_DECISION_AREA) == ["mobility_outdoors"]
    assert [
        (p["member"]["display"], codes(p["role"], CS_DECISION_ROLE)[0]) for p in team["participant"]
    ] == [
        ("Sam Okafor", "decides"),
        ("Priya Shah", "supported_by"),
        ("Grace Okafor", "contributes"),
        ("Grace Okafor", "informed"),
    ]
    plan = resources(bundle, "CarePlan")[0]
    assert len(plan["careTeam"]) == 6  # five areas and emotional support


def test_medication_handover_is_two_care_plan_activities(daniel: CaseFile) -> None:
    plan = resources(person_bundle(daniel), "CarePlan")[0]
    assert [
        (
            a["detail"]["performer"][0]["display"],
            a["detail"]["status"],
            a["detail"]["scheduledPeriod"],
        )
        for a in plan["activity"]
    ] == [
        ("Mark Hughes", "completed", {"start": "2015-09-01", "end": "2026-07-01"}),
        ("Owen Price", "in-progress", {"start": "2026-07-01"}),
    ]


def test_power_of_attorney_codes_only_for_authorities_held() -> None:
    bundle = person_bundle(parse_casefile(AUTHORITIES), as_of=date(2026, 1, 1))
    validated(bundle)
    assert codes(by_identifier(bundle, "RelatedPerson", "ann")["relationship"], V3_ROLE) == [
        "DAU",
        "HPOWATT",
    ]
    # an unknown relationship text is a family member; a property LPA is POWATT
    assert codes(by_identifier(bundle, "RelatedPerson", "cal")["relationship"], V3_ROLE) == [
        "FAMMEMB",
        "POWATT",
    ]
    assert codes(by_identifier(bundle, "RelatedPerson", "dee")["relationship"], V3_ROLE) == [
        "FRND",
        "GUARD",
    ]
    # revoked before as_of, and registered after as_of: neither is held
    assert codes(by_identifier(bundle, "RelatedPerson", "eve")["relationship"], V3_ROLE) == [
        "NIECE"
    ]
    advocate = by_identifier(bundle, "RelatedPerson", "fay")
    assert codes(advocate["relationship"], V3_ROLE) == []
    assert by_identifier(bundle, "Practitioner", "gus")["name"] == [{"text": "Gus Staff"}]


def test_consents_with_actors_and_withdrawal() -> None:
    bundle = person_bundle(parse_casefile(AUTHORITIES), as_of=date(2026, 1, 1))
    share = by_identifier(bundle, "Consent", "c1")
    assert share["status"] == "inactive"
    assert share["scope"]["coding"][0]["code"] == "patient-privacy"
    assert share["provision"]["period"] == {"start": "2025-01-01", "end": "2025-09-01"}
    assert [a["role"]["coding"][0]["code"] for a in share["provision"]["actor"]] == [
        "IRCP",
        "IRCP",
    ]
    assert share["performer"][0]["display"] == "Ann Example"
    # before the withdrawal the consent is active
    earlier = person_bundle(parse_casefile(AUTHORITIES), as_of=date(2025, 8, 31))
    assert by_identifier(earlier, "Consent", "c1")["status"] == "active"
    plan_consent = by_identifier(bundle, "Consent", "c2")
    assert plan_consent["scope"]["coding"][0]["code"] == "treatment"
    assert "actor" not in plan_consent["provision"]


def test_export_is_deterministic(sam: CaseFile) -> None:
    assert person_bundle(sam) == person_bundle(example("01-risk-and-independence"))
    other = person_bundle(example("03-historic-arrangement"))
    assert {e["fullUrl"] for e in person_bundle(sam)["entry"]}.isdisjoint(
        e["fullUrl"] for e in other["entry"]
    )


def test_a_broken_bundle_does_not_validate(sam: CaseFile) -> None:
    bundle = person_bundle(sam)
    broken = copy.deepcopy(bundle)
    consent = next(
        e["resource"] for e in broken["entry"] if e["resource"]["resourceType"] == "Consent"
    )
    consent["status"] = 7
    with pytest.raises(ValidationError):
        validated(broken)
    unknown = copy.deepcopy(bundle)
    unknown["entry"][0]["resource"]["favouriteColour"] = "blue"
    with pytest.raises(ValidationError):
        validated(unknown)


# --- every kind of record is mapped, or left out on purpose --------------------------------


def test_every_registered_kind_is_mapped_or_left_out_on_purpose() -> None:
    assert [k.name for k in RECORD_KINDS if k.name not in FHIR_RESOURCES] == []
    assert sorted(set(FHIR_RESOURCES) - set(RECORD_KINDS.names)) == []


@pytest.mark.parametrize("name", [name for name, types in FHIR_RESOURCES.items() if types])
def test_a_mapped_kind_gives_its_resources(name: str) -> None:
    spec = RECORD_KINDS[name]
    seen: set[str] = set()
    files = 0
    # with format version 2's records for everyone, so its goals and restrictions are there
    for casefile in synth_population(SynthSpec(people=8, years=3, seed=2, version_two=1.0)):
        if spec.records(casefile):
            files += 1
            seen |= set(resource_types(person_bundle(casefile)))
    assert files > 0
    assert set(FHIR_RESOURCES[name]) - seen == set()


# --- format version 2: goals and restrictions (docs/fhir.md; ADR 0269) ----------------------

SPEC_EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "spec" / "examples"
RESTRICTION_EXT = "https://kinwise.example/fhir/StructureDefinition/restriction"


def spec_example(name: str) -> CaseFile:
    return load_casefile(SPEC_EXAMPLES / f"{name}.yaml")


def restriction_details(flag: dict[str, Any]) -> dict[str, Any]:
    (ext,) = flag["extension"]
    assert ext["url"] == RESTRICTION_EXT
    return {
        d["url"]: next(v for k, v in d.items() if k.startswith("value")) for d in ext["extension"]
    }


@pytest.mark.parametrize("path", sorted(SPEC_EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_format_2_example_bundle_validates(path: Path) -> None:
    bundle = person_bundle(load_casefile(path))
    model = validated(bundle)
    assert len(json.loads(model.model_dump_json())["entry"]) == len(bundle["entry"])


def test_example_4_has_no_goal_and_no_flag() -> None:
    for name in ("04-concern-and-carer", "04-concern-and-carer.before"):
        types = resource_types(person_bundle(spec_example(name)))
        assert types == [
            "Patient",
            "RelatedPerson",
            "Practitioner",
            "Practitioner",
            "CareTeam",
            "CareTeam",
            "CarePlan",
            "Consent",
        ]


def test_example_5_after_goal_and_flag() -> None:
    bundle = person_bundle(spec_example("05-goal-and-restriction"))
    assert resource_types(bundle) == [
        "Patient",
        "RelatedPerson",
        "Practitioner",
        "CareTeam",
        "RiskAssessment",
        "Provenance",
        "Goal",  # the graded trial
        "Goal",  # Jo's goal in her own words
        "CarePlan",
        "Consent",
        "Flag",
    ]
    patient = resources(bundle, "Patient")[0]
    kay = by_identifier(bundle, "Practitioner", "kay")
    ann = by_identifier(bundle, "RelatedPerson", "ann")
    trial = by_identifier(bundle, "Goal", "gt1")
    goal = by_identifier(bundle, "Goal", "g1")
    assert goal["identifier"] == [{"system": "https://kinwise.example/fhir/id/goal", "value": "g1"}]
    assert goal["lifecycleStatus"] == "active"
    assert goal["description"] == {"text": "I want to make my own tea."}
    assert goal["subject"] == {"reference": f"urn:uuid:{patient['id']}", "display": "Jo Marsh"}
    assert goal["expressedBy"] == {"reference": f"urn:uuid:{kay['id']}", "display": "Kay Ito"}
    assert goal["startDate"] == "2026-01-10"
    assert codes(goal["category"], CS_DECISION_AREA) == ["daily_living"]
    assert "statusDate" not in goal and "achievementStatus" not in goal
    assert goal["note"] == [
        {"time": "2026-01-10", "text": "Baseline: 2 of 10."},
        {"text": "Set by someone else; Jo Marsh agrees with this goal."},
        {"time": "2026-05-20", "text": "Review: 5 of 10. Two clean sessions with Kay beside her."},
    ]
    # both goals are the care plan's
    plan = resources(bundle, "CarePlan")[0]
    assert plan["goal"] == [
        {"reference": f"urn:uuid:{trial['id']}"},
        {"reference": f"urn:uuid:{goal['id']}"},
    ]
    flag = by_identifier(bundle, "Flag", "rs1")
    assert flag["identifier"] == [
        {"system": "https://kinwise.example/fhir/id/restriction", "value": "rs1"}
    ]
    # replaced by the graded trial, which began on 2026-05-01: no longer in force
    assert flag["status"] == "inactive"
    assert flag["period"] == {"start": "2026-01-05", "end": "2026-05-01"}
    assert flag["code"] == {"text": "Kitchen knives and the kettle kept locked away."}
    assert flag["subject"] == goal["subject"]
    assert codes(flag["category"], "http://terminology.hl7.org/CodeSystem/flag-category") == [
        "safety"
    ]
    assert codes(flag["category"], CS_DECISION_AREA) == ["daily_living"]
    assert "author" not in flag  # Ann is a relative: R4's Flag.author cannot name her
    assert restriction_details(flag) == {
        "proposedBy": {"reference": f"urn:uuid:{ann['id']}", "display": "Ann Marsh"},
        "reviewBy": "2026-04-01",
        "replacedBy": {"reference": f"urn:uuid:{trial['id']}"},
    }


def test_example_5_before_goal_and_flag() -> None:
    bundle = person_bundle(spec_example("05-goal-and-restriction.before"))
    assert resource_types(bundle) == [
        "Patient",
        "RelatedPerson",
        "Practitioner",
        "CareTeam",
        "Goal",
        "CarePlan",
        "Consent",
        "Flag",
    ]
    goal = by_identifier(bundle, "Goal", "g1")
    assert goal["lifecycleStatus"] == "active"
    assert goal["description"] == {"text": "Jo will make a hot drink safely."}
    assert goal["note"] == [
        {"time": "2026-01-10", "text": "Baseline: 2 of 10."},
        {"text": "Set by someone else; Jo Marsh has not been recorded as agreeing with this goal."},
    ]
    flag = by_identifier(bundle, "Flag", "rs1")
    assert (flag["status"], flag["period"]) == ("active", {"start": "2026-01-05"})
    ann = by_identifier(bundle, "RelatedPerson", "ann")
    assert restriction_details(flag) == {
        "proposedBy": {"reference": f"urn:uuid:{ann['id']}", "display": "Ann Marsh"},
        "reviewBy": "2026-04-01",
    }


def test_a_restriction_closes_the_day_its_graded_trial_begins() -> None:
    cf = spec_example("05-goal-and-restriction")
    on_the_eve = by_identifier(person_bundle(cf, as_of=date(2026, 4, 30)), "Flag", "rs1")
    assert (on_the_eve["status"], on_the_eve["period"]) == ("active", {"start": "2026-01-05"})
    begun = by_identifier(person_bundle(cf, as_of=date(2026, 5, 1)), "Flag", "rs1")
    assert (begun["status"], begun["period"]) == (
        "inactive",
        {"start": "2026-01-05", "end": "2026-05-01"},
    )


GOALS_AND_RESTRICTIONS = """
kinwise: 2
person: {id: jo, name: Jo Marsh, communication: {methods: [verbal]}}
circle:
  - {id: kay, name: Kay Ito, kind: staff}
consents:
  - {id: c1, kind: care_plan, given_by: jo, date: 2026-01-02}
plan:
  version_date: 2026-01-02
  roles:
    - {area: daily_living, decides: jo}
goals:
  - id: g2
    date: 2026-02-01
    area: daily_living
    words: I want to go to the shop on my own.
    set_by: jo
    baseline: 0
    reviews:
      - {date: 2026-04-01, score: 3}
      - {date: 2026-03-01, score: 1}
      - {date: 2026-07-01, score: 10}
    ended: 2026-06-10
restrictions:
  - id: rs2
    date: 2026-02-01
    area: daily_living
    what: Front door alarm at night.
    proposed_by: kay
    basis: consent
    basis_record: c1
    alternatives: A sensor mat by the bed.
    review_by: 2026-08-01
    ended: 2026-06-10
"""


def test_goal_ends_and_restriction_ends_at_their_day() -> None:
    cf = parse_casefile(GOALS_AND_RESTRICTIONS)
    before = person_bundle(cf, as_of=date(2026, 6, 9))
    validated(before)
    goal = by_identifier(before, "Goal", "g2")
    assert goal["lifecycleStatus"] == "active"
    assert "statusDate" not in goal
    # set by the person: expressed by the Patient, no note on agreement; reviews in date
    # order, a review after the date left out
    assert goal["expressedBy"]["reference"] == f"urn:uuid:{resources(before, 'Patient')[0]['id']}"
    assert goal["note"] == [
        {"time": "2026-02-01", "text": "Baseline: 0 of 10."},
        {"time": "2026-03-01", "text": "Review: 1 of 10."},
        {"time": "2026-04-01", "text": "Review: 3 of 10."},
    ]
    flag = by_identifier(before, "Flag", "rs2")
    assert (flag["status"], flag["period"]) == ("active", {"start": "2026-02-01"})
    # a member of staff proposed it: the Flag's author too
    assert flag["author"]["display"] == "Kay Ito"
    consent = by_identifier(before, "Consent", "c1")
    assert restriction_details(flag) == {
        "proposedBy": flag["author"],
        "basis": {
            "system": "https://kinwise.example/fhir/CodeSystem/restriction-basis",
            "code": "consent",
            "display": "The person's consent",
        },
        "basisRecord": {"reference": f"urn:uuid:{consent['id']}"},
        "alternatives": "A sensor mat by the bed.",
        "reviewBy": "2026-08-01",
    }
    after = person_bundle(cf, as_of=date(2026, 6, 10))
    goal = by_identifier(after, "Goal", "g2")
    assert (goal["lifecycleStatus"], goal["statusDate"]) == ("completed", "2026-06-10")
    flag = by_identifier(after, "Flag", "rs2")
    assert (flag["status"], flag["period"]) == (
        "inactive",
        {"start": "2026-02-01", "end": "2026-06-10"},
    )
    # with no date to judge at, every recorded date counts
    undated = person_bundle(cf)
    assert by_identifier(undated, "Goal", "g2")["lifecycleStatus"] == "completed"
    assert len(by_identifier(undated, "Goal", "g2")["note"]) == 4
    assert by_identifier(undated, "Flag", "rs2")["status"] == "inactive"


@pytest.mark.django_db
def test_example_5_from_the_database_is_the_same_bundle() -> None:
    from kinwise.core.services import organisation_ensure, service_ensure
    from kinwise.records.models import Person
    from kinwise.records.selectors import casefile_export
    from kinwise.records.services import casefile_import

    cf = spec_example("05-goal-and-restriction")
    service = service_ensure(
        organisation=organisation_ensure(slug="acme", name="Acme Care"),
        external_id="riverside",
        name="Riverside Supported Living",
    )
    result = casefile_import(casefile=cf, service=service, actor=None)
    exported = casefile_export(person=Person.objects.get(pk=result.person_pk))
    assert person_bundle(exported, as_of=cf.as_of) == person_bundle(cf)
