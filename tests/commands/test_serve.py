"""`kinwise serve`: gunicorn with processes and threads, static files served, bad
options refused before anything starts."""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
from http.client import HTTPConnection
from pathlib import Path

import pytest

from kinwise.cli import main
from kinwise.commands.serve import gunicorn_options

KINWISE = str(Path(sys.executable).with_name("kinwise"))


def options(**given: object) -> argparse.Namespace:
    values: dict[str, object] = {"addr": "127.0.0.1:8000", "workers": None, "threads": 4}
    values.update(given)
    return argparse.Namespace(**values)


def test_gunicorn_runs_one_process_per_core_with_threads_by_default() -> None:
    chosen = gunicorn_options(options())
    assert chosen["bind"] == "127.0.0.1:8000"
    assert chosen["workers"] == (os.cpu_count() or 1)
    assert chosen["threads"] == 4
    assert chosen["worker_class"] == "gthread"
    assert chosen["accesslog"] is None


def test_workers_threads_and_an_ipv6_address_are_taken_as_given() -> None:
    chosen = gunicorn_options(options(addr="::1:9000", workers=3, threads=1))
    assert (chosen["bind"], chosen["workers"], chosen["threads"]) == ("[::1]:9000", 3, 1)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--addr", "8000"], "--addr must be host:port, not '8000'"),
        (["--addr", "localhost:0"], "--addr must be host:port"),
        (["--addr", "localhost:65536"], "--addr must be host:port"),
        (["--workers", "0"], "--workers must be between 1 and 64"),
        (["--threads", "65"], "--threads must be between 1 and 64"),
    ],
)
def test_bad_options_are_a_usage_error(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["serve", *argv]) == 2
    assert message in capsys.readouterr().err


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _get(port: int, path: str) -> tuple[int, bytes, str]:
    connection = HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read(), response.getheader("Content-Type", "")
    finally:
        connection.close()


def _serve(tmp_path: Path, *argv: str, **env: str) -> subprocess.Popen[bytes]:
    environment = dict(os.environ, KINWISE_VAR_DIR=str(tmp_path), KINWISE_DATABASE_URL="")
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    environment.update(env)
    return subprocess.Popen(
        [KINWISE, "serve", *argv],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def test_serves_pages_and_static_files_with_several_processes(tmp_path: Path) -> None:
    env = dict(os.environ, KINWISE_VAR_DIR=str(tmp_path), KINWISE_DATABASE_URL="")
    env.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run([KINWISE, "migrate"], env=env, check=True, capture_output=True)
    port = _free_port()
    server = _serve(
        tmp_path,
        "--addr",
        f"127.0.0.1:{port}",
        "--workers",
        "2",
        "--threads",
        "2",
        KINWISE_SECRET_KEY="a-test-only-secret-key-" + "k" * 40,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            assert server.poll() is None, server.stderr.read() if server.stderr else b""
            try:
                status, body, _ = _get(port, "/accounts/login/")
                break
            except OSError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        assert status == 200
        assert b"<form" in body

        status, body, kind = _get(port, "/static/htmx/htmx.min.js")
        assert status == 200
        assert kind.startswith("text/javascript")
        assert body.startswith(b"var htmx=") or b"htmx" in body[:200]

        assert _get(port, "/static/htmx/no-such-file.js")[0] == 404
    finally:
        server.terminate()
        server.wait(timeout=20)
    assert server.returncode == 0
    workers = (server.stderr.read() if server.stderr else b"").count(b"Booting worker")
    assert workers == 2


def test_refuses_the_development_secret_key_without_debug(tmp_path: Path) -> None:
    server = _serve(tmp_path, "--addr", f"127.0.0.1:{_free_port()}", KINWISE_SECRET_KEY="")
    try:
        _, err = server.communicate(timeout=30)
    finally:
        if server.poll() is None:
            server.kill()
    assert server.returncode != 0
    assert b"set KINWISE_SECRET_KEY to serve Kinwise" in err


def test_the_loaded_application_is_moved_out_of_the_collectors_reach_before_forking() -> None:
    import gc

    from kinwise.commands.serve import settle_before_fork

    assert gc.get_freeze_count() == 0
    try:
        settle_before_fork()
        frozen = gc.get_freeze_count()
        assert frozen > 1000  # the test process's loaded modules, settings and so on
        assert gc.get_count()[2] == 0 and len(gc.get_objects(generation=2)) < frozen / 10
    finally:
        gc.unfreeze()
    assert gc.get_freeze_count() == 0
