"""Signing in from tests: a session as after the whole sign-in (password, then the code
where one is owed), and codes computed as an authenticator app computes them."""

from __future__ import annotations

import base64

from django.contrib.auth.models import AbstractBaseUser
from django.test import Client
from django_otp.oath import TOTP

from kinwise.accounts.sessions import SECOND_FACTOR


def code_from_secret(secret: str) -> str:
    """The current 6-digit code for a secret shown on the set-up page (base32, spaced)."""
    cleaned = secret.replace(" ", "").upper()
    key = base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))
    return f"{TOTP(key).token():06d}"


def code_for_key(hex_key: str) -> str:
    """The current code of a device's key (TOTPDevice.key, hex)."""
    return f"{TOTP(bytes.fromhex(hex_key)).token():06d}"


def second_factor_given(client: Client) -> Client:
    """The client's session as if its code had been entered (or its app set up)."""
    session = client.session
    session.pop(SECOND_FACTOR, None)
    session.save()
    return client


def signed_in_client(user: AbstractBaseUser) -> Client:
    """A client signed in as ``user`` through the whole sign-in."""
    client = Client()
    client.force_login(user)
    return second_factor_given(client)
