from __future__ import annotations

from django.db import models
from django.utils import timezone


class AuditSnapshot(models.Model):
    """A person's audit at ``as_of`` over ``since``..``as_of``, computed once and read
    by the pages until the person's records change (docs/adr/0003).

    The audit is a pure function of the person's current records, the dates and the
    rules, so it is stored under those: ``data_stamp`` names the state of the records
    (see ``kinwise.audits.selectors.data_stamps``); a snapshot whose stamp is not the
    person's current stamp is stale and is computed again. ``computation`` says what was
    computed (the audit alone, or with a page's digest, a per-person summary held in
    ``extra``) with a hash of the code that computed it, so a deployment that changes the
    rules recomputes the snapshots even if ``rules_version`` stayed the same.

    Snapshots are a cache, not records: replaced and pruned, never shown as history
    (saved audit runs are ``governance.AuditRun``).
    """

    person = models.ForeignKey("records.Person", on_delete=models.CASCADE, related_name="+")
    as_of = models.DateField()
    since = models.DateField()
    rules_version = models.PositiveIntegerField()
    computation = models.CharField(
        max_length=100, help_text="'audit' or a page's digest, with a hash of its code"
    )
    data_stamp = models.CharField(max_length=80)
    audit = models.JSONField(help_text="PersonAudit.to_json() with person_name")
    extra = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "as_of", "since", "rules_version", "computation"],
                name="audit_snapshot_key",
            )
        ]
        indexes = [models.Index(fields=["as_of"], name="audit_snapshot_as_of")]

    def __str__(self) -> str:
        return f"audit snapshot {self.pk}"
