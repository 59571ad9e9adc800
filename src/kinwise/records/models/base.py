"""Column helpers of the stored people and records.

References to the person or members (``decides``, ``attendees``, ``holder`` ...) are
stored as case-file ids inside each record's document, not foreign keys: a reference may
name the person or a member, and ids are what the case file and the audit rules speak
(docs/adr/0001).
"""

from __future__ import annotations

from typing import Any

from django.db import models

ID_LENGTH = 200
NAME_LENGTH = 300


def id_field(**kwargs: Any) -> models.CharField:
    return models.CharField(max_length=ID_LENGTH, **kwargs)


def optional_text(**kwargs: Any) -> models.TextField:
    # null (absent in the file) differs from "" (present and empty): the round trip keeps both
    return models.TextField(null=True, blank=True, **kwargs)  # noqa: DJ001
