"""Every kind of record can be entered in error from its page, in the browser, on the demo.

For each kind the registry marks correctable (kinwise.casefile.kinds) and each kind of row
inside a record (kinwise.records.services.edits.INNER_ROWS): open the page that shows it,
follow its "Entered in error" link, give a reason, take it out, and see it gone from the
page and kept in its history with the reason. A record others refer to is refused with a
message naming what refers to it. The kinds come from the registry: a new correctable
kind without a demo record to try fails the test.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from kinwise.casefile.kinds import RECORD_KINDS, RecordKind
from kinwise.casefile.load import load_casefile
from kinwise.core.models import Service, StaffMembership, StaffRole
from kinwise.errors import KinwiseError
from kinwise.records.models import Person, Record
from kinwise.records.services import edits
from kinwise.records.services.casefiles import casefile_import
from kinwise.records.services.demo import demo_load
from tests.browser.conftest import axe_violations, base_url, sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The kinds the demo people have no record of, recorded as the staff pages' forms would
# (through the same service) before the test: (whose, the record). A correctable kind
# neither in the demo nor here fails the test.
NOT_IN_THE_DEMO: dict[str, tuple[str, dict[str, Any]]] = {
    "authority": (
        "sam",
        {
            "id": "la-test",
            "holder": "grace",
            "kind": "lpa_property_finance",
            "registered": "2025-01-10",
        },
    ),
    "capacity_assessment": (
        "sam",
        {
            "id": "ca-test",
            "area": "finances_major",
            "decision": "Whether to buy a car",
            "date": "2026-09-01",
            "assessor": "tom",
            "impairment": True,
            "understand": False,
            "retain": True,
            "weigh": True,
            "communicate": True,
            "outcome": "lacks_capacity",
        },
    ),
    "best_interests": (
        "sam",
        {
            "id": "bi-test",
            "area": "finances_major",
            "decision": "Not to buy a car this year",
            "date": "2026-09-05",
            "decision_maker": "tom",
            "capacity_assessment": "ca-test",
        },
    ),
    "family_view": (
        "sam",
        {
            "id": "fv-test",
            "author": "grace",
            "date": "2026-09-02",
            "area": "mobility_outdoors",
            "text": "I would like to hear how the trips to the shop are going.",
        },
    ),
}
# The worked examples of format version 2, imported beside the demo: a concern, a change
# of role and a carer's plan; a goal and a restriction.
VERSION_TWO_EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "spec" / "examples"

TAKEN_OUT = "The record is taken out as entered in error; its history keeps it"


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("kinwise.clock.today", lambda: dt.date(2026, 11, 30))


@pytest.fixture
def demo(settings: Any, live_server: Any) -> dict[str, Any]:
    """The demo provider, its registered manager a member of both services."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    demo_load()
    manager = get_user_model().objects.get(username="manager")
    held = StaffMembership.objects.filter(user=manager).values("service_id")
    for service in Service.objects.exclude(pk__in=held):
        StaffMembership.objects.create(
            user=manager, service=service, role=StaffRole.REGISTERED_MANAGER
        )
    people = {p.external_id: p for p in Person.objects.filter(superseded_at__isnull=True)}
    for kind, (whose, record) in NOT_IN_THE_DEMO.items():
        edits.record_save(person=people[whose], kind=kind, record=record, actor=None)
    service = people["sam"].service
    for name in ("04-concern-and-carer.yaml", "05-goal-and-restriction.yaml"):
        casefile = load_casefile(VERSION_TWO_EXAMPLES / name)
        casefile_import(casefile=casefile, service=service, actor=None)
    return {"people": people, "url": base_url(live_server)}


class _Probe(Exception):
    pass


def _can_be_taken_out(row: Record) -> bool:
    """Whether the service would take the record out now (tried, then rolled back)."""
    try:
        with transaction.atomic():
            edits.record_correct(
                person=row.person, kind=row.kind, key=row.key, reason="probe", actor=None
            )
            raise _Probe
    except _Probe:
        return True
    except KinwiseError:
        return False


def _refers_to(value: Any, key: str) -> bool:
    if isinstance(value, dict):
        return any(_refers_to(v, key) for v in value.values())
    if isinstance(value, list):
        return any(_refers_to(v, key) for v in value)
    return value == key


def _cleared(row: Record, keep: set[str]) -> bool:
    """Take out (through the service) what refers to ``row``, and what refers to that,
    so that ``row`` can be taken out; False when something not correctable refers to it,
    or the last record of a kind in ``keep`` (one still to be tried in the browser)."""
    if _can_be_taken_out(row):
        return True
    referring = [
        other
        for other in Record.objects.filter(person_id=row.person_id, superseded_at=None)
        .exclude(pk=row.pk)
        .select_related("person")
        if _refers_to({k: v for k, v in other.data.items() if k != "id"}, row.key)
    ]
    correctable = {spec.name for spec in RECORD_KINDS if spec.correctable}
    if not referring or any(other.kind not in correctable for other in referring):
        return False
    for other in referring:
        if (
            other.kind in keep
            and Record.objects.filter(kind=other.kind, superseded_at=None).count() == 1
        ):
            return False
    for other in referring:
        if not _cleared(other, keep):
            return False
        edits.record_correct(
            person=other.person,
            kind=other.kind,
            key=other.key,
            reason="Refers to a record taken out in this test",
            actor=None,
        )
    return _can_be_taken_out(row)


def _record_to_try(spec: RecordKind, keep: set[str]) -> Record | None:
    """A current record of the kind that can be taken out: one nothing refers to, or else
    one whose referring records (all correctable) are taken out first."""
    rows = list(
        Record.objects.filter(kind=spec.name, superseded_at=None)
        .select_related("person")
        .order_by("pk")
    )
    free = next((row for row in rows if _can_be_taken_out(row)), None)
    if free is not None:
        return free
    return next((row for row in rows if _cleared(row, keep)), None)


def _page_of(base: str, spec: RecordKind, key: str) -> str:
    """The page that shows a record of the kind (a meeting has a page of its own)."""
    if spec.name == "meeting":
        return f"{base}/meetings/{key}/"
    return f"{base}/" if spec.page == "overview" else f"{base}/{spec.page}/"


def _follow(page: Any, href: str) -> None:
    link = page.locator(f'a[href="{href}"]')
    assert link.count() == 1, href
    link.click()
    page.wait_for_load_state()
    assert page.url.endswith(href)


def _submit(page: Any, reason: str) -> None:
    page.fill("#id_reason", reason)
    page.click("form button.nhsuk-button--warning")
    page.wait_for_load_state()


def _history_shows(page: Any, base: str, pk: int, version: int, reason: str) -> None:
    page.goto(f"{base}/records/{pk}/history/")
    heading = page.locator(f"#version-{version}")
    assert heading.count() == 1
    card = page.locator("section.nhsuk-card", has=heading)
    assert card.locator("p", has_text=f"Reason: {reason}").count() == 1


def test_a_record_others_refer_to_is_refused_naming_them(page: Any, demo: dict[str, Any]) -> None:
    sam = demo["people"]["sam"]
    base = f"{demo['url']}/people/{sam.pk}"
    sign_in_as(page, demo["url"], "manager")
    risk = Record.objects.get(person=sam, kind="risk_assessment", key="ra1", superseded_at=None)

    page.goto(f"{base}/risk/")
    _follow(page, f"/people/{sam.pk}/records/{risk.pk}/correct/")
    assert axe_violations(page) == []
    _submit(page, "Recorded for the wrong person")

    summary = page.locator(".nhsuk-error-summary")
    assert summary.count() == 1
    assert (
        summary.get_by_text(
            "This risk assessment cannot be entered in error while a graded trial and a "
            "meeting refer to it: change or correct that first"
        ).count()
        == 1
    )
    assert axe_violations(page) == []
    risk.refresh_from_db()
    assert (risk.superseded_at, risk.version) == (None, 1)


def test_every_row_inside_a_record_can_be_entered_in_error(page: Any, demo: dict[str, Any]) -> None:
    sign_in_as(page, demo["url"], "manager")
    tried = []
    for kind, attrs in edits.INNER_ROWS.items():
        spec = next(k for k in RECORD_KINDS if k.name == kind)
        for attr in attrs:
            row = next(
                (
                    r
                    for r in Record.objects.filter(kind=kind, superseded_at=None).order_by("pk")
                    if len(r.data.get(attr, [])) >= 2
                ),
                None,
            )
            assert row is not None, f"no demo {kind} with two {attr} to try"
            base = f"{demo['url']}/people/{row.person_id}"
            rows_before = list(row.data[attr])
            href = f"/people/{row.person_id}/records/{row.pk}/{attr}/0/correct/"
            page.goto(_page_of(base, spec, row.key))
            links = page.locator(f'a[href^="/people/{row.person_id}/records/{row.pk}/{attr}/"]')
            assert links.count() == len(rows_before)
            _follow(page, href)
            reason = f"Typed twice ({attr})"
            _submit(page, reason)

            assert page.locator(".nhsuk-error-summary").count() == 0, href
            assert page.get_by_text(TAKEN_OUT).count() == 1
            row.refresh_from_db()
            assert row.data[attr] == rows_before[1:]
            assert row.superseded_at is None
            page.goto(_page_of(base, spec, row.key))
            assert links.count() == len(rows_before) - 1
            _history_shows(page, base, row.pk, row.version, reason)
            tried.append((kind, attr))
    assert sorted(tried) == sorted((k, a) for k, attrs in edits.INNER_ROWS.items() for a in attrs)
    assert len(tried) == 4


def test_every_correctable_kind_can_be_entered_in_error_from_its_page(
    page: Any, demo: dict[str, Any]
) -> None:
    sign_in_as(page, demo["url"], "manager")
    correctable = [spec for spec in RECORD_KINDS if spec.correctable]
    without = [
        spec.name
        for spec in correctable
        if not Record.objects.filter(kind=spec.name, superseded_at=None).exists()
    ]
    assert without == [], "correctable kinds with no demo record to try"

    # A record others refer to is refused (see the test above): where every record of a
    # kind is referred to, what refers to one of them is taken out first.
    checked_form = False
    tried = []
    remaining = list(correctable)
    while remaining:
        waiting = []
        for spec in remaining:
            keep = {k.name for k in remaining} - {spec.name}
            row = _record_to_try(spec, keep)
            if row is None:  # only the last record of a kind still to try refers to it
                waiting.append(spec)
                continue
            base = f"{demo['url']}/people/{row.person_id}"
            href = f"/people/{row.person_id}/records/{row.pk}/correct/"
            page.goto(_page_of(base, spec, row.key))
            _follow(page, href)
            if not checked_form:
                assert axe_violations(page) == []
                checked_form = True
            reason = f"Recorded in error ({spec.plural})"
            _submit(page, reason)

            assert page.locator(".nhsuk-error-summary").count() == 0, href
            assert page.get_by_text(TAKEN_OUT).count() == 1
            # gone from the page that showed it
            if spec.name == "meeting":
                response = page.goto(_page_of(base, spec, row.key))
                assert response is not None and response.status == 404
                page.goto(f"{base}/meetings/")
                meeting_link = f'a[href="/people/{row.person_id}/meetings/{row.key}/"]'
                assert page.locator(meeting_link).count() == 0
            else:
                page.goto(_page_of(base, spec, row.key))
                assert page.locator(f'a[href="{href}"]').count() == 0
            assert not Record.objects.filter(
                person_id=row.person_id, kind=spec.name, key=row.key, superseded_at=None
            ).exists()
            # and kept in its history, with the reason
            _history_shows(page, base, row.pk, row.version + 1, reason)
            tried.append(spec.name)
        assert len(waiting) < len(remaining), (
            f"no record that can be taken out: {[spec.name for spec in waiting]}"
        )
        remaining = waiting
    assert sorted(tried) == sorted(spec.name for spec in RECORD_KINDS if spec.correctable)
    assert len(tried) == 21  # 15 kinds of format version 1, 6 of version 2
    assert checked_form


def test_the_pages_with_the_links_pass_axe_and_fit_a_phone(page: Any, demo: dict[str, Any]) -> None:
    """The risk page (a link on each hazard and session) and the arrangements page (the
    others in the circle), at desktop and at phone width."""
    from tests.browser.test_layout import MEASURE, PHONE

    sign_in_as(page, demo["url"], "manager")
    checked = []
    for size in ({"width": 1024, "height": 900}, PHONE):
        page.set_viewport_size(size)
        for who in ("sam", "daniel"):
            for section in ("risk", "arrangements"):
                page.goto(f"{demo['url']}/people/{demo['people'][who].pk}/{section}/")
                assert axe_violations(page) == [], (who, section, size["width"])
                if size == PHONE:
                    found = page.evaluate(MEASURE)
                    assert found["scroll"] <= found["width"], (who, section)
                    assert found["wide"] == [], (who, section)
                checked.append((who, section, size["width"]))
    assert len(checked) == 8
