"""`kinwise worker`: the options its consumer runs with, and its usage errors."""

from __future__ import annotations

import argparse
import os

import pytest

from kinwise.cli import main
from kinwise.commands.worker import consumer_options


def options(*argv: str) -> dict[str, object]:
    from kinwise.cli import build_parser

    args: argparse.Namespace = build_parser().parse_args(["worker", *argv])
    return consumer_options(args)


def test_by_default_one_process_per_core_with_the_scheduler() -> None:
    found = options()
    assert found["workers"] == (os.cpu_count() or 1)
    assert found["worker_type"] == "process"
    assert found["periodic"] is True


def test_an_idle_worker_looks_at_the_queue_at_least_four_times_a_second() -> None:
    found = options()
    assert (found["initial_delay"], found["max_delay"]) == (0.05, 0.25)


def test_workers_and_no_scheduler() -> None:
    found = options("--workers", "3", "--no-scheduler")
    assert (found["workers"], found["periodic"]) == (3, False)


@pytest.mark.parametrize("count", ["0", "65"])
def test_a_count_out_of_range_is_a_usage_error(
    count: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["worker", "--workers", count]) == 2
    out, err = capsys.readouterr()
    assert (out, err) == ("", "kinwise: --workers must be between 1 and 64\n")


def test_no_worker_runs_on_a_queue_in_immediate_mode(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # the tests' queue is in immediate mode (tests/conftest.py)
    assert main(["worker", "--workers", "1"]) == 2
    out, err = capsys.readouterr()
    assert (out, err) == (
        "",
        "kinwise: the queue is in immediate mode (KINWISE_QUEUE_IMMEDIATE): no worker\n",
    )
