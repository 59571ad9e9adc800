from __future__ import annotations

from django.db import models

from kinwise.casefile.vocab import Area, MeetingKind
from kinwise.records.models.base import (
    CaseChild,
    CaseRecord,
    child_meta_indexes,
    choices_of,
    id_field,
    id_list,
    optional_text,
)


class Meeting(CaseRecord):
    date = models.DateField()
    kind = models.CharField(max_length=30, choices=choices_of(MeetingKind))
    facilitator = id_field(null=True, blank=True)
    attendees = id_list()
    reviews_tasks = id_list()

    class Meta(CaseRecord.Meta):
        pass


class Contribution(CaseChild):
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="contributions")
    by = id_field()
    on_behalf_of = id_field(null=True, blank=True)
    area = models.CharField(max_length=40, choices=choices_of(Area), null=True, blank=True)  # noqa: DJ001
    text = models.TextField()

    class Meta:
        ordering = ["meeting_id", "position", "id"]
        indexes = child_meta_indexes("meeting", "contribution")


class Decision(CaseChild):
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="decisions")
    area = models.CharField(max_length=40, choices=choices_of(Area))
    outcome = models.TextField()
    persons_view = id_field(null=True, blank=True)
    disagreement = models.BooleanField(default=False)
    rationale = optional_text()
    evidence = id_list()

    class Meta:
        ordering = ["meeting_id", "position", "id"]
        indexes = child_meta_indexes("meeting", "decision")
