"""Every case-file record of every kind, stored as its validated case-file document.

One table holds the records of every kind (docs/adr/0005): ``data`` is the record exactly
as the case file writes it (the schema's JSON form, with absent values left out), which
is also what each version in the history holds. Nothing queries a record by its
content: reads are by person (and kind), so the only columns besides the document are
the ones those reads and the uniqueness of a person's current records need.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from kinwise.records.models.base import ID_LENGTH


class Record(models.Model):
    """One record of a person's case file (a member, a consent, a meeting, a trial ...).

    ``kind`` is its kind's name (kinwise.casefile.kinds); ``key`` its case-file id, or
    for the kinds without one the natural key of docs/casefile.md (the plan is ``plan``,
    a role its area, a medicine its name). ``version`` is the number of its latest
    version in the history, which an edit based on an earlier one is refused against.
    ``position`` keeps the order of the file's list. ``superseded_at`` is set, never
    deleted, when the record leaves the case file.
    """

    person = models.ForeignKey("records.Person", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=40)
    key = models.CharField(max_length=ID_LENGTH)
    position = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)
    data = models.JSONField()
    superseded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["person_id", "kind", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind", "key"],
                condition=models.Q(superseded_at__isnull=True),
                name="record_current_key_unique",
            )
        ]
        indexes = [models.Index(fields=["person", "superseded_at"], name="record_cur")]

    def __str__(self) -> str:
        return f"record {self.pk}"
