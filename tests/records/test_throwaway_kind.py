"""A kind of record added through the registry alone is carried everywhere.

The kind below exists only in this test: one pydantic model and one ``RecordKind``,
registered with ``RECORD_KINDS.extended`` for the duration of a test. Nothing else in
Kinwise is told about it, yet it validates (with paths and ids in the file's one
namespace), imports, exports (round trip), is stored with its history, appears on the
person page its registration names, and can be taken out as entered in error. Outside
the ``with`` block the case file is format version 1 as before: the field is unknown.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from kinwise.casefile import schema as cf
from kinwise.casefile.kinds import RECORD_KINDS, RecordKind
from kinwise.casefile.load import casefile_to_data, dump_casefile, parse_casefile, validate_data
from kinwise.core.models import RecordVersion, Service, StaffRole, VersionAction
from kinwise.core.services import organisation_ensure, service_ensure, staff_user_ensure
from kinwise.errors import FieldError, KinwiseError
from kinwise.readings.labels import kind_label
from kinwise.records.models import Person, Record
from kinwise.records.selectors import casefile_export
from kinwise.records.services import casefile_import
from kinwise.records.services.edits import record_save
from tests.conftest import CASEFILES
from tests.signin import signed_in_client


class Keepsake(cf.Record):
    """A made-up kind of record: a keepsake the person chose, on a date."""

    id: cf.Id
    date: cf.Date
    chosen_by: cf.Id
    note: cf.Text | None = None


KEEPSAKE = RecordKind(
    name="keepsake",
    schema=Keepsake,
    place=("keepsakes",),
    key_field="id",
    label="keepsake",
    plural="keepsakes",
    page="voice",
    title="Keepsake",
    id_prefix="ks",
    own_listing=False,
)


@pytest.fixture
def keepsakes() -> Iterator[RecordKind]:
    with RECORD_KINDS.extended(KEEPSAKE) as kind:
        yield kind


def example_data() -> dict[str, Any]:
    text = (CASEFILES / "01-risk-and-independence.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = casefile_to_data(parse_casefile(text))
    return data


def with_keepsakes(*items: dict[str, Any]) -> dict[str, Any]:
    data = example_data()
    data["keepsakes"] = list(items)
    return data


FIRST = {"id": "ks-1", "date": "2026-03-03", "chosen_by": "sam", "note": "A blue scarf"}
SECOND = {"id": "ks-2", "date": "2026-04-10", "chosen_by": "sam"}


def paths(errors: list[FieldError]) -> list[str]:
    return [str(e) for e in errors]


# --- the registry and the schema, for the duration only --------------------------------------


def test_format_version_1_knows_no_such_field() -> None:
    model, errors = validate_data(with_keepsakes(FIRST))
    assert model is None
    assert paths(errors) == ["keepsakes: unknown field (not part of case-file format version 1)"]
    assert "keepsake" not in RECORD_KINDS
    assert "keepsakes" not in cf.json_schema()["properties"]


def test_the_kind_is_registered_and_in_the_schema_while_extended(keepsakes: RecordKind) -> None:
    assert RECORD_KINDS["keepsake"] is keepsakes
    assert [k.name for k in RECORD_KINDS][-1] == "keepsake"
    assert "keepsakes" in cf.json_schema()["properties"]
    assert kind_label("keepsake") == "Keepsake"


def test_the_registry_is_as_before_after_the_block() -> None:
    before, schema = list(RECORD_KINDS), cf.json_schema()
    with RECORD_KINDS.extended(KEEPSAKE):
        assert len(RECORD_KINDS) == len(before) + 1
    assert list(RECORD_KINDS) == before
    assert cf.json_schema() == schema
    assert "keepsakes" not in cf.CaseFile.model_fields
    model, errors = validate_data(example_data())
    assert errors == [] and model is not None


def test_an_added_kind_needs_a_new_top_level_place() -> None:
    for place in (("voice",), ("plan", "keepsakes")):
        clash = RecordKind(
            name="keepsake",
            schema=Keepsake,
            place=place,
            key_field="id",
            label="keepsake",
            plural="keepsakes",
            page="voice",
            title="Keepsake",
        )
        with (
            pytest.raises(ValueError, match="new top-level place"),
            RECORD_KINDS.extended(clash),
        ):
            pass  # pragma: no cover
    assert "keepsake" not in RECORD_KINDS


# --- validation ---------------------------------------------------------------------------------


def test_valid_records_of_the_kind_validate(keepsakes: RecordKind) -> None:
    model, errors = validate_data(with_keepsakes(FIRST, SECOND))
    assert errors == []
    assert model is not None
    records = keepsakes.records(model)
    assert [(r.id, r.date) for r in records] == [  # type: ignore[attr-defined]
        ("ks-1", dt.date(2026, 3, 3)),
        ("ks-2", dt.date(2026, 4, 10)),
    ]


def test_a_bad_record_is_reported_at_its_path(keepsakes: RecordKind) -> None:
    bad = {"id": "bad id", "date": "2026-02-30", "chosen_by": "sam", "colour": "blue"}
    model, errors = validate_data(with_keepsakes(FIRST, bad))
    assert model is None
    assert paths(errors) == [
        "keepsakes[1].colour: unknown field (not part of case-file format version 1)",
        "keepsakes[1].date: '2026-02-30' is not a real date",
        "keepsakes[1].id: 'bad id' is not a valid id (letters, digits, '.', '_' and '-' only)",
    ]


def test_its_ids_share_the_files_namespace(keepsakes: RecordKind) -> None:
    # a duplicate within the kind, and an id another kind already uses (sam is the person)
    model, errors = validate_data(
        with_keepsakes(FIRST, dict(SECOND, id="ks-1"), dict(SECOND, id="sam"))
    )
    assert model is None
    assert paths(errors) == [
        "keepsakes[1].id: duplicate id 'ks-1': already used at keepsakes[0]",
        "keepsakes[2].id: duplicate id 'sam': already used at person",
    ]


# --- import, export, history and the pages ------------------------------------------------------

PASSWORD = "a-long-test-password"


@pytest.fixture
def service(db: None, settings: Any) -> Service:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    organisation = organisation_ensure(slug="acme", name="Acme Care")
    return service_ensure(organisation=organisation, external_id="riverside", name="Riverside")


@pytest.fixture
def manager(service: Service) -> Client:
    user = staff_user_ensure(
        username="manager",
        password=PASSWORD,
        service=service,
        role=StaffRole.REGISTERED_MANAGER,
    )
    return signed_in_client(user)


def imported(service: Service, data: dict[str, Any]) -> Person:
    model, errors = validate_data(data)
    assert errors == [] and model is not None
    result = casefile_import(casefile=model, service=service, actor=None, source="import")
    return Person.objects.get(pk=result.person_pk)


def test_import_stores_each_record_with_its_first_version(
    keepsakes: RecordKind, service: Service
) -> None:
    person = imported(service, with_keepsakes(FIRST, SECOND))
    rows = Record.objects.filter(person=person, kind="keepsake").order_by("position")
    assert [(r.key, r.position, r.data) for r in rows] == [
        ("ks-1", 0, FIRST),
        ("ks-2", 1, SECOND),
    ]
    versions = RecordVersion.objects.filter(person=person, kind="keepsake").order_by("external_id")
    assert [(v.external_id, v.version, v.action, v.snapshot) for v in versions] == [
        ("ks-1", 1, VersionAction.CREATED, FIRST),
        ("ks-2", 1, VersionAction.CREATED, SECOND),
    ]


def test_export_gives_the_records_back_and_reimporting_it_changes_nothing(
    keepsakes: RecordKind, service: Service
) -> None:
    data = with_keepsakes(FIRST, SECOND)
    person = imported(service, data)
    exported = casefile_export(person=person)
    assert casefile_to_data(exported)["keepsakes"] == [FIRST, SECOND]
    expected = {k: v for k, v in data.items() if k != "as_of"}
    assert casefile_to_data(exported) == {
        **expected,
        "service": {"id": "riverside", "name": "Riverside"},
    }
    again = parse_casefile(dump_casefile(exported), name="export.yaml")
    assert again == exported
    result = casefile_import(casefile=again, service=service, actor=None, source="import")
    assert (result.created, result.updated, result.superseded) == (0, 0, 0)
    assert RecordVersion.objects.filter(person=person, kind="keepsake").count() == 2


def test_a_record_added_by_the_service_gets_a_minted_id_and_a_version(
    keepsakes: RecordKind, service: Service
) -> None:
    person = imported(service, with_keepsakes(FIRST, SECOND))
    saved = record_save(
        person=person,
        kind="keepsake",
        record={"date": "2026-05-01", "chosen_by": "sam"},
        actor=None,
    )
    assert (saved.path, saved.key) == ("keepsakes[2]", "ks-3")
    assert [k.id for k in keepsakes.records(casefile_export(person=person))] == [  # type: ignore[attr-defined]
        "ks-1",
        "ks-2",
        "ks-3",
    ]


def test_a_changed_record_is_refused_at_its_path(keepsakes: RecordKind, service: Service) -> None:
    person = imported(service, with_keepsakes(FIRST, SECOND))
    with pytest.raises(KinwiseError) as raised:
        record_save(
            person=person,
            kind="keepsake",
            record={"id": "ks-2", "date": "2026-13-01", "chosen_by": "sam"},
            actor=None,
            original_key="ks-2",
            based_on=1,
        )
    assert paths(raised.value.errors) == ["keepsakes[1].date: '2026-13-01' is not a real date"]
    assert Record.objects.get(person=person, kind="keepsake", key="ks-2").data == SECOND


def opaque_id(person: Person, key: str) -> int:
    row = Record.objects.get(person=person, kind="keepsake", key=key, superseded_at=None)
    return row.pk


def test_its_page_lists_the_records_with_links_to_their_history(
    keepsakes: RecordKind, service: Service, manager: Client
) -> None:
    person = imported(service, with_keepsakes(FIRST, SECOND))
    page = manager.get(f"/people/{person.pk}/voice/").content.decode()
    section = page[page.index('<section aria-labelledby="listed-keepsake"') :]
    section = section[: section.index("</section>")]
    assert '<h2 class="nhsuk-heading-m" id="listed-keepsake">Keepsakes</h2>' in section
    first, second = opaque_id(person, "ks-1"), opaque_id(person, "ks-2")

    def item(pk: int, words: str) -> str:
        base = f"/people/{person.pk}/records/{pk}"
        return (
            f'{words[0].upper()}{words[1:]} (<a href="{base}/history/">its history</a>) · '
            f'<a class="nhsuk-body-s" href="{base}/correct/">Entered in error'
            f'<span class="nhsuk-u-visually-hidden">: {words}</span></a>'
        )

    assert re.findall(r"<li>(.*?)</li>", section) == [
        item(first, "the keepsake of 3 March 2026"),
        item(second, "the keepsake of 10 April 2026"),
    ]
    # only the page the registry names lists them
    overview = manager.get(f"/people/{person.pk}/").content.decode()
    assert "listed-keepsake" not in overview


def test_its_history_and_its_records_history_pages(
    keepsakes: RecordKind, service: Service, manager: Client
) -> None:
    person = imported(service, with_keepsakes(FIRST, SECOND))
    history = manager.get(f"/people/{person.pk}/history/")
    assert history.status_code == 200
    # named in words, newest first (never by the file's ids)
    assert re.findall(r">([^<]*keepsake[^<]*)</a>", history.content.decode()) == [
        "The keepsake of 10 April 2026",
        "The keepsake of 3 March 2026",
    ]
    record = manager.get(f"/people/{person.pk}/records/{opaque_id(person, 'ks-1')}/history/")
    assert record.status_code == 200
    assert "A blue scarf" in record.content.decode()


def test_it_is_entered_in_error_from_the_web_and_its_history_keeps_it(
    keepsakes: RecordKind, service: Service, manager: Client
) -> None:
    person = imported(service, with_keepsakes(FIRST, SECOND))
    record_id = opaque_id(person, "ks-1")
    form = manager.get(f"/people/{person.pk}/records/{record_id}/correct/")
    assert form.status_code == 200
    assert "Take out the keepsake of 3 March 2026 as entered in error" in form.content.decode()
    done = manager.post(
        f"/people/{person.pk}/records/{record_id}/correct/",
        {"reason": "Recorded on the wrong person", "based_on": "1"},
    )
    assert (done.status_code, done["Location"]) == (302, f"/people/{person.pk}/voice/")
    assert [k.id for k in keepsakes.records(casefile_export(person=person))] == ["ks-2"]  # type: ignore[attr-defined]
    latest = RecordVersion.objects.filter(person=person, kind="keepsake", external_id="ks-1")
    assert [(v.version, v.action, v.reason) for v in latest.order_by("version")] == [
        (1, VersionAction.CREATED, ""),
        (2, VersionAction.ENTERED_IN_ERROR, "Recorded on the wrong person"),
    ]
    history = manager.get(f"/people/{person.pk}/history/").content.decode()
    assert "Entered in error (version 2): Recorded on the wrong person" in history


def test_a_kind_kept_out_of_the_history_is_not_listed_there(
    service: Service, manager: Client
) -> None:
    with RECORD_KINDS.extended(dataclasses.replace(KEEPSAKE, in_history=False)):
        person = imported(service, with_keepsakes(FIRST))
        assert manager.get(f"/people/{person.pk}/history/keepsake/ks-1/").status_code == 404
        assert "Keepsake ks-1" not in manager.get(f"/people/{person.pk}/history/").content.decode()
    assert RecordVersion.objects.filter(person=person, kind="keepsake").count() == 1
    with RECORD_KINDS.extended(KEEPSAKE):
        assert manager.get(f"/people/{person.pk}/history/keepsake/ks-1/").status_code == 200
