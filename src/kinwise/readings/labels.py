"""Plain English for the case file's words: labels of areas, tasks, methods and kinds of
record, and dates written out ("3 March 2026"). Pure: no Django."""

from __future__ import annotations

import datetime as dt

from kinwise.casefile.kinds import kind_titles
from kinwise.casefile.vocab import AREA_LABELS, METHOD_LABELS, TASK_LABELS

SETTING_LABELS = {
    "separate": "gathered separately",
    "joint_meeting": "in a meeting",
    "with_advocate": "with an advocate",
    "everyday": "in everyday life",
}

MEETING_KIND_LABELS = {
    "care_plan_review": "Care plan review",
    "joint_planning": "Joint planning meeting",
    "risk_review": "Risk review",
    "best_interests": "Best-interests meeting",
    "partnership_review": "Partnership review",
}

POSITION_LABELS = {
    "proceed": "go ahead",
    "proceed_with_controls": "go ahead with the controls",
    "graded_trial": "try it step by step (graded trial)",
    "not_proceed": "do not go ahead",
}

AUTHORITY_LABELS = {
    "lpa_health_welfare": "registered health and welfare LPA",
    "lpa_property_finance": "registered property and financial affairs LPA",
    "deputy_personal_welfare": "Court of Protection personal welfare deputyship",
    "deputy_property_affairs": "Court of Protection property and affairs deputyship",
}

CONSENT_LABELS = {
    "share_information": "Share information",
    "delegate_decision": "Delegate a decision",
    "care_plan": "Consent to the care plan",
}

# Format version 2's vocabularies (docs/spec/casefile-v2.md), as the evidence pack words them.
CONCERN_KIND_LABELS = {
    "complaint": "Complaint",
    "concern": "Concern",
    "disagreement": "Disagreement",
}

CONCERN_STAGE_LABELS = {
    "local_resolution": "local resolution by the service",
    "best_interests_meeting": "a best-interests meeting",
    "advocacy": "advocacy (an independent advocate)",
    "mediation": "mediation by someone independent",
    "ombudsman_signposted": "told of the Ombudsman or the regulator",
    "court_of_protection": "the Court of Protection",
}

CARER_ASSESSMENT_LABELS = {
    "not_offered": "not offered",
    "offered": "offered",
    "referred": "referred to the local authority",
    "declined": "declined by the carer",
}

RESTRICTION_BASIS_LABELS = {
    "consent": "the person's own consent",
    "best_interests": "a best-interests decision",
    "authority": "a lasting power of attorney or a deputyship",
    "court_order": "a court order",
}

SUPPORT_LABELS = {
    "accompanied": "accompanied",
    "shadowed": "shadowed",
    "remote": "remote support",
    "independent": "independent",
}


def kind_label(kind: str) -> str:
    """The history's heading of a kind of record (or of the person's profile), from the
    registry."""
    return kind_titles().get(kind, kind)


def area_label(area: str | None) -> str:
    if area is None:
        return "general"
    return AREA_LABELS.get(area, area)


def area_title(area: str | None) -> str:
    label = area_label(area)
    return label[:1].upper() + label[1:]


def method_label(method: str) -> str:
    return METHOD_LABELS.get(method, method)


def task_label(task: str) -> str:
    return TASK_LABELS.get(task, task)


def long_date(value: dt.date | None) -> str:
    """3 March 2026."""
    if value is None:
        return ""
    return f"{value.day} {value.strftime('%B')} {value.year}"


# What a member of the circle is (the case file's ``kind`` of a member).
MEMBER_KIND_LABELS = {
    "family": "family",
    "friend": "friend",
    "staff": "member of staff",
    "advocate": "advocate",
    "professional": "professional",
}
