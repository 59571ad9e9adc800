"""Access: may this member of staff read or change this person, this service, its
governance and its reports. Every page, command and service asks here (docs/access.md):
``roles`` holds the table, ``scopes`` the queries, ``decisions`` the answers.

Placed above ``records`` (it reads people and services) and below everything that asks.
"""

from kinwise.access.decisions import (
    ActionRefused,
    actions_on_person,
    actions_on_service,
    has_any_role,
    has_role_for,
    may_change_person,
    may_do,
    may_do_across,
    may_oversee,
    may_read_person,
    may_supervise,
    person_for_action,
    person_for_viewer,
    refuse_action,
    require_action,
    roles_held,
    service_for_role,
    service_for_viewer,
)
from kinwise.access.roles import (
    ACTION_ROLES,
    KIND_ACTIONS,
    MANAGER_ROLES,
    ORGANISATION_WIDE_ROLES,
    SUPERVISOR_ROLES,
    Action,
    Purpose,
    correction_action,
)
from kinwise.access.scopes import (
    people_visible_to,
    services_visible_to,
    with_viewer_access,
    with_viewer_roles,
)

__all__ = [
    "ACTION_ROLES",
    "KIND_ACTIONS",
    "MANAGER_ROLES",
    "ORGANISATION_WIDE_ROLES",
    "SUPERVISOR_ROLES",
    "Action",
    "ActionRefused",
    "Purpose",
    "actions_on_person",
    "actions_on_service",
    "correction_action",
    "has_any_role",
    "has_role_for",
    "may_change_person",
    "may_do",
    "may_do_across",
    "may_oversee",
    "may_read_person",
    "may_supervise",
    "people_visible_to",
    "person_for_action",
    "person_for_viewer",
    "refuse_action",
    "require_action",
    "roles_held",
    "service_for_role",
    "service_for_viewer",
    "services_visible_to",
    "with_viewer_access",
    "with_viewer_roles",
]
