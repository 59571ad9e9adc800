"""Seed example 3 entered through the web alone, from a person just added: the brother's
medication task, the medicines, the change in need, the audits before; then the
partnership review, the hand-over to trained staff and the audits after. At each stage
the findings page shows exactly the (rule, subject) pairs of
``shared/examples/03-historic-arrangement*.expected.json`` (the web names records by ids
it makes, so each expected id is read as the record it stands for)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from kinwise.core.models import StaffRole
from kinwise.core.services import organisation_ensure, service_ensure, staff_user_ensure
from kinwise.records.models import Person, Record
from kinwise.records.selectors import casefile_export
from tests.browser.conftest import base_url, sign_in_as
from tests.web.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# the package's copies of shared/examples
EXAMPLES = Path(__file__).resolve().parents[2] / "src" / "kinwise" / "demo" / "casefiles"


def expected(name: str) -> list[tuple[str, str]]:
    data = json.loads((EXAMPLES / name).read_text(encoding="utf-8"))
    return [(f["rule"], f["subject"]) for f in data["findings"]]


def findings_on_page(page: Any, url: str) -> set[tuple[str, str]]:
    page.goto(url)
    return {
        (el.get_attribute("data-rule"), el.get_attribute("data-subject"))
        for el in page.locator("section[data-rule]").all()
    }


def save(page: Any, button: str = "button[name=save]") -> None:
    with page.expect_navigation():
        page.click(button)
    errors = page.locator(".nhsuk-error-summary")
    assert errors.count() == 0, (page.url, errors.inner_text() if errors.count() else "")


def check(page: Any, name: str, *values: str) -> None:
    for value in values:
        page.check(f"input[name='{name}'][value='{value}']")


@pytest.fixture
def ruth(settings: Any) -> Any:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    acme = organisation_ensure(slug="acme", name="Acme Care")
    riverside = service_ensure(
        organisation=acme, external_id="riverside", name="Riverside Supported Living"
    )
    staff_user_ensure(
        username="ruth", password=PASSWORD, service=riverside, role=StaffRole.REGISTERED_MANAGER
    )
    return riverside


def test_example_3_from_an_empty_person_to_no_findings(
    page: Any, live_server: Any, ruth: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = base_url(live_server)
    monkeypatch.setattr("kinwise.clock.today", lambda: dt.date(2026, 6, 1))
    sign_in_as(page, url, "ruth")

    # --- before: Daniel, his brother Mark and Ruth, the plan of November 2025 -------------
    page.goto(f"{url}/manage/services/{ruth.pk}/people/add/")
    page.fill("#id_name", "Daniel Hughes")
    check(page, "methods", "verbal")
    page.fill("#id_version_date", "2025-11-03")
    page.fill("#id_member-0-name", "Ruth Evans")
    page.select_option("#id_member-0-kind", "staff")
    page.fill("#id_member-0-detail", "registered manager")
    save(page, "button:has-text('Add the person')")
    person = Person.objects.get(name="Daniel Hughes")
    base = f"{url}/people/{person.pk}"
    # his brother, an informal carer
    page.goto(f"{base}/add/member/")
    page.fill("#id_name", "Mark Hughes")
    check(page, "kind", "family")
    page.fill("#id_relationship", "brother")
    page.check("#id_informal_carer")
    save(page)
    casefile = casefile_export(person=person)
    ids = {m.name: m.id for m in casefile.circle}
    daniel, mark, ruth_id = person.external_id, ids["Mark Hughes"], ids["Ruth Evans"]

    def role(area: str, reviewed: str, supported_by: tuple[str, ...] = ()) -> None:
        page.goto(f"{base}/edit/role/{area}/")
        page.select_option("#id_decides", daniel)
        for attr in ("supported_by", "contributes", "informed"):
            wanted = {
                "supported_by": supported_by,
                "contributes": (mark,) if area == "medication" else (),
                "informed": (mark,) if area in ("medication", "health_treatment") else (),
            }[attr]
            for box in page.locator(f"input[name='{attr}']").all():
                box.set_checked(box.get_attribute("value") in wanted)
        page.fill("#id_reviewed", reviewed)
        save(page)

    for area in ("medication", "health_treatment", "personal_care", "finances_daily"):
        role(area, "2025-11-03")

    # his consents: to share medication and health information with Mark, to the plan
    page.goto(f"{base}/add/consent/")
    check(page, "kind", "share_information")
    page.select_option("#id_given_by", daniel)
    check(page, "to", mark)
    check(page, "areas", "medication", "health_treatment")
    page.fill("#id_date", "2022-03-01")
    save(page)
    page.goto(f"{base}/add/consent/")
    check(page, "kind", "care_plan")
    page.select_option("#id_given_by", daniel)
    page.fill("#id_date", "2025-11-03")
    save(page)

    # the brother's medication task since 2015, never agreed or reviewed
    page.goto(f"{base}/add/task/")
    page.select_option("#id_task", "administer_medication")
    page.select_option("#id_area", "medication")
    page.select_option("#id_holder", mark)
    page.fill("#id_since", "2015-09-01")
    save(page)
    page.goto(f"{base}/edit/emotional-support/")
    check(page, "emotional_support", mark)
    save(page)

    # the change in need: Parkinson's disease, March 2026
    page.goto(f"{base}/add/event/")
    page.fill("#id_date", "2026-03-10")
    check(page, "kind", "diagnosis")
    check(page, "areas", "medication", "health_treatment")
    page.fill(
        "#id_description", "Parkinson's disease diagnosed; co-careldopa and rasagiline started."
    )
    save(page)

    # the medicines, and the audits that found errors
    medicines = [
        ("Levetiracetam 500 mg tablets", "2", True, False, "2014-02-01"),
        ("Macrogol oral powder sachets", "1", False, False, "2019-06-01"),
        ("Paracetamol 500 mg tablets", "0", False, True, "2019-06-01"),
        ("Co-careldopa 25/100 mg tablets", "4", True, False, "2026-03-10"),
        ("Rasagiline 1 mg tablets", "1", False, False, "2026-03-10"),
    ]
    for name, doses, time_critical, prn, started in medicines:
        page.goto(f"{base}/add/medicine/")
        page.fill("#id_name", name)
        page.fill("#id_doses_per_day", doses)
        check(page, "route", "oral")
        page.locator("#id_time_critical").set_checked(time_critical)
        page.locator("#id_prn").set_checked(prn)
        page.fill("#id_started", started)
        save(page)

    def audit(day: str, checked: str, errors: str) -> None:
        page.goto(f"{base}/add/medication_audit/")
        page.fill("#id_date", day)
        page.select_option("#id_auditor", ruth_id)
        page.fill("#id_doses_checked", checked)
        page.fill("#id_errors_found", errors)
        save(page)

    audit("2026-04-15", "56", "7")
    audit("2026-05-15", "56", "5")

    casefile = casefile_export(person=person)
    task_ids = {"t-mark-meds": casefile.plan.tasks[0].id}

    def subject(text: str) -> str:
        kind, _, key = text.partition(":")
        return f"{kind}:{task_ids.get(key, key)}" if kind == "task" else text

    before = {
        (rule, subject(s)) for rule, s in expected("03-historic-arrangement.before.expected.json")
    }
    assert len(before) == 4
    assert findings_on_page(page, f"{base}/findings/") == before

    # --- after: the partnership review of June 2026 and the hand-over to trained staff ---
    monkeypatch.setattr("kinwise.clock.today", lambda: dt.date(2026, 11, 30))
    page.goto(f"{base}/edit/training/")
    page.select_option("#id_member", ruth_id)
    page.select_option("#id_task", "administer_medication")
    page.fill("#id_on", "2023-01-09")
    save(page)
    page.goto(f"{base}/add/member/")
    page.fill("#id_name", "Owen Price")
    check(page, "kind", "staff")
    page.fill("#id_job", "senior support worker")
    save(page)

    # Daniel's own view, gathered apart from his brother
    page.goto(f"{base}/add/voice/")
    page.fill("#id_date", "2026-06-18")
    page.select_option("#id_area", "medication")
    page.select_option("#id_method", "verbal")
    check(page, "setting", "separate")
    page.select_option("#id_captured_by", ruth_id)
    check(page, "present", ruth_id)
    check(page, "direct", "yes")
    page.fill(
        "#id_summary",
        "Mark has done enough. I want the staff to do my tablets but I want Mark to still "
        "come on Sundays.",
    )
    save(page)
    casefile = casefile_export(person=person)
    owen = next(m.id for m in casefile.circle if m.name == "Owen Price")
    v1 = casefile.voice[0].id
    ma1, ma2 = (a.id for a in casefile.medication.audits)

    # the partnership review that reviews Mark's task and moves medication to staff
    page.goto(f"{base}/add/meeting/")
    page.fill("#id_date", "2026-06-24")
    page.select_option("#id_kind", "partnership_review")
    check(page, "attendees", daniel, mark, ruth_id)
    page.select_option("#id_facilitator", ruth_id)
    check(page, "reviews_tasks", task_ids["t-mark-meds"])
    for i, (by, text) in enumerate(
        [
            (daniel, "Staff should do my tablets now."),
            (mark, "I'll be glad to just be his brother again."),
        ]
    ):
        page.select_option(f"#id_contributions-{i}-by", by)
        page.select_option(f"#id_contributions-{i}-area", "medication")
        page.fill(f"#id_contributions-{i}-text", text)
    page.select_option("#id_decisions-0-area", "medication")
    page.fill(
        "#id_decisions-0-outcome",
        "Medication moves to trained staff from 1 July; Mark keeps his Sunday visits",
    )
    page.select_option("#id_decisions-0-persons_view", v1)
    page.fill(
        "#id_decisions-0-rationale",
        "The regimen is now complex and time-critical (complexity 13); audits ma1 and ma2 "
        "found errors.",
    )
    check(page, "decisions-0-evidence", ma1, ma2, v1)
    save(page)

    # the hand-over to Owen, trained on 20 June, from 1 July; its review in October
    page.goto(f"{base}/tasks/{task_ids['t-mark-meds']}/handover/")
    page.select_option("#id_to_member", owen)
    page.fill("#id_on", "2026-07-01")
    page.fill("#id_agreed", "2026-06-24")
    page.fill("#id_trained_on", "2026-06-20")
    save(page)
    casefile = casefile_export(person=person)
    task_ids["t-staff-meds"] = next(t.id for t in casefile.plan.tasks if t.holder == owen)
    page.goto(f"{base}/tasks/{task_ids['t-staff-meds']}/review/")
    page.fill("#id_on", "2026-10-01")
    save(page)

    # the plan reviewed at the partnership review: roles, his consent, its new version
    role("medication", "2026-06-24", supported_by=(owen,))
    for area in ("health_treatment", "personal_care", "finances_daily"):
        role(area, "2026-06-24")
    plan_consent = next(c.id for c in casefile.consents if c.kind == "care_plan")
    row = Record.objects.get(person=person, kind="consent", key=plan_consent, superseded_at=None)
    page.goto(f"{base}/records/{row.pk}/change/")
    page.fill("#id_date", "2026-06-24")
    save(page)
    page.goto(f"{base}/edit/plan/")
    page.fill("#id_version_date", "2026-06-24")
    save(page)

    # the audits after the hand-over
    audit("2026-08-15", "112", "1")
    audit("2026-10-15", "112", "0")

    # the web's case file holds the example's arrangement (its own ids)
    casefile = casefile_export(person=person)
    d = dt.date
    assert [(t.holder, t.since, t.ended, t.agreed, t.reviewed) for t in casefile.plan.tasks] == [
        (mark, d(2015, 9, 1), d(2026, 7, 1), None, None),
        (owen, d(2026, 7, 1), None, d(2026, 6, 24), d(2026, 10, 1)),
    ]
    assert {m.id: dict(m.trained) for m in casefile.circle if m.kind == "staff"} == {
        ruth_id: {"administer_medication": d(2023, 1, 9)},
        owen: {"administer_medication": d(2026, 6, 20)},
    }
    assert [(a.doses_checked, a.errors) for a in casefile.medication.audits] == [
        (56, 7),
        (56, 5),
        (112, 1),
        (112, 0),
    ]
    assert len(casefile.medication.regimen) == 5
    after = {(rule, subject(s)) for rule, s in expected("03-historic-arrangement.expected.json")}
    assert findings_on_page(page, f"{base}/findings/") == after == set()
