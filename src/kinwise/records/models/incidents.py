from __future__ import annotations

from django.db import models

from kinwise.casefile.vocab import Area, EventKind, Severity
from kinwise.records.models.base import CaseRecord, choices_of, id_field, id_list


class Incident(CaseRecord):
    date = models.DateField()
    area = models.CharField(max_length=40, choices=choices_of(Area))
    severity = models.CharField(max_length=20, choices=choices_of(Severity))
    trial = id_field(null=True, blank=True)
    safeguarding = models.BooleanField(default=False)
    description = models.TextField()

    class Meta(CaseRecord.Meta):
        pass


class Event(CaseRecord):
    """A change in need or another trigger for review."""

    date = models.DateField()
    kind = models.CharField(max_length=30, choices=choices_of(EventKind))
    areas = id_list()
    description = models.TextField()

    class Meta(CaseRecord.Meta):
        pass
