from __future__ import annotations

from django.db import models

from kinwise.casefile.vocab import Area, Method, VoiceSetting
from kinwise.records.models.base import CaseRecord, choices_of, id_field, id_list


class VoiceRecord(CaseRecord):
    """The person's view, and how it was gathered."""

    date = models.DateField()
    area = models.CharField(max_length=40, choices=choices_of(Area), null=True, blank=True)  # noqa: DJ001
    method = models.CharField(max_length=20, choices=choices_of(Method))
    setting = models.CharField(max_length=20, choices=choices_of(VoiceSetting))
    captured_by = id_field()
    present = id_list()
    direct = models.BooleanField()
    summary = models.TextField()

    class Meta(CaseRecord.Meta):
        pass
