"""The managers' API tokens page: making a token (with step-up; its secret shown once,
kept hashed), the list, revoking; refused to everyone but a registered manager of the
organisation."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.test import Client

from kinwise.core.models import ApiToken
from kinwise.core.tokens import token_digest
from tests.web.test_admin_staff import stale_confirmation, step_up


def test_a_manager_makes_a_token_sees_it_once_and_revokes_it(
    world: dict[str, Any], as_user: Callable[[str], Client]
) -> None:
    client = as_user("manager")
    riverside = world["services"]["riverside"]
    leader = world["users"]["leader"]
    form = {
        "user": str(leader.pk),
        "label": "eMAR link",
        "kind": "service",
        "access": "change",
        "services": [str(riverside.pk)],
    }
    made = client.post("/manage/tokens/new/", form)
    assert made.status_code == 200
    secret = re.search(r"kw_[A-Za-z0-9_-]{43}", made.content.decode())
    assert secret is not None
    token = ApiToken.objects.get()
    assert token.digest == token_digest(secret.group(0))
    assert (token.user_id, token.kind, token.read_only, token.label) == (
        leader.pk,
        "service",
        False,
        "eMAR link",
    )
    assert [s.pk for s in token.services.all()] == [riverside.pk]
    listing = client.get("/manage/tokens/").content.decode()
    assert "eMAR link" in listing and "Read and change" in listing and "Riverside" in listing
    assert secret.group(0) not in listing  # shown once only
    revoked = client.post(f"/manage/tokens/{token.pk}/revoke/")
    assert revoked.status_code == 302 and revoked["Location"] == "/manage/tokens/"
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by_id == world["users"]["manager"].pk


def test_making_a_token_asks_for_the_password_again_when_it_is_not_fresh(
    world: dict[str, Any], as_user: Callable[[str], Client]
) -> None:
    client = stale_confirmation(as_user("manager"))
    url = "/manage/tokens/new/"
    step_up(client, client.get(url), url)
    assert client.get(url).status_code == 200


def test_a_form_with_errors_says_so_at_its_fields(
    world: dict[str, Any], as_user: Callable[[str], Client]
) -> None:
    client = as_user("manager")
    outsider = world["users"]["outsider"]
    page = client.post(
        "/manage/tokens/new/", {"user": str(outsider.pk), "kind": "personal", "access": "read"}
    )
    assert page.status_code == 400
    assert "Choose whose roles the token carries" in page.content.decode()
    assert not ApiToken.objects.exists()


def test_only_a_registered_manager_of_the_organisation_sees_the_tokens(
    world: dict[str, Any], as_user: Callable[[str], Client]
) -> None:
    assert as_user("leader").get("/manage/tokens/").status_code == 403
    assert as_user("quality").get("/manage/tokens/").status_code == 403
    from kinwise.governance.token_services import token_create

    made = token_create(user=world["users"]["leader"], read_only=True, service_pks=[], actor=None)
    other = as_user("outsider")
    assert other.post(f"/manage/tokens/{made.token.pk}/revoke/").status_code == 404
    made.token.refresh_from_db()
    assert made.token.revoked_at is None
