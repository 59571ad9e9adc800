"""Which staff roles may do what: the one table behind every access decision
(docs/access.md).

A member of staff holds a role in each service they belong to. Reading and changing are
asked apart (``Purpose``) so that a page, a command or an API can say which it needs;
today both are granted by the same rule.
"""

from __future__ import annotations

from typing import Literal

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

# The roles that may read, and that may change, the people of a service they can see
# (by membership, or organisation-wide above). Today every role may do both.
READ_ROLES: frozenset[str] = frozenset(StaffRole.values)
CHANGE_ROLES: frozenset[str] = frozenset(StaffRole.values)


def roles_for(purpose: Purpose) -> frozenset[str]:
    """The roles that grant ``purpose`` over a person or service the role can see."""
    return READ_ROLES if purpose == "read" else CHANGE_ROLES
