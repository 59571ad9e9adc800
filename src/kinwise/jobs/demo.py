"""The demo's synthetic service filled in (docs/adr/0240-the-demo-synthetic-service.md):
its people recorded over the year before the demo was loaded, then a saved nightly run
as recorded for each day of that year. Run by the worker after `kinwise demo`, since it
takes minutes, not seconds."""

from __future__ import annotations

import datetime as dt

from kinwise.core.models import Organisation, Service
from kinwise.jobs.nightly import service_audits_recorded_days
from kinwise.synth.demo import SYNTH_DEMO_PEOPLE, history_days, synth_demo_load


def synth_demo_days(*, today: dt.date) -> list[dt.date]:
    """Every day of the synthetic service's year (the 365 days before ``today``)."""
    first, last = history_days(today=today)
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def synth_demo_fill(
    *, organisation_slug: str, today: dt.date, people: int = SYNTH_DEMO_PEOPLE
) -> tuple[Service, list[str]]:
    """Load the synthetic people missing from the demo organisation's synthetic service
    (:func:`kinwise.synth.demo.synth_demo_load`) and save the service's run as recorded of
    each day of the year before ``today`` not saved yet, in one pass
    (:func:`kinwise.jobs.nightly.service_audits_recorded_days`); one line per thing done."""
    organisation = Organisation.objects.get(slug=organisation_slug)
    service, done = synth_demo_load(organisation=organisation, today=today, people=people)
    service = Service.objects.select_related("organisation").get(pk=service.pk)
    saved = service_audits_recorded_days(service=service, days=synth_demo_days(today=today))
    if saved:
        done.append(f"saved {saved} nightly audit run(s) of {service.name} as recorded")
    return service, done
