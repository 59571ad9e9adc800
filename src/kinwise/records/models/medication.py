from __future__ import annotations

from django.db import models

from kinwise.casefile.vocab import Route
from kinwise.records.models.base import NAME_LENGTH, CaseRecord, choices_of, id_field


class Medicine(CaseRecord):
    """A medicine of the regimen. ``external_id`` is its name (``name#2`` for a second entry)."""

    name = models.CharField(max_length=NAME_LENGTH)
    doses_per_day = models.FloatField()
    time_critical = models.BooleanField(default=False)
    controlled = models.BooleanField(default=False)
    prn = models.BooleanField(default=False)
    route = models.CharField(max_length=20, choices=choices_of(Route))
    started = models.DateField(null=True, blank=True)
    stopped = models.DateField(null=True, blank=True)

    class Meta(CaseRecord.Meta):
        pass


class MedicationAudit(CaseRecord):
    date = models.DateField()
    auditor = id_field()
    doses_checked = models.PositiveIntegerField()
    errors = models.PositiveIntegerField()

    class Meta(CaseRecord.Meta):
        pass
