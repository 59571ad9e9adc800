"""The two tiers of the suite (docs/adr/0150-test-tiers.md).

``make test`` / ``make test-postgres`` (and CI) run the ``ci`` tier: every test, each
generated or fuzzed test with a modest number of examples, drawn the same way on every
run (``derandomize``), so that a red CI is a real failure and not a new random draw.
``make test-long`` (``HYPOTHESIS_PROFILE=long``) runs the same tests with many more
examples, freshly random each run.

A test that draws its own number of examples takes it from :func:`examples`, never a
literal: ``examples(ci=20, long=200)``.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

CI = "ci"
LONG = "long"
TIERS = (CI, LONG)

settings.register_profile(
    CI,
    max_examples=20,
    deadline=None,
    database=None,
    derandomize=True,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    LONG,
    max_examples=200,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def tier() -> str:
    """The tier this run is in: ``HYPOTHESIS_PROFILE`` (``ci`` unless set)."""
    name = os.environ.get("HYPOTHESIS_PROFILE", CI)
    if name not in TIERS:
        raise ValueError(f"HYPOTHESIS_PROFILE must be one of {TIERS}, not {name!r}")
    return name


def load() -> None:
    """Make the tier's Hypothesis profile the default (tests/conftest.py, at start-up)."""
    settings.load_profile(tier())


def examples(*, ci: int, long: int) -> int:
    """A test's number of examples (or of generated cases) in this run's tier."""
    if long < ci:
        raise ValueError("the long tier runs at least the CI tier's examples")
    return long if tier() == LONG else ci
