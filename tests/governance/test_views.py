"""Governance pages: access, the as-of date (time travel) and its errors, links to the
person's page, supervision form, flat query counts."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kinwise.casefile.schema import CaseFile
from kinwise.core.models import Service, StaffRole
from kinwise.governance.models import SupervisionAction, SupervisionRecord
from kinwise.governance.services import audit_run_save
from kinwise.records.models import Person
from kinwise.rules.audit import audit_casefile, default_since
from tests.governance.conftest import build, example_data, example_file
from tests.querycount import ACCESS_LOG_QUERIES, split

Store = Callable[[CaseFile], Person]


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> None:
    import datetime as dt

    from kinwise import clock

    monkeypatch.setattr(clock, "today", lambda: dt.date(2026, 6, 1))


@pytest.fixture
def manager(riverside: Service, member: Callable[..., User]) -> Client:
    member("tom", riverside, StaffRole.TEAM_LEADER, first_name="Tom", last_name="Reid")
    client = Client()
    client.login(username="tom", password="pw-for-tests-only")
    return client


def url(service: Service, page: str, query: str = "") -> str:
    return f"/governance/services/{service.pk}/{page}/{query}"


def test_pages_need_a_manager_of_the_service(
    riverside: Service, member: Callable[..., User]
) -> None:
    assert Client().get(url(riverside, "worklist")).status_code == 302  # to log in
    member("sw", riverside, StaffRole.SUPPORT_WORKER)
    worker = Client()
    worker.login(username="sw", password="pw-for-tests-only")
    # a support worker sees the service, so is told which role the pages need
    for page, needed in (
        ("audit", "a team leader, a registered manager or a quality lead"),
        ("trends", "a team leader, a registered manager or a quality lead"),
        ("supervision", "a team leader or a registered manager"),
    ):
        response = worker.get(url(riverside, page))
        assert response.status_code == 403
        assert f"Only {needed} can" in response.content.decode()
    # the worklist sends a support worker to their own work
    sent = worker.get(url(riverside, "worklist"))
    assert (sent.status_code, sent["Location"]) == (302, url(riverside, "my-work"))
    assert worker.get(url(riverside, "my-work")).status_code == 200


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2026-02-30", "Enter the date as year-month-day, for example 2026-03-31"),
        ("1/3/2026", "Enter the date as year-month-day, for example 2026-03-31"),
        ("2026-06-02", "The date must be today or in the past"),
    ],
)
@pytest.mark.parametrize("page", ["worklist", "audit", "trends", "supervision"])
def test_a_bad_as_of_is_a_clear_error(
    riverside: Service, manager: Client, page: str, value: str, message: str
) -> None:
    response = manager.get(url(riverside, page, f"?as_of={value}"))
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert 'class="nhsuk-error-summary"' in body
    assert f'value="{value}"' in body  # what was typed is kept


def test_worklist_lists_the_overdue_review_and_links_to_where_it_is_resolved(
    riverside: Service, manager: Client, store: Store
) -> None:
    daniel = store(example_file("03-historic-arrangement.before.yaml"))
    response = manager.get(url(riverside, "worklist"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Overdue (4)" in body
    assert (
        "Review Mark Hughes&#x27;s arrangement for giving medication for Daniel Hughes after the diagnosis on 10 March 2026"
        in body
    )
    assert "69 days overdue" in body
    assert f'href="/people/{daniel.pk}/meetings/"' in body
    assert f'href="/people/{daniel.pk}/add/meeting/"' in body
    assert "Tom Reid" in body


def test_worklist_on_a_past_day(riverside: Service, manager: Client, store: Store) -> None:
    store(example_file("03-historic-arrangement.before.yaml"))
    body = manager.get(url(riverside, "worklist", "?as_of=2026-03-24")).content.decode()
    # the arrangement reviews were due that day, not yet overdue; only the never-reviewed task is
    assert "Overdue (1)" in body
    assert "Due, not yet overdue (3)" in body
    assert "As it stood on 24 March 2026" in body


def _people(store: Store, first: int, n: int) -> None:
    text = json.dumps(example_data("03-historic-arrangement.before.yaml"))
    for i in range(first, first + n):
        store(
            build(
                json.loads(text.replace('"daniel"', f'"daniel{i}"').replace('"ruth"', f'"ruth{i}"'))
            )
        )


def _queries(client: Client, path: str) -> tuple[int, int]:
    """The page's queries, and the access log's apart."""
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return split(ctx.captured_queries)


@pytest.mark.parametrize("page", ["worklist", "audit", "supervision"])
def test_page_query_count_is_flat(
    riverside: Service, manager: Client, store: Store, page: str
) -> None:
    _people(store, 0, 1)
    once = _queries(manager, url(riverside, page))
    assert once[1] == ACCESS_LOG_QUERIES  # the service read: one entry
    _people(store, 1, 2)  # three people now
    assert _queries(manager, url(riverside, page)) == once


def test_trends_page_shows_months_and_changes(
    riverside: Service, manager: Client, store: Store, django_assert_num_queries: Any
) -> None:
    import datetime as dt

    before = example_file("03-historic-arrangement.before.yaml")
    store(before)
    for day in ("2026-04-30", "2026-05-31"):
        at = dt.date.fromisoformat(day)
        audit_run_save(
            audits=[audit_casefile(before, as_of=at, since=default_since(at))],
            as_of=at,
            since=default_since(at),
            service=riverside,
            as_recorded=True,
        )
    body = manager.get(url(riverside, "trends")).content.decode()
    assert '<th scope="col">April 2026</th><th scope="col">May 2026</th>' in body
    assert (
        "PA01 Family arrangements are reviewed at least once a year</th>"
        '<td data-label="April 2026">1</td><td data-label="May 2026">1</td>' in body
    )
    assert "New findings (0)" in body and "Resolved findings (0)" in body
    assert (
        "No audit has been saved for this service up to this date"
        in manager.get(url(riverside, "trends", "?as_of=2026-03-31")).content.decode()
    )


def test_audit_page_on_a_past_day_with_the_corrections_since(
    riverside: Service, manager: Client, store: Store
) -> None:
    # today's records (stored now), less anything dated after the day
    store(example_file("03-historic-arrangement.before.yaml"))
    on_day = manager.get(url(riverside, "audit", "?as_of=2026-06-01")).content.decode()
    assert "PA02 Arrangements are reviewed after a change in need" in on_day
    before = manager.get(
        url(riverside, "audit", "?as_of=2026-03-09&view=corrected")
    ).content.decode()
    assert "With the corrections made since" in before
    assert "PA02" not in before  # no diagnosis yet
    assert "PA01 Family arrangements are reviewed at least once a year" in before


def test_supervision_pages_and_recording_a_session(
    riverside: Service, manager: Client, store: Store
) -> None:
    store(example_file("01-risk-and-independence.before.yaml"))
    listing = manager.get(url(riverside, "supervision")).content.decode()
    assert "Priya Shah" in listing
    staff_url = url(riverside, "supervision/staff", "?member=priya")
    page = manager.get(staff_url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Sam Okafor and Grace Okafor disagreed about going out and getting about" in body
    assert 'href="/people/' in body and "/meetings/m0/" in body  # evidence links

    bad = manager.post(
        staff_url,
        {
            "date": "2026-05-20",
            "since": "2025-06-01",
            "reflections": " ",
            "action-0-text": "Share the evidence",
            "action-0-due": "2026-13-01",
        },
    )
    assert bad.status_code == 400
    text = bad.content.decode()
    assert "Enter the date the action is due as year-month-day, for example 2026-03-31" in text
    assert 'value="Share the evidence"' in text  # nothing typed is lost
    assert SupervisionRecord.objects.count() == 0

    ok = manager.post(
        staff_url,
        {
            "date": "2026-05-20",
            "since": "2025-06-01",
            "prompts": ["family_prevailed:sam/decision:m0/mobility_outdoors", "standing:assuming"],
            "reflections": "Deferred to Grace because she was upset.",
            "action-0-text": "Share the evidence",
            "action-0-due": "2026-06-15",
        },
    )
    assert ok.status_code == 302
    record = SupervisionRecord.objects.get()
    assert [p["key"] for p in record.prompts] == [
        "family_prevailed:sam/decision:m0/mobility_outdoors",
        "standing:assuming",
    ]
    assert SupervisionAction.objects.get().text == "Share the evidence"
    worklist = manager.get(url(riverside, "worklist")).content.decode()
    assert "Priya Shah: Share the evidence" in worklist


def test_unknown_staff_member_is_404(riverside: Service, manager: Client, store: Store) -> None:
    store(example_file("01-risk-and-independence.before.yaml"))
    assert manager.get(url(riverside, "supervision/staff", "?member=nobody")).status_code == 404
    assert manager.get(url(riverside, "supervision/staff", "")).status_code == 404
    # the member id alone names the member of staff (the staff directory's): no name in
    # the address
    assert manager.get(url(riverside, "supervision/staff", "?member=priya")).status_code == 200


@pytest.mark.parametrize("pk", [str(10**30), str(2**63), "-1", "0", "99999"])
def test_an_outcome_for_an_action_that_does_not_exist_is_an_error_not_a_crash(
    riverside: Service, manager: Client, store: Store, pk: str
) -> None:
    store(example_file("01-risk-and-independence.before.yaml"))
    staff_url = url(riverside, "supervision/staff", "?member=priya")
    response = manager.post(
        staff_url,
        {
            "date": "2026-05-20",
            "since": "2025-06-01",
            "reflections": "Talked it through.",
            f"outcome-{pk}": "Done",
        },
    )
    assert response.status_code == 400
    assert "This is not an open action of this staff member" in response.content.decode()
    assert SupervisionRecord.objects.count() == 0


def test_supervision_texts_have_a_maximum_length(
    riverside: Service, manager: Client, store: Store
) -> None:
    store(example_file("01-risk-and-independence.before.yaml"))
    staff_url = url(riverside, "supervision/staff", "?member=priya")
    base = {"date": "2026-05-20", "since": "2025-06-01", "action-0-due": "2026-06-15"}
    response = manager.post(
        staff_url, {**base, "reflections": "r" * 5001, "action-0-text": "a" * 2001}
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Reflections must be 5000 characters or fewer" in text
    assert "The action must be 2000 characters or fewer" in text
    assert SupervisionRecord.objects.count() == 0
    at_limit = manager.post(
        staff_url, {**base, "reflections": "r" * 5000, "action-0-text": "a" * 2000}
    )
    assert at_limit.status_code == 302
    assert len(SupervisionAction.objects.get().text) == 2000


def test_a_null_character_in_supervision_texts_is_an_error(
    riverside: Service, manager: Client, store: Store
) -> None:
    store(example_file("01-risk-and-independence.before.yaml"))
    staff_url = url(riverside, "supervision/staff", "?member=priya")
    response = manager.post(
        staff_url,
        {
            "date": "2026-05-20",
            "since": "2025-06-01",
            "reflections": "a\x00b",
            "action-0-text": "c\x00",
            "action-0-due": "2026-06-15",
        },
    )
    assert response.status_code == 400
    assert response.content.decode().count("The text holds a null character") >= 2
    assert SupervisionRecord.objects.count() == 0
