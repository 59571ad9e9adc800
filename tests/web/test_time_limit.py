"""A request past its time limit is stopped at the next step of its build with a plain
503, its transaction rolled back; the real builds (a service's report, its people read
one by one) check the limit as they go (kinwise.deadline, kinwise.web.time_limit)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, override_settings

from kinwise.core.models import Organisation
from kinwise.deadline import TimeLimitReached, check_deadline, deadline
from kinwise.errors import ErrorCode
from kinwise.records.models import Person
from kinwise.reports.kept import reports_kept_clear
from tests.web.conftest import client_for

SLOW = pytest.mark.urls("tests.web.slow_urls")


@SLOW
@pytest.mark.django_db
@override_settings(KINWISE_REQUEST_TIME_LIMIT=1)
def test_a_runaway_page_is_stopped_with_a_plain_503() -> None:
    # the page never ends by itself: an answer at all means it was stopped
    response = Client().get("/runaway/")
    assert response.status_code == 503
    text = response.content.decode()
    assert "This took too long" in text
    assert "after 1 seconds" in text
    assert "Nothing was changed" in text


@SLOW
@pytest.mark.django_db
@override_settings(KINWISE_REQUEST_TIME_LIMIT=1)
def test_what_a_stopped_request_wrote_is_rolled_back() -> None:
    before = Organisation.objects.count()
    assert Client().get("/runaway-write/").status_code == 503
    assert Organisation.objects.count() == before
    assert not Organisation.objects.filter(slug="written-then-stopped").exists()


@SLOW
@pytest.mark.django_db
@override_settings(KINWISE_REQUEST_TIME_LIMIT=1)
def test_the_next_request_has_its_own_time() -> None:
    client = Client()
    assert client.get("/runaway/").status_code == 503
    response = client.get("/quick/")
    assert (response.status_code, response.content) == (200, b"done")
    check_deadline()  # outside a request: no deadline left behind


@SLOW
@pytest.mark.django_db
@override_settings(KINWISE_REQUEST_TIME_LIMIT=0)
def test_no_limit_when_it_is_zero() -> None:
    response = Client().get("/quick/")
    assert response.status_code == 200


def test_a_deadline_is_checked_at_steps_and_never_extended() -> None:
    with deadline(3600):
        check_deadline()
        with deadline(0.000_001), pytest.raises(TimeLimitReached) as stopped:
            while True:
                check_deadline()
        assert stopped.value.code is ErrorCode.TIME_LIMIT
        assert stopped.value.seconds == 0.000_001
        check_deadline()  # the outer hour goes on
    # an inner deadline is never longer than the one outside it
    with deadline(0.000_001), deadline(3600), pytest.raises(TimeLimitReached):
        while True:
            check_deadline()
    with pytest.raises(ValueError, match="positive"), deadline(0):
        pass


def test_the_service_report_checks_the_limit_person_by_person(
    world: dict[str, Any], people: dict[str, Person]
) -> None:
    service = people["sam"].service
    url = f"/services/{service.pk}/report/?from=2026-01-01&to=2026-06-30"
    client = client_for(world["users"]["manager"])
    assert client.get(url).status_code == 200
    # a report kept in the process is read, not built: forget it so the next one is built
    reports_kept_clear()
    with override_settings(KINWISE_REQUEST_TIME_LIMIT=0.000_001):
        stopped = client.get(url)
    assert stopped.status_code == 503
    assert "This took too long" in stopped.content.decode()
