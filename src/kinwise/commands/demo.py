"""`kinwise demo`: the demo provider, its services, people and logins (safe to re-run).

Each example story's "before" file is recorded as of the end of its own ``as_of`` day and
its "after" file as of its own, so the history tells the story in time; then the runs of
the records as recorded are saved for each story's day and each month's end (what the
trends and the commissioners' monthly measures read).

The demo's logins have a published password, so the command refuses (exit 2, nothing
written) a database that holds anything but the demo: use an empty database for it."""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import os
import sys
from datetime import date
from typing import Any

from kinwise.errors import ErrorCode, KinwiseError

# The staff logins demo_load creates (kinwise.records.services.demo).
DEMO_STAFF_LOGINS = ("manager", "priya")
# The portal logins: (user name, service, person, who they are in the person's file).
DEMO_PORTAL_LOGINS = (
    ("imran", "oakfield", "aisha", "imran"),
    ("mark", "riverside", "daniel", "mark"),
    ("grace", "riverside", "sam", "grace"),
    ("sam", "riverside", "sam", "sam"),
)
DEMO_LOGINS = (*DEMO_STAFF_LOGINS, *(login[0] for login in DEMO_PORTAL_LOGINS))


def demo_portal_ensure(*, password: str) -> list[str]:
    """The demo's family and person logins (demo databases only: :func:`run` refuses any
    other); one line per login created."""
    from kinwise.family.services import portal_demo_ensure
    from kinwise.records.models import Person
    from kinwise.records.services.demo import DEMO_ORGANISATION_SLUG

    done = []
    for username, service, person_id, member_id in DEMO_PORTAL_LOGINS:
        person = (
            Person.objects.filter(
                service__organisation__slug=DEMO_ORGANISATION_SLUG,
                service__external_id=service,
                external_id=person_id,
                superseded_at__isnull=True,
            )
            .select_related("service")
            .first()
        )
        if person is not None and portal_demo_ensure(
            person=person, member_id=member_id, username=username, password=password
        ):
            done.append(f"portal login {username}")
    return done


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "demo", help="create the demo organisation, people and logins (changes nothing if present)"
    )
    parser.set_defaults(handler=run)


def _today() -> date:
    return date.today()  # noqa: TID251 - the command line is where the clock is read


def month_ends(first: date, last: date) -> list[date]:
    """The last day of each month from ``first``'s month to the last that ends on or
    before ``last``."""
    found: list[date] = []
    year, month = first.year, first.month
    while True:
        end = date(year, month, calendar.monthrange(year, month)[1])
        if end > last:
            return found
        found.append(end)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def demo_runs_save(*, days: set[date], today: date) -> int:
    """Save each demo service's run as recorded (``kinwise audit --service ID --save
    --as-recorded --as-of D``) on each story's day and each month's end from the first
    story on, up to yesterday, where none is saved yet: what the trends and the
    commissioners' monthly measures read. The number saved."""
    from kinwise.core.models import Service
    from kinwise.jobs.nightly import recorded_run_missing, service_audit_recorded
    from kinwise.records.services.demo import DEMO_ORGANISATION_SLUG, DEMO_SERVICES

    if not days:
        return 0
    wanted = sorted(
        {d for d in days if d < today} | set(month_ends(min(days), today - dt.timedelta(days=1)))
    )
    saved = 0
    services = Service.objects.filter(
        organisation__slug=DEMO_ORGANISATION_SLUG, external_id__in=list(DEMO_SERVICES)
    ).select_related("organisation")
    for service in services.order_by("external_id"):
        for day in wanted:
            if recorded_run_missing(service=service, as_of=day):
                service_audit_recorded(service=service, as_of=day)
                saved += 1
    return saved


def synth_demo_people_wanted() -> int:
    """How many synthetic people the demo's second service gets: ``KINWISE_DEMO_SYNTHETIC_PEOPLE``
    (0 leaves the service out; the tests set it), else 60."""
    from kinwise.synth.demo import SYNTH_DEMO_PEOPLE

    text = os.environ.get("KINWISE_DEMO_SYNTHETIC_PEOPLE", "")
    if not text:
        return SYNTH_DEMO_PEOPLE
    if not text.isdigit() or int(text) > 1000:
        raise KinwiseError(
            ErrorCode.USAGE, "KINWISE_DEMO_SYNTHETIC_PEOPLE must be a whole number up to 1000"
        )
    return int(text)


def synth_demo_fill_ask(*, today: date, people: int) -> str:
    """Ask the worker to fill in the demo's synthetic service (kinwise.jobs.demo); the line
    to print."""
    from kinwise.core.models import Organisation
    from kinwise.core.services import service_ensure
    from kinwise.jobs.tasks import synth_demo_fill_job
    from kinwise.records.services.demo import DEMO_ORGANISATION_SLUG
    from kinwise.synth.demo import SYNTH_DEMO_SERVICE

    organisation = Organisation.objects.get(slug=DEMO_ORGANISATION_SLUG)
    service_ensure(
        organisation=organisation, external_id=SYNTH_DEMO_SERVICE[0], name=SYNTH_DEMO_SERVICE[1]
    )
    synth_demo_fill_job(organisation_slug=DEMO_ORGANISATION_SLUG, today=today, people=people)
    return (
        f"{SYNTH_DEMO_SERVICE[1]}: {people} synthetic people and a year of nightly audits are "
        "being filled in by the worker (a few minutes after it starts)"
    )


def run(args: argparse.Namespace) -> int:
    from kinwise.config.bootstrap import setup_django

    setup_django()
    from django.core.management import call_command

    from kinwise.casefile.load import load_casefile
    from kinwise.records.demo_check import demo_foreign_data
    from kinwise.records.services.demo import (
        DEMO_ORGANISATION_SLUG,
        DEMO_PASSWORD,
        DEMO_SERVICES,
        demo_load,
        demo_stories,
    )
    from kinwise.synth.demo import SYNTH_DEMO_SERVICE, synth_demo_people

    call_command("migrate", interactive=False, verbosity=0)
    people = set()
    for before, _ in demo_stories():
        casefile = load_casefile(before)
        people.add((casefile.service.id if casefile.service else "", casefile.person.id))
    today = _today()
    people.update((SYNTH_DEMO_SERVICE[0], person) for person in synth_demo_people(1000))
    foreign = demo_foreign_data(
        organisation_slug=DEMO_ORGANISATION_SLUG,
        service_ids=frozenset({*DEMO_SERVICES, SYNTH_DEMO_SERVICE[0]}),
        usernames=frozenset(DEMO_LOGINS),
        people=frozenset(people),
    )
    if foreign:
        raise KinwiseError(
            ErrorCode.USAGE,
            "this database holds more than the demo ("
            + ", ".join(foreign)
            + "): the demo adds logins with a published password, so it is loaded only into "
            "an empty database or one holding only the demo (set KINWISE_DATABASE_URL or "
            "KINWISE_VAR_DIR to another database)",
        )
    loaded = demo_load()
    loaded += demo_portal_ensure(password=DEMO_PASSWORD)
    people_wanted = synth_demo_people_wanted()
    if people_wanted:
        loaded.append(synth_demo_fill_ask(today=today, people=people_wanted))
    for line in loaded:
        sys.stdout.write(f"{line}\n")
    days: set[date] = set()
    for before, after in demo_stories():
        days.update(d for d in (load_casefile(before).as_of, load_casefile(after).as_of) if d)
    saved = demo_runs_save(days=days, today=today)
    if saved:
        sys.stdout.write(f"saved {saved} audit run(s) of the records as recorded\n")
    sys.stdout.write(
        "demo logins: 'manager' (registered manager) and 'priya' (support worker, Riverside), "
        f"password '{DEMO_PASSWORD}'\n"
        "demo portal logins: 'imran' (Aisha's father), 'mark' (Daniel's brother), 'grace' "
        f"(Sam's mother) and 'sam' (Sam himself), password '{DEMO_PASSWORD}'\n"
    )
    return 0
