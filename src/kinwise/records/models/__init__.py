"""Stored case-file records, one module per domain."""

from kinwise.records.models.incidents import Event, Incident
from kinwise.records.models.legal import Authority, BestInterests, CapacityAssessment, Consent
from kinwise.records.models.medication import MedicationAudit, Medicine
from kinwise.records.models.meetings import Contribution, Decision, Meeting
from kinwise.records.models.people import Member, Person
from kinwise.records.models.planning import Plan, Role, Task
from kinwise.records.models.risk import (
    GradedTrial,
    Hazard,
    RiskAssessment,
    TrialSession,
    TrialStage,
)
from kinwise.records.models.voice import VoiceRecord

__all__ = [
    "Authority",
    "BestInterests",
    "CapacityAssessment",
    "Consent",
    "Contribution",
    "Decision",
    "Event",
    "GradedTrial",
    "Hazard",
    "Incident",
    "MedicationAudit",
    "Medicine",
    "Meeting",
    "Member",
    "Person",
    "Plan",
    "RiskAssessment",
    "Role",
    "Task",
    "TrialSession",
    "TrialStage",
    "VoiceRecord",
]
