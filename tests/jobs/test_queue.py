"""The queue the settings name: a SQLite file by default, Redis or PostgreSQL by URL."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from huey import PostgresHuey, RedisHuey, SqliteHuey

from kinwise.errors import KinwiseError
from kinwise.jobs.queue import build_queue, describe


def test_without_a_url_the_queue_is_a_sqlite_file_in_the_var_dir(tmp_path: Path) -> None:
    queue = build_queue(url="", sqlite_path=tmp_path / "var" / "queue.sqlite3")
    assert isinstance(queue, SqliteHuey)
    assert queue.storage.filename == str(tmp_path / "var" / "queue.sqlite3")
    assert describe(queue) == f"SQLite file {tmp_path / 'var' / 'queue.sqlite3'}"


def test_a_sqlite_url_names_the_file(tmp_path: Path) -> None:
    queue = build_queue(url=f"sqlite:///{tmp_path}/q.db", sqlite_path=tmp_path / "unused")
    assert queue.storage.filename == f"{tmp_path}/q.db"


def test_a_redis_url_is_a_redis_queue(tmp_path: Path) -> None:
    queue = build_queue(url="redis://127.0.0.1:6379/5", sqlite_path=tmp_path / "q")
    assert isinstance(queue, RedisHuey)
    assert describe(queue) == "Redis at 127.0.0.1:6379"
    assert queue.storage.pool.connection_kwargs["db"] == 5
    assert not (tmp_path / "q").exists()


def test_a_postgres_url_is_a_postgres_queue(tmp_path: Path) -> None:
    # immediate: built without connecting (the storage is in memory)
    queue = build_queue(
        url="postgres://postgres@127.0.0.1:5432/h_jobs", sqlite_path=tmp_path, immediate=True
    )
    assert isinstance(queue, PostgresHuey)
    assert describe(queue) == "immediate (each job runs where it is asked for)"


@pytest.mark.parametrize(
    "url", ["amqp://localhost", "localhost:6379", "sqlite://relative", "sqlite:///"]
)
def test_another_url_is_refused(url: str, tmp_path: Path) -> None:
    with pytest.raises(KinwiseError) as caught:
        build_queue(url=url, sqlite_path=tmp_path / "q")
    assert caught.value.message == (
        "KINWISE_QUEUE_URL must start with redis://, postgres:// or sqlite:///"
    )


def test_a_real_redis_queue_takes_and_gives_back_a_job(tmp_path: Path) -> None:
    """Redis on 127.0.0.1:6379: a job put on the queue by one Huey is read by another."""
    # a Redis database of each run's own: CI runs the SQLite and PostgreSQL suites at once
    url = f"redis://127.0.0.1:6379/{13 if os.environ.get('KINWISE_DATABASE_URL') else 14}"
    producer = build_queue(url=url, sqlite_path=tmp_path / "q")
    producer.storage.flush_queue()

    @producer.task(name="add")
    def add(a: int, b: int) -> int:
        return a + b

    add(2, 3)
    assert producer.pending_count() == 1
    consumer = build_queue(url=url, sqlite_path=tmp_path / "q")
    consumer.task(name="add")(lambda a, b: a + b)
    task = consumer.dequeue()
    assert task is not None
    assert consumer.execute(task) == 5
    assert consumer.pending_count() == 0
