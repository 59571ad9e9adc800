"""A deadline for the work of one request: the long builds look at it as they go.

:class:`kinwise.web.time_limit.RequestTimeLimitMiddleware` gives each request a deadline
(``KINWISE_REQUEST_TIME_LIMIT`` seconds); the loops that grow with the size of what they
read (every person of a service, every month of a period, every version of a history)
call :func:`check_deadline` once a step, which raises :class:`TimeLimitReached` once the
deadline has passed. So a runaway build stops at the next step, where stopping is safe (a
step boundary, never inside a library's own work), and its transaction is rolled back like
any error's. Outside a request (a command, a job: the job queue has its own limit,
kinwise.jobs.limits) there is no deadline and checking costs one context lookup.

Pure: no Django, so the readings and reports may check too.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from kinwise.errors import ErrorCode, KinwiseError

# when the current deadline ends (time.monotonic) and the limit it was set with
_deadline: ContextVar[tuple[float, float] | None] = ContextVar("kinwise_deadline", default=None)


class TimeLimitReached(KinwiseError):
    """The work ran past its deadline and was stopped at a step."""

    def __init__(self, seconds: float) -> None:
        super().__init__(
            ErrorCode.TIME_LIMIT, f"stopped after its time limit of {seconds:g} seconds"
        )
        self.seconds = seconds


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """The block's work must be done within ``seconds`` (an inner deadline never extends
    an outer one)."""
    if seconds <= 0:
        raise ValueError("a deadline is a positive number of seconds")
    mine = (time.monotonic() + seconds, seconds)
    outer = _deadline.get()
    token = _deadline.set(mine if outer is None or mine[0] < outer[0] else outer)
    try:
        yield
    finally:
        _deadline.reset(token)


def check_deadline() -> None:
    """Raise :class:`TimeLimitReached` if the current deadline has passed."""
    current = _deadline.get()
    if current is not None and time.monotonic() >= current[0]:
        raise TimeLimitReached(current[1])
