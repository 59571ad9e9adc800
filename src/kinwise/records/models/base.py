"""What every stored case-file record shares.

References to the person or members (``decides``, ``attendees``, ``holder`` ...) are
stored as case-file ids, not foreign keys: a reference may name the person or a member,
and ids are what the case file and the audit rules speak (docs/adr/0001).
"""

from __future__ import annotations

from typing import Any, get_args

from django.db import models
from django.utils import timezone

ID_LENGTH = 200
NAME_LENGTH = 300


def choices_of(literal: Any) -> list[tuple[str, str]]:
    """Django choices from one of the case file's vocabularies (a typing.Literal)."""
    return [(value, value.replace("_", " ")) for value in get_args(literal)]


def id_field(**kwargs: Any) -> models.CharField:
    return models.CharField(max_length=ID_LENGTH, **kwargs)


def optional_text(**kwargs: Any) -> models.TextField:
    # null (absent in the file) differs from "" (present and empty): the round trip keeps both
    return models.TextField(null=True, blank=True, **kwargs)  # noqa: DJ001


def id_list() -> models.JSONField:
    return models.JSONField(default=list, blank=True)


class CaseRecord(models.Model):
    """A top-level record of a person's case file.

    ``external_id`` is the record's id in the case file (for records without one: the
    plan is ``plan``, a role its area, a medicine its name). It is unique among the
    person's current records; ``superseded_at`` is set, never deleted, when the record
    leaves the case file. ``position`` keeps the order of the file's list.
    """

    person = models.ForeignKey("records.Person", on_delete=models.PROTECT, related_name="+")
    external_id = id_field()
    position = models.PositiveIntegerField(default=0)
    superseded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["person_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "external_id"],
                condition=models.Q(superseded_at__isnull=True),
                name="%(class)s_current_id_unique",
            )
        ]
        indexes = [models.Index(fields=["person", "superseded_at"], name="%(class)s_cur")]

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.pk}"


class CaseChild(models.Model):
    """A row inside a record (a hazard, a stage, a decision ...), in the file's order.

    When its record changes, the old rows are superseded and new ones written.
    """

    position = models.PositiveIntegerField(default=0)
    superseded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.pk}"


def child_meta_indexes(parent: str, prefix: str) -> list[models.Index]:
    return [models.Index(fields=[parent, "superseded_at"], name=f"{prefix}_cur")]
