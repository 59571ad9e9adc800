"""Fixtures of the API tests: the web tests' world (Acme with Riverside and Oakfield, Other
with Elsewhere; staff of every role; Sam and Daniel at Riverside, Aisha at Oakfield, a
copy of Sam at Other) and a token for each login."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from kinwise.core.models import Service
from kinwise.governance.token_services import token_create
from tests.web.conftest import fast_passwords, make_people, make_world  # noqa: F401

__all__ = ["fast_passwords"]


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


class Api:
    """A client that sends one token."""

    def __init__(self, secret: str) -> None:
        self.secret = secret
        self.client = Client()

    def get(self, path: str, **extra: Any) -> Any:
        return self.client.get(path, **bearer(self.secret), **extra)

    def post(self, path: str, body: Any, **extra: Any) -> Any:
        import json

        return self.client.post(
            path, json.dumps(body), content_type="application/json", **bearer(self.secret), **extra
        )

    def put(self, path: str, body: Any, **extra: Any) -> Any:
        import json

        return self.client.put(
            path, json.dumps(body), content_type="application/json", **bearer(self.secret), **extra
        )


def token_for(user: Any, *, read_only: bool = False, services: list[Service] | None = None) -> Api:
    made = token_create(
        user=user, read_only=read_only, service_pks=[s.pk for s in services or []], actor=None
    )
    return Api(made.secret)


@pytest.fixture
def api_world(db: Any, fast_passwords: None) -> dict[str, Any]:  # noqa: F811
    world = make_world()
    world["people"] = make_people(world)
    return world
