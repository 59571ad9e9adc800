"""The forms of signing in: the password, a code, and either again before a sensitive action."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm

# One message for every refused sign-in: a wrong password, an unknown username, a
# deactivated account and a paused one all read the same.
SIGNIN_REFUSED = (
    "The username or password is not right. After 10 attempts that are not right, "
    "signing in is paused for 15 minutes."
)
CODE_REFUSED = "The code is not right. Enter the 6-digit code your authenticator app shows now."
CODE_MISSING = "Enter the 6-digit code from your authenticator app"
PASSWORD_MISSING = "Enter your password"
PASSWORD_REFUSED = "The password is not right"


class SignInForm(AuthenticationForm):
    error_messages = {"invalid_login": SIGNIN_REFUSED, "inactive": SIGNIN_REFUSED}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = PASSWORD_MISSING


class CodeForm(forms.Form):
    """A code from the authenticator app (checked by the view against the device)."""

    code = forms.CharField(
        label="Code from your authenticator app",
        max_length=12,
        error_messages={"required": CODE_MISSING},
    )


class PasswordAgainForm(forms.Form):
    password = forms.CharField(
        label="Your password", max_length=4096, error_messages={"required": PASSWORD_MISSING}
    )
