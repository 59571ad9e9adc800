"""Nothing typed is lost: a form sent after the session ended comes back after signing in
(for the same user only, never saved by itself, without the CSRF token), and a form's
draft is kept on the server while typing, offered when the form is opened again and
dropped when it is saved (kinwise.drafts, ADR 0210)."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import AbstractBaseUser
from django.test import Client

from kinwise.accounts.sessions import SEEN
from kinwise.core.models import RecordVersion, StaffRole
from kinwise.core.services import staff_user_ensure
from kinwise.drafts.models import FormInput
from kinwise.drafts.services import form_inputs_expired_erase
from kinwise.records.models import Person
from tests.signin import second_factor_given
from tests.web.conftest import PASSWORD

VOICE = {
    "date": "2026-06-02",
    "area": "daily_living",
    "method": "talking_mats",
    "setting": "separate",
    "captured_by": "lena",
    "present": ["lena"],
    "direct": "yes",
    "summary": "Likes the day centre on Mondays.",
}
VOICE_FIELDS = {k: v if isinstance(v, list) else [v] for k, v in VOICE.items()}
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
START = dt.datetime(2026, 9, 30, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def aisha(people: dict[str, Person], today: Callable[[dt.date], None]) -> Person:
    today(dt.date(2026, 9, 30))
    return people["aisha"]


@pytest.fixture
def clock() -> Any:
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def strict_client(user: AbstractBaseUser) -> Client:
    """A client signed in as ``user`` that sends CSRF tokens as a browser does."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return second_factor_given(client)


def token_of(client: Client, path: str) -> str:
    match = TOKEN.search(client.get(path).content.decode())
    assert match is not None
    return match.group(1)


def idle(client: Client, minutes: int = 31) -> None:
    session = client.session
    session[SEEN] = float(session[SEEN]) - minutes * 60
    session.save()


def versions(person: Person) -> int:
    return RecordVersion.objects.filter(person=person).count()


def textarea(html: str, name: str) -> str:
    match = re.search(rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>', html, re.S)
    assert match is not None
    return match.group(1).strip()


def test_a_form_sent_after_the_session_went_idle_comes_back_after_signing_in(
    aisha: Person, world: dict[str, Any], clock: Any, caplog: pytest.LogCaptureFixture
) -> None:
    worker = world["users"]["worker"]
    client = strict_client(worker)
    form = f"/people/{aisha.pk}/add/voice/"
    token = token_of(client, form)
    idle(client)
    before = versions(aisha)
    caplog.set_level(logging.DEBUG)

    response = client.post(form, {**VOICE, "csrfmiddlewaretoken": token})

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next=%2Fpeople%2F{aisha.pk}%2Fadd%2Fvoice%2F"
    assert versions(aisha) == before
    kept = FormInput.objects.get()
    assert (kept.user_id, kept.person_id, kept.path, kept.kind) == (
        worker.pk,
        aisha.pk,
        form,
        "signed_out",
    )
    assert kept.fields == VOICE_FIELDS  # no CSRF token
    assert kept.expires_at == START + dt.timedelta(hours=24)
    assert "Mondays" not in caplog.text and "lena" not in caplog.text
    login = client.get("/accounts/login/").content.decode()
    assert "What you had typed is kept" in login

    # someone else signing in on the same tablet does not see it
    other = staff_user_ensure(
        username="worker2",
        password=PASSWORD,
        service=world["services"]["oakfield"],
        role=StaffRole.SUPPORT_WORKER,
    )
    theirs = strict_client(other).get(form).content.decode()
    assert textarea(theirs, "summary") == ""
    assert "You were signed out before this form was saved" not in theirs

    # the same user, signed in again: the form shows what was typed, nothing is saved yet
    again = strict_client(worker)
    page = again.get(form)
    html = page.content.decode()
    assert page.status_code == 200
    assert "You were signed out before this form was saved" in html
    assert textarea(html, "summary") == "Likes the day centre on Mondays."
    assert 'value="2026-06-02"' in html
    assert versions(aisha) == before
    assert FormInput.objects.count() == 1  # still there until it is saved

    saved = again.post(form, {**VOICE, "csrfmiddlewaretoken": TOKEN.findall(html)[-1]})
    assert saved.status_code == 302
    assert versions(aisha) == before + 1
    assert FormInput.objects.count() == 0
    assert "You were signed out" not in again.get(form).content.decode()


def test_a_form_without_a_valid_csrf_token_is_not_kept(
    aisha: Person, world: dict[str, Any], clock: Any
) -> None:
    client = strict_client(world["users"]["worker"])
    token_of(client, f"/people/{aisha.pk}/add/voice/")
    idle(client)
    response = client.post(
        f"/people/{aisha.pk}/add/voice/", {**VOICE, "csrfmiddlewaretoken": "x" * 64}
    )
    assert response.status_code == 302
    assert FormInput.objects.count() == 0
    assert "What you had typed is kept" not in client.get("/accounts/login/").content.decode()


def test_a_page_that_is_not_a_form_keeps_nothing_and_a_session_within_its_limit_keeps_nothing(
    aisha: Person, world: dict[str, Any], clock: Any
) -> None:
    client = strict_client(world["users"]["worker"])
    token = token_of(client, f"/people/{aisha.pk}/add/voice/")
    idle(client, minutes=30)  # exactly 30 idle minutes: still signed in, saved as usual
    saved = client.post(f"/people/{aisha.pk}/add/voice/", {**VOICE, "csrfmiddlewaretoken": token})
    assert saved.status_code == 302
    assert saved["Location"] == f"/people/{aisha.pk}/voice/"
    idle(client)
    balance = client.post(f"/people/{aisha.pk}/meetings-balance/", {"csrfmiddlewaretoken": token})
    assert balance.status_code == 302
    assert FormInput.objects.count() == 0


def draft_address(person: Person, form: str) -> str:
    return f"/people/{person.pk}/form-draft/?form={form}"


def test_a_draft_is_kept_offered_restored_and_dropped_when_saved(
    aisha: Person, world: dict[str, Any], clock: Any
) -> None:
    worker = world["users"]["worker"]
    client = strict_client(worker)
    form = f"/people/{aisha.pk}/add/voice/"
    token = token_of(client, form)
    before = versions(aisha)

    response = client.post(draft_address(aisha, form), {**VOICE, "csrfmiddlewaretoken": token})
    assert response.status_code == 204
    draft = FormInput.objects.get()
    assert (draft.kind, draft.path, draft.fields) == ("draft", form, VOICE_FIELDS)
    assert draft.expires_at == START + dt.timedelta(days=7)
    assert versions(aisha) == before

    # a later change replaces it (one draft per user and form)
    clock.shift(60)
    client.post(
        draft_address(aisha, form),
        {**VOICE, "summary": "Likes Tuesdays too.", "csrfmiddlewaretoken": token},
    )
    draft = FormInput.objects.get()
    assert draft.fields["summary"] == ["Likes Tuesdays too."]
    assert (draft.created_at, draft.updated_at) == (START, START + dt.timedelta(seconds=60))

    # opening the form offers it; the form itself starts empty and keeps no draft yet
    offered = client.get(form).content.decode()
    assert "You have a draft of this form that is not saved" in offered
    assert "last changed on 30 September 2026 at 10:01" in offered
    assert textarea(offered, "summary") == ""
    assert 'data-draft-paused="1"' in offered
    assert f'href="{form}?draft=restore"' in offered

    restored = client.get(f"{form}?draft=restore").content.decode()
    assert "Your draft is below" in restored
    assert textarea(restored, "summary") == "Likes Tuesdays too."
    assert "data-draft-paused" not in restored
    assert f'data-draft-url="/people/{aisha.pk}/form-draft/?form={form}"' in restored
    assert versions(aisha) == before

    saved = client.post(
        form, {**VOICE, "summary": "Likes Tuesdays too.", "csrfmiddlewaretoken": token}
    )
    assert saved.status_code == 302
    assert FormInput.objects.count() == 0
    assert versions(aisha) == before + 1


def test_a_draft_can_be_discarded(aisha: Person, world: dict[str, Any], clock: Any) -> None:
    client = strict_client(world["users"]["worker"])
    form = f"/people/{aisha.pk}/add/voice/"
    token = token_of(client, form)
    client.post(draft_address(aisha, form), {**VOICE, "csrfmiddlewaretoken": token})
    response = client.post(
        draft_address(aisha, form), {"discard_draft": "1", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert response["Location"] == form
    assert FormInput.objects.count() == 0
    assert "The draft is discarded" in client.get(form).content.decode()


@pytest.mark.parametrize(
    "form",
    [
        "",
        "/people/{pk}/voice/",  # a page, not a form
        "/people/{other}/add/voice/",  # a form about someone else
        "//elsewhere.example/people/{pk}/add/voice/",
        "/people/{pk}/add/voice/?draft=restore",
        "/people/{pk}/add/voice/" + "x" * 300,
        "/people/{pk}/meetings-balance/",
    ],
)
def test_a_draft_of_anything_but_a_form_about_the_person_is_refused(
    aisha: Person, people: dict[str, Person], world: dict[str, Any], form: str
) -> None:
    client = strict_client(world["users"]["worker"])
    token = token_of(client, f"/people/{aisha.pk}/add/voice/")
    address = form.format(pk=aisha.pk, other=people["sam"].pk)
    response = client.post(
        f"/people/{aisha.pk}/form-draft/",
        {**VOICE, "csrfmiddlewaretoken": token},
        QUERY_STRING=f"form={address}",
    )
    assert response.status_code == 400
    assert FormInput.objects.count() == 0


def test_a_draft_about_someone_the_user_may_not_see_is_refused(
    aisha: Person, people: dict[str, Person], world: dict[str, Any]
) -> None:
    client = strict_client(world["users"]["worker"])
    token = token_of(client, f"/people/{aisha.pk}/add/voice/")
    sam = people["sam"]  # at Riverside: not the worker's service
    response = client.post(
        draft_address(sam, f"/people/{sam.pk}/add/voice/"), {**VOICE, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 404
    assert FormInput.objects.count() == 0


def test_too_much_input_is_not_kept(aisha: Person, world: dict[str, Any]) -> None:
    client = strict_client(world["users"]["worker"])
    form = f"/people/{aisha.pk}/add/voice/"
    token = token_of(client, form)
    response = client.post(
        draft_address(aisha, form),
        {**VOICE, "summary": "x" * 100_001, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 413
    assert FormInput.objects.count() == 0


def test_drafts_and_kept_forms_expire(aisha: Person, world: dict[str, Any], clock: Any) -> None:
    client = strict_client(world["users"]["worker"])
    form = f"/people/{aisha.pk}/add/voice/"
    token = token_of(client, form)
    client.post(draft_address(aisha, form), {**VOICE, "csrfmiddlewaretoken": token})
    clock.shift(7 * 86400 - 1)
    assert "You have a draft" in strict_client(world["users"]["worker"]).get(form).content.decode()
    clock.shift(1)  # exactly seven days on: gone
    assert (
        "You have a draft" not in strict_client(world["users"]["worker"]).get(form).content.decode()
    )
    assert form_inputs_expired_erase(at=dt.datetime.now(dt.UTC)) == 1
    assert FormInput.objects.count() == 0
