"""Passwords as the NCSC advises: at least 12 characters with no rules of composition,
none from the shipped list of common and breached passwords, none like the username."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

import kinwise


def problems(password: str, user: User | None = None) -> list[str]:
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        return [str(m) for m in exc.messages]
    return []


def test_length_over_complexity() -> None:
    assert problems("correct horse battery") == []  # long, all lower case, spaces: fine
    assert problems("twelve chars") == []  # exactly 12
    assert problems("Tw3lve!char") == [
        "This password is too short. It must contain at least 12 characters."
    ]


def test_a_common_password_from_the_shipped_list_is_refused() -> None:
    assert problems("password1234") == ["This password is too common."]
    assert problems("1qaz2wsx3edc") == ["This password is too common."]


def test_the_list_is_a_file_in_the_kinwise_package() -> None:
    shipped = (
        Path(kinwise.__file__).resolve().parent / "accounts" / "data" / "common-passwords.txt.gz"
    )
    assert shipped.is_file() and shipped.stat().st_size > 50_000
    options = [v.get("OPTIONS", {}) for v in settings.AUTH_PASSWORD_VALIDATORS]
    assert {"password_list_path": shipped} in options


@pytest.mark.django_db
def test_a_password_like_the_username_is_refused() -> None:
    user = User(username="margaretholloway", first_name="Margaret")
    assert problems("margaretholloway1", user=user) == [
        "The password is too similar to the username."
    ]
