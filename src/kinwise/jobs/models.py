from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class FileState(models.TextChoices):
    QUEUED = "queued", "Waiting for a worker"
    RUNNING = "running", "Being made"
    DONE = "done", "Ready"
    FAILED = "failed", "Could not be made"
    EXPIRED = "expired", "No longer kept"


class ReportView(models.TextChoices):
    """Which view of a past period a document gives (docs/rules.md, "The past as
    recorded"): the records as recorded at the end of its last day, or today's records
    with the corrections made since (``?view=corrected``)."""

    AS_RECORDED = "as_recorded", "As recorded"
    CORRECTED = "corrected", "With the corrections made since"


class ReportFile(models.Model):
    """A document made by a worker (kinwise.jobs.tasks) rather than in a request: the
    service report's PDF for a large service. Kept in the database, so a worker on any
    machine can write it and any web server give it; the page that asked for it shows
    ``step`` of ``steps`` until it is ``done``.

    Written only by kinwise.jobs.report_services; a document, not a record (no history
    beyond who asked and when): its content is dropped after ``KEPT_DAYS``, the row kept."""

    kind = models.CharField(max_length=40)
    service = models.ForeignKey("core.Service", on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField()
    period_end = models.DateField()
    view = models.CharField(
        max_length=16, choices=ReportView.choices, default=ReportView.AS_RECORDED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    state = models.CharField(max_length=16, choices=FileState.choices, default=FileState.QUEUED)
    step = models.PositiveSmallIntegerField(default=0)
    steps = models.PositiveSmallIntegerField(default=3)
    step_label = models.CharField(max_length=200, blank=True, default="")
    people = models.PositiveIntegerField(default=0)
    content = models.BinaryField(null=True, blank=True)
    filename = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["service", "kind", "period_start", "period_end", "created_at"],
                name="report_file_lookup",
            )
        ]

    def __str__(self) -> str:
        return f"report file {self.pk}"
