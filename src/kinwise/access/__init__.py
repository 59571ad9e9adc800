"""Access: may this member of staff read or change this person, this service, its
governance and its reports. Every page, command and service asks here (docs/access.md):
``roles`` holds the table, ``scopes`` the queries, ``decisions`` the answers.

Placed above ``records`` (it reads people and services) and below everything that asks.
"""

from kinwise.access.decisions import (
    ACCESS_LOG_READERS,
    has_role_for,
    may_change_person,
    may_oversee,
    may_own_work,
    may_read_person,
    may_supervise,
    person_for_viewer,
    person_log_for_viewer,
    service_for_role,
    service_for_viewer,
)
from kinwise.access.roles import (
    MANAGER_ROLES,
    ORGANISATION_WIDE_ROLES,
    SUBJECT_ACCESS_ROLES,
    SUPERVISOR_ROLES,
    WORK_OWNER_ROLES,
    Purpose,
)
from kinwise.access.scopes import people_visible_to, services_visible_to, with_viewer_access

__all__ = [
    "ACCESS_LOG_READERS",
    "MANAGER_ROLES",
    "ORGANISATION_WIDE_ROLES",
    "SUBJECT_ACCESS_ROLES",
    "SUPERVISOR_ROLES",
    "WORK_OWNER_ROLES",
    "Purpose",
    "has_role_for",
    "may_change_person",
    "may_oversee",
    "may_own_work",
    "may_read_person",
    "may_supervise",
    "people_visible_to",
    "person_for_viewer",
    "person_log_for_viewer",
    "service_for_role",
    "service_for_viewer",
    "services_visible_to",
    "with_viewer_access",
]
