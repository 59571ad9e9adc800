from __future__ import annotations

from django.db import models

from kinwise.casefile.vocab import Area, TaskKind
from kinwise.records.models.base import CaseRecord, choices_of, id_field, id_list

AREA_LENGTH = 40


class Plan(CaseRecord):
    """The care plan's own fields (one current plan per person, ``external_id`` "plan").

    Its roles and tasks are records of their own, so each has its own history.
    """

    version_date = models.DateField()
    # null: absent in the file (the default areas); [] is an explicit "none"
    required_areas = models.JSONField(null=True, blank=True)
    emotional_support = id_list()

    class Meta(CaseRecord.Meta):
        pass


class Role(CaseRecord):
    """Who decides, is supported, contributes and is informed in one area (``external_id``: the area)."""

    area = models.CharField(max_length=AREA_LENGTH, choices=choices_of(Area))
    decides = id_field(null=True, blank=True)
    supported_by = id_list()
    contributes = id_list()
    informed = id_list()
    reviewed = models.DateField(null=True, blank=True)

    class Meta(CaseRecord.Meta):
        pass


class Task(CaseRecord):
    """A governance responsibility held by a family member, staff or a professional."""

    task = models.CharField(max_length=40, choices=choices_of(TaskKind))
    area = models.CharField(max_length=AREA_LENGTH, choices=choices_of(Area))
    holder = id_field()
    since = models.DateField()
    agreed = models.DateField(null=True, blank=True)
    reviewed = models.DateField(null=True, blank=True)
    ended = models.DateField(null=True, blank=True)

    class Meta(CaseRecord.Meta):
        pass
