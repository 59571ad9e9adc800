from __future__ import annotations

from django.db import models

from kinwise.casefile.vocab import AgreedPosition, Area, SessionOutcome, StageSupport
from kinwise.records.models.base import (
    CaseChild,
    CaseRecord,
    child_meta_indexes,
    choices_of,
    id_field,
    id_list,
    optional_text,
)


class RiskAssessment(CaseRecord):
    area = models.CharField(max_length=40, choices=choices_of(Area))
    activity = models.TextField()
    date = models.DateField()
    participants = id_list()
    persons_view = optional_text()
    family_view = optional_text()
    person_agrees = models.BooleanField()
    agreed_position = models.CharField(max_length=30, choices=choices_of(AgreedPosition))
    review_by = models.DateField()

    class Meta(CaseRecord.Meta):
        pass


class Hazard(CaseChild):
    risk_assessment = models.ForeignKey(
        RiskAssessment, on_delete=models.PROTECT, related_name="hazards"
    )
    hazard = models.TextField()
    likelihood = models.PositiveSmallIntegerField()
    severity = models.PositiveSmallIntegerField()
    controls = models.JSONField(default=list, blank=True)
    residual_likelihood = models.PositiveSmallIntegerField()
    residual_severity = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["risk_assessment_id", "position", "id"]
        indexes = child_meta_indexes("risk_assessment", "hazard")


class GradedTrial(CaseRecord):
    risk_assessment = id_field()

    class Meta(CaseRecord.Meta):
        pass


class TrialStage(CaseChild):
    trial = models.ForeignKey(GradedTrial, on_delete=models.PROTECT, related_name="stages")
    external_id = id_field()
    description = models.TextField()
    support = models.CharField(max_length=20, choices=choices_of(StageSupport))
    advance_after = models.PositiveIntegerField()

    class Meta:
        ordering = ["trial_id", "position", "id"]
        indexes = child_meta_indexes("trial", "trialstage")


class TrialSession(CaseChild):
    trial = models.ForeignKey(GradedTrial, on_delete=models.PROTECT, related_name="sessions")
    date = models.DateField()
    stage = id_field()
    outcome = models.CharField(max_length=20, choices=choices_of(SessionOutcome))
    notes = optional_text()

    class Meta:
        ordering = ["trial_id", "position", "id"]
        indexes = child_meta_indexes("trial", "trialsession")
