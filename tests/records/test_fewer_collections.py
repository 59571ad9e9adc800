"""A streamed read of many case files raises the young generation's garbage-collection
threshold while it runs, and puts it back however it ends (kinwise.records.reading)."""

from __future__ import annotations

import gc
import threading

import pytest

from kinwise.records.reading import BATCH_GC_THRESHOLD, fewer_collections


@pytest.fixture(autouse=True)
def default_threshold() -> object:
    saved = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield
    gc.set_threshold(*saved)


def test_the_threshold_is_raised_inside_and_restored_after() -> None:
    with fewer_collections():
        assert gc.get_threshold() == (BATCH_GC_THRESHOLD, 10, 10)
    assert gc.get_threshold() == (700, 10, 10)


def test_it_is_restored_when_the_batch_fails() -> None:
    with pytest.raises(RuntimeError), fewer_collections():
        raise RuntimeError("a person's audit failed")
    assert gc.get_threshold() == (700, 10, 10)


def test_nested_and_concurrent_batches_restore_it_once_the_last_ends() -> None:
    inside, release = threading.Event(), threading.Event()

    def other() -> None:
        with fewer_collections():
            inside.set()
            release.wait(10)

    thread = threading.Thread(target=other)
    thread.start()
    inside.wait(10)
    with fewer_collections():
        with fewer_collections():
            assert gc.get_threshold()[0] == BATCH_GC_THRESHOLD
        assert gc.get_threshold()[0] == BATCH_GC_THRESHOLD
    assert gc.get_threshold()[0] == BATCH_GC_THRESHOLD  # the other batch still runs
    release.set()
    thread.join(10)
    assert gc.get_threshold() == (700, 10, 10)


def test_a_higher_threshold_set_by_the_deployment_is_kept() -> None:
    gc.set_threshold(100_000, 10, 10)
    with fewer_collections():
        assert gc.get_threshold() == (100_000, 10, 10)
    assert gc.get_threshold() == (100_000, 10, 10)


@pytest.mark.django_db
def test_the_audit_of_a_service_reads_under_the_raised_threshold() -> None:
    from kinwise.casefile.load import load_casefile
    from kinwise.core.models import Organisation, Service
    from kinwise.records.selectors import casefiles_map
    from kinwise.records.services import casefile_import
    from tests.conftest import CASEFILES, EXAMPLES

    organisation = Organisation.objects.create(slug="acme", name="Acme Care")
    service = Service.objects.create(organisation=organisation, external_id="riverside", name="R")
    for name in EXAMPLES:
        casefile_import(casefile=load_casefile(CASEFILES / name), service=service, actor=None)
    seen = casefiles_map(
        service="riverside", person=None, each=lambda casefile: gc.get_threshold()[0]
    )
    people = {load_casefile(CASEFILES / name).person.id for name in EXAMPLES}
    assert len(people) >= 2
    assert seen == [BATCH_GC_THRESHOLD] * len(people)
    assert gc.get_threshold() == (700, 10, 10)
