"""Time limits: a job that would run for ever is ended at KINWISE_JOB_TIME_LIMIT (a
timer that interrupts it wherever it is), nested limits keep the earlier deadline, and
`kinwise serve` gives gunicorn its request time limit (--timeout, or
KINWISE_REQUEST_TIMEOUT)."""

from __future__ import annotations

import argparse
import signal
import threading
import time
from typing import Any

import pytest

from kinwise.cli import main
from kinwise.commands.serve import gunicorn_options
from kinwise.jobs.limits import JobTimeLimit, time_limit


def forever() -> None:
    while True:  # a runaway build: never asks whether it should stop
        pass


def test_a_job_that_would_run_for_ever_is_ended() -> None:
    started = time.monotonic()
    with pytest.raises(JobTimeLimit) as ended, time_limit(0.3):
        forever()
    took = time.monotonic() - started
    assert 0.3 <= took < 2.0
    assert str(ended.value) == "the job ran past its time limit of 0.3 seconds"
    # nothing is left set: no timer, the handler as before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, signal.default_int_handler, None)


def test_a_job_within_its_limit_is_untouched() -> None:
    with time_limit(5):
        value = sum(range(1000))
    assert value == 499500
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_nested_limits_end_at_the_earlier_deadline_and_the_outer_goes_on() -> None:
    started = time.monotonic()
    # the inner job's own, longer limit: the outer's still holds
    with pytest.raises(JobTimeLimit) as ended, time_limit(0.5), time_limit(30):
        forever()
    assert time.monotonic() - started < 2.0
    assert str(ended.value) == "the job ran past its time limit of 30 seconds"
    started = time.monotonic()
    with pytest.raises(JobTimeLimit), time_limit(0.6):
        with time_limit(0.1):
            time.sleep(0.01)  # the inner ends in time
        forever()  # the outer's timer was put back
    assert 0.5 <= time.monotonic() - started < 2.0


def test_outside_the_main_thread_no_timer_is_set() -> None:
    seen: list[Any] = []

    def run() -> None:
        with time_limit(0.05):
            time.sleep(0.2)
        seen.append(signal.getitimer(signal.ITIMER_REAL))

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(5)
    assert seen == [(0.0, 0.0)]


def test_a_bad_limit_is_refused() -> None:
    with (
        pytest.raises(ValueError, match="a time limit is a positive number of seconds"),
        time_limit(0),
    ):
        pass


@pytest.mark.django_db
def test_every_job_of_the_queue_runs_within_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """A real job of the queue (the service audit keeper) whose work never ends: the queue's
    job wrapper ends it."""
    from kinwise.core.models import Organisation, Service
    from kinwise.jobs import nightly, tasks

    organisation = Organisation.objects.create(slug="acme", name="Acme")
    service = Service.objects.create(organisation=organisation, external_id="s", name="S")
    monkeypatch.setattr(tasks, "JOB_TIME_LIMIT", 0.3)
    monkeypatch.setattr(nightly, "service_audit_keep", lambda **kwargs: forever())
    started = time.monotonic()
    with pytest.raises(JobTimeLimit):
        tasks.service_audit_keep_job.call_local([], service_pk=service.pk, as_of=None, since=None)
    assert time.monotonic() - started < 2.0


def test_the_default_job_limit_is_an_hour() -> None:
    from kinwise.jobs import tasks

    assert tasks.JOB_TIME_LIMIT == 3600.0


def options(**given: object) -> argparse.Namespace:
    values: dict[str, object] = {"addr": "127.0.0.1:8000", "workers": 2, "threads": 4}
    values.update(given)
    return argparse.Namespace(**values)


def test_serve_gives_gunicorn_the_request_time_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KINWISE_REQUEST_TIMEOUT", raising=False)
    assert gunicorn_options(options())["timeout"] == 120
    assert gunicorn_options(options(timeout=30))["timeout"] == 30
    monkeypatch.setenv("KINWISE_REQUEST_TIMEOUT", "45")
    assert gunicorn_options(options())["timeout"] == 45
    # one thread a process: the sync worker, whose timeout ends any request running longer
    chosen = gunicorn_options(options(threads=1, timeout=10))
    assert (chosen["worker_class"], chosen["timeout"]) == ("sync", 10)
    assert gunicorn_options(options(threads=2))["worker_class"] == "gthread"


@pytest.mark.parametrize("value", ["4", "3601"])
def test_a_request_time_limit_out_of_bounds_is_a_usage_error(
    value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["serve", "--timeout", value]) == 2
    assert "--timeout must be between 5 and 3600" in capsys.readouterr().err
