"""Writes for email notifications: a user's preferences, and the emails themselves.

The emails go through Django's email backend (``EMAIL_BACKEND``: SMTP when
``KINWISE_EMAIL_HOST`` is set) and carry no personal data: counts and links only — no
name of a person supported, of a member of staff (not even the recipient's) or of a
service, and nothing from a record.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from kinwise.governance.history import change_write
from kinwise.notifications.models import EmailPreference
from kinwise.notifications.selectors import (
    DUE_SOON_DAYS,
    RECENT_DAYS,
    WorkCounts,
    recipients,
    summaries_by_user,
    work_counts_by_user,
)

log = logging.getLogger("kinwise.notifications")

DAILY_SUBJECT = "Kinwise: your work items due or overdue"
WEEKLY_SUBJECT = "Kinwise: your weekly summary"


def email_preference_update(
    *,
    user: AbstractBaseUser,
    daily_work_items: bool,
    weekly_summary: bool,
    actor: AbstractBaseUser,
) -> EmailPreference:
    """Set which emails ``user`` gets; the change is kept in the governance history
    (entity ``email_preference``) with who made it and when, in the same transaction."""
    now = timezone.now()
    with transaction.atomic():
        preference, created = EmailPreference.objects.select_for_update().get_or_create(
            user_id=user.pk, defaults={"updated_at": now}
        )
        preference.daily_work_items = daily_work_items
        preference.weekly_summary = weekly_summary
        preference.updated_at = now
        preference.save(update_fields=["daily_work_items", "weekly_summary", "updated_at"])
        change_write(
            entity="email_preference",
            entity_pk=preference.pk,
            action="created" if created else "updated",
            snapshot={
                "user": user.pk,
                "daily_work_items": daily_work_items,
                "weekly_summary": weekly_summary,
            },
            actor=actor,
            at=now,
        )
    return preference


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def _link(site_url: str, counts: WorkCounts) -> str:
    if counts.worklist:
        path = reverse("governance:worklist", kwargs={"service_pk": counts.service_pk})
    else:
        # a member of staff who does not oversee the service opens their own work
        path = reverse("governance:my_work", kwargs={"service_pk": counts.service_pk})
    return f"{site_url}{path}"


def _preferences(site_url: str) -> str:
    return f"{site_url}{reverse('notifications:email')}"


def daily_body(*, counts: Sequence[WorkCounts], site_url: str) -> str:
    """The daily email: the recipient's items due or overdue, per service, with links."""
    overdue = sum(c.overdue for c in counts)
    due = sum(c.due for c in counts)
    lines = [
        "Hello,",
        "",
        f"You have {_plural(overdue + due, 'work item')} in Kinwise that "
        f"{'is' if overdue + due == 1 else 'are'} due or overdue: {overdue} overdue and "
        f"{due} due in the next {DUE_SOON_DAYS} days.",
        "",
    ]
    for c in counts:
        lines.append(f"{c.overdue} overdue and {c.due} due: {_link(site_url, c)}")
    lines += [
        "",
        "Sign in to see what each one needs.",
        "",
        "You get this email on each day you have work items due or overdue. To stop it, "
        f"change your email preferences: {_preferences(site_url)}",
        "",
    ]
    return "\n".join(lines)


def weekly_body(*, counts: Sequence[WorkCounts], site_url: str) -> str:
    """The weekly summary: every service the manager oversees, as counts, with links."""
    lines = [
        "Hello,",
        "",
        f"This week's summary of the review worklists of your {_plural(len(counts), 'service')} "
        "in Kinwise:",
        "",
    ]
    for c in counts:
        lines.append(
            f"{c.overdue} overdue, {c.due} due in the next {DUE_SOON_DAYS} days and "
            f"{c.closed} closed in the last {RECENT_DAYS} days: {_link(site_url, c)}"
        )
    lines += [
        "",
        "To stop this summary, change your email preferences: " + _preferences(site_url),
        "",
    ]
    return "\n".join(lines)


def _send(messages: list[EmailMessage]) -> int:
    if not messages:
        return 0
    with get_connection() as connection:
        sent = connection.send_messages(messages)
    return int(sent or 0)


def work_item_emails_send(*, as_of: dt.date, site_url: str) -> int:
    """Each member of staff with work items due or overdue at ``as_of`` (and the email
    on) gets one email; the number sent."""
    users = recipients(weekly=False)
    by_pk = {user.pk: user for user in users}
    counts = work_counts_by_user(as_of=as_of, users=users)
    messages = [
        EmailMessage(
            subject=DAILY_SUBJECT,
            body=daily_body(counts=counts[pk], site_url=site_url),
            to=[by_pk[pk].email],  # type: ignore[attr-defined]
        )
        for pk in sorted(counts)
    ]
    sent = _send(messages)
    log.info("daily work-item emails sent: %d", sent)
    return sent


def weekly_summaries_send(*, as_of: dt.date, site_url: str) -> int:
    """Each registered manager (with the summary on) gets the week's summary of the
    services they oversee; the number sent."""
    users = recipients(weekly=True)
    by_pk = {user.pk: user for user in users}
    summaries = summaries_by_user(as_of=as_of, users=users)
    messages = [
        EmailMessage(
            subject=WEEKLY_SUBJECT,
            body=weekly_body(counts=summaries[pk], site_url=site_url),
            to=[by_pk[pk].email],  # type: ignore[attr-defined]
        )
        for pk in sorted(summaries)
    ]
    sent = _send(messages)
    log.info("weekly summaries sent: %d", sent)
    return sent
