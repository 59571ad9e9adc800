"""`kinwise worker`: run jobs from the queue (kinwise.jobs) until stopped.

    kinwise worker [--workers N] [--no-scheduler]

Takes jobs from the queue that ``KINWISE_QUEUE_URL`` names (without it: the SQLite file
in ``KINWISE_VAR_DIR``) with ``--workers`` processes (default: one per core). Its
scheduler asks for the periodic jobs — the nightly audit, the emails — at their times;
start as many workers as wanted, on as many machines as share the queue: each day's
periodic job runs once however many schedulers ask for it, and ``--no-scheduler``
leaves the asking to the others. Stops on Ctrl+C or SIGTERM, after the jobs running.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from typing import Any

from kinwise.errors import ErrorCode, KinwiseError

MAX_WORKERS = 64


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser("worker", help="run background jobs from the queue")
    parser.add_argument(
        "--workers", type=int, default=None, help="processes (default: one per core)"
    )
    parser.add_argument(
        "--no-scheduler",
        dest="scheduler",
        action="store_false",
        help="do not ask for the periodic jobs (another worker does)",
    )
    parser.set_defaults(handler=run)


# The longest an idle worker waits before it looks at the queue again (seconds).
IDLE_POLL_MOST = 0.25


def consumer_options(args: argparse.Namespace) -> dict[str, Any]:
    """The options of the queue's consumer ``kinwise worker`` runs with."""
    workers = (os.cpu_count() or 1) if args.workers is None else args.workers
    if not 1 <= workers <= MAX_WORKERS:
        raise KinwiseError(ErrorCode.USAGE, f"--workers must be between 1 and {MAX_WORKERS}")
    return {
        "workers": workers,
        # processes: an audit is Python work, which threads of one process do not share
        "worker_type": "process",
        "periodic": args.scheduler,
        # an idle worker looks at the queue again after at most IDLE_POLL_MOST seconds:
        # the SQLite queue cannot wake it, and a job (an audit's chunk, a PDF) waits for
        # that look; four cheap reads a second per idle process
        "initial_delay": 0.05,
        "max_delay": IDLE_POLL_MOST,
        "check_worker_health": True,
    }


def run(args: argparse.Namespace) -> int:
    options = consumer_options(args)
    from kinwise.config.bootstrap import setup_django

    setup_django()
    import kinwise.jobs.tasks  # noqa: F401 - registers the jobs
    from kinwise.jobs.queue import describe, queue

    if queue.immediate:
        raise KinwiseError(
            ErrorCode.USAGE, "the queue is in immediate mode (KINWISE_QUEUE_IMMEDIATE): no worker"
        )
    logger = logging.getLogger("huey")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    sys.stderr.write(
        f"kinwise worker: {options['workers']} process(es) on the queue at {describe(queue)}"
        f"{'' if options['periodic'] else ', without the scheduler'}\n"
    )
    sys.stderr.flush()
    queue.create_consumer(**options).run()
    return 0
