"""Shared fixtures: the example case files (the project's copies) and a tenancy to import into."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import kinwise

CASEFILES = Path(kinwise.__file__).resolve().parent / "demo" / "casefiles"
EXAMPLES = sorted(p.name for p in CASEFILES.glob("*.yaml"))


@pytest.fixture
def casefiles_dir() -> Path:
    return CASEFILES


@pytest.fixture
def example() -> Callable[[str], Any]:
    """Load an example case file by file name (validated)."""
    from kinwise.casefile.load import load_casefile

    def load(name: str) -> Any:
        return load_casefile(CASEFILES / name)

    return load
