"""The job queue: one Huey instance, chosen by ``settings.KINWISE_QUEUE`` (docs/adr/0040).

``KINWISE_QUEUE_URL`` names a shared queue (``redis://`` or ``postgres://``) that workers
on many machines take jobs from; without it the queue is a SQLite file in
``KINWISE_VAR_DIR``, which needs no server and serves the workers of one machine. In
immediate mode (``KINWISE_QUEUE_IMMEDIATE=1``, and in the tests) a job runs at once in
the process that asks for it, and nothing is stored.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from huey import Huey, PostgresHuey, RedisHuey, SqliteHuey

from kinwise.errors import ErrorCode, KinwiseError

QUEUE_NAME = "kinwise"
REDIS_SCHEMES = ("redis://", "rediss://", "unix://")
POSTGRES_SCHEMES = ("postgres://", "postgresql://")
SQLITE_SCHEME = "sqlite:///"


def build_queue(*, url: str, sqlite_path: Path, immediate: bool = False) -> Huey:
    """The queue the URL names: Redis, PostgreSQL or a SQLite file (``sqlite:////abs/path``);
    an empty URL is the SQLite file at ``sqlite_path``."""
    if url.startswith(REDIS_SCHEMES):
        return RedisHuey(QUEUE_NAME, url=url, immediate=immediate)
    if url.startswith(POSTGRES_SCHEMES):
        return PostgresHuey(QUEUE_NAME, dsn=url, immediate=immediate)
    if url.startswith(SQLITE_SCHEME) and len(url) > len(SQLITE_SCHEME):
        # as database URLs: sqlite:///relative/path, sqlite:////absolute/path
        sqlite_path = Path(url[len(SQLITE_SCHEME) :])
    elif url:
        raise KinwiseError(
            ErrorCode.USAGE,
            "KINWISE_QUEUE_URL must start with redis://, postgres:// or sqlite:///",
        )
    if not immediate:
        sqlite_path.parent.mkdir(parents=True, exist_ok=True)
    # strict FIFO: jobs are taken in the order they were asked for
    return SqliteHuey(QUEUE_NAME, filename=str(sqlite_path), immediate=immediate, strict_fifo=True)


def _from_settings() -> Huey:
    config: dict[str, Any] = settings.KINWISE_QUEUE
    return build_queue(
        url=str(config["url"]),
        sqlite_path=Path(config["sqlite_path"]),
        immediate=bool(config["immediate"]),
    )


queue: Huey = _from_settings()
"""The application's queue; the jobs (kinwise.jobs.tasks) are registered on it."""


def describe(q: Huey) -> str:
    """Where the queue is, for a person starting a worker (no password shown)."""
    storage = q.storage
    if q.immediate:
        return "immediate (each job runs where it is asked for)"
    name = type(storage).__name__
    if name.startswith("Sqlite"):
        return f"SQLite file {getattr(storage, 'filename', '?')}"
    if name.startswith("Redis") or name.startswith("PriorityRedis"):
        kwargs = storage.pool.connection_kwargs
        return f"Redis at {kwargs.get('host', '?')}:{kwargs.get('port', '?')}"
    return "PostgreSQL"
