from __future__ import annotations

from django.db import models

from kinwise.casefile.vocab import Area, AuthorityKind, CapacityOutcome, ConsentKind
from kinwise.records.models.base import CaseRecord, choices_of, id_field, id_list, optional_text

AREA_LENGTH = 40


class Authority(CaseRecord):
    """A lasting power of attorney or a Court of Protection deputyship."""

    holder = id_field()
    kind = models.CharField(max_length=40, choices=choices_of(AuthorityKind))
    registered = models.DateField(null=True, blank=True)
    reference = optional_text()
    # null: absent in the file (an LPA then covers every area of its category)
    areas = models.JSONField(null=True, blank=True)
    revoked = models.DateField(null=True, blank=True)

    class Meta(CaseRecord.Meta):
        verbose_name_plural = "authorities"


class CapacityAssessment(CaseRecord):
    area = models.CharField(max_length=AREA_LENGTH, choices=choices_of(Area))
    decision = models.TextField()
    date = models.DateField()
    assessor = id_field()
    impairment = models.BooleanField()
    understand = models.BooleanField()
    retain = models.BooleanField()
    weigh = models.BooleanField()
    communicate = models.BooleanField()
    outcome = models.CharField(max_length=20, choices=choices_of(CapacityOutcome))
    support_given = optional_text()
    review_by = models.DateField(null=True, blank=True)

    class Meta(CaseRecord.Meta):
        pass


class BestInterests(CaseRecord):
    area = models.CharField(max_length=AREA_LENGTH, choices=choices_of(Area))
    decision = models.TextField()
    date = models.DateField()
    decision_maker = id_field()
    capacity_assessment = id_field()
    consulted = id_list()
    persons_wishes = optional_text()
    less_restrictive_options = optional_text()

    class Meta(CaseRecord.Meta):
        verbose_name_plural = "best interests decisions"


class Consent(CaseRecord):
    kind = models.CharField(max_length=30, choices=choices_of(ConsentKind))
    given_by = id_field()
    to = id_list()
    areas = id_list()
    date = models.DateField()
    withdrawn = models.DateField(null=True, blank=True)

    class Meta(CaseRecord.Meta):
        pass
