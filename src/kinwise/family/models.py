"""Family and person accounts (docs/portal.md).

A :class:`PortalAccount` is one real person's login (a relative, a friend, or someone
supported); a :class:`PortalLink` says who that login is in one supported person's file:
a circle member's id, or the person's own id. A relative of two supported people has one
account and two links. Nothing here says what they may see: that is computed on every
request from the records (:mod:`kinwise.access.portal`), never stored.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class PortalAccount(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="portal_account"
    )
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="portal_accounts"
    )
    # suspended by staff: nothing of any person is shown from the next request on
    suspended_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"portal account {self.pk}"


class LinkKind(models.TextChoices):
    FAMILY = "family", "Family member or friend"
    PERSON = "person", "The person supported"


class PortalLink(models.Model):
    account = models.ForeignKey(PortalAccount, on_delete=models.PROTECT, related_name="links")
    person = models.ForeignKey(
        "records.Person", on_delete=models.PROTECT, related_name="portal_links"
    )
    # the circle member's id in the person's case file, or the person's own id
    member_id = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=LinkKind.choices)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["account", "person"], name="portal_link_one_per_person"
            ),
            models.UniqueConstraint(fields=["person", "member_id"], name="portal_link_one_login"),
        ]

    def __str__(self) -> str:
        return f"portal link {self.pk}"


class AccountChange(models.TextChoices):
    INVITED = "invited", "Invited"
    LINKED = "linked", "Linked to another person's file"
    SUSPENDED = "suspended", "Suspended"
    REINSTATED = "reinstated", "Reinstated"


class PortalAccountEvent(models.Model):
    """Who changed a portal account and when (append-only by the services)."""

    account = models.ForeignKey(PortalAccount, on_delete=models.PROTECT, related_name="events")
    person = models.ForeignKey("records.Person", on_delete=models.PROTECT, null=True)
    action = models.CharField(max_length=12, choices=AccountChange.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["account_id", "at", "id"]

    def __str__(self) -> str:
        return f"portal account event {self.pk}"


class DraftState(models.TextChoices):
    WAITING = "waiting", "Waiting for a member of staff"
    CONFIRMED = "confirmed", "Written into the records"


class VoiceDraft(models.Model):
    """What a person added in their portal: a draft until a member of staff confirms it
    into a version-1 voice record (:func:`kinwise.family.services.voice_draft_confirm`)."""

    link = models.ForeignKey(PortalLink, on_delete=models.PROTECT, related_name="drafts")
    text = models.TextField()
    area = models.CharField(max_length=40, blank=True, default="")
    helped_by = models.JSONField(default=list)  # circle member ids who helped them
    created_at = models.DateTimeField()
    state = models.CharField(max_length=10, choices=DraftState.choices, default=DraftState.WAITING)
    voice_id = models.CharField(max_length=200, blank=True, default="")
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"voice draft {self.pk}"
