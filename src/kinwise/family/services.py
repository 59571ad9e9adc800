"""Writes for family and person accounts: inviting from a circle member or the person,
linking one real person's login to another file, suspending and reinstating, and the
person's drafts confirmed into voice records (docs/portal.md).

Every write records who made it and when (:class:`PortalAccountEvent`); nothing is
deleted. The staff pages ask :mod:`kinwise.access` whether the member of staff may
(``change_circle``) before calling these.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from kinwise.casefile.schema import CaseFile
from kinwise.casefile.vocab import AREAS, FAMILY_KINDS
from kinwise.core.services import account_sessions_end
from kinwise.errors import ErrorCode, FieldError, KinwiseError
from kinwise.family.models import (
    AccountChange,
    DraftState,
    LinkKind,
    PortalAccount,
    PortalAccountEvent,
    PortalLink,
    VoiceDraft,
)
from kinwise.records.models import Person
from kinwise.records.selectors import casefile_export
from kinwise.records.services.edits import record_save

logger = logging.getLogger("kinwise.family")

NAME_MAX = 150
DRAFT_MAX = 5000


def invitable(casefile: CaseFile) -> dict[str, str]:
    """Who in the file can be given a portal login, by id: the person and each family
    member or friend of their circle (names, for the staff page)."""
    found = {casefile.person.id: casefile.person.name}
    found.update({m.id: m.name for m in casefile.circle if m.kind in FAMILY_KINDS})
    return found


def _check_new_login(username: str, email: str) -> list[FieldError]:
    errors: list[FieldError] = []
    if not username:
        errors.append(FieldError("username", "Enter a user name"))
    elif len(username) > NAME_MAX:
        errors.append(
            FieldError("username", f"The user name must be {NAME_MAX} characters or fewer")
        )
    else:
        try:
            UnicodeUsernameValidator()(username)
        except ValidationError:
            errors.append(
                FieldError(
                    "username",
                    "The user name can only have letters, digits and the characters @ . + - _",
                )
            )
        else:
            if get_user_model().objects.filter(username__iexact=username).exists():
                errors.append(FieldError("username", "Someone already has this user name"))
    return errors


def _check_email(email: str) -> list[FieldError]:
    if not email:
        return [FieldError("email", "Enter an email address")]
    try:
        validate_email(email)
    except ValidationError:
        return [FieldError("email", "Enter an email address like name@example.com")]
    return []


def _event(
    *,
    account: PortalAccount,
    person: Person | None,
    action: str,
    actor: AbstractBaseUser | None,
    at: dt.datetime,
) -> None:
    PortalAccountEvent.objects.create(
        account=account,
        person=person,
        action=action,
        actor_id=actor.pk if actor is not None else None,
        at=at,
    )
    logger.info(
        "portal account pk=%s %s by user pk=%s", account.pk, action, getattr(actor, "pk", None)
    )


def portal_invite(
    *,
    person: Person,
    member_id: str,
    username: str,
    email: str,
    actor: AbstractBaseUser | None,
    at: dt.datetime | None = None,
) -> tuple[PortalAccount, bool]:
    """A portal login for ``member_id`` (a family member or friend of the person's circle,
    or the person) with no password yet: the invitation's link sets one. One real person
    has one login: an email address that already belongs to a portal account of the
    organisation links that account to this file instead. Answers the account and
    whether it is new (a new one needs its invitation sent)."""
    now = at or timezone.now()
    username, email = username.strip(), email.strip()
    names = invitable(casefile_export(person=person))
    errors: list[FieldError] = []
    if member_id not in names:
        errors.append(FieldError("member", "Choose who to invite"))
    errors.extend(_check_email(email))
    organisation_id = person.service.organisation_id
    existing = (
        PortalAccount.objects.filter(organisation_id=organisation_id, user__email__iexact=email)
        .select_related("user")
        .first()
        if email
        else None
    )
    if existing is None:
        errors.extend(_check_new_login(username, email))
    if PortalLink.objects.filter(person=person, member_id=member_id).exists():
        errors.append(FieldError("member", "They already have a login for this file"))
    if existing is not None and PortalLink.objects.filter(account=existing, person=person).exists():
        errors.append(FieldError("email", "This login is already linked to this file"))
    if errors:
        raise KinwiseError(ErrorCode.INVALID_INPUT, "the invitation has errors", errors)
    kind = LinkKind.PERSON if member_id == person.external_id else LinkKind.FAMILY
    try:
        with transaction.atomic():
            if existing is None:
                user = get_user_model().objects.create_user(username=username, email=email)
                user.set_unusable_password()
                user.save(update_fields=["password"])
                account = PortalAccount.objects.create(
                    user=user, organisation_id=organisation_id, created_at=now
                )
                action = AccountChange.INVITED
            else:
                account, action = existing, AccountChange.LINKED
            PortalLink.objects.create(
                account=account, person=person, member_id=member_id, kind=kind, created_at=now
            )
            _event(account=account, person=person, action=action, actor=actor, at=now)
    except IntegrityError:
        raise KinwiseError(
            ErrorCode.CONFLICT,
            "the login was taken meanwhile",
            [FieldError("username", "Someone already has this user name")],
        ) from None
    return account, existing is None


def portal_demo_ensure(*, person: Person, member_id: str, username: str, password: str) -> bool:
    """The demo's portal login ``username`` for ``member_id`` in the person's file, with
    the published password (demo databases only: :mod:`kinwise.commands.demo` checks).
    True when something was created."""
    user_model = get_user_model()
    with transaction.atomic():
        user, created = user_model.objects.get_or_create(username=username)
        if created:
            user.set_password(password)
            user.save(update_fields=["password"])
        now = timezone.now()
        account, _ = PortalAccount.objects.get_or_create(
            user=user,
            defaults={"organisation_id": person.service.organisation_id, "created_at": now},
        )
        kind = LinkKind.PERSON if member_id == person.external_id else LinkKind.FAMILY
        _, linked = PortalLink.objects.get_or_create(
            account=account,
            person=person,
            defaults={"member_id": member_id, "kind": kind, "created_at": now},
        )
        if linked:
            _event(account=account, person=person, action=AccountChange.INVITED, actor=None, at=now)
    return created or linked


def portal_suspend(
    *,
    account: PortalAccount,
    person: Person,
    actor: AbstractBaseUser,
    at: dt.datetime | None = None,
) -> None:
    """Suspend the account at once: its next request shows nothing (the scope reads
    ``suspended_at``) and its sessions end (the auth epoch moves on)."""
    now = at or timezone.now()
    with transaction.atomic():
        changed = PortalAccount.objects.filter(pk=account.pk, suspended_at__isnull=True).update(
            suspended_at=now
        )
        if changed:
            account_sessions_end(user_id=account.user_id)
            _event(
                account=account, person=person, action=AccountChange.SUSPENDED, actor=actor, at=now
            )


def portal_reinstate(
    *,
    account: PortalAccount,
    person: Person,
    actor: AbstractBaseUser,
    at: dt.datetime | None = None,
) -> None:
    now = at or timezone.now()
    with transaction.atomic():
        changed = PortalAccount.objects.filter(pk=account.pk, suspended_at__isnull=False).update(
            suspended_at=None
        )
        if changed:
            _event(
                account=account, person=person, action=AccountChange.REINSTATED, actor=actor, at=now
            )


def voice_draft_add(
    *,
    link: PortalLink,
    text: str,
    area: str,
    helped_by: list[str],
    at: dt.datetime | None = None,
) -> VoiceDraft:
    """What the person wants to say, kept as a draft for a member of staff to confirm."""
    errors: list[FieldError] = []
    text = text.strip()
    if link.kind != LinkKind.PERSON:
        raise KinwiseError(
            ErrorCode.PERMISSION_DENIED, "only the person adds what they want to say"
        )
    if not text:
        errors.append(FieldError("text", "Write or record what you want to say"))
    elif len(text) > DRAFT_MAX:
        errors.append(FieldError("text", f"Please keep it under {DRAFT_MAX} characters"))
    if area and area not in AREAS:
        errors.append(FieldError("area", "Choose what it is about"))
    if errors:
        raise KinwiseError(ErrorCode.INVALID_INPUT, "the draft has errors", errors)
    return VoiceDraft.objects.create(
        link=link, text=text, area=area, helped_by=list(helped_by), created_at=at or timezone.now()
    )


def voice_draft_confirm(
    *,
    draft: VoiceDraft,
    person: Person,
    captured_by: str,
    method: str,
    on: dt.date,
    actor: AbstractBaseUser,
) -> str:
    """Write the draft into a version-1 voice record as the person said it: direct, in
    one of their own communication methods, captured by the confirming member of staff,
    with whoever helped them present. The record is validated against the whole file
    like any other (an error names the field). Answers the new record's id."""
    if draft.state != DraftState.WAITING or draft.link.person_id != person.pk:
        raise KinwiseError(ErrorCode.CONFLICT, "this draft is already in the records")
    casefile = casefile_export(person=person)
    errors: list[FieldError] = []
    if method not in casefile.person.communication.methods:
        errors.append(FieldError("method", "Choose one of the person's own ways of communicating"))
    staff = {m.id for m in casefile.circle if m.kind == "staff"}
    if captured_by not in staff:
        errors.append(FieldError("captured_by", "Choose yourself from the staff in their circle"))
    if errors:
        raise KinwiseError(ErrorCode.INVALID_INPUT, "the confirmation has errors", errors)
    present = [m for m in draft.helped_by if m != captured_by]
    record: dict[str, object] = {
        "date": on.isoformat(),
        "method": method,
        "setting": "everyday",
        "captured_by": captured_by,
        "present": [captured_by, *present],
        "direct": True,
        "summary": draft.text,
    }
    if draft.area:
        record["area"] = draft.area
    with transaction.atomic():
        locked = VoiceDraft.objects.select_for_update().get(pk=draft.pk)
        if locked.state != DraftState.WAITING:
            raise KinwiseError(ErrorCode.CONFLICT, "this draft is already in the records")
        saved = record_save(person=person, kind="voice", record=record, actor=actor)
        VoiceDraft.objects.filter(pk=draft.pk).update(
            state=DraftState.CONFIRMED,
            voice_id=saved.key,
            confirmed_by=actor,
            confirmed_at=timezone.now(),
        )
    return saved.key


def family_view_add(
    *,
    link: PortalLink,
    person: Person,
    area: str,
    about: str,
    text: str,
    on: dt.date,
    actor: AbstractBaseUser,
) -> str:
    """A relative's own view, added in the portal: a family_view record (format version
    2) with them as its author, never a voice record, so no rule counts it as the
    person's. ``about`` is "" or "meeting:<id>" or "risk_assessment:<id>". Validated
    against the whole file like any record; answers its id."""
    if link.kind != LinkKind.FAMILY or link.person_id != person.pk:
        raise KinwiseError(ErrorCode.PERMISSION_DENIED, "only a relative adds a family view")
    record: dict[str, object] = {
        "author": link.member_id,
        "date": on.isoformat(),
        "area": area,
        "text": text.strip(),
    }
    kind, _, ident = about.partition(":")
    if kind in ("meeting", "risk_assessment") and ident:
        record[kind] = ident
    saved = record_save(person=person, kind="family_view", record=record, actor=actor)
    return saved.key


CONCERN_KINDS = ("concern", "complaint", "disagreement")


def family_concern_raise(
    *,
    link: PortalLink,
    person: Person,
    kind: str,
    area: str,
    text: str,
    on: dt.date,
    actor: AbstractBaseUser,
) -> str:
    """A relative raises a concern in the portal: a concern record (format version 2,
    raised by them, today) that the concern rules follow up for the registered manager,
    and their words as their own family view of the same area (a concern record has no
    text of its own). Both in one transaction; answers the concern's id."""
    if link.kind != LinkKind.FAMILY or link.person_id != person.pk:
        raise KinwiseError(ErrorCode.PERMISSION_DENIED, "only a relative raises a concern here")
    if kind not in CONCERN_KINDS:
        raise KinwiseError(
            ErrorCode.INVALID_INPUT, "unknown kind", [FieldError("kind", "Choose what it is")]
        )
    with transaction.atomic():
        saved = record_save(
            person=person,
            kind="concern",
            record={
                "kind": kind,
                "raised_by": link.member_id,
                "date": on.isoformat(),
                "area": area,
            },
            actor=actor,
        )
        record_save(
            person=person,
            kind="family_view",
            record={
                "author": link.member_id,
                "date": on.isoformat(),
                "area": area,
                "text": f"{kind.capitalize()} raised: {text.strip()}",
            },
            actor=actor,
        )
    return saved.key
