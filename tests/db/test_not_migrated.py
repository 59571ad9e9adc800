"""A command run before `kinwise migrate` says so in one line, without a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import kinwise
from kinwise.cli import NOT_MIGRATED

STORY = (
    Path(kinwise.__file__).resolve().parent / "demo" / "casefiles" / "01-risk-and-independence.yaml"
)


def kinwise_in(directory: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KINWISE_", "DJANGO_"))}
    return subprocess.run(
        [sys.executable, "-m", "kinwise.cli", *args],
        env={**env, "KINWISE_VAR_DIR": str(directory / "var")},
        cwd=directory,
        capture_output=True,
        text=True,
        check=False,
    )


def test_an_import_before_migrate_says_to_migrate(tmp_path: Path) -> None:
    before = kinwise_in(
        tmp_path, "import", str(STORY), "--organisation", "acme", "--create-organisation"
    )
    assert (before.returncode, before.stdout, before.stderr) == (2, "", NOT_MIGRATED)
    assert NOT_MIGRATED == (
        "kinwise: the database is not set up yet (or not up to date): "
        "run `.venv/bin/kinwise migrate` first\n"
    )
    assert kinwise_in(tmp_path, "migrate").returncode == 0
    after = kinwise_in(
        tmp_path, "import", str(STORY), "--organisation", "acme", "--create-organisation"
    )
    assert after.returncode == 0, after.stderr
    assert "imported person 'sam'" in after.stdout
