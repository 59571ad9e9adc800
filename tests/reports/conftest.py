"""Shared fixtures of the report tests: the project's copies of the example case files."""

from __future__ import annotations

from pathlib import Path

import pytest

from kinwise.casefile.load import load_casefile
from kinwise.casefile.schema import CaseFile

CASEFILES = Path(__file__).resolve().parents[2] / "src" / "kinwise" / "demo" / "casefiles"


def example(name: str) -> CaseFile:
    """An example case file by its stem, e.g. ``03-historic-arrangement``."""
    return load_casefile(CASEFILES / f"{name}.yaml")


@pytest.fixture
def sam() -> CaseFile:
    return example("01-risk-and-independence")


@pytest.fixture
def aisha() -> CaseFile:
    return example("02-vocal-relative")


@pytest.fixture
def daniel() -> CaseFile:
    return example("03-historic-arrangement")
