"""Writing a synthetic population into the database."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from kinwise.core.models import Service
from kinwise.core.services import organisation_ensure, service_ensure
from kinwise.records.services import casefile_import
from kinwise.synth.generate import SynthSpec, synth_population

SYNTH_ORGANISATION = ("synthetic", "Synthetic Provider")
BATCH_SIZE = 50


def synth_service_ensure(*, spec: SynthSpec, organisation_slug: str | None = None) -> Service:
    """The service ``spec`` names, in the given organisation or the synthetic one (created if missing)."""
    organisation = organisation_ensure(
        slug=organisation_slug or SYNTH_ORGANISATION[0],
        name=None if organisation_slug else SYNTH_ORGANISATION[1],
    )
    return service_ensure(
        organisation=organisation, external_id=spec.service_id, name=spec.service_name
    )


def population_import(
    *,
    spec: SynthSpec,
    service: Service,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Import every person of ``spec`` into ``service``; the number imported.

    People are imported ``batch_size`` to a transaction (each person is still its own
    atomic import with its history), so a large population commits a few hundred times,
    not once per record. An existing person with the same id is brought to the file's state.
    """
    count = 0
    people = synth_population(spec)
    while True:
        with transaction.atomic():
            done = 0
            for casefile in people:
                casefile_import(casefile=casefile, service=service, actor=None, source="synth")
                done += 1
                if done == batch_size:
                    break
        count += done
        if progress is not None and done:
            progress(count)
        if done < batch_size:
            return count
