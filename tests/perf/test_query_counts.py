"""Query counts that do not grow: the audit with the number of people, the pages with history.

No timings here (those are in ``make bench``): only the number of SQL queries, which is
what makes a page's cost grow with the records when a selector loads row by row.
"""

from __future__ import annotations

import gc
import weakref
from collections.abc import Callable

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kinwise.casefile.schema import CaseFile
from kinwise.core.models import Service, StaffRole
from kinwise.core.services import organisation_ensure, service_ensure, staff_user_ensure
from kinwise.records.models import Person
from kinwise.records.selectors import casefiles_for_service, casefiles_map, documents_map
from kinwise.rules.audit import audit_casefile, audit_documents, default_since
from kinwise.synth.generate import DEFAULT_AS_OF, SynthSpec
from kinwise.synth.services import population_import
from kinwise.web.personview import person_views_clear
from tests.querycount import ACCESS_LOG_QUERIES, split
from tests.signin import signed_in_client

AS_OF = DEFAULT_AS_OF


@pytest.fixture
def populate(db: None) -> Callable[..., Service]:
    """Import a synthetic population into a new service of organisation 'perf'."""
    organisation = organisation_ensure(slug="perf", name="Perf Care")

    def make(service_id: str, *, people: int, years: int, seed: int = 1) -> Service:
        spec = SynthSpec(people=people, years=years, seed=seed, as_of=AS_OF, service_id=service_id)
        service = service_ensure(
            organisation=organisation, external_id=service_id, name=f"Service {service_id}"
        )
        assert population_import(spec=spec, service=service) == people
        return service

    return make


def _queries(action: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured.captured_queries)


def _audit_service(service_id: str) -> int:
    """The stored audit of one service, as `kinwise audit --service` runs it: findings counted."""
    since = default_since(AS_OF)
    counts = casefiles_map(
        service=service_id,
        person=None,
        each=lambda cf: len(audit_casefile(cf, as_of=AS_OF, since=since).findings),
    )
    return sum(counts)


@pytest.mark.django_db
def test_the_audit_of_a_service_issues_the_same_queries_for_5_and_20_people(
    populate: Callable[..., Service],
) -> None:
    populate("five", people=5, years=1)
    populate("twenty", people=20, years=1)

    five = _queries(lambda: _audit_service("five"))
    twenty = _queries(lambda: _audit_service("twenty"))

    assert five == twenty
    # the service, its people, and one query for the records of every kind; the read is one
    # transaction (here a savepoint and its release, inside the test's own)
    assert five == 2 + 1 + 2


@pytest.mark.django_db
def test_the_audit_of_the_stored_documents_finds_what_the_case_files_do_in_as_many_queries(
    populate: Callable[..., Service],
) -> None:
    """`kinwise audit --service` judges the stored documents without building the records
    (documents_map): the same audits, in the same order, and the same queries."""
    populate("docs", people=8, years=2)
    since = default_since(AS_OF)
    with CaptureQueriesContext(connection) as built:
        from_files = casefiles_map(
            service="docs",
            person=None,
            each=lambda cf: audit_casefile(cf, as_of=AS_OF, since=since).to_json(),
        )
    with CaptureQueriesContext(connection) as read:
        from_documents = documents_map(
            service="docs",
            person=None,
            each=lambda d: audit_documents(d, as_of=AS_OF, since=since).to_json(),
        )
    assert len(from_files) == 8
    assert sum(len(a["findings"]) for a in from_files) > 0
    assert from_documents == from_files
    assert len(read.captured_queries) == len(built.captured_queries) == 2 + 1 + 2


@pytest.mark.django_db
def test_the_audit_holds_one_case_file_at_a_time(populate: Callable[..., Service]) -> None:
    """Each case file is built, audited and dropped before the next is built, so the
    audit's memory does not grow with the number of people."""
    populate("stream", people=6, years=1)
    seen: list[weakref.ref[CaseFile]] = []

    def each(casefile: CaseFile) -> str:
        gc.collect()
        alive = [ref for ref in seen if ref() is not None]
        assert alive == []
        seen.append(weakref.ref(casefile))
        return casefile.person.id

    assert casefiles_map(service="stream", person=None, each=each) == [
        f"p{n:05d}" for n in range(1, 7)
    ]
    assert len(seen) == 6


@pytest.mark.django_db
def test_loading_a_service_does_not_depend_on_its_history(
    populate: Callable[..., Service],
) -> None:
    short = populate("short", people=4, years=1)
    long = populate("long", people=4, years=10)
    assert _queries(lambda: casefiles_for_service(service=short)) == _queries(
        lambda: casefiles_for_service(service=long)
    )


@pytest.fixture
def manager_client(db: None, populate: Callable[..., Service]) -> Callable[[Service], Client]:
    def login(service: Service) -> Client:
        user = staff_user_ensure(
            username=f"manager-{service.external_id}",
            password="a-long-test-password",
            service=service,
            role=StaffRole.REGISTERED_MANAGER,
        )
        return signed_in_client(user)

    return login


def _page_queries(client: Client, url: str) -> tuple[int, int]:
    """(the page's queries, the access log's) of a page opened a second time."""
    client.get(url)  # warm: the session and the template cache
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return split(captured.captured_queries)


@pytest.fixture
def one_and_ten_years(
    populate: Callable[..., Service], monkeypatch: pytest.MonkeyPatch
) -> tuple[Service, Service]:
    """The same three people with one year of history in one service, ten in another."""
    monkeypatch.setattr("kinwise.clock.today", lambda: AS_OF)
    return populate("one", people=2, years=1, seed=4), populate("ten", people=2, years=10, seed=4)


def test_ten_times_the_history_holds_ten_times_the_records(
    one_and_ten_years: tuple[Service, Service],
) -> None:
    one, ten = one_and_ten_years
    short = casefiles_for_service(service=one)
    long = casefiles_for_service(service=ten)
    assert [cf.person for cf in short.values()] == [cf.person for cf in long.values()]
    assert sum(len(cf.voice) for cf in long.values()) >= 7 * sum(
        len(cf.voice) for cf in short.values()
    )


# the session, the viewer, their services (access and the list), the people's data
# stamps and their stored audits, and the viewer's roles for the oversight links (three:
# oversight, supervision, administration); the access log's entry for the service is
# counted apart
DASHBOARD_QUERIES = 9

PERSON_PAGES = (
    "web:person",
    "web:voice",
    "web:meetings",
    "web:risk",
    "web:capacity",
    "web:history",
)


# A person's page built afresh: the session, the viewer, the person (with whether the
# viewer may see them and the state of their records), the person's row and their current
# records (one query for every kind, however long the history); the history page adds its
# count and its page.
PERSON_PAGE_BUILT = 2 + 1 + 1 + 1
# The same page again while the person's records are unchanged: what it shows is kept, so
# only the session, the viewer and the person (whose data stamp says so). Each page read
# also leaves one access-log entry, counted apart (ACCESS_LOG_QUERIES, built or kept).
PERSON_PAGE_KEPT = 3


# Pages that link to each record (its history, entered in error) read the records' opaque
# ids once; the history page also counts and reads its page of changes.
LINKING_PAGES = frozenset({"web:person", "web:voice", "web:risk", "web:capacity", "web:history"})


def _extra(page: str) -> int:
    return (1 if page in LINKING_PAGES else 0) + (2 if page == "web:history" else 0)


def _cold_and_warm_queries(client: Client, url: str) -> tuple[int, int]:
    """The queries of a page opened with nothing kept in the process, then opened again
    (each time, apart from the access log's, which are the same every time)."""
    person_views_clear()
    caches["template_fragments"].clear()
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        others, logged = split(captured.captured_queries)
        assert logged == ACCESS_LOG_QUERIES
        counts.append(others)
    return counts[0], counts[1]


def test_person_pages_and_the_dashboard_issue_the_same_queries_at_1_and_10_years(
    one_and_ten_years: tuple[Service, Service],
    manager_client: Callable[[Service], Client],
) -> None:
    counts: dict[str, list[tuple[int, int]]] = {}
    dashboard: list[int] = []
    for service in one_and_ten_years:
        client = manager_client(service)
        person = Person.objects.get(service=service, external_id="p00002")
        for page in PERSON_PAGES:
            url = reverse(page, kwargs={"person_pk": person.pk})
            counts.setdefault(page, []).append(_cold_and_warm_queries(client, url))
        url = reverse("web:service", kwargs={"service_pk": service.pk})
        dashboard.append(_page_queries(client, url))
    expected = {
        page: [(PERSON_PAGE_BUILT + _extra(page), PERSON_PAGE_KEPT)] * 2 for page in PERSON_PAGES
    }
    assert counts == expected
    # the dashboard reads stored audits (it was 26 queries when it loaded and audited every
    # person on every request)
    assert dashboard == [(DASHBOARD_QUERIES, ACCESS_LOG_QUERIES)] * 2


def test_a_write_to_the_person_builds_their_page_again(
    one_and_ten_years: tuple[Service, Service],
    manager_client: Callable[[Service], Client],
) -> None:
    one, _ = one_and_ten_years
    client = manager_client(one)
    person = Person.objects.get(service=one, external_id="p00002")
    url = reverse("web:person", kwargs={"person_pk": person.pk})
    assert _cold_and_warm_queries(client, url) == (PERSON_PAGE_BUILT + 1, PERSON_PAGE_KEPT)
    response = client.post(
        reverse("web:communication", kwargs={"person_pk": person.pk}),
        {"methods": ["verbal"], "notes": "Prefers short sentences, one question at a time."},
    )
    assert response.status_code == 302
    with CaptureQueriesContext(connection) as captured:
        page = client.get(url)
    assert split(captured.captured_queries) == (PERSON_PAGE_BUILT + 1, ACCESS_LOG_QUERIES)
    assert "Prefers short sentences, one question at a time." in page.content.decode()


@pytest.mark.django_db
def test_the_service_dashboard_issues_the_same_queries_for_3_and_12_people(
    populate: Callable[..., Service],
    manager_client: Callable[[Service], Client],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("kinwise.clock.today", lambda: AS_OF)
    few = populate("few", people=3, years=1)
    many = populate("many", people=12, years=1)
    counts = [
        _page_queries(manager_client(s), reverse("web:service", kwargs={"service_pk": s.pk}))
        for s in (few, many)
    ]
    assert counts == [(DASHBOARD_QUERIES, ACCESS_LOG_QUERIES)] * 2


# A web save's own queries: the person locked (with their service), their current records,
# the latest versions of what changes, the new or changed record, its version and the
# person's data stamp, plus the savepoint and its release around them (inside the test's
# transaction; a BEGIN and COMMIT outside one).
WRITE_QUERIES = 8


def _write_queries(person: Person, action: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured.captured_queries)


def test_a_web_save_costs_the_same_queries_at_1_and_10_years(
    one_and_ten_years: tuple[Service, Service],
    manager_client: Callable[[Service], Client],
) -> None:
    from kinwise.records.models import Record
    from kinwise.records.services import edits

    added, changed, posted = [], [], []
    for service in one_and_ten_years:
        person = Person.objects.get(service=service, external_id="p00002")
        member = Record.objects.filter(person=person, kind="member", data__kind="staff")[0]
        view = {
            "date": "2026-11-01",
            "method": "verbal",
            "setting": "everyday",
            "captured_by": member.key,
            "direct": True,
            "summary": "Wants to try the new café.",
        }
        added.append(
            _write_queries(
                person,
                lambda person=person, view=view: edits.record_save(
                    person=person, kind="voice", record=view, actor=None
                ),
            )
        )
        row = Record.objects.get(
            person=person, kind="voice", superseded_at=None, data__summary=view["summary"]
        )
        changed.append(
            _write_queries(
                person,
                lambda person=person, view=view, row=row: edits.record_save(
                    person=person,
                    kind="voice",
                    record={**view, "id": row.key, "summary": "Tried the café."},
                    actor=None,
                    original_key=row.key,
                    based_on=row.version,
                ),
            )
        )
        client = manager_client(service)
        url = reverse("web:voice_add", kwargs={"person_pk": person.pk})
        client.get(url)
        form = {**view, "direct": "yes", "summary": "Asked to visit the library."}
        with CaptureQueriesContext(connection) as captured:
            response = client.post(url, form)
        assert response.status_code == 302
        others, logged = split(captured.captured_queries)
        assert logged == ACCESS_LOG_QUERIES  # the person opened to change: one entry
        posted.append(others)
    assert added == [WRITE_QUERIES] * 2
    assert changed == [WRITE_QUERIES] * 2
    # the whole request: the session, the viewer, the person with the access check and
    # data stamp, the person's view built for the form, and the save
    assert posted[0] == posted[1]
    assert posted[0] <= WRITE_QUERIES + 12
