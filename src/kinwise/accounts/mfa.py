"""The second factor: time-based codes (TOTP, django-otp) from an authenticator app.

Required for registered managers and quality leads, offered to everyone. The demo's
logins on a demo database (every organisation made by `kinwise demo`) are exempt: their
passwords are published, and the people in it are invented.
"""

from __future__ import annotations

import base64
import io

import segno
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from kinwise.core.models import Organisation, StaffMembership, StaffRole

REQUIRED_FOR: frozenset[str] = frozenset({StaffRole.REGISTERED_MANAGER, StaffRole.QUALITY_LEAD})
DEVICE_NAME = "Authenticator app"

User = AbstractBaseUser | AnonymousUser


def demo_exempt(user: User) -> bool:
    """Whether ``user`` is a demo login on a demo database: a member of demo
    organisations only, in a database that holds no other organisation."""
    if user.pk is None:
        return False
    organisations = set(
        StaffMembership.objects.filter(user_id=user.pk).values_list(
            "service__organisation__is_demo", flat=True
        )
    )
    return organisations == {True} and demo_database()


def demo_database() -> bool:
    """Whether every organisation in the database is one `kinwise demo` made."""
    return (
        Organisation.objects.filter(is_demo=True).exists()
        and not Organisation.objects.filter(is_demo=False).exists()
    )


def second_factor_required(user: User) -> bool:
    """Whether ``user`` must sign in with a code: a registered manager or quality lead
    anywhere, unless :func:`demo_exempt`."""
    if user.pk is None:
        return False
    required = StaffMembership.objects.filter(user_id=user.pk, role__in=REQUIRED_FOR).exists()
    return required and not demo_exempt(user)


def confirmed_device(user: User) -> TOTPDevice | None:
    """The user's authenticator app, once they have proved it with a code."""
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).order_by("-id").first()


def enrolment_device(user: User) -> TOTPDevice:
    """The unconfirmed device being set up for ``user`` (a new secret if none)."""
    with transaction.atomic():
        device = TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).order_by("-id").first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def enrolment_confirm(*, user: User, device: TOTPDevice, code: str) -> bool:
    """Confirm ``device`` with a code from the app; it then replaces any earlier device."""
    if device.user_id != user.pk or device.confirmed or not code_verify(device=device, code=code):
        return False
    with transaction.atomic():
        TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).update(confirmed=False)
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
    return True


def code_verify(*, device: TOTPDevice, code: str) -> bool:
    """Whether ``code`` (six digits, spaces allowed) is the device's current code. Each code
    works once; repeated failures slow further tries (django-otp's throttle)."""
    cleaned = code.replace(" ", "").strip()
    if len(cleaned) != 6 or not cleaned.isdigit():
        return False
    return bool(device.verify_token(cleaned))


def secret_text(device: TOTPDevice) -> str:
    """The device's secret as an authenticator app asks for it: base32, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_data_uri(device: TOTPDevice) -> str:
    """The device's set-up link as a QR code: an SVG drawn here, as a data: address for an
    image (nothing is asked of another server)."""
    out = io.BytesIO()
    segno.make(device.config_url, error="m").save(out, kind="svg", scale=5, border=4)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode("ascii")
