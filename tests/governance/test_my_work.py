"""A member of staff of any role sees and opens the work items they own: on the service's
people page ("Your reviews") and on "My work"; the worklist sends someone who does not
oversee the service to their own work instead of answering 404."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client

from kinwise.casefile.schema import CaseFile
from kinwise.core.models import Service, StaffRole
from kinwise.governance.selectors import service_worklist
from kinwise.governance.work_services import work_item_reassign
from kinwise.records.models import Person
from tests.governance.conftest import build, example_data

Store = Callable[[CaseFile], Person]
TODAY = dt.date(2026, 6, 1)
RISK_REVIEW = (
    "Review the risks in medication for Sam Okafor after the moderate incident on 25 May 2026"
)


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> None:
    from kinwise import clock

    monkeypatch.setattr(clock, "today", lambda: TODAY)


def sam_after_an_incident() -> CaseFile:
    """Example 1 (before), with a moderate incident about Sam's medication on 25 May:
    Priya supports Sam with medication, so the risk review is hers."""
    data = example_data("01-risk-and-independence.before.yaml")
    data["incidents"] = [
        {
            "id": "i1",
            "date": "2026-05-25",
            "area": "medication",
            "severity": "moderate",
            "safeguarding": False,
            "description": "Missed evening dose",
        }
    ]
    return build(data)


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def priya(riverside: Service, member: Callable[..., User]) -> User:
    return member("priya", riverside, StaffRole.SUPPORT_WORKER, first_name="Priya")


def test_a_support_worker_sees_and_opens_the_review_she_owns(
    riverside: Service, store: Store, priya: User, member: Callable[..., User]
) -> None:
    sam = store(sam_after_an_incident())
    member("tom", riverside, StaffRole.TEAM_LEADER, first_name="Tom", last_name="Reid")
    (row,) = [
        r for r in service_worklist(service=riverside, as_of=TODAY).rows if r.kind == "risk_review"
    ]
    assert (row.owner_key, row.due, row.state) == (
        "member:priya",
        dt.date(2026, 6, 8),
        "open",
    )
    client = client_for(priya)

    dashboard = client.get(f"/services/{riverside.pk}/")
    assert dashboard.status_code == 200
    body = dashboard.content.decode()
    mine = body.split('id="my-work-heading"')[1].split("</ul>")[0]
    assert (
        f'<a href="/people/{sam.pk}/">Sam Okafor</a> – Risk review: medication: due 8 June 2026'
        in mine
    )
    # the people table lists the same review for Sam (it said "None due" before)
    table = body.split("People, open findings and reviews coming due")[1]
    assert "Risk review: medication: due 8 June 2026" in table

    work = client.get(f"/governance/services/{riverside.pk}/my-work/")
    assert work.status_code == 200
    page = work.content.decode()
    assert "Due, not yet overdue (1)" in page and "Overdue (0)" in page
    assert RISK_REVIEW in page
    assert f'href="/people/{sam.pk}/risk/"' in page
    # a support worker is shown no oversight tabs she may not open
    assert "Audit on a day" not in page
    # she may open the person page the item links to
    assert client.get(f"/people/{sam.pk}/risk/").status_code == 200

    # the worklist sends her to her own work rather than answering 404
    sent = client.get(f"/governance/services/{riverside.pk}/worklist/")
    assert (sent.status_code, sent["Location"]) == (
        302,
        f"/governance/services/{riverside.pk}/my-work/",
    )
    # the oversight pages tell her which role they need
    for page_name in ("audit", "trends", "supervision"):
        assert client.get(f"/governance/services/{riverside.pk}/{page_name}/").status_code == 403


def test_a_review_given_to_someone_else_leaves_her_work_and_one_given_to_her_joins_it(
    riverside: Service, store: Store, priya: User, member: Callable[..., User]
) -> None:
    sam = store(sam_after_an_incident())
    tom = member("tom", riverside, StaffRole.TEAM_LEADER, first_name="Tom", last_name="Reid")
    ali = member("ali", riverside, StaffRole.SUPPORT_WORKER, first_name="Ali", last_name="Khan")
    key = "risk_review:incident:i1"
    work_item_reassign(person=sam, key=key, owner=ali, actor=tom, as_of=TODAY)

    def mine(user: User) -> tuple[str, str]:
        client = client_for(user)
        dashboard = client.get(f"/services/{riverside.pk}/").content.decode()
        work = client.get(f"/governance/services/{riverside.pk}/my-work/").content.decode()
        return dashboard.split('id="my-work-heading"')[1].split("See all your work")[0], work

    dashboard, work = mine(priya)
    assert "Risk review" not in dashboard and RISK_REVIEW not in work
    assert "None of your reviews are overdue or coming due." in dashboard
    dashboard, work = mine(ali)
    assert "Risk review: medication: due 8 June 2026" in dashboard and RISK_REVIEW in work


def test_my_work_is_refused_outside_the_viewers_services(
    riverside: Service, store: Store, member: Callable[..., User]
) -> None:
    store(sam_after_an_incident())
    other = Service.objects.create(
        organisation=riverside.organisation, external_id="hillside", name="Hillside"
    )
    outsider = member("priya", other, StaffRole.SUPPORT_WORKER)
    client = client_for(outsider)
    assert client.get(f"/governance/services/{riverside.pk}/my-work/").status_code == 404
    assert client.get(f"/governance/services/{riverside.pk}/worklist/").status_code == 404
