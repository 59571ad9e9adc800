"""The staff directory page: each member of staff once, with their job, training, the
people they support and whether they have a login; a change of name, job or training
through the staff service (history, stale saves refused, every circle record updated);
who may open it (docs/access.md: team leaders and registered managers)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kinwise.core.models import RecordVersion, StaffMember
from kinwise.core.staff import staff_member_user_link
from kinwise.records.models import Person, Record

DIRECTORY = "/governance/services/{}/staff-directory/"


@pytest.fixture(autouse=True)
def fixed_today(today: Callable[[dt.date], None]) -> None:
    today(dt.date(2026, 11, 30))


def _names(html: str) -> list[str]:
    body = html.split("<tbody", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a></th>', body)


def _entry(world: dict[str, Any], member: str) -> StaffMember:
    acme = world["services"]["riverside"].organisation_id
    return StaffMember.objects.get(organisation_id=acme, external_id=member)


def _url(world: dict[str, Any], entry: StaffMember | None = None) -> str:
    base = DIRECTORY.format(world["services"]["riverside"].pk)
    return base if entry is None else f"{base}{entry.pk}/"


def _circle(person: Person, member: str) -> dict[str, Any]:
    row = Record.objects.get(person=person, kind="member", key=member, superseded_at__isnull=True)
    return dict(row.data)


def test_each_member_of_staff_once_with_the_people_a_team_leader_may_see(
    people: dict[str, Person], world: dict[str, Any], as_user: Callable[[str], Client]
) -> None:
    response = as_user("leader").get(_url(world))
    assert response.status_code == 200
    html = response.content.decode()
    # Riverside's people are Sam (Priya, Tom) and Daniel (Ruth); Aisha's Lena is at
    # Oakfield, which a team leader of Riverside may not see; the other organisation's
    # Priya and Tom are other people
    assert _names(html) == ["Priya Shah", "Ruth Evans", "Tom Reid"]
    priya = html.split(">Priya Shah</a></th>", 1)[1].split("</tr>", 1)[0]
    assert "support worker" in priya
    assert "Giving medication: 1 September 2025" in priya
    assert priya.count(f'href="/people/{people["sam"].pk}/"') == 1
    assert "Daniel" not in priya
    assert 'data-label="Login">No</td>' in priya
    assert "Nobody at the moment" not in html


def test_a_registered_manager_sees_the_whole_organisation(
    people: dict[str, Person], world: dict[str, Any], as_user: Callable[[str], Client]
) -> None:
    html = as_user("manager").get(_url(world)).content.decode()
    assert _names(html) == ["Lena Novak", "Priya Shah", "Ruth Evans", "Tom Reid"]


def test_a_login_and_someone_who_supports_nobody_are_shown(
    people: dict[str, Person], world: dict[str, Any], as_user: Callable[[str], Client]
) -> None:
    staff_member_user_link(entry=_entry(world, "tom"), user=world["users"]["leader"], actor=None)
    StaffMember.objects.create(
        organisation_id=world["services"]["riverside"].organisation_id,
        external_id="new-starter",
        name="Nia Jones",
        version=1,
        created_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
        updated_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
    )
    html = as_user("leader").get(_url(world)).content.decode()
    assert _names(html) == ["Nia Jones", "Priya Shah", "Ruth Evans", "Tom Reid"]
    tom = html.split(">Tom Reid</a></th>", 1)[1].split("</tr>", 1)[0]
    assert 'data-label="Login">Yes</td>' in tom
    nia = html.split(">Nia Jones</a></th>", 1)[1].split("</tr>", 1)[0]
    assert "Nobody at the moment" in nia
    assert "Not recorded" in nia


def test_the_list_costs_the_same_queries_whatever_the_number_of_people(
    people: dict[str, Person], world: dict[str, Any], as_user: Callable[[str], Client]
) -> None:
    from tests.web.conftest import import_example

    client = as_user("leader")
    client.get(_url(world))
    with CaptureQueriesContext(connection) as few:
        client.get(_url(world))
    import_example("02-vocal-relative.yaml", world["services"]["riverside"])
    with CaptureQueriesContext(connection) as more:
        html = client.get(_url(world)).content.decode()
    assert "Femi Adeyemi" in html
    assert len(more.captured_queries) == len(few.captured_queries)


def _form(entry: StaffMember, **overrides: str) -> dict[str, str]:
    data = {
        "based_on": str(entry.version),
        "name": "Priya Shah-Khan",
        "job": "senior support worker",
        "trained-administer_medication": "2025-09-01",
        "trained-manage_money": "2026-03-04",
    }
    data.update(overrides)
    return data


def test_a_change_reaches_every_person_they_support_with_history(
    world: dict[str, Any], as_user: Callable[[str], Client]
) -> None:
    from tests.web.conftest import import_example

    riverside = world["services"]["riverside"]
    sam = import_example("01-risk-and-independence.yaml", riverside)
    # a second person Priya supports (Aisha's after file names Lena and Femi; Sam's
    # before file names Priya again, as another person of the organisation)
    other = import_example("01-risk-and-independence.before.yaml", world["services"]["oakfield"])
    priya = _entry(world, "priya")
    response = as_user("leader").post(_url(world, priya), _form(priya))
    assert response.status_code == 302
    assert response["Location"] == _url(world)
    priya.refresh_from_db()
    assert (priya.name, priya.job, priya.trained, priya.version) == (
        "Priya Shah-Khan",
        "senior support worker",
        {"administer_medication": "2025-09-01", "manage_money": "2026-03-04"},
        2,
    )
    for person in (sam, other):
        data = _circle(person, "priya")
        assert (data["name"], data["job"], data["trained"]) == (
            "Priya Shah-Khan",
            "senior support worker",
            {"administer_medication": "2025-09-01", "manage_money": "2026-03-04"},
        )
        latest = RecordVersion.objects.filter(
            person=person, kind="member", external_id="priya"
        ).latest("version")
        assert (latest.source, latest.actor_id) == ("staff directory", world["users"]["leader"].pk)
    history = [(v.version, v.source, v.reason) for v in priya.versions.order_by("version")]
    assert history == [(1, "import", ""), (2, "web", "changed in the staff directory")]
    got = as_user("leader").get(_url(world, priya))
    assert got.status_code == 200
    page = got.content.decode()
    assert "Name, job and training changed on the staff directory page" in page
    assert "Added to the directory by importing a case file" in page


def test_a_stale_save_is_refused_and_keeps_what_was_typed(
    people: dict[str, Person], world: dict[str, Any], as_user: Callable[[str], Client]
) -> None:
    priya = _entry(world, "priya")
    opened = _form(priya, name="Priya Shah-Khan")
    client = as_user("leader")
    assert client.post(_url(world, priya), _form(priya, name="Priya Khan")).status_code == 302
    response = client.post(_url(world, priya), opened)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Someone else saved a change to this member of staff after you opened the page" in html
    assert 'value="Priya Shah-Khan"' in html  # what was typed
    assert 'name="based_on" value="2"' in html  # now based on the entry as it is
    priya.refresh_from_db()
    assert (priya.name, priya.version) == ("Priya Khan", 2)
    assert _circle(people["sam"], "priya")["name"] == "Priya Khan"


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("trained-manage_money", "2026-02-30", "2026-02-30"),
        ("trained-manage_money", "2026-12-01", "The date of training cannot be after today"),
        ("name", "   ", "Enter the member of staff&#x27;s name"),
        ("job", "x" * 301, "The job must be 300 characters or fewer"),
    ],
)
def test_bad_values_are_refused_on_their_field(
    people: dict[str, Person],
    world: dict[str, Any],
    as_user: Callable[[str], Client],
    field: str,
    typed: str,
    message: str,
) -> None:
    priya = _entry(world, "priya")
    response = as_user("leader").post(_url(world, priya), _form(priya, **{field: typed}))
    assert response.status_code == 400
    html = response.content.decode()
    assert f'href="#{field}"' in html
    assert message in html
    priya.refresh_from_db()
    assert (priya.name, priya.version) == ("Priya Shah", 1)


def test_who_may_open_the_directory(
    people: dict[str, Person], world: dict[str, Any], as_user: Callable[[str], Client]
) -> None:
    riverside = world["services"]["riverside"]
    oakfield = world["services"]["oakfield"]
    lena = _entry(world, "lena")
    # a quality lead reads everything but the directory is for those who may change it
    assert as_user("quality").get(_url(world)).status_code == 403
    assert as_user("worker").get(DIRECTORY.format(oakfield.pk)).status_code == 403
    assert as_user("outsider").get(_url(world)).status_code == 404
    # Lena supports only Aisha at Oakfield: not in Riverside's team leader's directory
    assert as_user("leader").get(f"{DIRECTORY.format(riverside.pk)}{lena.pk}/").status_code == 404
    assert as_user("manager").get(f"{DIRECTORY.format(riverside.pk)}{lena.pk}/").status_code == 200
    # an entry of another organisation
    stranger_priya = StaffMember.objects.exclude(organisation_id=riverside.organisation_id).get(
        external_id="priya"
    )
    assert as_user("manager").get(_url(world, stranger_priya)).status_code == 404
