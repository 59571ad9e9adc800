"""Record-level edits: validated as an import, written as an import, one version for
the record changed; on any error nothing is written."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kinwise.casefile.load import load_casefile
from kinwise.core.models import RecordVersion, Service
from kinwise.core.services import organisation_ensure, service_ensure
from kinwise.errors import ErrorCode, FieldError, FieldErrorCode, KinwiseError
from kinwise.records.models import Person
from kinwise.records.selectors import casefile_export
from kinwise.records.services import casefile_import, edits
from tests.conftest import CASEFILES


@pytest.fixture
def aisha(db: Any) -> Person:
    organisation = organisation_ensure(slug="acme", name="Acme")
    service: Service = service_ensure(
        organisation=organisation, external_id="oakfield", name="Oakfield"
    )
    result = casefile_import(
        casefile=load_casefile(CASEFILES / "02-vocal-relative.before.yaml"),
        service=service,
        actor=None,
    )
    return Person.objects.get(pk=result.person_pk)


def import_story(name: str) -> Person:
    organisation = organisation_ensure(slug="acme", name="Acme")
    service = service_ensure(organisation=organisation, external_id="riverside", name="Riverside")
    result = casefile_import(casefile=load_casefile(CASEFILES / name), service=service, actor=None)
    return Person.objects.get(pk=result.person_pk)


VOICE = {
    "date": "2026-06-02",
    "method": "aac",
    "setting": "separate",
    "captured_by": "lena",
    "present": ["lena"],
    "direct": True,
    "summary": "Physio at home.",
}


def versions(person: Person) -> list[tuple[str, str, int, str, str]]:
    return list(
        RecordVersion.objects.filter(person=person)
        .order_by("id")
        .values_list("kind", "external_id", "version", "action", "source")
    )


def test_record_save_adds_one_version_and_names_the_record(aisha: Person) -> None:
    before = versions(aisha)
    saved = edits.record_save(person=aisha, kind="voice", record=VOICE, actor=None)
    assert (saved.path, saved.key) == ("voice[1]", "v-1")
    assert versions(aisha) == before + [("voice", "v-1", 1, "created", "web")]
    assert [v.id for v in casefile_export(person=aisha).voice] == ["v0", "v-1"]


def test_record_save_replaces_by_key_and_leaves_others_alone(aisha: Person) -> None:
    before = versions(aisha)
    current = casefile_export(person=aisha).voice[0].model_dump(mode="json", exclude_none=True)
    saved = edits.record_save(
        person=aisha,
        kind="voice",
        record={**current, "direct": False},
        actor=None,
        original_key="v0",
        based_on=1,
    )
    assert saved.path == "voice[0]"
    assert versions(aisha) == before + [("voice", "v0", 2, "updated", "web")]


def test_an_invalid_change_writes_nothing_and_reports_paths(aisha: Person) -> None:
    before = versions(aisha)
    with pytest.raises(KinwiseError) as caught:
        edits.record_save(
            person=aisha,
            kind="voice",
            record={**VOICE, "present": ["imran"], "method": "telepathy"},
            actor=None,
        )
    assert caught.value.code == ErrorCode.INVALID_INPUT
    assert caught.value.errors == [
        FieldError("voice[1].method", "unknown method 'telepathy'"),
        FieldError(
            "voice[1].present[0]",
            "'imran' is family; a view gathered separately has no family present",
        ),
    ]
    assert versions(aisha) == before
    assert (
        edits.record_path(casefile=casefile_export(person=aisha), kind="voice", original_key=None)
        == "voice[1]"
    )


def test_errors_under_splits_the_records_errors_from_the_rest() -> None:
    errors = [
        FieldError("voice[1].present[0]", "a"),
        FieldError("voice[1]", "b"),
        FieldError("voice[10].date", "c"),
        FieldError("meetings[0].date", "d"),
    ]
    mine, others = edits.errors_under(errors, "voice[1]")
    assert mine == {"present[0]": ["a"], "": ["b"]}
    assert others == ["voice[10].date: c", "meetings[0].date: d"]


def test_new_ids_skip_every_id_in_the_file(aisha: Person) -> None:
    from kinwise.casefile.load import casefile_to_data

    data = casefile_to_data(casefile_export(person=aisha))
    data["circle"].append({"id": "m-1", "name": "X", "kind": "staff"})
    assert edits.new_id(data, "m") == "m-2"
    assert edits.new_id(data, "v") == "v-1"


def test_task_end_before_it_began_is_refused(db: Any) -> None:
    organisation = organisation_ensure(slug="acme", name="Acme")
    service = service_ensure(organisation=organisation, external_id="riverside", name="Riverside")
    result = casefile_import(
        casefile=load_casefile(CASEFILES / "03-historic-arrangement.before.yaml"),
        service=service,
        actor=None,
    )
    daniel = Person.objects.get(pk=result.person_pk)
    with pytest.raises(KinwiseError) as caught:
        edits.task_end(person=daniel, task_id="t-mark-meds", on="2015-08-31", actor=None)
    assert [e.path for e in caught.value.errors] == ["plan.tasks[0].ended"]
    edits.task_end(
        person=daniel, task_id="t-mark-meds", on="2015-09-01", actor=None
    )  # the same day is allowed
    assert casefile_export(person=daniel).plan.tasks[0].ended == dt.date(2015, 9, 1)
    with pytest.raises(KinwiseError) as missing:
        edits.task_review(person=daniel, task_id="t-nobody", on="2026-01-01", actor=None)
    assert missing.value.code == ErrorCode.NOT_FOUND


def test_consent_withdraw_and_session_add(aisha: Person) -> None:
    edits.consent_withdraw(person=aisha, consent_id="c-plan", on="2026-04-14", actor=None)
    assert casefile_export(person=aisha).consents[0].withdrawn == dt.date(2026, 4, 14)
    with pytest.raises(KinwiseError):
        edits.trial_session_add(person=aisha, trial_id="gt1", session={}, actor=None)


def test_record_remove_supersedes(aisha: Person) -> None:
    edits.record_correct(
        person=aisha, kind="voice", key="v0", reason="A duplicate", actor=None, based_on=1
    )
    assert casefile_export(person=aisha).voice == []
    assert versions(aisha)[-1] == ("voice", "v0", 2, "entered_in_error", "web")


def test_a_stale_save_is_refused_and_writes_nothing(aisha: Person) -> None:
    current = casefile_export(person=aisha).voice[0].model_dump(mode="json", exclude_none=True)
    edits.record_save(
        person=aisha,
        kind="voice",
        record={**current, "summary": "First"},
        actor=None,
        original_key="v0",
        based_on=1,
    )
    before = versions(aisha)
    with pytest.raises(KinwiseError) as caught:
        edits.record_save(
            person=aisha,
            kind="voice",
            record={**current, "summary": "Second"},
            actor=None,
            original_key="v0",
            based_on=1,
        )
    assert caught.value.code == ErrorCode.STALE
    assert versions(aisha) == before
    assert casefile_export(person=aisha).voice[0].summary == "First"


def test_entering_in_error_needs_a_reason(aisha: Person) -> None:
    with pytest.raises(KinwiseError) as caught:
        edits.record_correct(person=aisha, kind="voice", key="v0", reason=" ", actor=None)
    assert caught.value.errors == [FieldError("reason", "Say why this record was entered in error")]
    assert [v.id for v in casefile_export(person=aisha).voice] == ["v0"]


def test_a_record_others_refer_to_cannot_be_entered_in_error(db: Any) -> None:
    sam = import_story("01-risk-and-independence.yaml")
    before = versions(sam)
    with pytest.raises(KinwiseError) as caught:
        edits.record_correct(
            person=sam, kind="risk_assessment", key="ra1", reason="Wrong person", actor=None
        )
    assert [(e.path, e.message, e.code) for e in caught.value.errors] == [
        (
            "",
            "This risk assessment cannot be entered in error while a graded trial and a "
            "meeting refer to it: change or correct that first",
            FieldErrorCode.REFERRED_TO,
        )
    ]
    assert versions(sam) == before


def test_a_session_inside_a_trial_is_entered_in_error_with_its_reason(db: Any) -> None:
    sam = import_story("01-risk-and-independence.yaml")
    sessions = casefile_export(person=sam).graded_trials[0].sessions
    edits.inner_row_correct(
        person=sam,
        kind="graded_trial",
        key="gt1",
        attr="sessions",
        index=0,
        reason="Logged twice",
        actor=None,
        based_on=1,
    )
    assert casefile_export(person=sam).graded_trials[0].sessions == sessions[1:]
    latest = RecordVersion.objects.filter(person=sam, kind="graded_trial").order_by("-version")[0]
    assert (latest.version, latest.action, latest.reason) == (2, "updated", "Logged twice")
