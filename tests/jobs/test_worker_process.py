"""A real `kinwise worker` process taking jobs from the SQLite queue in KINWISE_VAR_DIR:
the audit spread over it gives the one-process output, a saved spread run is one run
with everyone, the refresh asked for by a bulk change is done, and Ctrl+C stops it."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.jobs.conftest import AS_OF

PEOPLE = 12
WAIT = 120  # seconds at most for the worker to do what it was asked (a bound, not a target)


@dataclass
class Installation:
    var: Path
    env: dict[str, str]

    def kinwise(self, *argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "kinwise.cli", *argv],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=WAIT,
        )

    def database(self) -> sqlite3.Connection:
        return sqlite3.connect(self.var / "kinwise.sqlite3")


@pytest.fixture(scope="module")
def installation(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installation]:
    var = tmp_path_factory.mktemp("var")
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"KINWISE_DATABASE_URL", "KINWISE_QUEUE_URL", "KINWISE_QUEUE_IMMEDIATE"}
    }
    env["KINWISE_VAR_DIR"] = str(var)
    here = Installation(var, env)
    assert here.kinwise("migrate").returncode == 0
    made = here.kinwise("synth", "--people", str(PEOPLE), "--years", "1", "--service", "syn")
    assert made.returncode == 0, made.stderr
    yield here


@pytest.fixture(scope="module")
def worker(installation: Installation) -> Iterator[subprocess.Popen[str]]:
    log = (installation.var / "worker.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "kinwise.cli", "worker", "--workers", "2"],
        env=installation.env,
        stdout=subprocess.DEVNULL,
        stderr=log,
        text=True,
    )
    yield process
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=WAIT)
    log.close()


def test_the_queue_is_a_sqlite_file_in_the_var_dir(
    installation: Installation, worker: subprocess.Popen[str]
) -> None:
    assert (installation.var / "queue.sqlite3").is_file()
    deadline = time.monotonic() + WAIT
    while "process(es) on the queue" not in (installation.var / "worker.log").read_text():
        assert time.monotonic() < deadline
        time.sleep(0.1)
    first = (installation.var / "worker.log").read_text().splitlines()[0]
    assert first == (
        f"kinwise worker: 2 process(es) on the queue at SQLite file "
        f"{installation.var / 'queue.sqlite3'}"
    )


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_the_audit_spread_over_the_worker_is_the_one_process_audit(
    installation: Installation, worker: subprocess.Popen[str], fmt: str
) -> None:
    common = ["audit", "--service", "syn", "--as-of", AS_OF.isoformat(), "--format", fmt]
    one = installation.kinwise(*common)
    spread = installation.kinwise(*common, "--workers", "3")
    assert (one.returncode, one.stderr) == (0, "")
    assert (spread.returncode, spread.stderr) == (0, "")
    assert spread.stdout == one.stdout
    if fmt == "json":
        assert len(json.loads(one.stdout)) == PEOPLE
    assert worker.poll() is None


def test_a_saved_spread_run_is_one_run_with_everyone(
    installation: Installation, worker: subprocess.Popen[str]
) -> None:
    saved = installation.kinwise(
        "audit", "--service", "syn", "--as-of", AS_OF.isoformat(), "--save", "--workers", "2"
    )
    assert (saved.returncode, saved.stderr) == (0, "")
    with installation.database() as db:
        runs = db.execute("SELECT findings FROM governance_auditrun").fetchall()
    assert len(runs) == 1
    assert json.loads(runs[0][0]) == json.loads(saved.stdout)


def test_the_refresh_asked_for_by_the_bulk_change_is_done_by_the_worker(
    installation: Installation, worker: subprocess.Popen[str]
) -> None:
    """`kinwise synth --service` asked for it before the worker started: it waited in the
    queue and the worker took it."""
    deadline = time.monotonic() + WAIT
    while True:
        with installation.database() as db:
            (stored,) = db.execute(
                "SELECT COUNT(DISTINCT person_id) FROM audits_auditsnapshot"
            ).fetchone()
        if stored == PEOPLE:
            break
        assert time.monotonic() < deadline, f"{stored} of {PEOPLE} audits stored"
        time.sleep(0.2)


def test_ctrl_c_stops_the_worker(installation: Installation, worker: subprocess.Popen[str]) -> None:
    worker.send_signal(signal.SIGINT)
    assert worker.wait(timeout=WAIT) == 0
    assert "Consumer exiting" in (installation.var / "worker.log").read_text()


def test_with_no_worker_the_spread_audit_says_so(installation: Installation) -> None:
    code = (
        "import sys; from kinwise.config.bootstrap import setup_django; setup_django(); "
        "import kinwise.jobs.spread as s; s.STALL_SECONDS = 1.0; "
        "from kinwise.cli import main; sys.exit(main(sys.argv[1:]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, "audit", "--service", "syn", "--workers", "2"],
        env=installation.env,
        capture_output=True,
        text=True,
        timeout=WAIT,
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        "kinwise: no worker took the audit's jobs from the queue in 1 seconds: "
        "start one with `kinwise worker`\n"
    )
