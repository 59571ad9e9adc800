"""Every text a form takes has a maximum length: names 200 characters, short text 2,000,
long text 20,000, dates and numbers 40 (docs/web.md)."""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable

import pytest
from django import forms as django_forms
from django.test import Client

from kinwise.core.models import RecordVersion
from kinwise.records.models import Person
from kinwise.web import forms

EXPECTED = {"text": 2000, "textarea": 20000, "date": 40, "number": 40, "decimal": 40}
NAMES = {
    ("MemberForm", "name"),
    ("MemberForm", "relationship"),
    ("MemberForm", "job"),
    ("AuthorityForm", "reference"),
    ("MedicineForm", "name"),
}


def _form_classes() -> list[type[django_forms.Form]]:
    return [
        cls
        for _, cls in inspect.getmembers(forms, inspect.isclass)
        if issubclass(cls, django_forms.Form) and cls.__module__ == forms.__name__
    ]


def test_every_text_field_of_every_form_has_its_maximum_length() -> None:
    checked = 0
    for cls in _form_classes():
        for name, field in cls.base_fields.items():
            if isinstance(field, django_forms.ChoiceField | django_forms.BooleanField):
                continue
            assert isinstance(field, django_forms.CharField), (cls.__name__, name)
            kind = getattr(field, "kw_type", "")
            expected = 200 if (cls.__name__, name) in NAMES else EXPECTED[kind]
            assert field.max_length == expected, (cls.__name__, name)
            checked += 1
    assert checked > 40


VOICE = {
    "date": "2026-06-02",
    "area": "daily_living",
    "method": "talking_mats",
    "setting": "separate",
    "captured_by": "lena",
    "present": ["lena"],
    "direct": "yes",
}


@pytest.fixture
def aisha(people: dict[str, Person], today: Callable[[dt.date], None]) -> Person:
    today(dt.date(2026, 9, 30))
    return people["aisha"]


def test_a_text_over_its_maximum_is_an_error_at_its_field_and_nothing_is_written(
    aisha: Person, as_user: Callable[[str], Client]
) -> None:
    client = as_user("worker")
    url = f"/people/{aisha.pk}/add/voice/"
    before = RecordVersion.objects.count()
    response = client.post(url, {**VOICE, "summary": "s" * 20001})
    assert response.status_code == 400
    assert (
        "Ensure this value has at most 20000 characters (it has 20001)."
        in response.content.decode()
    )
    assert RecordVersion.objects.count() == before
    assert client.post(url, {**VOICE, "summary": "s" * 20000}).status_code == 302


def test_a_name_over_200_characters_is_refused(
    aisha: Person, as_user: Callable[[str], Client]
) -> None:
    client = as_user("manager")  # team leader and above add to the circle
    url = f"/people/{aisha.pk}/add/member/"
    response = client.post(url, {"name": "N" * 201, "kind": "friend"})
    assert response.status_code == 400
    assert "Ensure this value has at most 200 characters (it has 201)." in (
        response.content.decode()
    )
    assert client.post(url, {"name": "N" * 200, "kind": "friend"}).status_code == 302
