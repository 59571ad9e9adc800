"""A call with no live token (none, a bad one, a revoked one, a browser session) answers
401 and is logged as every refusal is: a ``kinwise.access`` line and an access-log entry
with no user, the client's address and the operation, in the chain of what it names;
never the secret sent (docs/access.md, "Refusals")."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.test import Client

from kinwise.accesslog.log import verify
from kinwise.accesslog.models import NO_ORGANISATION, AccessLogEntry
from tests.api.conftest import Api, token_for
from tests.web.conftest import client_for

BAD = "kw_" + "x" * 43


def _entries() -> list[tuple[Any, ...]]:
    return [
        (e.chain, e.user_pk, e.role, e.subject, e.person_pk, e.service_pk, e.page, e.purpose)
        + (e.allowed, e.client)
        for e in AccessLogEntry.objects.order_by("id")
    ]


def test_calls_without_a_live_token_are_refusals_in_the_access_log(
    api_world: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    sam = api_world["people"]["sam"]
    riverside = api_world["services"]["riverside"]
    acme = riverside.organisation_id
    revoked = token_for(api_world["users"]["manager"])
    from kinwise.core.models import ApiToken
    from kinwise.governance.token_services import token_revoke

    token_revoke(token_pk=ApiToken.objects.get().pk, actor=None)
    session = client_for(api_world["users"]["manager"])
    with caplog.at_level(logging.WARNING, logger="kinwise.access"):
        answers = [
            Client().get("/api/v1/services").status_code,
            Api(BAD).get(f"/api/v1/people/{sam.pk}").status_code,
            revoked.get(f"/api/v1/services/{riverside.pk}/people").status_code,
            Api(BAD).post(f"/api/v1/people/{sam.pk}/records/voice", {}).status_code,
            session.get(f"/api/v1/people/{sam.pk}/casefile").status_code,
            Api(BAD).get("/api/v1/people/999999").status_code,
        ]
    assert answers == [401] * 6
    assert _entries() == [
        (NO_ORGANISATION, None, "", "organisation", None, None, "api:services", "read")
        + (False, "127.0.0.1"),
        (acme, None, "", "person", sam.pk, riverside.pk, "api:person", "read")
        + (False, "127.0.0.1"),
        (acme, None, "", "service", None, riverside.pk, "api:people", "read")
        + (False, "127.0.0.1"),
        (acme, None, "", "person", sam.pk, riverside.pk, "api:voice_list", "change")
        + (False, "127.0.0.1"),
        (acme, None, "", "person", sam.pk, riverside.pk, "api:casefile", "read")
        + (False, "127.0.0.1"),
        (NO_ORGANISATION, None, "", "person", 999999, None, "api:person", "read")
        + (False, "127.0.0.1"),
    ]
    lines = [r.getMessage() for r in caplog.records if r.name == "kinwise.access"]
    assert lines == [
        "api refused: no live token for the call",
        f"api refused: no live token for a call about person pk={sam.pk}",
        f"api refused: no live token for a call about service pk={riverside.pk}",
        f"api refused: no live token for a call about person pk={sam.pk}",
        f"api refused: no live token for a call about person pk={sam.pk}",
        "api refused: no live token for a call about person pk=999999",
    ]
    stored = " ".join(
        str(getattr(e, f.name)) for e in AccessLogEntry.objects.all() for f in e._meta.fields
    )
    assert BAD not in stored and revoked.secret not in stored
    assert not any(BAD in m or revoked.secret in m for m in lines)
    assert verify() == []


def test_the_openapi_document_needs_no_token_and_logs_nothing(api_world: dict[str, Any]) -> None:
    assert Client().get("/api/v1/openapi.json").status_code == 200
    assert AccessLogEntry.objects.count() == 0
