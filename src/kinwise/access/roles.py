"""Which staff roles may do what: the one table behind every access decision
(docs/access.md).

A member of staff holds a role in each service they belong to. Reading and changing are
asked apart (``Purpose``); within them, each thing a member of staff may do is an
``Action``, and ``ACTION_ROLES`` says which roles may do it (least privilege: a quality
lead reads everything and changes nothing, a support worker records the everyday
records, the legal and decision-making records need a team leader or above).
"""

from __future__ import annotations

from typing import Literal, get_args

from kinwise.core.models import StaffRole

# What a caller wants to do with a person, a service or a report.
Purpose = Literal["read", "change"]
PURPOSES: tuple[Purpose, ...] = ("read", "change")

# Roles that oversee every service of their organisation; the others see only the
# services they are members of.
ORGANISATION_WIDE_ROLES: frozenset[str] = frozenset(
    {StaffRole.REGISTERED_MANAGER, StaffRole.QUALITY_LEAD}
)

# Roles that may open a service's governance pages (worklist, audit on a day, trends).
MANAGER_ROLES: frozenset[str] = frozenset(
    {StaffRole.TEAM_LEADER, StaffRole.REGISTERED_MANAGER, StaffRole.QUALITY_LEAD}
)

# Roles that may own a service's work items: be given one, see their own on the service's
# dashboard and on "my work", and open them (docs/access.md). Every role, support workers
# too: the records often name a support worker as the one who supports the decision.
WORK_OWNER_ROLES: frozenset[str] = frozenset(StaffRole.values)

# Roles that may supervise a service's staff and record supervision.
SUPERVISOR_ROLES: frozenset[str] = frozenset({StaffRole.TEAM_LEADER, StaffRole.REGISTERED_MANAGER})

# Roles that may take everything held about a person out of Kinwise (the subject-access
# export, kinwise.dataprotection): the registered manager, for the data controller.
SUBJECT_ACCESS_ROLES: frozenset[str] = frozenset({StaffRole.REGISTERED_MANAGER})
_SW, _TL, _RM, _QL = (
    StaffRole.SUPPORT_WORKER.value,
    StaffRole.TEAM_LEADER.value,
    StaffRole.REGISTERED_MANAGER.value,
    StaffRole.QUALITY_LEAD.value,
)

# Everything a member of staff may be allowed to do, by name. Each is granted by a role
# held in the service concerned (or an organisation-wide role in its organisation).
Action = Literal[
    # reading
    "read_person",  # a person's pages, evidence pack and easy-read page
    "read_service",  # a service's list of people (and of those whose support ended)
    "read_service_report",  # the service report (page, CSV, PDF) and the inspection page
    # the everyday records of a person
    "record_communication",  # how the person communicates
    "record_voice",  # the person's views: record and change
    "record_meeting",  # meetings: record and change
    "record_risk",  # joint risk assessments, graded trials and their sessions
    "record_incident",  # incidents, changes in need and other events
    "review_task",  # a review of an arrangement
    # the records that decide or authorise
    "change_task",  # end an arrangement, or hand it to a trained member of staff
    "record_training",  # a member of staff's training for a task
    "change_circle",  # add someone to the person's circle
    "change_roles",  # who decides, contributes or is informed in an area
    "record_capacity",  # a capacity assessment
    "record_best_interests",  # a best-interests decision
    "record_consent",  # record a consent
    "withdraw_consent",  # withdraw a consent
    "record_authority",  # a legal authority (power of attorney, deputyship, ...)
    "enter_in_error",  # take a record out as entered in error (with the reason)
    "enter_legal_in_error",  # the same for an authority or a consent
    # the service's governance and its staff
    "oversee",  # worklist, audit on a day, trends; own a work item
    "reassign_work",  # give a work item to another owner
    "supervise",  # the supervision prompts, and recording a session
    "staff_directory",  # the organisation's staff directory: read it, change name, job, training
    "administer",  # services, people joining and leaving, the administration pages
    "grant_staff_roles",  # invite staff, give, change or remove roles, (de)activate logins
]
ACTIONS: tuple[Action, ...] = get_args(Action)

_EVERYDAY = frozenset({_SW, _TL, _RM})
_LEADERS = frozenset({_TL, _RM})
_MANAGER = frozenset({_RM})
_ALL = frozenset(StaffRole.values)

# Who may do what: the one table (docs/access.md). A quality lead reads everything and
# changes nothing; a support worker records the everyday records; the records that
# decide, authorise or change who decides need a team leader or a registered manager;
# staff, and taking an authority or a consent out as entered in error, a registered
# manager.
ACTION_ROLES: dict[Action, frozenset[str]] = {
    "read_person": _ALL,
    "read_service": _ALL,
    "read_service_report": MANAGER_ROLES,
    "record_communication": _EVERYDAY,
    "record_voice": _EVERYDAY,
    "record_meeting": _EVERYDAY,
    "record_risk": _EVERYDAY,
    "record_incident": _EVERYDAY,
    "review_task": _EVERYDAY,
    "change_task": _LEADERS,
    "record_training": _LEADERS,
    "change_circle": _LEADERS,
    "change_roles": _LEADERS,
    "record_capacity": _LEADERS,
    "record_best_interests": _LEADERS,
    "record_consent": _LEADERS,
    "withdraw_consent": _LEADERS,
    "record_authority": _LEADERS,
    "enter_in_error": _LEADERS,
    "enter_legal_in_error": _MANAGER,
    "oversee": MANAGER_ROLES,
    "reassign_work": SUPERVISOR_ROLES,
    "supervise": SUPERVISOR_ROLES,
    "staff_directory": _LEADERS,
    "administer": _MANAGER,
    "grant_staff_roles": _MANAGER,
}

# The actions that change a person's records.
PERSON_CHANGES: frozenset[Action] = frozenset(
    {
        "record_communication",
        "record_voice",
        "record_meeting",
        "record_risk",
        "record_incident",
        "review_task",
        "change_task",
        "record_training",
        "change_circle",
        "change_roles",
        "record_capacity",
        "record_best_interests",
        "record_consent",
        "withdraw_consent",
        "record_authority",
        "enter_in_error",
        "enter_legal_in_error",
    }
)

# The action that records (adds or changes) each kind of a person's records, and the one
# that takes it out as entered in error.
KIND_ACTIONS: dict[str, Action] = {
    "member": "change_circle",
    "authority": "record_authority",
    "capacity_assessment": "record_capacity",
    "best_interests": "record_best_interests",
    "consent": "record_consent",
    "plan": "change_roles",
    "role": "change_roles",
    "task": "change_task",
    "voice": "record_voice",
    "meeting": "record_meeting",
    "risk_assessment": "record_risk",
    "graded_trial": "record_risk",
    "incident": "record_incident",
    "event": "record_incident",
    "medicine": "change_task",
    "medication_audit": "change_task",
    # format version 2 (docs/spec/casefile-v2.md)
    "family_view": "record_voice",
    "concern": "record_incident",
    "goal": "record_voice",
    "role_change": "change_roles",
    "carer_plan": "change_task",
    "restriction": "record_best_interests",
}
LEGAL_KINDS: frozenset[str] = frozenset({"authority", "consent"})


def correction_action(kind: str) -> Action:
    """The action that takes a record of ``kind`` out as entered in error."""
    return "enter_legal_in_error" if kind in LEGAL_KINDS else "enter_in_error"


# The roles that may read, and that may change, the people of a service they can see
# (by membership, or organisation-wide above): every role reads; changing anything at
# all needs a role that some change of a person's records is granted to (a quality lead
# changes nothing). Each form then asks for its own action.
READ_ROLES: frozenset[str] = ACTION_ROLES["read_person"]
CHANGE_ROLES: frozenset[str] = frozenset().union(*(ACTION_ROLES[a] for a in PERSON_CHANGES))

# What each action is, in words, for the page that refuses it ("Only ... can <words>").
ACTION_WORDS: dict[Action, str] = {
    "read_person": "read a person's records",
    "read_service": "see the people a service supports",
    "read_service_report": "open the service report and the evidence for inspectors",
    "record_communication": "change how a person communicates",
    "record_voice": "record or change a person's views",
    "record_meeting": "record or change a meeting",
    "record_risk": "record risk assessments and graded trials",
    "record_incident": "record incidents and events",
    "review_task": "record a review of an arrangement",
    "change_task": "end an arrangement or hand it to someone else",
    "record_training": "record a member of staff's training",
    "change_circle": "add someone to a person's circle",
    "change_roles": "change who decides, contributes or is informed",
    "record_capacity": "record a capacity assessment",
    "record_best_interests": "record a best-interests decision",
    "record_consent": "record a consent",
    "withdraw_consent": "withdraw a consent",
    "record_authority": "record a legal authority",
    "enter_in_error": "take a record out as entered in error",
    "enter_legal_in_error": "take a legal authority or a consent out as entered in error",
    "oversee": "open the governance pages",
    "reassign_work": "give a review to another owner",
    "supervise": "record supervision",
    "staff_directory": "open the staff directory or change a member of staff's details",
    "administer": "set up services and people",
    "grant_staff_roles": "invite staff or change their roles",
}

# How a refusal names the roles an action needs, in plain English.
ROLE_WORDS: dict[str, str] = {
    _SW: "support worker",
    _TL: "team leader",
    _RM: "registered manager",
    _QL: "quality lead",
}


def roles_needed(action: Action) -> str:
    """The roles that may do ``action``, in words: "a team leader or a registered
    manager"."""
    words = [f"a {ROLE_WORDS[r]}" for r in StaffRole.values if r in ACTION_ROLES[action]]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def actions_for(roles: frozenset[str]) -> frozenset[Action]:
    """The actions that holding any of ``roles`` grants."""
    return frozenset(a for a in ACTIONS if ACTION_ROLES[a] & roles)


def roles_for(purpose: Purpose) -> frozenset[str]:
    """The roles that grant ``purpose`` over a person or service the role can see."""
    return READ_ROLES if purpose == "read" else CHANGE_ROLES
