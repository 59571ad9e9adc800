"""Family views (format version 2): stored, exported and imported, shown to staff on the
meeting page and the risk page with their author and date, and never the person's voice."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from kinwise.casefile.load import casefile_to_data, load_casefile, validate_data
from kinwise.records.models import Person
from kinwise.records.selectors import casefile_export
from kinwise.records.services import casefile_import
from kinwise.rules.audit import audit_casefile, default_since
from tests.web.conftest import CASEFILES

VIEWS = [
    {
        "id": "fv1",
        "author": "grace",
        "date": "2026-06-08",
        "area": "mobility_outdoors",
        "meeting": "m1",
        "text": "I still worry about the bus after dark.",
    },
    {
        "id": "fv2",
        "author": "grace",
        "date": "2026-06-04",
        "area": "mobility_outdoors",
        "risk_assessment": "ra1",
        "text": "The phone check-in would reassure me.",
    },
]


def sams_data() -> dict[str, Any]:
    data = casefile_to_data(load_casefile(CASEFILES / "01-risk-and-independence.yaml"))
    return {**data, "kinwise": 2, "family_views": [dict(v) for v in VIEWS]}


@pytest.fixture
def sam(world: dict[str, Any]) -> Person:
    casefile, errors = validate_data(sams_data())
    assert casefile is not None, errors
    pk = casefile_import(casefile=casefile, service=world["services"]["riverside"], actor=None)
    return Person.objects.get(pk=pk.person_pk)


def test_the_meeting_page_shows_the_relatives_view_with_author_and_date(
    sam: Person, as_user: Callable[[str], Client]
) -> None:
    html = as_user("leader").get(f"/people/{sam.pk}/meetings/m1/").content.decode()
    assert "<h2>Family members' views for this meeting</h2>" in html
    assert (
        '<li id="family-view-fv1"><strong>Grace Okafor</strong>, 8 June 2026 '
        "(going out and getting about): I still worry about the bus after dark.</li>"
    ) in html
    assert "family-view-fv2" not in html  # about the risk assessment, not the meeting
    assert "They are not Sam Okafor's voice and do not count as what Sam Okafor said." in html


def test_the_risk_page_shows_the_view_on_its_risk_assessment(
    sam: Person, as_user: Callable[[str], Client]
) -> None:
    html = as_user("leader").get(f"/people/{sam.pk}/risk/").content.decode()
    assert (
        '<li id="family-view-fv2"><strong>Grace Okafor</strong>, 4 June 2026 '
        "(going out and getting about): The phone check-in would reassure me.</li>"
    ) in html
    assert "family-view-fv1" not in html


def test_stored_views_export_as_version_two_and_round_trip(sam: Person) -> None:
    exported = casefile_export(person=sam)
    assert exported.kinwise == 2
    assert [v.model_dump(mode="json", exclude_none=True) for v in exported.family_views] == VIEWS
    again, errors = validate_data(casefile_to_data(exported))
    assert errors == [] and again is not None
    assert again.family_views == exported.family_views


def test_views_are_never_the_persons_voice() -> None:
    """VO01, VO02 and VO03 (and every other rule) give the same findings with or without
    the relatives' views, however many and whatever they say."""
    without = load_casefile(CASEFILES / "01-risk-and-independence.yaml")
    data = sams_data()
    data["family_views"] = [
        {**VIEWS[0], "id": f"fv{i}", "date": "2026-06-09", "area": area}
        for i, area in enumerate(["mobility_outdoors", "daily_living", "medication"] * 4)
    ]
    with_views, errors = validate_data(data)
    assert with_views is not None, errors
    for as_of in (dt.date(2026, 6, 9), dt.date(2026, 11, 30)):
        since = default_since(as_of)
        assert audit_casefile(with_views, as_of=as_of, since=since).findings == (
            audit_casefile(without, as_of=as_of, since=since).findings
        )
