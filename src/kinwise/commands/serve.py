"""`kinwise serve`: the web application on an address, with gunicorn.

gunicorn runs ``--workers`` processes of ``--threads`` threads each: pages are Python
work, so processes (one or two per core) are what serve users at once; threads cover
the time a request waits for the database. Static files (the NHS.UK frontend, HTMX, the
application's own) are served by WhiteNoise from where they are installed, with no
collect step. ``--dev`` runs Django's development server instead (one process).

Each request's own time limit is ``KINWISE_REQUEST_TIME_LIMIT`` (kinwise.web.time_limit:
its build stops at the next step past it). ``--timeout`` (default
``KINWISE_REQUEST_TIMEOUT``, 120 seconds) is gunicorn's worker timeout behind it: a worker
process that has not answered gunicorn's arbiter for that long is killed and replaced
(docs/security.md).
"""

from __future__ import annotations

import argparse
import gc
import os
from typing import Any

from kinwise.errors import ErrorCode, KinwiseError

MAX_WORKERS = 64
MAX_THREADS = 64
REQUEST_TIMEOUT_DEFAULT = 120
REQUEST_TIMEOUT_LEAST = 5
REQUEST_TIMEOUT_MOST = 3600


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser("serve", help="serve the web application")
    parser.add_argument("--addr", default="127.0.0.1:8000", help="address:port to listen on")
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        help="processes (default: one per core)",
    )
    parser.add_argument("--threads", type=int, default=4, help="threads per process (default 4)")
    parser.add_argument(
        "--timeout",
        type=int,
        default=None,
        help="seconds a request may take before its worker is replaced "
        "(default KINWISE_REQUEST_TIMEOUT, 120)",
    )
    parser.add_argument(
        "--dev",
        action="store_true",
        help="Django's development server (one process) instead of gunicorn",
    )
    parser.set_defaults(handler=run)


def _address(addr: str) -> tuple[str, int]:
    host, sep, port = addr.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise KinwiseError(ErrorCode.USAGE, f"--addr must be host:port, not '{addr}'")
    return host, int(port)


def _count(value: int | None, default: int, name: str, most: int) -> int:
    chosen = default if value is None else value
    if not 1 <= chosen <= most:
        raise KinwiseError(ErrorCode.USAGE, f"--{name} must be between 1 and {most}")
    return chosen


def gunicorn_options(args: argparse.Namespace) -> dict[str, Any]:
    """The gunicorn settings ``kinwise serve`` runs with."""
    host, port = _address(args.addr)
    workers = _count(args.workers, os.cpu_count() or 1, "workers", MAX_WORKERS)
    threads = _count(args.threads, 4, "threads", MAX_THREADS)
    return {
        "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        # one thread: the sync worker, whose timeout ends a request that runs too long
        "worker_class": "gthread" if threads > 1 else "sync",
        # load the application once, before forking: a configuration error stops the
        # server at once, and the workers share the loaded code
        "preload_app": True,
        "timeout": request_timeout(getattr(args, "timeout", None)),
        "graceful_timeout": 10,
        "accesslog": None,  # request lines name people's pages: not logged
        "errorlog": "-",
        "loglevel": "info",
        "proc_name": "kinwise",
        "control_socket_disable": True,
    }


def request_timeout(value: int | None) -> int:
    """``--timeout``, or ``KINWISE_REQUEST_TIMEOUT``, or 120 seconds."""
    if value is None:
        from kinwise.config.security import int_setting

        return int_setting(
            "KINWISE_REQUEST_TIMEOUT",
            REQUEST_TIMEOUT_DEFAULT,
            least=REQUEST_TIMEOUT_LEAST,
            most=REQUEST_TIMEOUT_MOST,
        )
    if not REQUEST_TIMEOUT_LEAST <= value <= REQUEST_TIMEOUT_MOST:
        raise KinwiseError(
            ErrorCode.USAGE,
            f"--timeout must be between {REQUEST_TIMEOUT_LEAST} and {REQUEST_TIMEOUT_MOST}",
        )
    return value


def settle_before_fork() -> None:
    """Collect once, then move everything loaded so far (the code, the URL patterns, the
    settings) out of the garbage collector's reach: a worker's full collections then scan
    only what its requests made, not the whole application again (a full collection of a
    loaded process took 60-90 ms, landing on whichever request set it off), and the
    loaded pages of memory stay shared by the forked workers instead of being copied
    when the collector touches them (the use Python's ``gc.freeze`` documents)."""
    gc.collect()
    gc.freeze()


def run(args: argparse.Namespace) -> int:
    from kinwise.config.bootstrap import setup_django

    if args.dev:
        _address(args.addr)
        setup_django()
        from django.core.management import call_command

        call_command("runserver", args.addr, use_reloader=False)
        return 0

    options = gunicorn_options(args)
    setup_django()
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            from django.urls import get_resolver

            from kinwise.config.wsgi import application

            # import every view (and what they draw with) once, before the workers fork
            get_resolver().url_patterns  # noqa: B018
            settle_before_fork()
            return application

    Server().run()
    return 0
