"""The portal's "Must show" over the demo's stories: what Imran, Mark, Grace and Sam see,
and what they do not (404, logged), on every request."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from kinwise.accesslog.models import AccessLogEntry
from kinwise.core.models import RecordVersion
from kinwise.family.models import DraftState, PortalAccountEvent, VoiceDraft
from kinwise.records.selectors import casefile_export
from tests.portal.conftest import TODAY, area_url, client_for
from tests.web.conftest import version_of

pytestmark = pytest.mark.django_db

SHARED_WITH_IMRAN = ("health_treatment", "daily_living")
NOT_SHARED_WITH_IMRAN = ("finances_daily", "finances_major", "medication", "personal_care")


def _withdrawal(person: Any) -> dict[str, str]:
    return {"on": TODAY.isoformat(), "based_on": version_of(person, "consent", "c-share")}


def _refusals(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "kinwise.access"]


def test_imran_sees_health_and_daily_living_and_nothing_of_money_medication_or_personal_care(
    portal: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    imran, aisha = portal["users"]["imran"], portal["people"]["aisha"]
    client = client_for(imran)
    for area in SHARED_WITH_IMRAN:
        assert client.get(area_url(aisha, area)).status_code == 200
    for area in NOT_SHARED_WITH_IMRAN:
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="kinwise.access"):
            assert client.get(area_url(aisha, area)).status_code == 404
        assert _refusals(caplog) == [
            f"portal refused: user pk={imran.pk} asked for person pk={aisha.pk}"
        ]
    entries = AccessLogEntry.objects.filter(user_pk=imran.pk, person_pk=aisha.pk)
    assert sorted(entries.filter(allowed=True).values_list("page", flat=True)) == [
        "portal:area/daily_living",
        "portal:area/health_treatment",
    ]
    assert sorted(entries.filter(allowed=False).values_list("page", flat=True)) == sorted(
        f"portal:area/{a}" for a in NOT_SHARED_WITH_IMRAN
    )
    # not even who decides them: "Your part" names only his own areas
    page = client.get(f"/portal/{aisha.pk}/").content.decode()
    assert "You give your view about daily living; Aisha decides." in page
    assert "You give your view about health and treatment; Aisha decides." in page
    for word in ("medication", "money", "personal care", "Personal care", "Medication"):
        assert word not in page


def test_after_the_consent_is_withdrawn_on_the_staff_side_imrans_next_request_is_404(
    portal: dict[str, Any],
) -> None:
    imran, aisha = portal["users"]["imran"], portal["people"]["aisha"]
    client = client_for(imran)
    assert client.get(area_url(aisha, "health_treatment")).status_code == 200
    staff = client_for(portal["staff"]["manager"])
    url = reverse("web:consent_withdraw", kwargs={"person_pk": aisha.pk, "consent_id": "c-share"})
    response = staff.post(url, _withdrawal(aisha))
    assert response.status_code == 302
    withdrawn = next(c for c in casefile_export(person=aisha).consents if c.id == "c-share")
    assert withdrawn.withdrawn == TODAY
    assert client.get(area_url(aisha, "health_treatment")).status_code == 404
    assert client.get(area_url(aisha, "daily_living")).status_code == 404
    page = client.get(f"/portal/{aisha.pk}/").content.decode()
    assert "agreement to share it with you is not recorded" in page


def test_mark_sees_emotional_support_and_that_medication_passed_to_trained_staff_on_its_date(
    portal: dict[str, Any],
) -> None:
    mark, daniel = portal["users"]["mark"], portal["people"]["daniel"]
    page = client_for(mark).get(f"/portal/{daniel.pk}/").content.decode()
    assert '<h2 class="nhsuk-heading-s">Emotional support</h2>' in page
    assert "You give Daniel emotional support. That is a part in its own right" in page
    assert (
        "Giving medication for Daniel was yours until 1 July 2026. Since 1 July 2026, "
        "trained staff (Owen Price) do it."
    ) in page
    assert "You give your view about medication; Daniel decides." in page


def test_grace_sees_sams_graded_trial_progress_only_while_his_consent_covers_going_out(
    portal: dict[str, Any],
) -> None:
    grace, sam = portal["users"]["grace"], portal["people"]["sam"]
    client = client_for(grace)
    response = client.get(area_url(sam, "mobility_outdoors"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Graded trial progress" in page
    assert "Route A with staff alongside (completed)" in page
    staff = client_for(portal["staff"]["manager"])
    url = reverse("web:consent_withdraw", kwargs={"person_pk": sam.pk, "consent_id": "c-share"})
    assert staff.post(url, _withdrawal(sam)).status_code == 302
    assert client.get(area_url(sam, "mobility_outdoors")).status_code == 404
    assert "Graded trial progress" not in client.get(f"/portal/{sam.pk}/").content.decode()


def test_every_staff_page_answers_a_portal_account_404_and_logs_it(
    portal: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    grace, sam = portal["users"]["grace"], portal["people"]["sam"]
    client = client_for(grace)
    for url in (
        reverse("web:person", kwargs={"person_pk": sam.pk}),
        reverse("web:service", kwargs={"service_pk": sam.service_id}),
        reverse("governance:worklist", kwargs={"service_pk": sam.service_id}),
        reverse("portal_staff:accounts", kwargs={"person_pk": sam.pk}),
    ):
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="kinwise.access"):
            assert client.get(url).status_code == 404
        assert _refusals(caplog) == [
            f"portal refused: user pk={grace.pk} asked for the page {_name(url)}"
        ]


def test_the_site_s_address_takes_a_portal_account_to_its_portal(
    portal: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    client = client_for(portal["users"]["grace"])
    with caplog.at_level(logging.WARNING, logger="kinwise.access"):
        response = client.get(reverse("web:people"))
    assert (response.status_code, response["Location"]) == (302, "/portal/")
    assert _refusals(caplog) == []
    # staff at the same address get their services, as before
    staff = client_for(portal["staff"]["manager"])
    answer = staff.get(reverse("web:people"))
    assert (answer.status_code, answer.get("Location")) == (200, None)  # their services
    assert "Choose a service" in answer.content.decode()


def _name(url: str) -> str:
    from django.urls import resolve

    return resolve(url).view_name


def test_a_portal_account_reaches_only_its_own_portal(portal: dict[str, Any]) -> None:
    grace, aisha, sam = portal["users"]["grace"], portal["people"]["aisha"], portal["people"]["sam"]
    client = client_for(grace)
    assert client.get("/portal/").status_code == 302  # straight to Sam, her only link
    assert client.get(f"/portal/{aisha.pk}/").status_code == 404
    assert client.get(area_url(aisha, "health_treatment")).status_code == 404
    assert client.get(f"/portal/{sam.pk}/say/").status_code == 404  # Sam's own page
    assert client.get(f"/portal/{sam.pk}/who-sees-what/").status_code == 404
    staff = client_for(portal["staff"]["manager"])
    assert staff.get("/portal/").status_code == 404
    assert staff.get(f"/portal/{sam.pk}/").status_code == 404


def test_signing_in_lands_a_relative_on_their_portal(portal: dict[str, Any]) -> None:
    from django.test import Client

    from tests.web.conftest import PASSWORD

    client = Client()
    response = client.post("/accounts/login/", {"username": "mark", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/portal/"


def test_staff_suspend_a_login_at_once_and_it_is_logged(portal: dict[str, Any]) -> None:
    grace, sam = portal["users"]["grace"], portal["people"]["sam"]
    client = client_for(grace)
    assert client.get(area_url(sam, "mobility_outdoors")).status_code == 200
    manager = portal["staff"]["manager"]
    account = grace.portal_account
    url = reverse("portal_staff:suspend", kwargs={"person_pk": sam.pk, "account_pk": account.pk})
    assert client_for(manager).post(url).status_code == 302
    # the next request: the session has ended; a new sign-in sees nothing
    assert client.get(area_url(sam, "mobility_outdoors")).status_code == 302
    again = client_for(grace)
    assert again.get("/portal/").status_code == 404
    assert again.get(area_url(sam, "mobility_outdoors")).status_code == 404
    assert list(
        PortalAccountEvent.objects.filter(account=account).values_list("action", "actor_id")
    ) == [("invited", None), ("suspended", manager.pk)]
    back = reverse("portal_staff:reinstate", kwargs={"person_pk": sam.pk, "account_pk": account.pk})
    assert client_for(manager).post(back).status_code == 302
    assert client_for(grace).get(area_url(sam, "mobility_outdoors")).status_code == 200


def test_a_support_worker_may_not_suspend_a_login(portal: dict[str, Any]) -> None:
    from kinwise.core.models import StaffRole
    from kinwise.core.services import staff_user_ensure

    sam = portal["people"]["sam"]
    worker = staff_user_ensure(
        username="sw",
        password="x",
        service=portal["services"]["riverside"],
        role=StaffRole.SUPPORT_WORKER,
    )
    account = portal["users"]["grace"].portal_account
    url = reverse("portal_staff:suspend", kwargs={"person_pk": sam.pk, "account_pk": account.pk})
    assert client_for(worker).post(url).status_code == 403
    account.refresh_from_db()
    assert account.suspended_at is None


def test_sam_adds_what_he_wants_to_say_and_staff_confirm_it_into_a_version_1_voice_record(
    portal: dict[str, Any],
) -> None:
    sam_user, sam = portal["users"]["sam"], portal["people"]["sam"]
    client = client_for(sam_user)
    empty = client.post(f"/portal/{sam.pk}/say/", {"text": "  "})
    assert empty.status_code == 200
    assert "Write what you want to say" in empty.content.decode()
    assert VoiceDraft.objects.count() == 0
    said = "I want to try route B on Saturdays."
    response = client.post(
        f"/portal/{sam.pk}/say/",
        {"text": said, "area": "mobility_outdoors", "helped_by": ["grace"]},
    )
    assert response.status_code == 302
    draft = VoiceDraft.objects.get()
    assert (draft.text, draft.area, draft.helped_by) == (said, "mobility_outdoors", ["grace"])
    # not yet a voice record: every rule reads the records as before
    assert [v.summary for v in casefile_export(person=sam).voice if v.summary == said] == []
    staff = client_for(portal["staff"]["manager"])
    url = reverse("portal_staff:draft", kwargs={"person_pk": sam.pk, "draft_pk": draft.pk})
    wrong = staff.post(url, {"captured_by": "grace", "method": "aac"})
    assert wrong.status_code == 200
    assert VoiceDraft.objects.get().state == DraftState.WAITING
    assert staff.post(url, {"captured_by": "priya", "method": "verbal"}).status_code == 302
    draft.refresh_from_db()
    assert draft.state == DraftState.CONFIRMED
    voice = next(v for v in casefile_export(person=sam).voice if v.id == draft.voice_id)
    assert voice.model_dump(exclude_none=True) == {
        "id": draft.voice_id,
        "date": TODAY.isoformat(),
        "area": "mobility_outdoors",
        "method": "verbal",
        "setting": "everyday",
        "captured_by": "priya",
        "present": ["priya", "grace"],
        "direct": True,
        "summary": said,
    }
    versions = RecordVersion.objects.filter(person=sam, kind="voice", external_id=draft.voice_id)
    assert list(versions.values_list("version", "actor_id")) == [(1, portal["staff"]["manager"].pk)]
    # confirmed once only
    assert staff.get(url).status_code == 404


def test_a_relative_cannot_add_to_the_persons_voice(portal: dict[str, Any]) -> None:
    sam = portal["people"]["sam"]
    response = client_for(portal["users"]["grace"]).post(
        f"/portal/{sam.pk}/say/", {"text": "He wants to stay in."}
    )
    assert response.status_code == 404
    assert VoiceDraft.objects.count() == 0


def test_sam_sees_who_sees_what(portal: dict[str, Any]) -> None:
    sam_user, sam = portal["users"]["sam"], portal["people"]["sam"]
    page = client_for(sam_user).get(f"/portal/{sam.pk}/who-sees-what/").content.decode()
    grace = page[page.index("Grace Okafor") :]
    assert "<li>Health and treatment</li><li>Going out and getting about</li>" in grace


def test_disclosures_show_on_who_has_seen_and_in_the_subject_access_export(
    portal: dict[str, Any],
) -> None:
    imran, aisha = portal["users"]["imran"], portal["people"]["aisha"]
    client = client_for(imran)
    client.get(area_url(aisha, "health_treatment"))
    client.get(area_url(aisha, "medication"))
    manager = client_for(portal["staff"]["manager"])
    page = manager.get(reverse("web:access_log", kwargs={"person_pk": aisha.pk})).content.decode()
    assert "Portal: the records about health and treatment" in page
    assert "Portal: the records about medication" in page
    assert "Family or person login" in page
    from django.utils.timezone import now

    from kinwise.dataprotection.subject_access import subject_access

    data = subject_access(person=aisha, made_at=now()).data
    assert [(p["member"], p["kind"], p["username"]) for p in data["portal_logins"]] == [
        ("imran", "family", "imran")
    ]
    pages = [(e["kind"], e["allowed"]) for e in data["access_log"] if e["user_id"] == imran.pk]
    assert ("portal:area/health_treatment", True) in pages
    assert ("portal:area/medication", False) in pages


def test_staff_invite_by_email_and_one_real_person_has_one_login(portal: dict[str, Any]) -> None:
    daniel, aisha = portal["people"]["daniel"], portal["people"]["aisha"]
    staff = client_for(portal["staff"]["manager"])
    url = reverse("portal_staff:accounts", kwargs={"person_pk": daniel.pk})
    taken = staff.post(url, {"member": "mark", "username": "mark2", "email": "m@example.com"})
    assert "They already have a login for this file" in taken.content.decode()
    response = staff.post(url, {"member": "daniel", "username": "daniel", "email": "d@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/welcome/" in mail.outbox[0].body
    assert "Daniel" not in mail.outbox[0].body
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="daniel")
    assert not user.has_usable_password()
    # the same email address from another file: the same login, a second link
    other = reverse("portal_staff:accounts", kwargs={"person_pk": aisha.pk})
    linked = staff.post(other, {"member": "aisha", "username": "", "email": "D@example.com"})
    assert linked.status_code == 302
    assert len(mail.outbox) == 1
    assert sorted(user.portal_account.links.values_list("member_id", flat=True)) == [
        "aisha",
        "daniel",
    ]


def test_a_relatives_view_shows_on_the_meeting_page_as_theirs_and_never_as_the_persons_voice(
    portal: dict[str, Any],
) -> None:
    import datetime as dt

    from kinwise.rules.audit import audit_casefile

    grace, sam = portal["users"]["grace"], portal["people"]["sam"]
    since = dt.date(2026, 1, 1)

    def audit() -> list[tuple[str, str]]:
        found = audit_casefile(casefile_export(person=sam), as_of=TODAY, since=since)
        return sorted((f.rule, f.subject) for f in found.findings)

    before, voice_before = audit(), len(casefile_export(person=sam).voice)
    client = client_for(grace)
    url = f"/portal/{sam.pk}/your-view/"
    empty = client.post(url, {"area": "", "text": ""})
    assert empty.status_code == 200
    page = empty.content.decode()
    assert "Choose what your view is about" in page and "Write your view" in page
    said = "I would like route B tried in daylight first."
    response = client.post(url, {"area": "mobility_outdoors", "about": "meeting:m2", "text": said})
    assert response.status_code == 302
    views = casefile_export(person=sam).family_views
    assert [(v.author, v.date, v.area, v.meeting, v.text) for v in views] == [
        ("grace", TODAY, "mobility_outdoors", "m2", said)
    ]
    # never the person's voice: no voice record, and the audit (VO01, VO02, VO03) the same
    assert len(casefile_export(person=sam).voice) == voice_before
    assert audit() == before
    staff = client_for(portal["staff"]["manager"])
    meeting = staff.get(
        reverse("web:meeting", kwargs={"person_pk": sam.pk, "meeting_id": "m2"})
    ).content.decode()
    assert (
        f"<strong>Grace Okafor</strong>, 2 December 2026 (going out and getting about): {said}"
        in meeting
    )
    assert "They are not Sam Okafor's voice" in meeting
    # the person has no such form; a relative's view of another file is refused
    assert client_for(portal["users"]["sam"]).get(url).status_code == 404


def test_a_relative_raises_a_concern_as_a_concern_record_with_their_words(
    portal: dict[str, Any],
) -> None:
    imran, aisha = portal["users"]["imran"], portal["people"]["aisha"]
    client = client_for(imran)
    url = f"/portal/{aisha.pk}/concern/"
    empty = client.post(url, {})
    assert empty.status_code == 200
    assert "Tell us what your concern is" in empty.content.decode()
    # an area outside his part is not offered, and refused if posted
    refused = client.post(url, {"kind": "concern", "area": "finances_daily", "text": "x"})
    assert refused.status_code == 200
    assert casefile_export(person=aisha).concerns == []
    response = client.post(
        url, {"kind": "disagreement", "area": "daily_living", "text": "College tires her out."}
    )
    assert response.status_code == 302
    found = casefile_export(person=aisha)
    assert [(c.kind, c.raised_by, c.date, c.area) for c in found.concerns] == [
        ("disagreement", "imran", TODAY, "daily_living")
    ]
    assert [(v.author, v.text) for v in found.family_views] == [
        ("imran", "Disagreement raised: College tires her out.")
    ]
    assert (
        client_for(portal["users"]["sam"])
        .get(f"/portal/{portal['people']['sam'].pk}/concern/")
        .status_code
        == 404
    )
