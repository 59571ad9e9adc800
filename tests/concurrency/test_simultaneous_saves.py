"""Simultaneous saves against a running server: no save is lost, no user gets a server
error for a lock, and a save based on a version another save replaced is refused.

The server is `kinwise serve` (gunicorn, two processes with threads) on a database of its
own: a SQLite file, or a new PostgreSQL database when the suite runs on PostgreSQL.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest

from tests import tiers

KINWISE = str(Path(sys.executable).with_name("kinwise"))
# rounds of two simultaneous saves: 20 before the tiers; 10 in CI, 40 in make test-long
ROUNDS = tiers.examples(ci=10, long=40)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Browser:
    """One signed-in user's cookies, over plain HTTP to the test server."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, str]:
        connection = HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key] = rest.split(";", 1)[0]
            return response.status, response.read().decode()
        finally:
            connection.close()

    def form(self, path: str) -> dict[str, str]:
        status, page = self.request("GET", path)
        assert status == 200, (path, status)
        hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
        return hidden

    def sign_in(self, username: str, password: str) -> None:
        hidden = self.form("/accounts/login/")
        status, _ = self.request(
            "POST",
            "/accounts/login/",
            {**hidden, "username": username, "password": password},
        )
        assert status == 302


def _wait_until_up(server: subprocess.Popen[bytes], port: int) -> None:
    deadline = time.monotonic() + 60
    while True:
        assert server.poll() is None, server.stderr.read() if server.stderr else b""
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)


@pytest.fixture
def database_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    """The environment of a server with a database of its own, migrated, with the demo."""
    env = dict(os.environ, KINWISE_VAR_DIR=str(tmp_path), KINWISE_DEBUG="1")
    env.pop("DJANGO_SETTINGS_MODULE", None)
    url = os.environ.get("KINWISE_DATABASE_URL", "")
    name = None
    if url:
        import psycopg

        name = f"kinwise_concurrency_{uuid.uuid4().hex[:10]}"
        admin = urlsplit(url)._replace(path="/postgres").geturl()
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        env["KINWISE_DATABASE_URL"] = urlsplit(url)._replace(path=f"/{name}").geturl()
    else:
        env["KINWISE_DATABASE_URL"] = ""
    try:
        for command in (["migrate"], ["demo"]):
            subprocess.run([KINWISE, *command], env=env, check=True, capture_output=True)
        yield env
    finally:
        if name is not None:
            import psycopg

            with psycopg.connect(admin, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def server(database_env: dict[str, str]) -> Iterator[int]:
    port = _free_port()
    process = subprocess.Popen(
        [KINWISE, "serve", "--addr", f"127.0.0.1:{port}", "--workers", "2", "--threads", "4"],
        env=database_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_until_up(process, port)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


def _person_path(browser: Browser) -> str:
    """Aisha's pages (the demo's second story)."""
    status, page = browser.request("GET", "/")
    services = re.findall(r'href="(/services/\d+/)"', page)
    for service in services or ["/"]:
        _, listing = browser.request("GET", service)
        for path in re.findall(r'href="(/people/\d+/)"', listing):
            _, person = browser.request("GET", path)
            if "Aisha" in person:
                return path
    raise AssertionError("Aisha is not in the demo")


def _at_once(*calls: object) -> list[tuple[int, str]]:
    """Run the calls in threads released together; their (status, page) in order."""
    barrier = threading.Barrier(len(calls))
    results: list[tuple[int, str]] = [(0, "")] * len(calls)

    def run(index: int, call: object) -> None:
        barrier.wait()
        results[index] = call()  # type: ignore[operator]

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


VIEW = {
    "date": "2026-01-20",
    "area": "daily_living",
    "method": "verbal",
    "setting": "joint_meeting",
    "captured_by": "lena",
    "present": "lena",
    "direct": "no",
}


def test_simultaneous_saves_lose_nothing_and_never_fail(server: int) -> None:
    one, two = Browser(server), Browser(server)
    one.sign_in("manager", "kinwise-demo")
    two.sign_in("manager", "kinwise-demo")
    person = _person_path(one)
    _, voice = one.request("GET", f"{person}voice/")
    edit = re.findall(r'href="(/people/\d+/edit/voice/[^/"]+/)"', voice)[0]
    statuses: list[int] = []
    for round_ in range(ROUNDS):
        # two new views at the same moment: both are kept
        forms = [one.form(f"{person}add/voice/"), two.form(f"{person}add/voice/")]
        added = _at_once(
            *(
                lambda b=b, f=f, who=who, n=round_: b.request(
                    "POST",
                    f"{person}add/voice/",
                    {**f, **VIEW, "summary": f"Round {n}, said to {who}"},
                )
                for b, f, who in ((one, forms[0], "one"), (two, forms[1], "two"))
            )
        )
        statuses += [status for status, _ in added]
        assert [status for status, _ in added] == [302, 302], round_
        # two changes of one view, both based on the version they opened: one is saved,
        # the other refused with what its user typed kept
        forms = [one.form(edit), two.form(edit)]
        assert forms[0]["based_on"] == forms[1]["based_on"]
        changed = _at_once(
            *(
                lambda b=b, f=f, who=who, n=round_: b.request(
                    "POST", edit, {**f, **VIEW, "summary": f"Round {n}: {who}'s change"}
                )
                for b, f, who in ((one, forms[0], "one"), (two, forms[1], "two"))
            )
        )
        statuses += [status for status, _ in changed]
        assert sorted(status for status, _ in changed) == [302, 400], round_
        refused = next(page for status, page in changed if status == 400)
        assert "Someone else saved a change to this record" in refused
        winner = "one" if changed[0][0] == 302 else "two"
        loser = "two" if winner == "one" else "one"
        assert f"Round {round_}: {loser}&#x27;s change" in refused
        _, voice = one.request("GET", f"{person}voice/")
        assert f"Round {round_}: {winner}&#x27;s change" in voice
    assert 500 not in statuses
    _, voice = one.request("GET", f"{person}voice/")
    for round_ in range(ROUNDS):
        assert f"Round {round_}, said to one" in voice
        assert f"Round {round_}, said to two" in voice
