"""The time limit of a job: a job that runs longer than ``KINWISE_JOB_TIME_LIMIT``
seconds (default 3600) is ended, so a runaway build does not hold a worker for ever.

``kinwise worker`` runs each job in the main thread of one of its processes, so the limit
is a real-time timer (``SIGALRM``) that raises :class:`JobTimeLimit` inside the job
wherever it is, even in a loop that never asks; the job fails (the queue logs it) and the
worker takes the next one. Limits nest (a job that runs another at once, in immediate
mode): the inner one ends at the earlier of the two deadlines, and the outer one's timer
goes on afterwards. Outside a main thread (a server's request thread running a job in
immediate mode) no timer can be set, and the job runs without one.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


class JobTimeLimit(Exception):  # noqa: N818 - the name says what happened
    """A job ran past its time limit and was ended."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Run the block for at most ``seconds``; past them, :class:`JobTimeLimit` is raised
    in it."""
    if seconds <= 0:
        raise ValueError("a time limit is a positive number of seconds")
    if threading.current_thread() is not threading.main_thread() or not hasattr(
        signal, "setitimer"
    ):
        yield
        return
    started = time.monotonic()
    outer_left, _ = signal.getitimer(signal.ITIMER_REAL)
    limit = min(seconds, outer_left) if outer_left > 0 else seconds
    outer_handler = signal.getsignal(signal.SIGALRM)

    def expired(signum: int, frame: FrameType | None) -> None:
        raise JobTimeLimit(f"the job ran past its time limit of {seconds:g} seconds")

    signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, outer_handler)
        if outer_left > 0:
            # the outer limit's time left (at least a moment, so it still fires)
            left = max(outer_left - (time.monotonic() - started), 0.001)
            signal.setitimer(signal.ITIMER_REAL, left)
