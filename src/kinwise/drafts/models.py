"""Unsaved form input, on the server: one row per (member of staff, form, kind)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class InputKind(models.TextChoices):
    DRAFT = "draft", "draft kept while typing"
    SIGNED_OUT = "signed_out", "form sent after the session ended"


class FormInput(models.Model):
    """What ``user`` typed into the form at ``path`` about ``person``, not saved yet.

    ``fields`` holds the form's fields as posted, each name with its list of values,
    without the CSRF token. Only the same user reads it back; it is gone once the form is
    saved, after ``expires_at`` and when the person is erased by the retention policy."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey("records.Person", on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=300)
    kind = models.CharField(max_length=12, choices=InputKind.choices)
    fields = models.JSONField(default=dict)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "path", "kind"], name="one_input_per_form")
        ]
        indexes = [models.Index(fields=["person"], name="form_input_person")]

    def __str__(self) -> str:  # ids only: never what was typed
        return f"form input {self.pk} ({self.kind})"
