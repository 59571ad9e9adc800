"""The care plan's own fields changed through the API (PUT, If-Match): the web's service,
the history kept, 428 without If-Match, 412 on a stale one, problem details for a bad
body; its roles and tasks are changed through their own records."""

from __future__ import annotations

from typing import Any

from kinwise.core.models import RecordVersion
from kinwise.records.models import Record
from kinwise.records.selectors import casefile_export
from tests.api.conftest import token_for


def _plan(person: Any) -> Record:
    row = Record.objects.get(person=person, kind="plan", superseded_at=None)
    return row


def test_a_team_leader_changes_the_plans_version_date_and_emotional_support(
    api_world: dict[str, Any],
) -> None:
    sam = api_world["people"]["sam"]
    api = token_for(api_world["users"]["leader"])
    row = _plan(sam)
    url = f"/api/v1/people/{sam.pk}/records/plan/{row.pk}"
    read = api.get(url)
    assert read.status_code == 200 and read["ETag"] == f'"{row.pk}.{row.version}"'
    body = {"version_date": "2026-11-01", "emotional_support": ["grace"]}
    missing = api.put(url, body)
    assert (missing.status_code, missing.json()["code"]) == (428, "precondition_required")
    stale = api.put(url, body, HTTP_IF_MATCH=f'"{row.pk}.{row.version - 1}"')
    assert stale.status_code == 412
    changed = api.put(url, body, HTTP_IF_MATCH=read["ETag"])
    assert changed.status_code == 200, changed.content
    now = _plan(sam)
    assert changed["ETag"] == f'"{now.pk}.{now.version}"' and now.version == row.version + 1
    plan = casefile_export(person=sam).plan
    assert (plan.version_date.isoformat(), plan.emotional_support) == ("2026-11-01", ["grace"])
    assert len(plan.roles) > 0  # the roles are untouched
    version = RecordVersion.objects.filter(person=sam, kind="plan").order_by("-pk").first()
    assert version is not None and version.actor_id == api_world["users"]["leader"].pk
    # the same ETag again is now stale
    assert api.put(url, body, HTTP_IF_MATCH=read["ETag"]).status_code == 412


def test_a_bad_plan_body_is_a_problem_naming_its_place_and_writes_nothing(
    api_world: dict[str, Any],
) -> None:
    sam = api_world["people"]["sam"]
    api = token_for(api_world["users"]["leader"])
    row = _plan(sam)
    url = f"/api/v1/people/{sam.pk}/records/plan/{row.pk}"
    etag = f'"{row.pk}.{row.version}"'
    roles = api.put(url, {"version_date": "2026-11-01", "roles": []}, HTTP_IF_MATCH=etag)
    assert roles.status_code == 422
    assert roles["Content-Type"] == "application/problem+json"
    assert [(e["path"], e["message"]) for e in roles.json()["errors"]] == [
        ("plan.roles", "change the decision areas and tasks through their own records")
    ]
    nobody = api.put(
        url, {"version_date": "2026-11-01", "emotional_support": ["nobody"]}, HTTP_IF_MATCH=etag
    )
    assert nobody.status_code == 422
    assert [e["path"] for e in nobody.json()["errors"]] == ["plan.emotional_support[0]"]
    no_date = api.put(url, {"emotional_support": ["grace"]}, HTTP_IF_MATCH=etag)
    assert no_date.status_code == 422
    assert _plan(sam).version == row.version


def test_a_support_worker_or_a_read_only_token_may_not_change_the_plan(
    api_world: dict[str, Any],
) -> None:
    sam = api_world["people"]["sam"]
    row = _plan(sam)
    url = f"/api/v1/people/{sam.pk}/records/plan/{row.pk}"
    etag = f'"{row.pk}.{row.version}"'
    body = {"version_date": "2026-11-01"}
    from kinwise.core.models import StaffRole
    from kinwise.core.services import staff_user_ensure

    worker = staff_user_ensure(
        username="worker-here",
        password="a-long-test-password",
        service=api_world["services"]["riverside"],
        role=StaffRole.SUPPORT_WORKER,
    )
    assert token_for(worker).put(url, body, HTTP_IF_MATCH=etag).status_code == 403
    read_only = token_for(api_world["users"]["leader"], read_only=True)
    assert read_only.put(url, body, HTTP_IF_MATCH=etag).status_code == 403
    assert _plan(sam).version == row.version
