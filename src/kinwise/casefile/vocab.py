"""The case file's vocabularies (casefile.md, "Vocabularies"), declared once."""

from __future__ import annotations

from typing import Final, Literal, get_args

Area = Literal[
    "medication",
    "health_treatment",
    "personal_care",
    "mobility_outdoors",
    "daily_living",
    "relationships",
    "accommodation",
    "information_sharing",
    "finances_daily",
    "finances_major",
]
AREAS: Final[tuple[str, ...]] = get_args(Area)

AreaCategory = Literal["welfare", "property"]
AREA_CATEGORY: Final[dict[str, str]] = {
    area: ("property" if area.startswith("finances_") else "welfare") for area in AREAS
}

AREA_LABELS: Final[dict[str, str]] = {
    "medication": "medication",
    "health_treatment": "health and treatment",
    "personal_care": "personal care",
    "mobility_outdoors": "going out and getting about",
    "daily_living": "daily living",
    "relationships": "relationships",
    "accommodation": "where to live",
    "information_sharing": "sharing information",
    "finances_daily": "day-to-day money",
    "finances_major": "major financial decisions",
}

Method = Literal[
    "verbal",
    "easy_read",
    "aac",
    "talking_mats",
    "makaton",
    "bsl",
    "eye_gaze",
    "pictures",
    "written",
    "observation",
]
METHODS: Final[tuple[str, ...]] = get_args(Method)

METHOD_LABELS: Final[dict[str, str]] = {
    "verbal": "speech",
    "easy_read": "easy read",
    "aac": "communication device (AAC)",
    "talking_mats": "Talking Mats",
    "makaton": "Makaton",
    "bsl": "British Sign Language",
    "eye_gaze": "eye gaze",
    "pictures": "pictures",
    "written": "writing",
    "observation": "observation",
}

TaskKind = Literal[
    "administer_medication",
    "order_medication",
    "manage_money",
    "arrange_appointments",
    "personal_care_support",
    "transport",
]
TASKS: Final[tuple[str, ...]] = get_args(TaskKind)

TASK_LABELS: Final[dict[str, str]] = {
    "administer_medication": "giving medication",
    "order_medication": "ordering medication",
    "manage_money": "managing money",
    "arrange_appointments": "arranging appointments",
    "personal_care_support": "personal care support",
    "transport": "transport",
}

MemberKind = Literal["family", "friend", "staff", "advocate", "professional"]
MEMBER_KINDS: Final[tuple[str, ...]] = get_args(MemberKind)
FAMILY_KINDS: Final[frozenset[str]] = frozenset({"family", "friend"})

AuthorityKind = Literal[
    "lpa_health_welfare",
    "lpa_property_finance",
    "deputy_personal_welfare",
    "deputy_property_affairs",
]
AUTHORITY_KINDS: Final[tuple[str, ...]] = get_args(AuthorityKind)
AUTHORITY_CATEGORY: Final[dict[str, str]] = {
    "lpa_health_welfare": "welfare",
    "lpa_property_finance": "property",
    "deputy_personal_welfare": "welfare",
    "deputy_property_affairs": "property",
}
LPA_KINDS: Final[frozenset[str]] = frozenset({"lpa_health_welfare", "lpa_property_finance"})

CapacityOutcome = Literal["has_capacity", "lacks_capacity"]
ConsentKind = Literal["share_information", "delegate_decision", "care_plan"]
VoiceSetting = Literal["separate", "joint_meeting", "with_advocate", "everyday"]
MeetingKind = Literal[
    "care_plan_review", "joint_planning", "risk_review", "best_interests", "partnership_review"
]
AgreedPosition = Literal["proceed", "proceed_with_controls", "graded_trial", "not_proceed"]
StageSupport = Literal["accompanied", "shadowed", "remote", "independent"]
SessionOutcome = Literal["completed", "stopped"]
Severity = Literal["none", "low", "moderate", "high", "severe"]
EventKind = Literal[
    "needs_change",
    "diagnosis",
    "hospital_discharge",
    "medication_change",
    "capacity_change",
    "complaint",
    "safeguarding_concern",
    "carer_unwell",
]
"""Event kinds; carer_unwell is format version 2's (docs/spec/casefile-v2.md)."""
V2_EVENT_KINDS: Final[frozenset[str]] = frozenset({"carer_unwell"})
# Format version 2's vocabularies (docs/spec/casefile-v2.md).
ConcernKind = Literal["complaint", "concern", "disagreement"]
ConcernStage = Literal[
    "local_resolution",
    "best_interests_meeting",
    "advocacy",
    "mediation",
    "ombudsman_signposted",
    "court_of_protection",
]
CONCERN_STAGES: Final[tuple[str, ...]] = get_args(ConcernStage)
RoleLine = Literal["decides", "supported_by", "contributes", "informed"]
RoleChangeKind = Literal["added", "removed"]
CarerAssessment = Literal["not_offered", "offered", "referred", "declined"]
RestrictionBasis = Literal["consent", "best_interests", "authority", "court_order"]

Route = Literal["oral", "topical", "inhaled", "injection", "enteral", "other"]

DEFAULT_REQUIRED_AREAS: Final[tuple[str, ...]] = (
    "medication",
    "health_treatment",
    "personal_care",
    "finances_daily",
)
