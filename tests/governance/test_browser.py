"""In the browser: a manager opens the worklist, follows an overdue arrangement review to
the person's page, records the partnership review, and the item closes. Every page
passes axe-core (WCAG 2.2 AA tags) with no violation."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kinwise.core.models import Service, StaffRole
from kinwise.core.services import organisation_ensure, service_ensure, staff_user_ensure
from kinwise.governance.services import audit_run_save
from kinwise.records.models import Person
from kinwise.records.services import casefile_import
from kinwise.rules.audit import audit_casefile, default_since
from tests.browser.conftest import CHROMIUM, SKIP_REASON, axe_violations, sign_in
from tests.governance.conftest import example_file

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not CHROMIUM.exists(), reason=SKIP_REASON),
]
PASSWORD = "a-long-test-password"
TODAY = dt.date(2026, 6, 1)
ITEM = "Review Mark Hughes's arrangement for giving medication for Daniel Hughes after the diagnosis on 10 March 2026"


@pytest.fixture
def riverside(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Service:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    monkeypatch.setattr("kinwise.clock.today", lambda: TODAY)
    organisation = organisation_ensure(slug="acme", name="Acme Care")
    service = service_ensure(organisation=organisation, external_id="riverside", name="Riverside")
    staff_user_ensure(
        username="tom", password=PASSWORD, service=service, role=StaffRole.TEAM_LEADER
    )
    return service


@pytest.fixture
def daniel(riverside: Service) -> Person:
    casefile = example_file("03-historic-arrangement.before.yaml")
    result = casefile_import(casefile=casefile, service=riverside, actor=None)
    at = dt.date(2026, 5, 31)
    audit_run_save(
        audits=[audit_casefile(casefile, as_of=at, since=default_since(at))],
        as_of=at,
        since=default_since(at),
        service=riverside,
    )
    return Person.objects.get(pk=result.person_pk)


def test_following_an_overdue_review_to_its_resolving_record_closes_it(
    page: Any, live_server: Any, riverside: Service, daniel: Person
) -> None:
    base = live_server.url
    sign_in(page, base, "tom", PASSWORD)
    page.goto(f"{base}/governance/services/{riverside.pk}/worklist/")
    assert page.locator("strong", has_text="Overdue (").first.inner_text() == "Overdue (4)"
    assert axe_violations(page) == []

    # overdue only, through the filter form
    page.select_option("#show", "overdue")
    page.get_by_role("button", name="Show reviews").click()
    page.wait_for_load_state()
    assert page.url.endswith("worklist/?q=&owner=&kind=&show=overdue&sort=due")
    assert page.locator("h2", has_text="Reviews (").inner_text() == "Reviews (4)"
    overdue = page.locator("table", has_text="Reviews found").first
    row = overdue.locator("tr", has_text=ITEM)
    assert row.count() == 1
    assert "69 days overdue" in row.inner_text()
    row.get_by_role("link", name="Open Daniel Hughes's meetings page").click()
    page.wait_for_load_state()
    assert page.url == f"{base}/people/{daniel.pk}/meetings/"

    page.get_by_role("link", name="Record a meeting").click()
    page.wait_for_load_state()
    assert axe_violations(page) == []
    page.fill("#id_date", "2026-06-01")
    page.select_option("#id_kind", "partnership_review")
    for who in ("daniel", "mark", "ruth"):
        page.check(f"input[name=attendees][value={who}]")
    page.select_option("#id_facilitator", "ruth")
    page.check("input[name=reviews_tasks][value=t-mark-meds]")
    page.select_option("#id_contributions-0-by", "daniel")
    page.select_option("#id_contributions-0-area", "medication")
    page.fill("#id_contributions-0-text", "Staff should do my tablets now.")
    page.select_option("#id_decisions-0-area", "medication")
    page.fill("#id_decisions-0-outcome", "Medication moves to trained staff")
    page.click("button[name=save]")
    page.wait_for_load_state()
    assert page.locator(".nhsuk-error-summary").count() == 0

    page.goto(f"{base}/governance/services/{riverside.pk}/worklist/")
    # the task's review and the medication role's review are closed by the meeting; so is
    # the task's first review; health and treatment is still to review
    assert page.locator("strong", has_text="Overdue (").first.inner_text() == "Overdue (1)"
    page.goto(f"{base}/governance/services/{riverside.pk}/worklist/?show=closed")
    closed = page.locator("table", has_text="Reviews found").first.locator("tr", has_text=ITEM)
    assert closed.count() == 1
    assert "Closed 1 June 2026, late" in closed.inner_text()
    assert "Closed by meeting:" in closed.inner_text()
    assert axe_violations(page) == []

    # the same worklist on the day before the meeting still shows it overdue
    page.goto(f"{base}/governance/services/{riverside.pk}/worklist/?as_of=2026-05-31")
    assert page.locator("strong", has_text="Overdue (").first.inner_text() == "Overdue (4)"


@pytest.mark.parametrize(
    "path",
    [
        "audit/",
        "audit/?as_of=2026-03-09",
        "trends/",
        "supervision/",
        "supervision/staff/?member=ruth",
        "worklist/?as_of=not-a-date",
        "staff-directory/",
    ],
)
def test_governance_pages_pass_axe(
    page: Any, live_server: Any, riverside: Service, daniel: Person, path: str
) -> None:
    sign_in(page, live_server.url, "tom", PASSWORD)
    response = page.goto(f"{live_server.url}/governance/services/{riverside.pk}/{path}")
    assert response.status == (400 if "not-a-date" in path else 200)
    assert axe_violations(page) == []


def test_supervision_form_errors_pass_axe(
    page: Any, live_server: Any, riverside: Service, daniel: Person
) -> None:
    sign_in(page, live_server.url, "tom", PASSWORD)
    page.goto(
        f"{live_server.url}/governance/services/{riverside.pk}/supervision/staff/?member=ruth"
    )
    page.fill("#action-0-text", "Book a partnership review with Mark")
    page.fill("#action-0-due", "soon")
    page.get_by_role("button", name="Save supervision record").click()
    page.wait_for_load_state()
    assert page.locator(".nhsuk-error-summary").count() == 1
    assert page.input_value("#action-0-text") == "Book a partnership review with Mark"
    assert axe_violations(page) == []


def test_the_staff_directory_form_with_errors_passes_axe(
    page: Any, live_server: Any, riverside: Service, daniel: Person
) -> None:
    sign_in(page, live_server.url, "tom", PASSWORD)
    page.goto(f"{live_server.url}/governance/services/{riverside.pk}/staff-directory/")
    page.locator("tbody a").first.click()
    page.wait_for_load_state()
    assert axe_violations(page) == []
    page.fill("#trained-manage_money", "2026-02-30")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert page.locator(".nhsuk-error-summary").count() == 1
    assert page.input_value("#trained-manage_money") == "2026-02-30"
    assert axe_violations(page) == []


def test_a_team_leader_gives_a_review_to_another_manager(
    page: Any, live_server: Any, riverside: Service, daniel: Person
) -> None:
    """The small form on a review: choose the new owner, Reassign; the list says so,
    keeps its filters, and the owner filter finds the review under its new owner."""
    staff_user_ensure(
        username="ruth", password=PASSWORD, service=riverside, role=StaffRole.REGISTERED_MANAGER
    )
    base = live_server.url
    sign_in(page, base, "tom", PASSWORD)
    page.goto(f"{base}/governance/services/{riverside.pk}/worklist/?q=Mark&sort=person")
    row = page.locator("table", has_text="Reviews found").locator("tr", has_text=ITEM)
    row.get_by_label("Give to").select_option(label="ruth")
    row.get_by_role("button", name="Reassign").click()
    page.wait_for_load_state()
    assert page.url.endswith("/worklist/?q=Mark&sort=person")
    assert (
        "The review now belongs to ruth" in page.locator(".nhsuk-notification-banner").inner_text()
    )
    assert axe_violations(page) == []
    page.select_option("#owner", label="ruth")
    page.get_by_role("button", name="Show reviews").click()
    page.wait_for_load_state()
    found = page.locator("table", has_text="Reviews found").locator("tbody tr")
    assert found.count() == 1
    assert ITEM in found.inner_text()
