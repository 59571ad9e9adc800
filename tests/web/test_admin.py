"""Set-up and administration in the web: services, people and the end of their support,
for registered managers of the organisation only (other staff who may see what a page is
about: 403 with the role needed; everyone else: 404; both logged)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from kinwise.core.models import RecordVersion, Service
from kinwise.governance.models import GovernanceChange
from kinwise.records.models import Person
from kinwise.records.selectors import casefile_export
from kinwise.web.selectors import people_ended, people_overview, services_for_viewer
from tests.web.test_forms import summary_of

TODAY = dt.date(2026, 9, 30)


@pytest.fixture(autouse=True)
def fixed_today(today: Callable[[dt.date], None]) -> None:
    today(TODAY)


ADMIN_PAGES = [
    ("get", "/manage/"),
    ("get", "/manage/services/add/"),
    ("post", "/manage/services/add/"),
    ("get", "/manage/services/{riverside}/"),
    ("get", "/manage/services/{riverside}/rename/"),
    ("post", "/manage/services/{riverside}/rename/"),
    ("get", "/manage/services/{riverside}/people/add/"),
    ("post", "/manage/services/{riverside}/people/add/"),
    ("get", "/manage/people/{sam}/end-support/"),
    ("post", "/manage/people/{sam}/end-support/"),
    ("get", "/manage/staff/invite/"),
    ("post", "/manage/staff/invite/"),
    ("get", "/manage/staff/{worker}/"),
    ("get", "/manage/staff/{worker}/role/"),
    ("post", "/manage/staff/{worker}/role/"),
    ("post", "/manage/staff/{worker}/role/{oakfield}/remove/"),
    ("get", "/manage/staff/{worker}/deactivate/"),
    ("post", "/manage/staff/{worker}/deactivate/"),
    ("post", "/manage/staff/{worker}/reactivate/"),
    ("post", "/manage/staff/{worker}/invite/"),
]


def _address(template: str, world: dict[str, Any], people: dict[str, Person]) -> str:
    return template.format(
        riverside=world["services"]["riverside"].pk,
        oakfield=world["services"]["oakfield"].pk,
        sam=people["sam"].pk,
        worker=world["users"]["worker"].pk,
    )


# Everyone but the organisation's registered manager; the other organisation's manager
# is refused every page about something of this organisation.
REFUSED = [
    (username, method, template)
    for username in ("worker", "leader", "quality", "outsider")
    for method, template in ADMIN_PAGES
    if username != "outsider" or "{" in template
]
# What each page is about, and which of the refused may see it (and so are told which
# role it needs, 403); the others are not told it exists (404).
SEEN_BY = {
    "": {"worker", "leader", "quality"},  # their own organisation
    "{riverside}": {"leader", "quality"},
    "{sam}": {"leader", "quality"},  # Sam is at Riverside
    "{worker}": {"worker", "quality"},  # the support worker's role is at Oakfield
}


def _refusal(username: str, template: str) -> int:
    about = next((k for k in ("{riverside}", "{sam}", "{worker}") if k in template), "")
    return 403 if username in SEEN_BY[about] else 404


@pytest.mark.parametrize(("username", "method", "template"), REFUSED)
def test_only_registered_managers_of_the_organisation_reach_the_admin_pages(
    world: dict[str, Any],
    people: dict[str, Person],
    as_user: Callable[[str], Client],
    caplog: pytest.LogCaptureFixture,
    username: str,
    method: str,
    template: str,
) -> None:
    address = _address(template, world, people)
    before = (Service.objects.count(), GovernanceChange.objects.count())
    with caplog.at_level(logging.WARNING, logger="kinwise.access"):
        response = getattr(as_user(username), method)(address, {"name": "Hijacked"})
    assert response.status_code == _refusal(username, template)
    assert (Service.objects.count(), GovernanceChange.objects.count()) == before
    refusals = [r.getMessage() for r in caplog.records if r.name == "kinwise.access"]
    assert refusals and all("user pk=" in m and username not in m for m in refusals)


def test_signed_out_visitors_are_sent_to_sign_in(world: dict[str, Any]) -> None:
    response = Client().get("/manage/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/manage/"


def test_the_manager_reaches_every_admin_page(
    world: dict[str, Any], people: dict[str, Person], as_user: Callable[[str], Client]
) -> None:
    client = as_user("manager")
    for method, template in ADMIN_PAGES:
        if method == "get":
            response = client.get(_address(template, world, people))
            assert response.status_code == 200, template


def test_the_services_page_offers_administration_to_managers_only(
    world: dict[str, Any], as_user: Callable[[str], Client]
) -> None:
    assert "Set up and administration" in as_user("manager").get("/?choose=1").content.decode()
    assert "Set up and administration" not in as_user("quality").get("/?choose=1").content.decode()


# --- services --------------------------------------------------------------------------


def test_a_manager_adds_a_service_with_its_history(
    world: dict[str, Any], as_user: Callable[[str], Client]
) -> None:
    manager = world["users"]["manager"]
    response = as_user("manager").post("/manage/services/add/", {"name": "  Hill House  "})
    service = Service.objects.get(name="Hill House")
    assert response.status_code == 302
    assert response["Location"] == f"/manage/services/{service.pk}/"
    assert (service.organisation.slug, service.external_id) == ("acme", "hill-house")
    change = GovernanceChange.objects.get(entity="service", entity_pk=service.pk)
    assert (change.action, change.actor_id) == ("created", manager.pk)
    assert change.snapshot == {
        "organisation": service.organisation_id,
        "id": "hill-house",
        "name": "Hill House",
    }
    # a second one with a name of the same letters gets its own id
    as_user("manager").post("/manage/services/add/", {"name": "Hill-House!"})
    assert Service.objects.get(name="Hill-House!").external_id == "hill-house-2"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Enter the name of the service"),
        ("   ", "Enter the name of the service"),
        ("riverside", "There is already a service with this name"),
        ("x" * 201, "The name must be 200 characters or fewer"),
    ],
)
def test_a_bad_service_name_is_refused_at_the_field(
    world: dict[str, Any], as_user: Callable[[str], Client], name: str, message: str
) -> None:
    before = Service.objects.count()
    response = as_user("manager").post("/manage/services/add/", {"name": name})
    assert response.status_code == 400
    assert summary_of(response.content.decode()) == [("id_name", message)]
    assert Service.objects.count() == before


def test_a_service_with_the_name_of_another_organisations_service_is_fine(
    world: dict[str, Any], as_user: Callable[[str], Client]
) -> None:
    response = as_user("manager").post("/manage/services/add/", {"name": "Elsewhere"})
    assert response.status_code == 302
    assert Service.objects.filter(name="Elsewhere").count() == 2


def test_renaming_keeps_the_case_file_id(
    world: dict[str, Any], as_user: Callable[[str], Client]
) -> None:
    riverside = world["services"]["riverside"]
    client = as_user("manager")
    response = client.post(f"/manage/services/{riverside.pk}/rename/", {"name": "River View"})
    assert response.status_code == 302
    riverside.refresh_from_db()
    assert (riverside.name, riverside.external_id) == ("River View", "riverside")
    actions = list(
        GovernanceChange.objects.filter(entity="service", entity_pk=riverside.pk).values_list(
            "action", flat=True
        )
    )
    assert actions == ["renamed"]
    clash = client.post(f"/manage/services/{riverside.pk}/rename/", {"name": "OAKFIELD"})
    assert clash.status_code == 400
    assert summary_of(clash.content.decode()) == [
        ("id_name", "There is already a service with this name")
    ]


def test_an_unknown_or_foreign_service_is_not_found(
    world: dict[str, Any], as_user: Callable[[str], Client]
) -> None:
    client = as_user("manager")
    elsewhere = world["services"]["elsewhere"]
    assert client.get(f"/manage/services/{elsewhere.pk}/").status_code == 404
    assert client.post(f"/manage/services/{elsewhere.pk}/rename/", {"name": "x"}).status_code == 404
    assert client.get("/manage/services/999999/people/add/").status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.name == "Elsewhere"


# --- a new person ----------------------------------------------------------------------

NEW_PERSON = {
    "name": "Kim Lee",
    "date_of_birth": "1994-05-17",
    "methods": ["verbal", "easy_read"],
    "notes": "Likes time to answer.",
    "version_date": "2026-09-01",
    "required_areas": ["medication", "finances_daily"],
    "member-0-name": "Jo Lee",
    "member-0-kind": "family",
    "member-0-detail": "sister",
    "member-1-name": "Priya Shah",
    "member-1-kind": "staff",
    "member-1-detail": "support worker",
}


def test_a_new_person_is_imported_with_the_web_as_source(
    world: dict[str, Any], as_user: Callable[[str], Client]
) -> None:
    riverside = world["services"]["riverside"]
    response = as_user("manager").post(f"/manage/services/{riverside.pk}/people/add/", NEW_PERSON)
    person = Person.objects.get(service=riverside, name="Kim Lee")
    assert response.status_code == 302
    assert response["Location"] == f"/people/{person.pk}/"
    casefile = casefile_export(person=person)
    assert casefile.person.model_dump(mode="json") == {
        "id": "kim-lee",
        "name": "Kim Lee",
        "date_of_birth": "1994-05-17",
        "communication": {"methods": ["verbal", "easy_read"], "notes": "Likes time to answer."},
    }
    assert casefile.plan.version_date == dt.date(2026, 9, 1)
    assert casefile.plan.required_areas == ["medication", "finances_daily"]
    assert [(m.id, m.name, m.kind, m.relationship, m.job) for m in casefile.circle] == [
        ("jo-lee", "Jo Lee", "family", "sister", None),
        ("priya-shah", "Priya Shah", "staff", None, "support worker"),
    ]
    versions = RecordVersion.objects.filter(person=person)
    assert {(v.kind, v.source, v.actor_id) for v in versions} == {
        (kind, "web", world["users"]["manager"].pk) for kind in ("person", "member", "plan")
    }
    assert versions.count() == 4
    # the person's own pages open, and their view can be recorded by the staff member
    assert as_user("manager").get(f"/people/{person.pk}/add/voice/").status_code == 200


def test_a_person_of_the_same_name_gets_an_id_of_their_own(
    world: dict[str, Any], as_user: Callable[[str], Client]
) -> None:
    riverside = world["services"]["riverside"]
    client = as_user("manager")
    minimal = {"name": "Kim Lee", "methods": ["verbal"], "version_date": "2026-09-01"}
    for _ in range(2):
        assert (
            client.post(f"/manage/services/{riverside.pk}/people/add/", minimal).status_code == 302
        )
    ids = sorted(Person.objects.filter(name="Kim Lee").values_list("external_id", flat=True))
    assert ids == ["kim-lee", "kim-lee-2"]
    # no areas chosen: the plan says none are required (not the default four)
    assert (
        casefile_export(person=Person.objects.get(external_id="kim-lee")).plan.required_areas == []
    )


def test_a_new_person_with_nothing_typed(
    world: dict[str, Any], as_user: Callable[[str], Client]
) -> None:
    riverside = world["services"]["riverside"]
    response = as_user("manager").post(
        f"/manage/services/{riverside.pk}/people/add/", {"version_date": ""}
    )
    assert response.status_code == 400
    assert summary_of(response.content.decode()) == [
        ("id_name", "Enter their full name"),
        ("id_methods", "Choose at least one option for how they communicate"),
        ("id_version_date", "Enter the date of their support plan"),
    ]
    assert not Person.objects.filter(service=riverside).exists()


def test_a_new_persons_bad_dates_and_circle(
    world: dict[str, Any], as_user: Callable[[str], Client]
) -> None:
    riverside = world["services"]["riverside"]
    bad = {
        **NEW_PERSON,
        "date_of_birth": "1994-02-30",
        "version_date": "2026-10-01",
        "member-0-kind": "",
        "member-1-name": "",
    }
    response = as_user("manager").post(f"/manage/services/{riverside.pk}/people/add/", bad)
    assert response.status_code == 400
    html = response.content.decode()
    assert summary_of(html) == [
        ("id_date_of_birth", "Enter the date of birth as a real date, for example 2026-03-27"),
        ("id_version_date", "The plan's date cannot be after today"),
        ("id_member-0-kind", "Choose who they are"),
        ("id_member-1-name", "Enter the member's name"),
    ]
    assert 'value="1994-02-30"' in html and 'value="Jo Lee"' in html
    assert not Person.objects.filter(service=riverside).exists()


def test_a_date_of_birth_after_today_is_refused(
    world: dict[str, Any], as_user: Callable[[str], Client]
) -> None:
    riverside = world["services"]["riverside"]
    response = as_user("manager").post(
        f"/manage/services/{riverside.pk}/people/add/",
        {**NEW_PERSON, "date_of_birth": "2026-10-01"},
    )
    assert summary_of(response.content.decode()) == [
        ("id_date_of_birth", "A date of birth cannot be after today")
    ]
    ok = as_user("manager").post(
        f"/manage/services/{riverside.pk}/people/add/",
        {**NEW_PERSON, "date_of_birth": TODAY.isoformat(), "version_date": TODAY.isoformat()},
    )
    assert ok.status_code == 302


def test_an_unknown_method_gets_a_plain_message(
    world: dict[str, Any], as_user: Callable[[str], Client]
) -> None:
    riverside = world["services"]["riverside"]
    response = as_user("manager").post(
        f"/manage/services/{riverside.pk}/people/add/", {**NEW_PERSON, "methods": ["telepathy"]}
    )
    assert summary_of(response.content.decode()) == [
        ("id_methods", "Choose how they communicate from the list")
    ]


# --- the end of support ----------------------------------------------------------------


def test_the_end_of_support_takes_the_person_off_the_active_lists(
    world: dict[str, Any], people: dict[str, Person], as_user: Callable[[str], Client]
) -> None:
    riverside = world["services"]["riverside"]
    sam = people["sam"]
    manager = world["users"]["manager"]
    versions = RecordVersion.objects.filter(person=sam, kind="person").count()
    response = as_user("manager").post(
        f"/manage/people/{sam.pk}/end-support/", {"ended": "2026-09-12", "reason": "moved"}
    )
    assert response.status_code == 302
    sam.refresh_from_db()
    assert (sam.support_ended, sam.support_end_reason) == (dt.date(2026, 9, 12), "moved")
    latest = RecordVersion.objects.filter(person=sam, kind="person").order_by("-version").first()
    assert latest is not None
    assert (latest.version, latest.action, latest.actor_id, latest.source) == (
        versions + 1,
        "updated",
        manager.pk,
        "web",
    )
    assert latest.snapshot["support_ended"] == "2026-09-12"
    assert latest.snapshot["support_end_reason"] == "moved"
    assert latest.snapshot["name"] == sam.name

    assert [r.name for r in people_overview(service=riverside, as_of=TODAY)] == [
        people["daniel"].name
    ]
    # on a day before the end they were still supported
    assert len(people_overview(service=riverside, as_of=dt.date(2026, 9, 11))) == 2
    counts = {r.name: r.people for r in services_for_viewer(manager, as_of=TODAY)}
    assert counts["Riverside"] == 1
    assert [(r.name, r.ended, r.reason) for r in people_ended(service=riverside, as_of=TODAY)] == [
        (sam.name, dt.date(2026, 9, 12), "Moved to another service")
    ]
    # their pages stay open, and the list of ended support shows them to their team
    leader = as_user("leader")
    assert leader.get(f"/people/{sam.pk}/").status_code == 200
    ended_page = leader.get(f"/services/{riverside.pk}/ended/").content.decode()
    assert sam.name in ended_page and "12 September 2026" in ended_page
    dashboard = leader.get(f"/services/{riverside.pk}/").content.decode()
    assert f'href="/people/{sam.pk}/"' not in dashboard
    assert "People whose support has ended" in dashboard


def test_a_planned_end_keeps_them_listed_until_that_day(
    world: dict[str, Any], people: dict[str, Person], as_user: Callable[[str], Client]
) -> None:
    riverside = world["services"]["riverside"]
    as_user("manager").post(
        f"/manage/people/{people['sam'].pk}/end-support/", {"ended": "2026-10-31", "reason": "left"}
    )
    assert len(people_overview(service=riverside, as_of=TODAY)) == 2
    assert len(people_overview(service=riverside, as_of=dt.date(2026, 10, 31))) == 1
    assert people_ended(service=riverside, as_of=TODAY) == []


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            {},
            [
                ("id_ended", "Enter the date their support ended"),
                ("id_reason", "Choose why their support ended"),
            ],
        ),
        (
            {"ended": "2026-13-01", "reason": "died"},
            [("id_ended", "Enter a real date, for example 2026-03-27")],
        ),
        (
            {"ended": "1900-01-01", "reason": "left"},
            [("id_ended", "The end of support cannot be before their date of birth")],
        ),
        (
            {"ended": "2026-09-01", "reason": "retired"},
            [("id_reason", "Choose why their support ended")],
        ),
    ],
)
def test_a_bad_end_of_support_is_refused(
    people: dict[str, Person],
    as_user: Callable[[str], Client],
    data: dict[str, str],
    expected: list[tuple[str, str]],
) -> None:
    sam = people["sam"]
    before = RecordVersion.objects.filter(person=sam).count()
    response = as_user("manager").post(f"/manage/people/{sam.pk}/end-support/", data)
    assert response.status_code == 400
    assert summary_of(response.content.decode()) == expected
    sam.refresh_from_db()
    assert sam.support_ended is None
    assert RecordVersion.objects.filter(person=sam).count() == before


def test_a_person_of_another_organisation_is_not_found(
    people: dict[str, Person], as_user: Callable[[str], Client]
) -> None:
    stranger = people["stranger"]
    response = as_user("manager").post(
        f"/manage/people/{stranger.pk}/end-support/", {"ended": "2026-09-01", "reason": "left"}
    )
    assert response.status_code == 404
    stranger.refresh_from_db()
    assert stranger.support_ended is None


def test_the_worklist_and_the_audit_on_a_day_leave_out_ended_support(
    world: dict[str, Any], people: dict[str, Person], as_user: Callable[[str], Client]
) -> None:
    from kinwise.governance.selectors import service_audit, service_worklist

    riverside = world["services"]["riverside"]
    daniel = people["daniel"]

    def daniels_items(as_of: dt.date) -> int:
        return sum(
            1
            for r in service_worklist(service=riverside, as_of=as_of).rows
            if r.person_pk == daniel.pk
        )

    before = daniels_items(TODAY)
    assert before > 0
    as_user("manager").post(
        f"/manage/people/{daniel.pk}/end-support/", {"ended": "2026-09-20", "reason": "died"}
    )
    assert daniels_items(TODAY) == 0
    assert daniels_items(dt.date(2026, 9, 19)) == before
    assert [r.person_pk for r in service_audit(service=riverside, as_of=TODAY)] == [
        people["sam"].pk
    ]
    assert {r.person_pk for r in service_audit(service=riverside, as_of=dt.date(2026, 9, 19))} == {
        people["sam"].pk,
        daniel.pk,
    }


def test_a_new_persons_family_member_can_be_an_informal_carer(
    world: dict[str, Any], as_user: Callable[[str], Client]
) -> None:
    riverside = world["services"]["riverside"]
    client = as_user("manager")
    form = client.get(f"/manage/services/{riverside.pk}/people/add/").content.decode()
    assert 'name="member-0-informal_carer"' in form
    assert "They are an informal carer" in form
    carer = {**NEW_PERSON, "member-0-informal_carer": "on"}
    response = client.post(f"/manage/services/{riverside.pk}/people/add/", carer)
    assert response.status_code == 302
    casefile = casefile_export(person=Person.objects.get(service=riverside, name="Kim Lee"))
    assert [(m.id, m.kind, m.informal_carer) for m in casefile.circle] == [
        ("jo-lee", "family", True),
        ("priya-shah", "staff", False),
    ]


def test_only_family_and_friends_are_informal_carers(
    world: dict[str, Any], as_user: Callable[[str], Client]
) -> None:
    riverside = world["services"]["riverside"]
    paid = {**NEW_PERSON, "member-1-informal_carer": "on"}
    response = as_user("manager").post(f"/manage/services/{riverside.pk}/people/add/", paid)
    assert response.status_code == 400
    assert summary_of(response.content.decode()) == [
        (
            "id_member-1-informal_carer",
            "Only family and friends can be informal carers: staff, advocates and "
            "professionals are paid to support",
        ),
    ]
    assert not Person.objects.filter(service=riverside).exists()


def test_the_circle_form_of_a_persons_page_marks_informal_carers_too(
    world: dict[str, Any], as_user: Callable[[str], Client]
) -> None:
    riverside = world["services"]["riverside"]
    client = as_user("manager")
    assert (
        client.post(f"/manage/services/{riverside.pk}/people/add/", NEW_PERSON).status_code == 302
    )
    person = Person.objects.get(service=riverside, name="Kim Lee")
    paid = {"name": "Ann Bell", "kind": "professional", "job": "nurse", "informal_carer": "on"}
    response = client.post(f"/people/{person.pk}/add/member/", paid)
    assert response.status_code == 400
    assert (
        "id_informal_carer",
        "Only family and friends can be informal carers: staff, advocates and "
        "professionals are paid to support",
    ) in summary_of(response.content.decode())
    friend = {
        "name": "Sue Bell",
        "kind": "friend",
        "relationship": "neighbour",
        "informal_carer": "on",
    }
    assert client.post(f"/people/{person.pk}/add/member/", friend).status_code == 302
    circle = casefile_export(person=person).circle
    assert [(m.name, m.informal_carer) for m in circle] == [
        ("Jo Lee", False),
        ("Priya Shah", False),
        ("Sue Bell", True),
    ]
