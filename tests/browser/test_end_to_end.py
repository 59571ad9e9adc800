"""The seed's stories entered as a member of staff would, in the browser."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kinwise.core.models import StaffRole
from kinwise.core.services import organisation_ensure, service_ensure, staff_user_ensure
from tests.browser.conftest import base_url, sign_in
from tests.web.conftest import PASSWORD, import_example

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def findings_on_page(page: Any, url: str) -> set[tuple[str, str]]:
    page.goto(url)
    return {
        (el.get_attribute("data-rule"), el.get_attribute("data-subject"))
        for el in page.locator("section[data-rule]").all()
    }


def save(page: Any, button: str = "button[name=save]") -> None:
    page.click(button)
    page.wait_for_load_state()
    assert page.locator(".nhsuk-error-summary").count() == 0, page.url


@pytest.fixture
def staff(settings: Any) -> dict[str, Any]:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    organisation = organisation_ensure(slug="acme", name="Acme Care")
    oakfield = service_ensure(organisation=organisation, external_id="oakfield", name="Oakfield")
    riverside = service_ensure(organisation=organisation, external_id="riverside", name="Riverside")
    staff_user_ensure(
        username="femi", password=PASSWORD, service=oakfield, role=StaffRole.TEAM_LEADER
    )
    staff_user_ensure(
        username="ruth", password=PASSWORD, service=riverside, role=StaffRole.REGISTERED_MANAGER
    )
    return {"oakfield": oakfield, "riverside": riverside}


def test_aisha_voice_is_heard(
    page: Any, live_server: Any, staff: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Seed example 2: from the "before" state to views gathered separately with Talking
    Mats, a facilitated review with her AAC contributions, decisions with her view and her
    consent to share health information with her father."""
    monkeypatch.setattr("kinwise.clock.today", lambda: dt.date(2026, 9, 30))
    aisha = import_example("02-vocal-relative.before.yaml", staff["oakfield"])
    url = base_url(live_server)
    person = f"{url}/people/{aisha.pk}"
    sign_in(page, url, "femi", PASSWORD)
    assert page.locator("h1").inner_text().endswith("People we support")

    assert findings_on_page(page, f"{person}/findings/") == {
        ("IC01", "role:health_treatment/informed:imran"),
        ("VO01", "meeting:m1"),
        ("VO02", "meeting:m1"),
        ("VO03", "decision:m1/daily_living"),
        ("VO04", "voice:v0"),
        ("VO05", "meeting:m1"),
    }

    # Talking Mats becomes one of her communication methods.
    page.goto(f"{person}/")
    page.click("text=Change how Aisha Rahman communicates")
    page.check("input[name=methods][value=talking_mats]")
    save(page)
    assert "Talking Mats" in page.locator(".kw-profile").inner_text()

    # Her views, gathered separately.
    for when, area, method, summary in [
        (
            "2026-06-02",
            "daily_living",
            "talking_mats",
            "Day centre Monday and Wednesday; art college on Thursdays; Fridays at home.",
        ),
        (
            "2026-06-09",
            "health_treatment",
            "aac",
            "Wants to keep physiotherapy but at home, not at the clinic.",
        ),
    ]:
        page.goto(f"{person}/voice/")
        page.click("text=Record a view")
        page.fill("#id_date", when)
        page.select_option("#id_area", area)
        page.select_option("#id_method", method)
        page.check("input[name=setting][value=separate]")
        page.select_option("#id_captured_by", "lena")
        page.check("input[name=present][value=lena]")
        page.check("input[name=direct][value=yes]")
        page.fill("#id_summary", summary)
        save(page)
    # The January "view" was her father answering for her: corrected to a reported view.
    page.goto(f"{person}/edit/voice/v0/")
    page.check("input[name=direct][value=no]")
    save(page)

    # A facilitated care-plan review with her AAC contributions; the voice balance
    # follows the contributions as they are entered.
    page.goto(f"{person}/meetings/")
    page.click("text=Record a meeting")
    page.fill("#id_date", "2026-06-20")
    page.select_option("#id_kind", "care_plan_review")
    for who in ("aisha", "imran", "lena"):
        page.check(f"input[name=attendees][value={who}]")
    page.select_option("#id_facilitator", "lena")
    page.click("button[value=contributions]")  # three more rows, without JavaScript's help
    rows = [
        ("aisha", "", "daily_living", "(AAC) College on Thursday. Home on Friday."),
        ("aisha", "", "health_treatment", "(AAC) Physio at home."),
        ("imran", "", "daily_living", "I worry college will tire her out."),
        ("imran", "aisha", "health_treatment", "She gets upset at the clinic."),
    ]
    for i, (by, for_whom, area, text) in enumerate(rows):
        page.select_option(f"#id_contributions-{i}-by", by)
        page.select_option(f"#id_contributions-{i}-on_behalf_of", for_whom)
        page.select_option(f"#id_contributions-{i}-area", area)
        page.fill(f"#id_contributions-{i}-text", text)
    # HTMX re-draws the panel after each change; wait for the last one.
    page.wait_for_function(
        """() => ['own', 'for', 'family', 'staff'].map(
             k => document.querySelector(`[data-balance=${k}] dd`).textContent.trim()
           ).join() === '2,1,1,0'"""
    )
    assert "more often" not in page.locator("#voice-balance").inner_text()
    page.click("button[value=decisions]")
    page.select_option("#id_decisions-0-area", "daily_living")
    page.fill(
        "#id_decisions-0-outcome",
        "Day centre Monday and Wednesday; art college taster on Thursdays",
    )
    page.select_option("#id_decisions-0-persons_view", "v-1")
    page.check("#id_decisions-0-disagreement")
    page.fill(
        "#id_decisions-0-rationale", "Her own views lead; tiredness is reviewed after six weeks."
    )
    page.check("input[name=decisions-0-evidence][value=v-1]")
    page.select_option("#id_decisions-1-area", "health_treatment")
    page.fill("#id_decisions-1-outcome", "Ask the physiotherapist for home visits")
    page.select_option("#id_decisions-1-persons_view", "v-2")
    page.check("input[name=decisions-1-evidence][value=v-2]")
    save(page)
    assert page.locator("h1").inner_text() == "Care plan review on 20 June 2026"

    # Her consent to share health information with her father.
    page.goto(f"{person}/capacity/")
    page.click("text=Record a consent")
    page.check("input[name=kind][value=share_information]")
    page.select_option("#id_given_by", "aisha")
    page.check("input[name=to][value=imran]")
    page.check("input[name=areas][value=health_treatment]")
    page.check("input[name=areas][value=daily_living]")
    page.fill("#id_date", "2026-06-02")
    save(page)

    # The new records have no findings. The April review happened as recorded and stays in
    # the record; within the audit year its own findings remain.
    assert findings_on_page(page, f"{person}/findings/") == {
        ("VO01", "meeting:m1"),
        ("VO02", "meeting:m1"),
        ("VO03", "decision:m1/daily_living"),
        ("VO05", "meeting:m1"),
    }
    # The audit over the period since the facilitated review: nothing is left to put right.
    page.goto(f"{person}/findings/")
    page.click("text=Choose the audit date or period")
    page.fill("#id_since", "2026-06-20")
    page.click("button:has-text('Show findings')")
    page.wait_for_load_state()
    assert findings_on_page(page, page.url) == set()
    assert page.locator("text=No findings").count() == 1
    assert "over the period from 20 June 2026" in page.locator("main").inner_text()
    page.goto(f"{person}/history/meeting/m1/")
    assert "superseded" not in page.locator("main").inner_text()


def test_daniel_medication_handed_to_trained_staff(
    page: Any, live_server: Any, staff: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Seed example 3: a partnership review hands the medication task from Mark to a
    trained member of staff, and PA01-PA04 clear."""
    monkeypatch.setattr("kinwise.clock.today", lambda: dt.date(2026, 11, 30))
    daniel = import_example("03-historic-arrangement.before.yaml", staff["riverside"])
    url = base_url(live_server)
    person = f"{url}/people/{daniel.pk}"
    sign_in(page, url, "ruth", PASSWORD)
    assert findings_on_page(page, f"{person}/findings/") == {
        ("PA01", "task:t-mark-meds"),
        ("PA02", "task:t-mark-meds"),
        ("PA03", "task:t-mark-meds"),
        ("PA04", "task:t-mark-meds"),
    }

    # Owen joins the circle.
    page.goto(f"{person}/arrangements/")
    page.click("text=Add someone to the circle")
    page.fill("#id_name", "Owen Price")
    page.check("input[name=kind][value=staff]")
    page.fill("#id_job", "senior support worker")
    save(page)

    # The partnership review that lists the task.
    page.goto(f"{person}/add/meeting/")
    page.fill("#id_date", "2026-06-24")
    page.select_option("#id_kind", "partnership_review")
    for who in ("daniel", "mark", "ruth"):
        page.check(f"input[name=attendees][value={who}]")
    page.select_option("#id_facilitator", "ruth")
    page.check("input[name=reviews_tasks][value=t-mark-meds]")
    page.select_option("#id_contributions-0-by", "daniel")
    page.select_option("#id_contributions-0-area", "medication")
    page.fill("#id_contributions-0-text", "Staff should do my tablets now.")
    page.select_option("#id_decisions-0-area", "medication")
    page.fill("#id_decisions-0-outcome", "Medication moves to trained staff from 1 July")
    save(page)

    # The handover: Mark's task ends, Owen's starts, agreed at the review, Owen trained.
    page.goto(f"{person}/arrangements/")
    page.click("text=Hand to a trained staff member")
    page.select_option("#id_to_member", "m-1")
    page.fill("#id_on", "2026-07-01")
    page.fill("#id_agreed", "2026-06-24")
    page.fill("#id_trained_on", "2026-06-20")
    save(page)

    assert findings_on_page(page, f"{person}/findings/") == set()
    page.goto(f"{person}/arrangements/")
    text = page.locator("main").inner_text()
    assert "Ended 1 July 2026" in text
    assert "held by Owen Price" in text
    page.goto(f"{person}/history/task/t-mark-meds/")
    history = page.locator("main").inner_text()
    assert "Version 2: updated" in history
    assert "by ruth (web)" in history
