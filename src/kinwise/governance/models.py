from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditRun(models.Model):
    """One run of the audit rules over one person or a whole service, kept as it was.

    A run is never overwritten: re-auditing writes a new run, so "what changed since
    last month" compares two runs. ``findings`` is the list of the people's audits, each
    as JSON (``PersonAudit.to_json()``, which names the person), in the order audited.
    ``service`` is null for a run over several services.
    """

    service = models.ForeignKey(
        "core.Service",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_runs",
    )
    person = models.ForeignKey(
        "records.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_runs",
        help_text="set when the run audited one person only",
    )
    as_of = models.DateField()
    since = models.DateField()
    rules_version = models.CharField(max_length=40)
    findings = models.JSONField(default=list)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_runs",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["service", "created_at"], name="auditrun_service_time")]

    def __str__(self) -> str:
        return f"audit run {self.pk}"
