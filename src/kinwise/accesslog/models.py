"""The access log: one row for every read and every refusal decided in
:mod:`kinwise.access.decisions` (docs/access.md, docs/adr/0090).

Database ids and names of kinds only, never content. The rows are append-only (the
database refuses UPDATE and DELETE, :mod:`kinwise.accesslog.guard`) and hash-chained: one
chain per organisation, each entry carrying the hash of the one before it. The head of
each chain is kept in its own row, updated under a lock, so appends are serialised and a
removed last entry is noticed.

Plain integers rather than foreign keys: the log outlives what it names and is never
touched when those rows change.
"""

from __future__ import annotations

from django.db import models

# The chain of a decision about nothing that exists (a person or service id that names
# nobody): kept apart from every organisation's chain.
NO_ORGANISATION = 0


class AccessLogEntry(models.Model):
    id = models.BigAutoField(primary_key=True)
    chain = models.PositiveIntegerField(help_text="the organisation's pk (0: none)")
    sequence = models.PositiveBigIntegerField()
    at = models.DateTimeField(help_text="when, in UTC")
    user_pk = models.IntegerField(null=True, help_text="who asked (none: not signed in)")
    role = models.CharField(max_length=40, blank=True, help_text="their role for the service")
    subject = models.CharField(max_length=20, help_text="person or service")
    person_pk = models.IntegerField(null=True)
    service_pk = models.IntegerField(null=True)
    record_pk = models.IntegerField(null=True)
    page = models.CharField(max_length=120, blank=True, help_text="the page or command")
    purpose = models.CharField(max_length=10, help_text="read or change")
    allowed = models.BooleanField()
    client = models.CharField(max_length=64, blank=True, help_text="from where")
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        db_table = "access_log_entry"
        constraints = [
            models.UniqueConstraint(fields=["chain", "sequence"], name="access_log_one_per_place")
        ]
        indexes = [models.Index(fields=["person_pk", "at"], name="access_log_person")]

    def __str__(self) -> str:
        return f"access log entry {self.pk}"


class AccessLogHead(models.Model):
    """The last entry of each chain: its sequence number and hash."""

    chain = models.PositiveIntegerField(primary_key=True)
    sequence = models.PositiveBigIntegerField()
    last_hash = models.CharField(max_length=64)

    class Meta:
        db_table = "access_log_head"

    def __str__(self) -> str:
        return f"access log chain {self.chain}"
