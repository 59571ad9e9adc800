"""Authorization as data, over every operation of the served OpenAPI document × a token
of every role (of Riverside, and of Oakfield: the organisation-wide roles see Riverside
from there), a token of another organisation and a read-only token: the expected answer
of each is written here (docs/access.md), apart from the code it checks.

Every call is about Riverside, Sam (at Riverside) or one of Sam's records of the
operation's kind, with a valid body and the record's current ETag, each inside a
savepoint that is rolled back. An allowed call answers below 500 and neither 403 nor
404 (a change may still answer 422: a duplicate, a record others refer to); a refused
one answers exactly 403 or 404 as written, leaves a line naming the caller on the
``kinwise.access`` logger and a refused entry in the access log."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction

from kinwise.accesslog.models import AccessLogEntry
from kinwise.casefile.kinds import RECORD_KINDS
from kinwise.casefile.load import load_casefile
from kinwise.core.models import StaffRole
from kinwise.core.services import staff_user_ensure
from kinwise.records.models import Person, Record
from kinwise.records.services.casefiles import casefile_import
from kinwise.records.services.edits import record_save
from tests.api.conftest import Api, token_for

SW, TL, RM, QL = "support_worker", "team_leader", "registered_manager", "quality_lead"
EVERY = frozenset({SW, TL, RM, QL})
EVERYDAY = frozenset({SW, TL, RM})
LEADERS = frozenset({TL, RM})
OVERSIGHT = frozenset({TL, RM, QL})

# who may record (create, change) each kind, and take it out as entered in error
WRITERS: dict[str, frozenset[str]] = {
    "member": LEADERS,
    "authority": LEADERS,
    "capacity_assessment": LEADERS,
    "best_interests": LEADERS,
    "consent": LEADERS,
    "role": LEADERS,
    "plan": LEADERS,  # the care plan's own fields (change only: it is one record)
    "task": LEADERS,
    "voice": EVERYDAY,
    "meeting": EVERYDAY,
    "risk_assessment": EVERYDAY,
    "graded_trial": EVERYDAY,
    "incident": EVERYDAY,
    "event": EVERYDAY,
    "medicine": LEADERS,
    "medication_audit": LEADERS,
    "family_view": EVERYDAY,
    "concern": EVERYDAY,
    "goal": EVERYDAY,
    "role_change": LEADERS,
    "carer_plan": LEADERS,
    "restriction": LEADERS,
}
CORRECTORS: dict[str, frozenset[str]] = {
    kind: (frozenset({RM}) if kind in ("authority", "consent") else LEADERS) for kind in WRITERS
}

# (role, service, read-only): the callers (each role of Riverside; of Oakfield, one that
# sees Riverside organisation-wide and one that does not; another organisation's)
CALLERS: dict[str, tuple[str, str, bool]] = {
    "support worker here": (SW, "riverside", False),
    "team leader here": (TL, "riverside", False),
    "registered manager here": (RM, "riverside", False),
    "quality lead here": (QL, "riverside", False),
    "support worker of another service": (SW, "oakfield", False),
    "registered manager of another service": (RM, "oakfield", False),
    "registered manager of another organisation": (RM, "elsewhere", False),
    "read-only team leader here": (TL, "riverside", True),
}


def role_towards_riverside(caller: str) -> str | None:
    role, service, _ = CALLERS[caller]
    if service == "riverside" or (service == "oakfield" and role in (RM, QL)):
        return role
    return None


def expected(operation_id: str, method: str, caller: str) -> str:
    """ "allowed", "403" or "404"."""
    role = role_towards_riverside(caller)
    if operation_id == "services":
        return "allowed"  # a list of what the token sees (none of Riverside: tested apart)
    if role is None:
        return "404"
    if operation_id == "work_items":
        return "allowed" if role in OVERSIGHT else "404"
    if operation_id == "service_report":
        return "allowed" if role in OVERSIGHT else "403"
    if method == "get":
        return "allowed"
    if CALLERS[caller][2]:
        return "403"  # a read-only token
    kind, _, what = operation_id.rpartition("_entered_in_")
    if what == "error":
        return "allowed" if role in CORRECTORS[kind] else "403"
    kind = operation_id.rsplit("_", 1)[0]
    return "allowed" if role in WRITERS[kind] else "403"


@pytest.fixture
def callers(api_world: dict[str, Any]) -> dict[str, tuple[Any, Api]]:
    services = api_world["services"]
    found = {}
    for index, (name, (role, service, read_only)) in enumerate(CALLERS.items()):
        user = staff_user_ensure(
            username=f"caller-{index}",
            password="a-long-test-password",
            service=services[service],
            role=StaffRole(role),
        )
        found[name] = (user, token_for(user, read_only=read_only))
    return found


def sam_with_every_kind(api_world: dict[str, Any]) -> Any:
    """Sam, with a legal authority, a capacity assessment and a best-interests decision
    (the examples have none)."""
    sam = api_world["people"]["sam"]
    for kind, record in (
        ("authority", {"id": "la1", "holder": "grace", "kind": "lpa_health_welfare"}),
        (
            "capacity_assessment",
            {
                "id": "ca1",
                "area": "health_treatment",
                "decision": "A dental treatment",
                "date": "2026-03-01",
                "assessor": "tom",
                "impairment": True,
                "understand": False,
                "retain": False,
                "weigh": False,
                "communicate": True,
                "outcome": "lacks_capacity",
            },
        ),
        (
            "best_interests",
            {
                "id": "bi1",
                "area": "health_treatment",
                "decision": "A dental treatment",
                "date": "2026-03-02",
                "decision_maker": "tom",
                "capacity_assessment": "ca1",
            },
        ),
        (
            "family_view",
            {
                "id": "fv1",
                "author": "grace",
                "date": "2026-03-03",
                "area": "mobility_outdoors",
                "text": "I worry about the main road.",
            },
        ),
    ):
        record_save(person=sam, kind=kind, record=record, actor=None)
    return sam


V2_EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "spec" / "examples"


def version_two_people(api_world: dict[str, Any]) -> list[Any]:
    """The worked examples of format version 2 at Riverside: a concern, a change of role
    and a carer's plan; a goal and a restriction."""
    riverside = api_world["services"]["riverside"]
    found = []
    for name in ("04-concern-and-carer.yaml", "05-goal-and-restriction.yaml"):
        result = casefile_import(
            casefile=load_casefile(V2_EXAMPLES / name), service=riverside, actor=None
        )
        found.append(Person.objects.get(pk=result.person_pk))
    return found


def _people_with(api_world: dict[str, Any]) -> dict[str, tuple[Any, Record]]:
    """For each kind, a Riverside person and one of their current records of it."""
    sam, daniel = sam_with_every_kind(api_world), api_world["people"]["daniel"]
    found: dict[str, tuple[Any, Record]] = {}
    for person in (sam, daniel, *version_two_people(api_world)):
        for row in Record.objects.filter(person=person, superseded_at=None).order_by("pk"):
            found.setdefault(row.kind, (person, row))
    return found


def test_every_operation_every_caller(
    api_world: dict[str, Any], callers: dict[str, tuple[Any, Api]], caplog: pytest.LogCaptureFixture
) -> None:
    from django.conf import settings

    settings.KINWISE_API_RATE = 100_000
    records = _people_with(api_world)
    riverside = api_world["services"]["riverside"]
    sam = api_world["people"]["sam"]
    document = callers["registered manager here"][1].get("/api/v1/openapi.json").json()
    operations = [
        (path, method, spec["operationId"])
        for path, methods in document["paths"].items()
        for method, spec in methods.items()
    ]
    # 87 for format version 1's kinds and the rest (the care plan's change included), and list, read, create, change and
    # entered in error for each of the six kinds of version 2
    assert len(operations) == 87 + 5 * 6
    assert set(records) >= {spec.name for spec in RECORD_KINDS}
    wrong = []
    for path, method, operation_id in operations:
        kind = path.split("/records/")[1].split("/")[0] if "/records/" in path else None
        person, row = records[kind] if kind is not None else (sam, None)
        url = (
            path.replace("{service_id}", str(riverside.pk))
            .replace("{person_id}", str(person.pk))
            .replace("{record_id}", str(row.pk if row is not None else 0))
        )
        if operation_id == "service_report":
            url += "?from=2026-01-01&to=2026-01-31"
        body: Any = None
        if method in ("post", "put") and row is not None:
            body = dict(row.data)
            if operation_id.endswith("_create") and "id" in body:
                del body["id"]
            if operation_id.endswith("_entered_in_error"):
                body = {"reason": "recorded against the wrong person"}
        for caller, (user, api) in callers.items():
            want = expected(operation_id, method, caller)
            extra = {"HTTP_IF_MATCH": f'"{row.pk}.{row.version}"'} if row is not None else {}
            caplog.clear()
            before = AccessLogEntry.objects.order_by("-id").values_list("id", flat=True).first()
            with caplog.at_level(logging.WARNING, logger="kinwise.access"), transaction.atomic():
                if method == "get":
                    response = api.get(url)
                else:
                    response = getattr(api.client, method)(
                        url,
                        json.dumps(body),
                        content_type="application/json",
                        HTTP_AUTHORIZATION=f"Bearer {api.secret}",
                        **extra,
                    )
                refused_logged = AccessLogEntry.objects.filter(
                    id__gt=before or 0, allowed=False, user_pk=user.pk
                ).exists()
                transaction.set_rollback(True)
            lines = [r.getMessage() for r in caplog.records if r.name == "kinwise.access"]
            status = response.status_code
            if status in (403, 404):
                logged = any(re.search(rf"\buser pk={user.pk}\b", line) for line in lines)
                got = str(status) if logged and refused_logged else f"{status} not logged"
            elif status < 500:
                got = "allowed"
            else:
                got = f"{status}"
            if got != want:
                wrong.append((operation_id, caller, want, got, response.content[:200]))
    assert wrong == [], "\n".join(map(str, wrong))


def test_a_token_of_another_organisation_lists_none_of_this_ones_services(
    api_world: dict[str, Any], callers: dict[str, tuple[Any, Api]]
) -> None:
    api = callers["registered manager of another organisation"][1]
    assert [s["casefile_id"] for s in api.get("/api/v1/services").json()["items"]] == ["elsewhere"]
    here = callers["support worker here"][1]
    assert [s["casefile_id"] for s in here.get("/api/v1/services").json()["items"]] == ["riverside"]
