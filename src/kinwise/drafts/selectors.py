"""Reads of unsaved form input: only its own user's, and only until it expires."""

from __future__ import annotations

import datetime as dt

from kinwise.drafts.models import FormInput, InputKind


def form_input_for(
    *, user_id: int, path: str, kind: InputKind, at: dt.datetime
) -> FormInput | None:
    """``user_id``'s unexpired input of ``kind`` for the form at ``path``, if any."""
    return FormInput.objects.filter(
        user_id=user_id, path=path, kind=kind, expires_at__gt=at
    ).first()


def form_inputs_about(*, person_id: int) -> list[FormInput]:
    """Every unsaved input about a person, expired or not (for their subject-access
    export), with who typed it, oldest first."""
    return list(
        FormInput.objects.filter(person_id=person_id)
        .select_related("user")
        .order_by("created_at", "pk")
    )
