"""The invitation email of a family or person account: the staff invitation's link and
template (Django's set-password token on the ``welcome`` address), with no names."""

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


def invitation_send(*, request: HttpRequest, user: AbstractBaseUser) -> None:
    path = reverse(
        "welcome",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    body = render_to_string(
        "registration/invitation_email.txt", {"link": request.build_absolute_uri(path)}
    )
    send_mail(INVITATION_SUBJECT, body, None, [str(getattr(user, "email", ""))])
