"""Synthetic services to audit, and the CLI's output of an audit."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kinwise.cli import main
from kinwise.core.models import Service
from kinwise.core.services import organisation_ensure, service_ensure
from kinwise.synth.generate import DEFAULT_AS_OF, SynthSpec
from kinwise.synth.services import population_import
from tests.browser.conftest import browser, page  # noqa: F401 - the browser tests' fixtures
from tests.notifications.conftest import riverside  # noqa: F401 - staff, records, a service

AS_OF = DEFAULT_AS_OF


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: runs in headless Chromium (skipped without it)")


@pytest.fixture
def populate(db: None) -> Callable[..., Service]:
    organisation = organisation_ensure(slug="jobs", name="Jobs Care")

    def make(service_id: str, people: int, years: int = 1, seed: int = 5) -> Service:
        spec = SynthSpec(people=people, years=years, seed=seed, as_of=AS_OF, service_id=service_id)
        service = service_ensure(
            organisation=organisation, external_id=service_id, name=f"Service {service_id}"
        )
        assert population_import(spec=spec, service=service) == people
        return service

    return make


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    def run(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return run
