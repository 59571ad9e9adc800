"""The emails of the administration pages. Each carries only a link, on the request's
own host, and no personal data (no names, not even the invitee's)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

INVITATION_SUBJECT = "You are invited to Kinwise"


def invitation_link(*, request: HttpRequest, user: AbstractBaseUser) -> str:
    """The address where ``user`` sets their first password: Django's password-reset
    token (it stops working once a password is set, or after PASSWORD_RESET_TIMEOUT)."""
    path = reverse(
        "welcome",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return request.build_absolute_uri(path)


def invitation_send(*, request: HttpRequest, user: AbstractBaseUser) -> None:
    """Email ``user`` their invitation through Django's email backend. Raises the
    backend's error (OSError, smtplib.SMTPException) when it cannot be sent."""
    body = render_to_string(
        "registration/invitation_email.txt",
        {"link": invitation_link(request=request, user=user)},
    )
    send_mail(INVITATION_SUBJECT, body, None, [str(getattr(user, "email", ""))])
