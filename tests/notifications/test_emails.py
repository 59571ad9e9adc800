"""The daily and weekly emails, sent through Django's SMTP backend to a real local SMTP
listener: exact recipients, subjects and bodies, and no one's name."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from kinwise.governance.work_services import work_item_update
from kinwise.jobs import tasks
from kinwise.notifications.services import (
    email_preference_update,
    weekly_summaries_send,
    work_item_emails_send,
)
from tests.notifications.conftest import SITE, Inbox, Riverside, names_in

# Friday 6 November 2026: Daniel's four reviews are overdue (the team leader's), Sam's
# risk assessment review is due on the 12th (Priya's: she supports that area)
FRIDAY = dt.date(2026, 11, 6)
MONDAY = dt.date(2026, 11, 2)


def worklist(service_pk: int) -> str:
    return SITE + reverse("governance:worklist", kwargs={"service_pk": service_pk})


def people_page(service_pk: int) -> str:
    """A member of staff who does not oversee the service is sent to their own work."""
    return SITE + reverse("governance:my_work", kwargs={"service_pk": service_pk})


PREFERENCES = f"{SITE}/accounts/email/"


@pytest.fixture
def reassigned(riverside: Riverside) -> Riverside:
    """One of Daniel's overdue reviews reassigned to Ruth."""
    work_item_update(
        person=riverside.people["daniel"],
        key="task_review:task:t-mark-meds@2015-09-01",
        owner=riverside.ruth,
        note="",
        actor=riverside.ruth,
        as_of=FRIDAY,
    )
    return riverside


def daily(total: int, overdue: int, due: int, link: str) -> str:
    items = (
        "1 work item in Kinwise that is"
        if total == 1
        else f"{total} work items in Kinwise that are"
    )
    return (
        "Hello,\n"
        "\n"
        f"You have {items} due or overdue: {overdue} overdue and {due} due in the next 7 days.\n"
        "\n"
        f"{overdue} overdue and {due} due: {link}\n"
        "\n"
        "Sign in to see what each one needs.\n"
        "\n"
        "You get this email on each day you have work items due or overdue. To stop it, "
        f"change your email preferences: {PREFERENCES}\n"
    )


def test_each_member_of_staff_with_items_due_or_overdue_gets_their_counts(
    smtp: Inbox, reassigned: Riverside
) -> None:
    r = reassigned
    assert work_item_emails_send(as_of=FRIDAY, site_url=SITE) == 3
    assert [(m.sender, m.recipients) for m in smtp.received] == [
        ("kinwise@care.example", ["tom@care.example"]),
        ("kinwise@care.example", ["priya@care.example"]),
        ("kinwise@care.example", ["ruth@care.example"]),
    ]
    assert {m.subject for m in smtp.received} == {"Kinwise: your work items due or overdue"}
    tom, priya, ruth = (m.body for m in smtp.received)
    # the team leader: Daniel's reviews that name no staff member, less the one reassigned
    assert tom == daily(3, 3, 0, worklist(r.service.pk))
    # a support worker (the records' staff member "priya"): a link to the service's people
    assert priya == daily(1, 0, 1, people_page(r.service.pk))
    # the organisation's registered manager, by reassignment
    assert ruth == daily(1, 1, 0, worklist(r.service.pk))
    for message in smtp.received:
        assert names_in(message.body + message.subject) == []


def test_nobody_is_emailed_who_turned_it_off_has_no_address_or_cannot_sign_in(
    smtp: Inbox, reassigned: Riverside
) -> None:
    r = reassigned
    email_preference_update(
        user=r.priya, daily_work_items=False, weekly_summary=True, actor=r.priya
    )
    r.ruth.email = ""
    r.ruth.save()
    r.tom.is_active = False
    r.tom.save()
    assert work_item_emails_send(as_of=FRIDAY, site_url=SITE) == 0
    assert smtp.received == []


def test_an_item_not_yet_due_within_a_week_sends_nothing(smtp: Inbox, riverside: Riverside) -> None:
    # 4 November: Sam's review is due on the 12th, 8 days on; Daniel's are the team leader's
    assert work_item_emails_send(as_of=dt.date(2026, 11, 4), site_url=SITE) == 1
    assert [m.recipients for m in smtp.received] == [["tom@care.example"]]
    # 5 November: 7 days on, it is due
    assert work_item_emails_send(as_of=dt.date(2026, 11, 5), site_url=SITE) == 2
    assert smtp.received[-1].recipients == ["priya@care.example"]


def weekly(riverside_line: str, hillside_line: str) -> str:
    return (
        "Hello,\n"
        "\n"
        "This week's summary of the review worklists of your 2 services in Kinwise:\n"
        "\n"
        f"{riverside_line}\n"
        f"{hillside_line}\n"
        "\n"
        f"To stop this summary, change your email preferences: {PREFERENCES}\n"
    )


def test_each_registered_manager_gets_a_weekly_summary_of_every_service_they_oversee(
    smtp: Inbox, riverside: Riverside
) -> None:
    r = riverside
    assert weekly_summaries_send(as_of=FRIDAY, site_url=SITE) == 1
    (message,) = smtp.received
    assert message.recipients == ["ruth@care.example"]
    assert message.subject == "Kinwise: your weekly summary"
    assert message.body == weekly(
        "4 overdue, 1 due in the next 7 days and 0 closed in the last 7 days: "
        + worklist(r.service.pk),
        "0 overdue, 0 due in the next 7 days and 0 closed in the last 7 days: "
        + worklist(r.other.pk),
    )
    assert names_in(message.body + message.subject) == []


def test_the_summary_counts_what_was_closed_in_the_last_seven_days(
    smtp: Inbox, riverside: Riverside
) -> None:
    # Example 3 "before" records closing nothing lately; a week after Sam's review is due,
    # Ruth's summary counts it overdue (5 in all) and nothing closed
    assert weekly_summaries_send(as_of=dt.date(2026, 11, 19), site_url=SITE) == 1
    assert (
        smtp.received[0]
        .body.splitlines()[4]
        .startswith("5 overdue, 0 due in the next 7 days and 0 closed in the last 7 days: ")
    )


def test_a_manager_who_turned_the_summary_off_gets_none(smtp: Inbox, riverside: Riverside) -> None:
    r = riverside
    email_preference_update(user=r.ruth, daily_work_items=True, weekly_summary=False, actor=r.ruth)
    assert weekly_summaries_send(as_of=FRIDAY, site_url=SITE) == 0
    assert smtp.received == []


def test_the_daily_job_sends_each_email_once_a_day_and_the_summary_on_mondays(
    smtp: Inbox, reassigned: Riverside, monkeypatch: pytest.MonkeyPatch, settings: object
) -> None:
    settings.SITE_URL = SITE  # type: ignore[attr-defined]
    monkeypatch.setattr(tasks, "_today", lambda: MONDAY)
    tasks.daily_emails_job()
    tasks.daily_emails_job()  # another worker's scheduler, the same morning
    assert [(m.recipients, m.subject) for m in smtp.received] == [
        (["tom@care.example"], "Kinwise: your work items due or overdue"),
        (["ruth@care.example"], "Kinwise: your work items due or overdue"),
        (["ruth@care.example"], "Kinwise: your weekly summary"),
    ]
    monkeypatch.setattr(tasks, "_today", lambda: MONDAY + dt.timedelta(days=1))
    tasks.daily_emails_job()
    assert [m.subject for m in smtp.received[3:]] == [
        "Kinwise: your work items due or overdue",
        "Kinwise: your work items due or overdue",
    ]
