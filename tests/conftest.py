"""Shared fixtures: the example case files (the project's copies) and a tenancy to import into."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import kinwise
from tests import tiers

# The tier's Hypothesis profile (tests/tiers.py): `make test` runs "ci", `make test-long` "long".
tiers.load()

CASEFILES = Path(kinwise.__file__).resolve().parent / "demo" / "casefiles"
EXAMPLES = sorted(p.name for p in CASEFILES.glob("*.yaml"))


@pytest.fixture(scope="session", autouse=True)
def _live_server_one_request_at_a_time_on_shared_sqlite() -> Iterator[None]:
    """See tests/liveserver.py: set before the session's live server starts."""
    from django.test.testcases import LiveServerThread

    from tests.liveserver import OneRequestAtATimeServer

    before = LiveServerThread.server_class
    LiveServerThread.server_class = OneRequestAtATimeServer
    yield
    LiveServerThread.server_class = before


@pytest.fixture(scope="session", autouse=True)
def _flush_past_the_access_log_guard() -> Iterator[None]:
    """A transactional test's flush empties the append-only access log (tests/logguard.py);
    the guard is back as soon as the flush is done."""
    from tests.logguard import flush_lifts_the_guard

    undo = flush_lifts_the_guard()
    yield
    undo()


@pytest.fixture(scope="session", autouse=True)
def _each_document_drawn_once() -> Iterator[None]:
    """WeasyPrint draws the same HTML into the same PDF; the route matrix and the fuzz ask
    for the same report as each of their viewers, so the run keeps the PDF of each
    document it drew (by its whole HTML) and answers a second request for it with the
    same bytes. Any new HTML is drawn for real (docs/adr/0150-test-tiers.md)."""
    import hashlib
    from collections import OrderedDict

    try:
        import weasyprint
    except (ImportError, OSError):  # no Pango here: the PDF tests say so themselves
        yield
        return

    original = weasyprint.HTML
    kept: OrderedDict[tuple[str, str | None], bytes] = OrderedDict()

    class KeptHTML(original):  # type: ignore[misc, valid-type]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            string = kwargs.get("string")
            plain = not args and set(kwargs) <= {"string", "base_url"} and isinstance(string, str)
            self._kept_key = (
                (hashlib.sha256(string.encode()).hexdigest(), kwargs.get("base_url"))
                if plain
                else None
            )

        def write_pdf(self, target: Any = None, **options: Any) -> Any:
            key = self._kept_key
            if key is None or target is not None or options:
                return super().write_pdf(target, **options)
            if key not in kept:
                kept[key] = super().write_pdf()
                while len(kept) > 64:
                    kept.popitem(last=False)
            kept.move_to_end(key)
            return kept[key]

    weasyprint.HTML = KeptHTML
    yield
    weasyprint.HTML = original


@pytest.fixture(autouse=True)
def _fresh_person_views() -> None:
    """Each test starts with no kept person views or pages: database ids (and so data
    stamps) can recur across tests whose transactions were rolled back."""
    from django.core.cache import caches

    from kinwise.reports.kept import reports_kept_clear
    from kinwise.web.personview import person_views_clear

    person_views_clear()
    reports_kept_clear()
    caches["template_fragments"].clear()


@pytest.fixture(autouse=True)
def _demo_without_synthetic_people(monkeypatch: pytest.MonkeyPatch) -> None:
    """`kinwise demo` leaves out its synthetic service (minutes of work in a worker):
    tests/db/test_demo_synthetic.py asks for it."""
    monkeypatch.setenv("KINWISE_DEMO_SYNTHETIC_PEOPLE", "0")


@pytest.fixture(autouse=True)
def _jobs_at_once() -> None:
    """The queue in immediate mode: a job runs where it is asked for, in the test's
    transaction, and each test starts with an empty queue store (tests/jobs start real
    workers of their own)."""
    from kinwise.jobs.queue import queue

    queue.immediate = True
    queue.storage.flush_results()
    queue.storage.flush_queue()


@pytest.fixture
def casefiles_dir() -> Path:
    return CASEFILES


@pytest.fixture
def example() -> Callable[[str], Any]:
    """Load an example case file by file name (validated)."""
    from kinwise.casefile.load import load_casefile

    def load(name: str) -> Any:
        return load_casefile(CASEFILES / name)

    return load
