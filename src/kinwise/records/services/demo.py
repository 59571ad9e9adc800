"""The demo provider: two services, the three example people with their history, two logins.

Each example story is loaded as its ".before" file and then its "after" file, so each
person's history shows what changed. Loading is idempotent: a story whose person is
already in the service is left alone, and existing logins keep their passwords.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from pathlib import Path

from django.db import transaction
from django.utils import timezone

import kinwise
from kinwise.casefile.load import load_casefile
from kinwise.casefile.schema import CaseFile
from kinwise.core.models import Service, StaffRole
from kinwise.core.services import organisation_ensure, service_ensure, staff_user_ensure
from kinwise.records.models import Person
from kinwise.records.services.casefiles import casefile_import

DEMO_ORGANISATION_SLUG = "demo"
DEMO_ORGANISATION_NAME = "Kinwise Demo Provider"
DEMO_SERVICES = {
    "riverside": "Riverside Supported Living",
    "oakfield": "Oakfield Community Support",
}
DEMO_PASSWORD = "kinwise-demo"
DEMO_CASEFILES = Path(kinwise.__file__).resolve().parent / "demo" / "casefiles"
_LONDON = zoneinfo.ZoneInfo("Europe/London")


def demo_stories(directory: Path = DEMO_CASEFILES) -> list[tuple[Path, Path]]:
    """(before, after) file pairs, in file-name order."""
    return [
        (before, before.with_name(before.name.replace(".before.yaml", ".yaml")))
        for before in sorted(directory.glob("*.before.yaml"))
    ]


def _written_at(casefile: CaseFile, now: dt.datetime) -> dt.datetime:
    """When the demo pretends the file was recorded: the last second of its as_of day in UK
    time (so the records as recorded at the end of that day are the file's), never after
    now."""
    if casefile.as_of is None:
        return now
    return min(now, dt.datetime.combine(casefile.as_of, dt.time(23, 59, 59), tzinfo=_LONDON))


def demo_load(*, directory: Path = DEMO_CASEFILES) -> list[str]:
    """Create what is missing of the demo; return one line per thing done (nothing if all present)."""
    done: list[str] = []
    now = timezone.now()
    with transaction.atomic():
        organisation = organisation_ensure(
            slug=DEMO_ORGANISATION_SLUG, name=DEMO_ORGANISATION_NAME, demo=True
        )
        services: dict[str, Service] = {
            external_id: service_ensure(
                organisation=organisation, external_id=external_id, name=name
            )
            for external_id, name in DEMO_SERVICES.items()
        }
        staff_user_ensure(
            username="manager",
            password=DEMO_PASSWORD,
            service=services["riverside"],
            role=StaffRole.REGISTERED_MANAGER,
        )
        staff_user_ensure(
            username="priya",
            password=DEMO_PASSWORD,
            service=services["riverside"],
            role=StaffRole.SUPPORT_WORKER,
        )
        for before_path, after_path in demo_stories(directory):
            before = load_casefile(before_path)
            after = load_casefile(after_path)
            if before.service is None or before.service.id not in services:
                raise ValueError(f"{before_path.name}: not a demo service")
            service = services[before.service.id]
            if Person.objects.filter(
                service=service, external_id=before.person.id, superseded_at__isnull=True
            ).exists():
                continue
            for casefile in (before, after):
                casefile_import(
                    casefile=casefile,
                    service=service,
                    actor=None,
                    source="demo",
                    at=_written_at(casefile, now),
                )
            done.append(f"loaded {after_path.name} (after {before_path.name})")
    return done
