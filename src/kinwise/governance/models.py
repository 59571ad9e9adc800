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

    ``as_recorded`` marks a run of the records as they were recorded at the end of its
    ``as_of`` day (UK time), rebuilt from the history of versions: what the trends and the
    commissioners' monthly measures read, since it never changes when a record is
    edited later. ``measures`` holds, for a service's run as recorded, the state
    measures of docs/measures.md at ``as_of`` (key: [numerator, denominator]).
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
    as_recorded = models.BooleanField(default=False)
    measures = models.JSONField(default=dict, blank=True)
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


class WorkItem(models.Model):
    """What is kept about a work item of the review worklist: who it is reassigned to and
    notes. Never its state: an item is open, overdue or closed according to the records
    (kinwise.readings.work), so there is no way to close one here.

    ``key`` is the item's key from the worklist, unique within the person.
    """

    person = models.ForeignKey("records.Person", on_delete=models.PROTECT, related_name="+")
    key = models.CharField(max_length=500)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="reassigned owner; null keeps the owner the records give",
    )
    note = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["person_id", "key"]
        constraints = [
            models.UniqueConstraint(fields=["person", "key"], name="work_item_person_key_unique")
        ]

    def __str__(self) -> str:
        return f"work item {self.pk}"


class SupervisionRecord(models.Model):
    """A supervision session with one staff member: the prompts discussed, the staff
    member's reflections and the actions agreed.

    A staff member is the staff directory's entry of the service's organisation named by
    its member id (``staff_member``, docs/adr/0140); ``staff_name`` is their name when
    the record was made, kept as shown. ``prompts`` keeps
    each discussed prompt as it was shown (key, question, evidence), so the record reads
    the same after the case files change.
    """

    service = models.ForeignKey("core.Service", on_delete=models.PROTECT, related_name="+")
    staff_member = models.CharField(max_length=200)
    staff_name = models.CharField(max_length=300)
    date = models.DateField()
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    period_since = models.DateField()
    period_until = models.DateField()
    prompts = models.JSONField(default=list, blank=True)
    reflections = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["service_id", "staff_member", "date", "id"]
        indexes = [
            models.Index(fields=["service", "staff_member", "date"], name="supervision_staff_date")
        ]

    def __str__(self) -> str:
        return f"supervision record {self.pk}"


class SupervisionAction(models.Model):
    """An action agreed in supervision. It joins the worklist, due on ``due``, and is
    resolved by a later supervision record with the same staff member that records its
    outcome (``resolved_by``, ``outcome``) — the one kind of item a person closes, and
    only by writing down what happened."""

    record = models.ForeignKey(SupervisionRecord, on_delete=models.PROTECT, related_name="actions")
    position = models.PositiveIntegerField(default=0)
    text = models.TextField()
    due = models.DateField()
    outcome = models.TextField(null=True, blank=True)  # noqa: DJ001 - null: not yet recorded
    resolved_by = models.ForeignKey(
        SupervisionRecord,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="outcomes",
    )

    class Meta:
        ordering = ["record_id", "position", "id"]

    def __str__(self) -> str:
        return f"supervision action {self.pk}"


class GovernanceChange(models.Model):
    """History of governance writes: one row per write, in the write's transaction."""

    entity = models.CharField(max_length=40)
    entity_pk = models.BigIntegerField()
    action = models.CharField(max_length=16)
    snapshot = models.JSONField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["entity", "entity_pk", "created_at", "id"]
        indexes = [models.Index(fields=["entity", "entity_pk"], name="governance_change_entity")]

    def __str__(self) -> str:
        return f"{self.entity} {self.entity_pk} {self.action}"
