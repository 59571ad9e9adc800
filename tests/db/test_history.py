from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User

from kinwise.core.history import person_history, record_history
from kinwise.core.models import Service
from kinwise.records.models import Person
from kinwise.records.services import casefile_import

T1 = dt.datetime(2026, 5, 20, 12, tzinfo=dt.UTC)
T2 = dt.datetime(2026, 11, 30, 12, tzinfo=dt.UTC)


@pytest.mark.django_db
def test_person_history_lists_every_version_newest_first(
    example: Callable[[str], Any], riverside: Service, django_assert_num_queries: Any
) -> None:
    ruth = User.objects.create_user(username="ruth")
    casefile_import(
        casefile=example("01-risk-and-independence.before.yaml"),
        service=riverside,
        actor=None,
        at=T1,
    )
    casefile_import(
        casefile=example("01-risk-and-independence.yaml"), service=riverside, actor=ruth, at=T2
    )
    person = Person.objects.get()

    with django_assert_num_queries(1):
        history = person_history(person=person)
        actors = {v.actor.username if v.actor else None for v in history}

    assert len(history) == 14 + 19
    assert [v.created_at for v in history] == [T2] * 19 + [T1] * 14
    assert actors == {"ruth", None}
    assert all(v.actor_id == ruth.pk for v in history[:19])


@pytest.mark.django_db
def test_record_history_gives_each_version_with_its_previous(
    example: Callable[[str], Any], riverside: Service
) -> None:
    casefile_import(
        casefile=example("03-historic-arrangement.before.yaml"),
        service=riverside,
        actor=None,
        at=T1,
    )
    casefile_import(
        casefile=example("03-historic-arrangement.yaml"), service=riverside, actor=None, at=T2
    )
    person = Person.objects.get()

    versions = record_history(person=person, kind="task", external_id="t-mark-meds")

    assert [(v.version, v.action) for v in versions] == [(2, "updated"), (1, "created")]
    latest, previous = versions
    assert previous.snapshot == {
        "id": "t-mark-meds",
        "task": "administer_medication",
        "area": "medication",
        "holder": "mark",
        "since": "2015-09-01",
    }
    assert latest.snapshot == previous.snapshot | {"ended": "2026-07-01"}
    assert (latest.created_at, previous.created_at) == (T2, T1)
    assert record_history(person=person, kind="task", external_id="nope") == []
