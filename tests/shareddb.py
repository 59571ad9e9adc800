"""Data made once for a whole test module, as Django's ``TestCase.setUpTestData`` makes it
for a class (docs/adr/0150-test-tiers.md).

:func:`kept_for_module` opens a transaction, runs ``make`` in it, and keeps the
transaction open while the module's tests run: each test's own transaction (pytest-django's
``db``) is a savepoint inside it, rolled back after the test, so a test's changes never
reach the next one; the whole transaction is rolled back after the module, so nothing
reaches the next module. Only for modules whose tests all use ``db`` (a transactional test
or the live server flushes the database, and would empty the kept data).

Tests change kept objects in memory too (``user.is_active = False``): a test takes a deep
copy of what was made (:func:`fresh`), as ``setUpTestData`` gives each test its own copy.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from django.db import transaction
from django.test.utils import override_settings

T = TypeVar("T")

FAST_PASSWORDS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def kept_for_module(django_db_blocker: Any, make: Callable[[], T]) -> Iterator[T]:
    """The body of a module-scoped fixture: ``yield from kept_for_module(blocker, make)``."""
    _as_in_every_test()
    with django_db_blocker.unblock():
        atomic = transaction.atomic(using="default")
        # as Django's TestCase marks its own: a durable block inside is still allowed
        atomic._from_testcase = True  # type: ignore[attr-defined]
        atomic.__enter__()
        try:
            with override_settings(PASSWORD_HASHERS=FAST_PASSWORDS):
                made = make()
        except BaseException:
            transaction.set_rollback(True, using="default")
            atomic.__exit__(None, None, None)
            raise
    try:
        yield made
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True, using="default")
            atomic.__exit__(None, None, None)


def _as_in_every_test() -> None:
    """What tests/conftest.py's autouse fixtures do before each test (they run after a
    module's fixtures): jobs run at once, from an empty queue, and no kept person views."""
    from django.core.cache import caches

    from kinwise.jobs.queue import queue
    from kinwise.web.personview import person_views_clear

    queue.immediate = True
    queue.storage.flush_results()
    queue.storage.flush_queue()
    person_views_clear()
    caches["template_fragments"].clear()


def fresh(made: T) -> T:
    """A test's own copy of the kept objects (their rows are the same)."""
    return copy.deepcopy(made)
