from __future__ import annotations

from django.db import models
from django.utils import timezone

from kinwise.records.models.base import NAME_LENGTH, id_field, optional_text

SUPPORT_END_REASONS = [
    ("moved", "Moved to another service"),
    ("left", "Left the service"),
    ("died", "Died"),
]


class Person(models.Model):
    """A supported person of a service. ``external_id`` is the person's case-file id."""

    service = models.ForeignKey("core.Service", on_delete=models.PROTECT, related_name="people")
    external_id = id_field()
    name = models.CharField(max_length=NAME_LENGTH)
    date_of_birth = models.DateField(null=True, blank=True)
    communication_methods = models.JSONField(default=list)
    communication_notes = optional_text()
    # The end of the service's support (moved to another service, left, died): the person
    # leaves the active lists and their family's portal access ends; the records stay.
    support_ended = models.DateField(null=True, blank=True)
    support_end_reason = models.CharField(
        max_length=20, blank=True, default="", choices=SUPPORT_END_REASONS
    )
    superseded_at = models.DateTimeField(null=True, blank=True)
    # Erased under the retention policy (kinwise.dataprotection.retention, docs/security.md):
    # the name, date of birth, communication and every record's content are replaced by a
    # tombstone; ``erased_totals`` keeps how many records of each kind there were (no
    # content), and ``superseded_at`` is set at the same moment, so no list or page shows
    # the person again.
    erased_at = models.DateTimeField(null=True, blank=True)
    erased_totals = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["service_id", "external_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "external_id"],
                condition=models.Q(superseded_at__isnull=True),
                name="person_current_id_unique",
            )
        ]
        indexes = [models.Index(fields=["service", "superseded_at"], name="person_cur")]

    def __str__(self) -> str:
        return f"person {self.pk}"
