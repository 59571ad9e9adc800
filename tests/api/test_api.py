"""The API's behaviour: ETag / If-Match (412, 428, nothing lost), cursor paging, problem
details with the case-file path and the code, tokens (hashed, revoked, read-only, scoped,
rate-limited), the access log, and the token command."""

from __future__ import annotations

import json
from typing import Any

import pytest

from kinwise.accesslog.models import AccessLogEntry
from kinwise.cli import main
from kinwise.core.models import ApiToken
from kinwise.core.tokens import token_digest
from kinwise.records.models import Record
from tests.api.conftest import Api, token_for


def voice_url(person: Any, record: int | None = None) -> str:
    base = f"/api/v1/people/{person.pk}/records/voice"
    return base if record is None else f"{base}/{record}"


def test_a_change_needs_the_current_etag_and_a_stale_one_loses_nothing(
    api_world: dict[str, Any],
) -> None:
    api = token_for(api_world["users"]["leader"])
    sam = api_world["people"]["sam"]
    row = Record.objects.get(person=sam, kind="voice", key="v1", superseded_at=None)
    read = api.get(voice_url(sam, row.pk))
    assert read.status_code == 200
    assert read["ETag"] == f'"{row.pk}.1"'
    record = read.json()["record"]
    changed = {**record, "summary": "I want to go to the library on my own."}

    missing = api.put(voice_url(sam, row.pk), changed)
    assert missing.status_code == 428
    assert missing["Content-Type"] == "application/problem+json"
    assert missing.json()["code"] == "precondition_required"

    first = api.put(voice_url(sam, row.pk), changed, HTTP_IF_MATCH=read["ETag"])
    assert first.status_code == 200
    assert first["ETag"] == f'"{row.pk}.2"'
    assert first.json()["record"]["summary"] == "I want to go to the library on my own."

    # a second change based on version 1 is refused and the first change stays
    stale = api.put(
        voice_url(sam, row.pk), {**record, "summary": "Other words"}, HTTP_IF_MATCH=read["ETag"]
    )
    assert stale.status_code == 412
    assert stale.json()["code"] == "stale"
    row.refresh_from_db()
    assert (row.version, row.data["summary"]) == (2, "I want to go to the library on my own.")


def test_entered_in_error_needs_if_match_and_a_reason(api_world: dict[str, Any]) -> None:
    api = token_for(api_world["users"]["leader"])
    sam = api_world["people"]["sam"]
    v1 = api.get(voice_url(sam)).json()["items"][0]["record"]
    made = api.post(voice_url(sam), {k: v for k, v in v1.items() if k != "id"}).json()
    row = Record.objects.get(pk=made["id"])  # a view no meeting refers to
    url = voice_url(sam, row.pk) + "/entered-in-error"
    assert api.post(url, {"reason": "wrong person"}).status_code == 428
    assert api.post(url, {"reason": ""}, HTTP_IF_MATCH=f'"{row.pk}.1"').status_code == 422
    done = api.post(url, {"reason": "wrong person"}, HTTP_IF_MATCH=f'"{row.pk}.1"')
    assert done.status_code == 204, done.content
    assert api.get(voice_url(sam, row.pk)).status_code == 404
    assert Record.objects.filter(pk=row.pk).exists()  # never deleted


def test_a_new_record_answers_201_with_its_etag_and_errors_carry_the_casefile_path(
    api_world: dict[str, Any],
) -> None:
    api = token_for(api_world["users"]["worker"])  # Oakfield: Aisha
    aisha = api_world["people"]["aisha"]
    existing = Record.objects.filter(person=aisha, kind="voice", superseded_at=None).count()
    good = api.get(voice_url(aisha)).json()["items"][0]["record"]
    new = {k: v for k, v in good.items() if k != "id"}
    made = api.post(voice_url(aisha), new)
    assert made.status_code == 201
    body = made.json()
    assert made["ETag"] == f'"{body["id"]}.1"'
    assert made["Location"] == f"{voice_url(aisha)}/{body['id']}"

    bad = api.post(voice_url(aisha), {**new, "method": "telepathy"})
    assert bad.status_code == 422
    problem = bad.json()
    assert problem["type"] == "urn:kinwise:problem:invalid_input"
    assert problem["status"] == 422 and problem["code"] == "invalid_input"
    assert [e["path"] for e in problem["errors"]] == [f"voice[{existing + 1}].method"]
    unreadable = api.client.post(
        voice_url(aisha),
        "{not json",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api.secret}",
    )
    assert unreadable.status_code == 400
    assert unreadable.json()["code"] == "unreadable_file"


def test_people_are_paged_by_cursor(api_world: dict[str, Any]) -> None:
    api = token_for(api_world["users"]["manager"])
    riverside = api_world["services"]["riverside"]
    first = api.get(f"/api/v1/services/{riverside.pk}/people?limit=1").json()
    assert [p["casefile_id"] for p in first["items"]] == ["sam"]
    second = api.get(f"/api/v1/services/{riverside.pk}/people?limit=1&cursor={first['next']}")
    assert [p["casefile_id"] for p in second.json()["items"]] == ["daniel"]
    assert second.json()["next"] is None
    bad = api.get(f"/api/v1/services/{riverside.pk}/people?cursor=zzz")
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["path"] == "cursor"
    assert api.get(f"/api/v1/services/{riverside.pk}/people?limit=0").status_code == 422
    assert api.get(f"/api/v1/services/{riverside.pk}/people?limit=201").status_code == 422


def test_tokens_are_kept_hashed_and_a_revoked_or_unknown_one_is_refused(
    api_world: dict[str, Any],
) -> None:
    api = token_for(api_world["users"]["manager"])
    token = ApiToken.objects.get()
    assert token.digest == token_digest(api.secret) and api.secret not in token.digest
    assert api.get("/api/v1/services").status_code == 200
    from kinwise.governance.token_services import token_revoke

    token_revoke(token_pk=token.pk, actor=None)
    refused = api.get("/api/v1/services")
    assert refused.status_code == 401
    assert refused["WWW-Authenticate"] == 'Bearer realm="kinwise"'
    assert Api("kw_" + "x" * 43).get("/api/v1/services").status_code == 401
    assert api.client.get("/api/v1/services").status_code == 401


def test_a_read_only_token_reads_and_is_refused_a_change_logged(
    api_world: dict[str, Any],
) -> None:
    api = token_for(api_world["users"]["leader"], read_only=True)
    sam = api_world["people"]["sam"]
    row = Record.objects.get(person=sam, kind="voice", key="v1", superseded_at=None)
    assert api.get(voice_url(sam, row.pk)).status_code == 200
    refused = api.put(voice_url(sam, row.pk), row.data, HTTP_IF_MATCH=f'"{row.pk}.1"')
    assert refused.status_code == 403
    entry = AccessLogEntry.objects.order_by("-id").first()
    assert entry is not None
    assert (entry.person_pk, entry.purpose, entry.allowed) == (sam.pk, "change", False)
    row.refresh_from_db()
    assert row.version == 1


def test_a_token_scoped_to_a_service_does_not_see_the_others(api_world: dict[str, Any]) -> None:
    oakfield = api_world["services"]["oakfield"]
    api = token_for(api_world["users"]["manager"], services=[oakfield])
    listed = api.get("/api/v1/services").json()["items"]
    assert [s["casefile_id"] for s in listed] == ["oakfield"]
    sam = api_world["people"]["sam"]  # Riverside: the manager's own service, outside the token
    assert api.get(f"/api/v1/people/{sam.pk}").status_code == 404
    assert api.get(f"/api/v1/people/{api_world['people']['aisha'].pk}").status_code == 200


def test_every_call_is_logged_in_the_access_log(api_world: dict[str, Any]) -> None:
    api = token_for(api_world["users"]["manager"])
    sam = api_world["people"]["sam"]
    before = AccessLogEntry.objects.count()
    api.get(f"/api/v1/people/{sam.pk}/casefile")
    entry = AccessLogEntry.objects.order_by("-id").first()
    assert AccessLogEntry.objects.count() == before + 1
    assert entry is not None
    assert (entry.page, entry.person_pk, entry.allowed) == ("api:casefile", sam.pk, True)


def test_each_token_is_rate_limited(api_world: dict[str, Any], settings: Any) -> None:
    from django.core.cache import caches

    caches["default"].clear()
    settings.KINWISE_API_RATE = 3
    api = token_for(api_world["users"]["manager"])
    other = token_for(api_world["users"]["leader"])
    assert [api.get("/api/v1/services").status_code for _ in range(3)] == [200, 200, 200]
    limited = api.get("/api/v1/services")
    assert limited.status_code == 429
    assert 1 <= int(limited["Retry-After"]) <= 61
    assert limited.json()["code"] == "rate_limited"
    assert other.get("/api/v1/services").status_code == 200  # per token


def test_the_findings_take_as_of_since_and_the_view(api_world: dict[str, Any]) -> None:
    api = token_for(api_world["users"]["manager"])
    sam = api_world["people"]["sam"]
    url = f"/api/v1/people/{sam.pk}/findings?as_of=2026-06-30&since=2026-01-01"
    recorded = api.get(url).json()
    corrected = api.get(url + "&view=corrected").json()
    assert (recorded["as_of"], recorded["since"], recorded["view"]) == (
        "2026-06-30",
        "2026-01-01",
        "as_recorded",
    )
    assert recorded["nothing_recorded"] is True  # imported today: nothing recorded by then
    assert corrected["view"] == "corrected" and corrected["nothing_recorded"] is False
    bad = api.get(f"/api/v1/people/{sam.pk}/findings?as_of=2026-02-30")
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_date"
    assert (
        api.get(f"/api/v1/people/{sam.pk}/findings?as_of=2026-01-01&since=2026-02-01").status_code
        == 422
    )


def test_the_fhir_bundle_of_a_person(api_world: dict[str, Any]) -> None:
    api = token_for(api_world["users"]["manager"])
    response = api.get(f"/api/v1/people/{api_world['people']['sam'].pk}/fhir")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json"
    bundle = json.loads(response.content)
    assert (bundle["resourceType"], bundle["type"]) == ("Bundle", "collection")
    assert bundle["entry"][0]["resource"]["resourceType"] == "Patient"


def test_the_token_command_prints_the_token_once_and_revokes_it(
    api_world: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(["token", "create", "--user", "manager", "--read-only", "--service", "riverside"]) == 0
    )
    out = capsys.readouterr().out.splitlines()
    token_id = int(out[0].removeprefix("token id: "))
    secret = out[1].removeprefix("token: ")
    token = ApiToken.objects.get(pk=token_id)
    assert token.read_only and token.digest == token_digest(secret)
    assert [s.external_id for s in token.services.all()] == ["riverside"]
    assert Api(secret).get("/api/v1/services").json()["items"][0]["casefile_id"] == "riverside"
    assert main(["token", "revoke", str(token_id)]) == 0
    assert capsys.readouterr().out == f"token {token_id} revoked\n"
    assert Api(secret).get("/api/v1/services").status_code == 401
    assert main(["token", "create", "--user", "nobody"]) == 2
    assert main(["token", "create", "--user", "manager", "--service", "elsewhere"]) == 2
    assert main(["token", "revoke", "99999"]) == 2


def test_a_record_and_a_list_are_read_in_a_fixed_number_of_queries(
    api_world: dict[str, Any],
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    api = token_for(api_world["users"]["manager"])
    sam, daniel = api_world["people"]["sam"], api_world["people"]["daniel"]
    row = Record.objects.filter(person=sam, kind="role", superseded_at=None).first()
    assert row is not None
    counts = []
    for url in (
        f"/api/v1/people/{sam.pk}/records/role/{row.pk}",
        f"/api/v1/people/{sam.pk}/records/role",  # 5 roles
        f"/api/v1/people/{daniel.pk}/records/role",  # 4 roles
    ):
        with CaptureQueriesContext(connection) as queries:
            assert api.get(url).status_code == 200
        counts.append(len(queries))
    # the token and its services (2), the scope (1), the person with the viewer's access
    # (1), the access log's append (4), the records (1)
    assert counts == [9, 9, 9]
