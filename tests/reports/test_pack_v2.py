"""The evidence pack's sections for format version 2's kinds (concerns, carers' plans,
goals, restrictions): drawn from docs/spec/examples 04 and 05 imported into a service, in
plain words, only when the person has records of the kind, read as recorded for a past
day, and in the PDF."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from kinwise import clock
from kinwise.casefile.load import load_casefile
from kinwise.casefile.schema import CaseFile
from kinwise.clock import UK
from kinwise.core.models import StaffRole
from kinwise.core.services import organisation_ensure, service_ensure, staff_user_ensure
from kinwise.records.models import Person
from kinwise.records.services import casefile_import
from kinwise.reports.pack_v2 import v2_sections
from tests.reports.conftest import example
from tests.reports.test_views import pdf_text
from tests.signin import signed_in_client
from tests.web.test_plain_english import Page, forbidden

pytestmark = pytest.mark.django_db

SPEC_EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "spec" / "examples"
RECORDED = dt.date(2026, 6, 1)  # the examples' audit date, and the day they are recorded
TODAY = dt.date(2026, 11, 30)
HEADINGS = (
    "Concerns, complaints and disagreements",
    "Carers' plans",
    "Goals in",
    "Restrictions",
)


def spec_example(name: str) -> CaseFile:
    return load_casefile(SPEC_EXAMPLES / f"{name}.yaml")


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "today", lambda: TODAY)


@pytest.fixture
def world(db: None) -> dict[str, Any]:
    """Ruth (example 4), Jo (example 5) and Sam (version 1, example 1), recorded at 23:00 UK
    time on 1 June 2026 in Riverside, and its registered manager signed in."""
    acme = organisation_ensure(slug="acme", name="Acme Care")
    riverside = service_ensure(organisation=acme, external_id="riverside", name="Riverside")
    at = dt.datetime.combine(RECORDED, dt.time(23), tzinfo=UK)
    people = {}
    for key, casefile in (
        ("ruth", spec_example("04-concern-and-carer")),
        ("jo", spec_example("05-goal-and-restriction")),
        ("sam", example("01-risk-and-independence")),
    ):
        result = casefile_import(casefile=casefile, service=riverside, actor=None, at=at)
        people[key] = Person.objects.get(pk=result.person_pk)
    manager = staff_user_ensure(
        username="manager",
        password="a-long-test-password",
        service=riverside,
        role=StaffRole.REGISTERED_MANAGER,
    )
    return {"service": riverside, "people": people, "client": signed_in_client(manager)}


def shown(client: Client, person: Person, query: str) -> str:
    """The words the evidence page shows, one space between them."""
    response = client.get(f"/people/{person.pk}/evidence/{query}")
    assert response.status_code == 200
    page = Page()
    page.feed(response.content.decode())
    return re.sub(r"\s+", " ", " ".join(page.texts))


def test_a_concern_and_a_carers_plan_as_recorded_on_the_day(world: dict[str, Any]) -> None:
    text = shown(world["client"], world["people"]["ruth"], "?as_of=2026-06-01")
    for words in (
        "Concerns, complaints and disagreements",
        "Complaint about daily living: raised 6 March 2026",
        "Raised by: Ben Adeyemi",
        "Stage on the ladder: closed on 27 March 2026; the last stage was local resolution "
        "by the service, from 13 March 2026",
        "Acknowledged: 11 March 2026 (in time: due by 11 March 2026)",
        "Written response: 20 March 2026 (in time: due by 3 April 2026)",
        "Outcome: The routine stays; Ruth chose it. Ben was given the provider's complaints "
        "procedure. The person who raised it was told of the next stage open to them.",
        "Lena Park wrote: “Our reply, with the reasons for the new evening routine.”",
        "Carers' plans",
        "Willing and able: willing and able (asked on 25 April 2026)",
        "Carer's assessment: Referred to the local authority on 25 April 2026",
        "Transport (going out and getting about) "
        "Omar Haddad steps in, reached by: Omar, through the office",
        "Contingency used: 12 April 2026: Omar drove Ruth to college while Ben was in hospital.",
    ):
        assert words in text
    assert "Goals in" not in text
    assert "Restrictions" not in text


def test_a_goal_and_a_restriction(world: dict[str, Any]) -> None:
    text = shown(world["client"], world["people"]["jo"], "?as_of=2026-06-01")
    for words in (
        "Goals in Jo Marsh's words",
        "Daily living: set 10 January 2026",
        "“I want to make my own tea.”",
        "Set by: Kay Ito",
        "Agreed: Jo Marsh agrees",
        "Latest review: scored 5 out of 10 on 20 May 2026 (starting point 2 out of 10; "
        "reviewed every 60 days)",
        "Notes of the review: Two clean sessions with Kay beside her.",
        "Restrictions",
        "Daily living: from 5 January 2026",
        "What is restricted: Kitchen knives and the kettle kept locked away.",
        "Proposed by: Ann Marsh",
        "Legal basis: None recorded",
        "Less restrictive alternative considered: None recorded",
        "Review: by 1 April 2026",
        "Replaced by a graded trial: Yes, by the graded trial of making a hot drink in the "
        "kitchen, which began on 1 May 2026, so the restriction has ended",
    ):
        assert words in text
    assert "Concerns, complaints and disagreements" not in text
    assert "Carers' plans" not in text


def test_a_version_1_person_has_none_of_the_sections(world: dict[str, Any]) -> None:
    text = shown(world["client"], world["people"]["sam"], "?as_of=2026-06-01")
    assert "Evidence pack: Sam Okafor" in text
    for heading in HEADINGS:
        assert heading not in text


def test_an_earlier_day_reads_only_what_had_happened_by_then(world: dict[str, Any]) -> None:
    # Nothing was recorded by 10 March; with the corrections made since, that day's pack
    # reads the later dates (acknowledgement, stages, reply, closing, asking) as not yet.
    client, ruth = world["client"], world["people"]["ruth"]
    assert client.get(f"/people/{ruth.pk}/evidence/?as_of=2026-03-10").status_code == 400
    text = shown(client, ruth, "?as_of=2026-03-10&view=corrected")
    for words in (
        "Stage on the ladder: no stage started yet",
        "Acknowledged: not yet; due by 11 March 2026",
        "Written response: not yet; due by 3 April 2026",
        "Outcome: still open",
        "Willing and able: not asked yet",
        "Carer's assessment: Referred to the local authority",
    ):
        assert words in text
    assert "Contingency used" not in text
    # before the concern was raised (and the plan began): no section at all
    text = shown(client, ruth, "?as_of=2025-03-31&view=corrected")
    for heading in HEADINGS:
        assert heading not in text


def test_late_answers_are_late_as_the_rules_judge_them() -> None:
    # example 4 before: acknowledged on the fourth working day (CN01), never answered (CN02)
    ruth = v2_sections(spec_example("04-concern-and-carer.before"), as_of=RECORDED)
    [concern] = ruth.concerns
    assert concern.acknowledged == "12 March 2026 (late: due by 11 March 2026)"
    assert concern.responded == "not answered by 3 April 2026, so late"
    [plan] = ruth.carer_plans
    assert plan.willing_able == "willing and able (asked on 1 May 2025)"
    assert plan.assessment == "Not offered"
    assert [(r.task, r.cover) for r in plan.contingencies] == [
        ("Transport (going out and getting about)", "No contingency is recorded")
    ]
    jo = v2_sections(spec_example("05-goal-and-restriction.before"), as_of=RECORDED)
    assert jo.goals[0].agreed == "Jo Marsh has not been asked"
    assert jo.goals[0].latest_review == (
        "not reviewed yet (starting point 2 out of 10; reviewed every 90 days)"
    )
    assert jo.restrictions[0].replaced == "No"


def test_the_pdf_has_the_sections(world: dict[str, Any]) -> None:
    client, ruth, jo = world["client"], world["people"]["ruth"], world["people"]["jo"]
    response = client.get(f"/people/{ruth.pk}/evidence.pdf?as_of=2026-06-01")
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Concerns, complaints and disagreements" in text
    assert "Acknowledged: 11 March 2026 (in time: due by 11 March 2026)" in text
    assert "Carers' plans" in text
    response = client.get(f"/people/{jo.pk}/evidence.pdf?as_of=2026-06-01")
    text = pdf_text(response.content)
    assert "Goals in Jo Marsh's words" in text
    assert "Legal basis: None recorded" in text


def test_the_sections_show_no_id_field_name_or_code(world: dict[str, Any]) -> None:
    names: set[str] = set()
    ids: set[str] = set()
    for name in ("04-concern-and-carer", "05-goal-and-restriction"):
        casefile = spec_example(name)
        people = [casefile.person.name, *(m.name for m in casefile.circle)]
        names.update(w.lower() for n in people for w in re.findall(r"[A-Za-z]+", n))
        data = casefile.model_dump(mode="json")
        ids.update(_ids(data))
    own = re.compile(
        r"(?<![\w-])(?:"
        + "|".join(re.escape(i) for i in sorted(ids - names, key=len, reverse=True))
        + r")(?![\w-])"
    )
    pattern = forbidden()
    for key in ("ruth", "jo"):
        person = world["people"][key]
        response = world["client"].get(f"/people/{person.pk}/evidence/?as_of=2026-06-01")
        page = Page()
        page.feed(response.content.decode())
        hits = {m.group(0) for t in page.texts for p in (pattern, own) for m in p.finditer(t)}
        assert hits == set(), key


def _ids(value: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ("id", "task", "replaced_by") and isinstance(item, str):
                found.add(item)
            else:
                found |= _ids(item)
    elif isinstance(value, list):
        for item in value:
            found |= _ids(item)
    return found
