"""A synthetic population to store audits of."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kinwise.core.models import Service
from kinwise.core.services import organisation_ensure, service_ensure
from kinwise.synth.generate import DEFAULT_AS_OF, SynthSpec
from kinwise.synth.services import population_import

AS_OF = DEFAULT_AS_OF


@pytest.fixture
def populate(db: None) -> Callable[..., Service]:
    organisation = organisation_ensure(slug="snap", name="Snapshot Care")

    def make(service_id: str, people: int, years: int = 2) -> Service:
        spec = SynthSpec(people=people, years=years, seed=3, as_of=AS_OF, service_id=service_id)
        service = service_ensure(
            organisation=organisation, external_id=service_id, name=f"Service {service_id}"
        )
        assert population_import(spec=spec, service=service) == people
        return service

    return make
