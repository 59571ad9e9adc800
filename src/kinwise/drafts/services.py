"""Writes of unsaved form input: keep it, drop it when the form is saved, erase it when it
expires or its person is erased. What was typed is never logged (counts and ids only)."""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Mapping, Sequence

from django.db import transaction

from kinwise.drafts.models import FormInput, InputKind
from kinwise.errors import ErrorCode, KinwiseError

logger = logging.getLogger("kinwise.drafts")

# The CSRF token of the form it came from is never kept: a form shown again gets its own.
NEVER_KEPT: frozenset[str] = frozenset({"csrfmiddlewaretoken"})
# How long unsaved input is kept: a draft from its last change, a form sent after the
# session ended from when it was sent (long enough to sign in again the next morning).
KEPT_FOR: Mapping[str, dt.timedelta] = {
    InputKind.DRAFT: dt.timedelta(days=7),
    InputKind.SIGNED_OUT: dt.timedelta(hours=24),
}
# A form's input beyond these is not kept (the forms' own limits are far smaller).
MAX_FIELDS = 400
MAX_CHARS = 100_000
MAX_PATH = 300

Fields = dict[str, list[str]]


def fields_of(data: Mapping[str, Sequence[str]]) -> Fields:
    """The fields of a form as posted (each name with its values), without the CSRF token;
    refused (RESOURCE_LIMIT) beyond :data:`MAX_FIELDS` or :data:`MAX_CHARS`."""
    fields = {
        str(name): [str(v) for v in values]
        for name, values in data.items()
        if name not in NEVER_KEPT
    }
    if len(fields) > MAX_FIELDS or len(json.dumps(fields)) > MAX_CHARS:
        raise KinwiseError(ErrorCode.RESOURCE_LIMIT, "too much was typed to keep as a draft")
    return fields


def form_input_keep(
    *,
    user_id: int,
    person_id: int,
    path: str,
    kind: InputKind,
    fields: Fields,
    at: dt.datetime,
) -> FormInput:
    """Keep ``fields`` typed by ``user_id`` into the form at ``path`` (one per user, form
    and kind: a later one replaces it); the user's expired input is erased meanwhile."""
    if len(path) > MAX_PATH or not path.startswith("/"):
        raise KinwiseError(ErrorCode.INVALID_INPUT, "not the address of a form")
    fields = fields_of(fields)
    with transaction.atomic():
        FormInput.objects.filter(user_id=user_id, expires_at__lte=at).delete()
        row, _ = FormInput.objects.update_or_create(
            user_id=user_id,
            path=path,
            kind=kind,
            defaults={
                "person_id": person_id,
                "fields": fields,
                "updated_at": at,
                "expires_at": at + KEPT_FOR[kind],
            },
            create_defaults={
                "person_id": person_id,
                "fields": fields,
                "created_at": at,
                "updated_at": at,
                "expires_at": at + KEPT_FOR[kind],
            },
        )
    return row


def form_inputs_drop(*, user_id: int, path: str, kind: InputKind | None = None) -> int:
    """Drop ``user_id``'s unsaved input of the form at ``path`` (of ``kind``, or both):
    the form was saved, or the user chose to start again. How many rows went."""
    rows = FormInput.objects.filter(user_id=user_id, path=path)
    if kind is not None:
        rows = rows.filter(kind=kind)
    deleted, _ = rows.delete()
    return deleted


def form_inputs_expired_erase(*, at: dt.datetime) -> int:
    """Erase all unsaved input that expired by ``at`` (weekly, with the retention policy)."""
    deleted, _ = FormInput.objects.filter(expires_at__lte=at).delete()
    if deleted:
        logger.info("drafts: %d expired form input(s) erased", deleted)
    return deleted


def person_form_inputs_erase(*, person_id: int) -> int:
    """Erase all unsaved input about a person (their records are being erased)."""
    deleted, _ = FormInput.objects.filter(person_id=person_id).delete()
    return deleted
