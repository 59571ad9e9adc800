"""Links from the service and person pages to evidence and oversight."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import User
from django.test import Client

from kinwise.core.models import StaffRole
from kinwise.core.services import staff_user_ensure
from kinwise.records.models import Person
from tests.web.conftest import PASSWORD, client_for, import_example, record_path


def links(html: str) -> list[str]:
    import re

    nav = html.split('aria-label="Evidence and oversight for', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'href="([^"]+)"', nav)


def test_a_manager_sees_oversight_and_evidence(
    people: dict[str, Person], world: dict[str, Any], as_user: Callable[[str], Client]
) -> None:
    riverside = world["services"]["riverside"].pk
    html = as_user("manager").get(f"/services/{riverside}/").content.decode()
    assert links(html) == [
        f"/governance/services/{riverside}/worklist/",
        f"/governance/services/{riverside}/audit/",
        f"/governance/services/{riverside}/trends/",
        f"/governance/services/{riverside}/supervision/",
        f"/governance/services/{riverside}/staff-directory/",
        f"/services/{riverside}/report/",
        f"/services/{riverside}/inspection/",
        f"/services/{riverside}/ended/",
        f"/manage/services/{riverside}/",
    ]
    for url in links(html):
        assert as_user("manager").get(url).status_code == 200, url


def test_a_support_worker_sees_the_people_only(
    people: dict[str, Person], world: dict[str, Any], as_user: Callable[[str], Client]
) -> None:
    # not the report nor the inspection page, which name every person of the service
    oakfield = world["services"]["oakfield"].pk
    html = as_user("worker").get(f"/services/{oakfield}/").content.decode()
    assert links(html) == [f"/services/{oakfield}/ended/"]


def test_a_team_leader_sees_the_evidence_and_oversight(
    people: dict[str, Person], world: dict[str, Any], as_user: Callable[[str], Client]
) -> None:
    riverside = world["services"]["riverside"].pk
    html = as_user("leader").get(f"/services/{riverside}/").content.decode()
    assert links(html) == [
        f"/governance/services/{riverside}/worklist/",
        f"/governance/services/{riverside}/audit/",
        f"/governance/services/{riverside}/trends/",
        f"/governance/services/{riverside}/supervision/",
        f"/governance/services/{riverside}/staff-directory/",
        f"/services/{riverside}/report/",
        f"/services/{riverside}/inspection/",
        f"/services/{riverside}/ended/",
    ]


# (page, link): the forms of the person's pages, and who is offered each.
FORM_LINKS = [
    ("capacity/", "/add/authority/", {"leader", "manager"}),
    ("capacity/", "/add/capacity_assessment/", {"leader", "manager"}),
    ("capacity/", "/add/best_interests/", {"leader", "manager"}),
    ("capacity/", "/add/consent/", {"leader", "manager"}),
    ("capacity/", "/consents/c-share/withdraw/", {"leader", "manager"}),
    ("", "/edit/role/", {"leader", "manager"}),
    ("", "/edit/communication/", {"worker", "leader", "manager"}),
    ("voice/", "/add/voice/", {"worker", "leader", "manager"}),
    ("voice/", "/edit/voice/v1/", {"worker", "leader", "manager"}),
    ("meetings/", "/add/meeting/", {"worker", "leader", "manager"}),
    ("risk/", "/add/incident/", {"worker", "leader", "manager"}),
    ("arrangements/", "/tasks/t-meds/review/", {"worker", "leader", "manager"}),
    ("arrangements/", "/tasks/t-meds/end/", {"leader", "manager"}),
    ("arrangements/", "/add/member/", {"leader", "manager"}),
    ("arrangements/", "/edit/training/", {"leader", "manager"}),
    ("arrangements/", "/add/task/", {"leader", "manager"}),
    ("arrangements/", "/add/medicine/", {"leader", "manager"}),
    ("arrangements/", "/add/medication_audit/", {"leader", "manager"}),
    ("arrangements/", "/edit/emotional-support/", {"leader", "manager"}),
    ("", "/add/role/", {"leader", "manager"}),
    ("", "/edit/plan/", {"leader", "manager"}),
    ("risk/", "/add/risk_assessment/", {"worker", "leader", "manager"}),
    ("risk/", "/add/stage/", {"worker", "leader", "manager"}),
    ("voice/", "/correct/", {"leader", "manager"}),  # entered in error
]


def test_the_person_pages_offer_only_the_forms_the_viewer_may_use(
    world: dict[str, Any], as_user: Callable[[str], Client]
) -> None:
    # Sam at Riverside, seen by a support worker and a team leader of Riverside, a
    # registered manager and a quality lead (who changes nothing) of the organisation
    riverside = world["services"]["riverside"]
    staff_user_ensure(
        username="riverside-worker",
        password=PASSWORD,
        service=riverside,
        role=StaffRole.SUPPORT_WORKER,
    )
    sam = import_example("01-risk-and-independence.yaml", riverside)
    clients = {
        "worker": client_for(User.objects.get(username="riverside-worker")),
        "leader": as_user("leader"),
        "manager": as_user("manager"),
        "quality": as_user("quality"),
    }
    pages = {
        (name, page): client.get(f"/people/{sam.pk}/{page}").content.decode()
        for name, client in clients.items()
        for page in {p for p, _, _ in FORM_LINKS}
    }
    for page, link, offered in FORM_LINKS:
        shown = {name for name in clients if link in pages[(name, page)]}
        assert (page, link, shown) == (page, link, offered)
    # a consent taken out as entered in error: a registered manager only
    consent_row = record_path("records/{consent:c-share}/correct/", sam)
    shown = {name for name in clients if consent_row in pages[(name, "capacity/")]}
    assert shown == {"manager"}


def test_a_quality_lead_oversees_but_does_not_supervise(
    people: dict[str, Person], world: dict[str, Any], as_user: Callable[[str], Client]
) -> None:
    oakfield = world["services"]["oakfield"].pk
    html = as_user("quality").get(f"/services/{oakfield}/").content.decode()
    assert f"/governance/services/{oakfield}/worklist/" in links(html)
    assert f"/governance/services/{oakfield}/supervision/" not in links(html)
    assert f"/governance/services/{oakfield}/staff-directory/" not in links(html)


def test_the_person_page_links_to_the_evidence_pack_and_easy_read(
    people: dict[str, Person], as_user: Callable[[str], Client]
) -> None:
    sam = people["sam"].pk
    html = as_user("manager").get(f"/people/{sam}/").content.decode()
    assert f'href="/people/{sam}/evidence/"' in html
    assert f'href="/people/{sam}/easy-read/"' in html
    # the evidence pack offers its PDF and the same records as a FHIR R4 Bundle
    evidence = as_user("manager").get(f"/people/{sam}/evidence/").content.decode()
    assert f'href="/people/{sam}/evidence.pdf"' in evidence
    assert f'href="/people/{sam}/evidence.fhir.json"' in evidence
