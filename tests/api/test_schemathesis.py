"""Schemathesis over the served OpenAPI document (``/api/v1/openapi.json``), in process
against the WSGI application: every operation, with a token of each role of Riverside,
answers no server error and nothing the document does not describe.

Each operation is driven with the cases schemathesis generates from the document, sent
as they are (mostly ids that name nobody) and with the ids of Riverside, Sam and one of
Sam's records of the operation's kind put in, so that the answers with data are checked
too. The hypothesis profile ``api-ci`` (one case per operation) is the default;
``KINWISE_API_FUZZ_PROFILE=api-deep`` (or ``KINWISE_SCHEMATHESIS_EXAMPLES=N``) runs longer."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from kinwise.records.models import Record
from tests.api.conftest import token_for

# the cases per operation: one in CI ("api-ci"), more for a longer run
# (KINWISE_API_FUZZ_PROFILE=api-deep), or KINWISE_SCHEMATHESIS_EXAMPLES=N
settings.register_profile(
    "api-ci",
    max_examples=1,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
settings.register_profile(
    "api-deep", max_examples=50, deadline=None, suppress_health_check=list(HealthCheck)
)
PROFILE = settings(
    settings.get_profile(os.environ.get("KINWISE_API_FUZZ_PROFILE", "api-ci")),
    **(
        {"max_examples": int(os.environ["KINWISE_SCHEMATHESIS_EXAMPLES"])}
        if os.environ.get("KINWISE_SCHEMATHESIS_EXAMPLES")
        else {}
    ),
)
ROLES = ("worker_here", "leader", "manager", "quality_here")


@pytest.fixture
def tokens(api_world: dict[str, Any]) -> dict[str, str]:
    from kinwise.core.models import StaffRole
    from kinwise.core.services import staff_user_ensure

    riverside = api_world["services"]["riverside"]
    users = dict(api_world["users"])
    users["worker_here"] = staff_user_ensure(
        username="worker-here",
        password="x-long-password-1",
        service=riverside,
        role=StaffRole.SUPPORT_WORKER,
    )
    users["quality_here"] = staff_user_ensure(
        username="quality-here",
        password="x-long-password-1",
        service=riverside,
        role=StaffRole.QUALITY_LEAD,
    )
    return {role: token_for(users[role]).secret for role in ROLES}


# every operation of the document: 87 for format version 1's kinds, services, people,
# findings, work items and reports, and list, read, create, change and entered in error
# for each of the six kinds of format version 2
OPERATIONS = 87 + 5 * 6


@pytest.fixture
def connection_kept() -> Iterator[None]:
    """The test's database connection stays open across the WSGI calls, as Django's test
    client keeps it (a request's end would close it, and the test's transaction with it)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_every_operation_answers_as_the_document_says(
    api_world: dict[str, Any], tokens: dict[str, str], connection_kept: None
) -> None:
    from django.conf import settings as django_settings

    django_settings.ALLOWED_HOSTS = [*django_settings.ALLOWED_HOSTS, "localhost"]
    django_settings.KINWISE_API_RATE = 100_000  # the limit is tested on its own
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    sam = api_world["people"]["sam"]
    riverside = api_world["services"]["riverside"]
    operations = [op.ok() for op in schema.get_all_operations()]
    # format version 1's kinds and the rest (87: the care plan's change included), and five for each kind of version 2
    assert len(operations) == OPERATIONS
    checks = [not_a_server_error, response_schema_conformance]
    ran: set[str] = set()
    statuses: Counter[int] = Counter()

    def calls(case: Any, kind: str | None, label: str) -> None:
        """The case as generated, then with the ids of Riverside, Sam and his record."""
        for real in (False, True):
            if real:
                params = case.path_parameters or {}
                if "person_id" in params:
                    params["person_id"] = sam.pk
                if "service_id" in params:
                    params["service_id"] = riverside.pk
                if "record_id" in params and kind is not None:
                    row = Record.objects.filter(person=sam, kind=kind, superseded_at=None).first()
                    params["record_id"] = row.pk if row is not None else 1
            for role in ROLES:
                headers = {"Authorization": f"Bearer {tokens[role]}"}
                response = case.call(headers=headers)
                case.validate_response(response, checks=checks, headers=headers)
                statuses[response.status_code] += 1
        ran.add(label)

    def test_of(operation: Any) -> Any:
        kind = (
            operation.path.split("/records/")[1].split("/")[0]
            if "/records/" in operation.path
            else None
        )

        @PROFILE
        @given(case=operation.as_strategy())
        def run(case: Any) -> None:
            calls(case, kind, operation.label)

        return run

    for operation in operations:
        test_of(operation)()
    assert len(ran) == OPERATIONS
    # answers with data were checked too, not only refusals
    assert statuses[200] >= 40, statuses
    assert 429 not in statuses and not any(code >= 500 for code in statuses)
