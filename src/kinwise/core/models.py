"""Tenancy and history: organisation -> service -> person; staff belong to services."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Organisation(models.Model):
    """A provider. Every query for people or records is scoped by one."""

    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    # made by `kinwise demo` (invented people, published passwords): its logins are
    # exempt from the second factor while the database holds nothing else
    is_demo = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Service(models.Model):
    """A service of an organisation (a supported-living scheme, a community team)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="services"
    )
    external_id = models.CharField(max_length=100, help_text="the service's id in case files")
    name = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation_id", "external_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "external_id"], name="service_external_id_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class StaffRole(models.TextChoices):
    """The roles of staff, declared once. What each may see and do is decided in kinwise.access."""

    SUPPORT_WORKER = "support_worker", "Support worker"
    TEAM_LEADER = "team_leader", "Team leader"
    REGISTERED_MANAGER = "registered_manager", "Registered manager"
    QUALITY_LEAD = "quality_lead", "Quality lead"


class StaffMembership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=32, choices=StaffRole.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "service"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"membership {self.pk}"


class VersionAction(models.TextChoices):
    CREATED = "created", "Created"
    UPDATED = "updated", "Updated"
    SUPERSEDED = "superseded", "Superseded"
    RESTORED = "restored", "Restored"
    ENTERED_IN_ERROR = "entered_in_error", "Entered in error"


class RecordVersion(models.Model):
    """One row per write of a case-file record, written in the same transaction as the write.

    ``snapshot`` is the record as its case-file dict after the write (for ``superseded``:
    the record as it was when it left the case file). Version numbers count from 1 per
    (person, kind, external_id); the previous version of n is n - 1.
    """

    person = models.ForeignKey(
        "records.Person", on_delete=models.PROTECT, related_name="record_versions"
    )
    kind = models.CharField(max_length=40)
    external_id = models.CharField(max_length=200)
    version = models.PositiveIntegerField()
    snapshot = models.JSONField()
    action = models.CharField(max_length=16, choices=VersionAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="record_versions",
    )
    source = models.CharField(max_length=40)
    # why the record was changed this way (required when it is entered in error)
    reason = models.TextField(blank=True, default="")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["person_id", "kind", "external_id", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind", "external_id", "version"], name="record_version_unique"
            )
        ]
        indexes = [
            models.Index(fields=["person", "created_at"], name="record_version_person_time"),
            # a person's latest version in one index step: their data stamp
            models.Index(fields=["person", "-id"], name="record_version_person_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} v{self.version}"


class AccountState(models.Model):
    """What ends a login's sessions: ``auth_epoch`` goes up when the account is
    deactivated or its roles change, and a session signed in under an earlier epoch ends
    on its next request (kinwise.accounts.middleware). No row: epoch 0."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account_state"
    )
    auth_epoch = models.PositiveIntegerField(default=0)
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"account state {self.pk}"


class StaffMember(models.Model):
    """A member of staff of an organisation: one identity across every person they support.

    ``external_id`` is their member id in case files: a circle member of kind staff in the
    file of any person of the organisation's services refers to the entry with that id
    (docs/casefile.md, docs/adr/0140). The name, job and training are the directory's: the
    circle records of everyone they support hold these values. ``trained`` is the case
    file's ``{task: "YYYY-MM-DD"}``. ``user`` is their login, where they have one.
    ``version`` is the number of the latest version in the history
    (:class:`StaffMemberVersion`).
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="staff_members"
    )
    external_id = models.CharField(max_length=200)
    name = models.CharField(max_length=300)
    job = models.TextField(null=True, blank=True)  # noqa: DJ001 (absent differs from "")
    trained = models.JSONField(default=dict)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff_entries",
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["organisation_id", "name", "external_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "external_id"], name="staff_member_id_unique"
            )
        ]

    def __str__(self) -> str:
        return f"staff member {self.pk}"


class StaffMemberVersion(models.Model):
    """One row per write of a directory entry, in the same transaction as the write:
    ``snapshot`` is the entry after it (its case-file form: id, name, job, trained)."""

    staff_member = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField()
    snapshot = models.JSONField()
    action = models.CharField(max_length=16, choices=VersionAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff_member_versions",
    )
    source = models.CharField(max_length=40)
    reason = models.TextField(blank=True, default="")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["staff_member_id", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["staff_member", "version"], name="staff_member_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"staff member v{self.version}"


class ApiTokenKind(models.TextChoices):
    """A personal token acts for the member of staff it belongs to; a service token is
    held by another system (an eMAR, a care record) and acts with the roles of the login
    it is issued for (docs/api.md)."""

    PERSONAL = "personal", "Personal"
    SERVICE = "service", "Service"


class ApiToken(models.Model):
    """A bearer token of the API (docs/api.md, ADR 0180): kept only as the SHA-256 of its
    secret, scoped to one organisation, to some of its services (none named: all of
    them) and to reading or reading and changing. Never deleted: a revoked token keeps
    its row, who revoked it and when. What it may do is what its login may do, within
    that scope, decided by kinwise.access."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_tokens"
    )
    kind = models.CharField(
        max_length=16, choices=ApiTokenKind.choices, default=ApiTokenKind.PERSONAL
    )
    label = models.CharField(max_length=100, blank=True)
    digest = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the secret")
    read_only = models.BooleanField(default=True)
    services = models.ManyToManyField(Service, blank=True, related_name="+")
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["organisation_id", "pk"]

    def __str__(self) -> str:
        return f"api token {self.pk}"
