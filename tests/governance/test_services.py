"""Governance with stored records: the service worklist, reassignment without closure,
supervision records whose actions join the worklist, and audit trends from saved runs."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kinwise.casefile.schema import CaseFile
from kinwise.core.models import Service, StaffRole
from kinwise.errors import ErrorCode, KinwiseError
from kinwise.governance.history import changes_of
from kinwise.governance.models import SupervisionAction, SupervisionRecord, WorkItem
from kinwise.governance.selectors import audit_trends, service_worklist, supervision_view
from kinwise.governance.services import audit_run_save
from kinwise.governance.supervision import StaffRef
from kinwise.governance.supervision_services import ActionInput, supervision_record_create
from kinwise.governance.work_services import work_item_update
from kinwise.records.models import Person
from kinwise.rules.audit import audit_casefile, default_since
from tests.governance.conftest import build, example_data, example_file

Store = Callable[[CaseFile], Person]
TASK_KEY = "arrangement_review:event:e1/task:t-mark-meds"
PRIYA = StaffRef("priya", "Priya Shah")


def d(text: str) -> date:
    return date.fromisoformat(text)


@pytest.fixture
def tom(riverside: Service, member: Callable[..., User]) -> User:
    return member("tom", riverside, StaffRole.TEAM_LEADER, first_name="Tom", last_name="Reid")


@pytest.fixture
def ruth(riverside: Service, member: Callable[..., User]) -> User:
    return member(
        "ruth", riverside, StaffRole.REGISTERED_MANAGER, first_name="Ruth", last_name="Evans"
    )


def rows(service: Service, as_of: str) -> dict[str, Any]:
    return {r.key: r for r in service_worklist(service=service, as_of=d(as_of)).rows}


# --- the worklist --------------------------------------------------------------------


def test_service_worklist_gives_unowned_reviews_to_the_team_leader(
    riverside: Service, store: Store, tom: User
) -> None:
    daniel = store(example_file("03-historic-arrangement.before.yaml"))
    worklist = service_worklist(service=riverside, as_of=d("2026-06-01"))
    row = {r.key: r for r in worklist.rows}[TASK_KEY]
    assert (row.person_pk, row.state, row.due, row.days_overdue) == (
        daniel.pk,
        "overdue",
        d("2026-03-24"),
        69,
    )
    assert (row.owner_label, row.owner_basis, row.owner_key) == (
        "Tom Reid",
        "team_leader",
        f"user:{tom.pk}",
    )
    assert [r.key for r in worklist.overdue] == [
        "task_review:task:t-mark-meds@2015-09-01",
        "arrangement_review:event:e1/role:health_treatment",
        "arrangement_review:event:e1/role:medication",
        TASK_KEY,
    ]
    (group,) = worklist.by_owner()
    assert (group.label, len(group.overdue), len(group.open)) == ("Tom Reid", 4, 0)


def test_without_a_team_leader_the_item_says_so(riverside: Service, store: Store) -> None:
    store(example_file("03-historic-arrangement.before.yaml"))
    assert rows(riverside, "2026-06-01")[TASK_KEY].owner_label == "No team leader named"


def test_reassigning_or_noting_an_item_never_closes_it(
    riverside: Service, store: Store, tom: User, ruth: User
) -> None:
    daniel = store(example_file("03-historic-arrangement.before.yaml"))
    item = work_item_update(
        person=daniel,
        key=TASK_KEY,
        owner=ruth,
        note="Reviewed it, all fine",
        actor=tom,
        as_of=d("2026-06-01"),
    )
    assert {f.name for f in WorkItem._meta.get_fields()} == {
        "id",
        "person",
        "key",
        "owner",
        "note",
        "created_at",
        "updated_at",
    }  # nothing to mark an item done
    row = rows(riverside, "2026-06-01")[TASK_KEY]
    assert (row.state, row.owner_label, row.owner_basis, row.note) == (
        "overdue",
        "Ruth Evans",
        "reassigned",
        "Reviewed it, all fine",
    )
    assert [c.action for c in changes_of(entity="work_item", entity_pk=item.pk)] == ["created"]

    # the resolving record: a partnership review that lists the task
    data = example_data("03-historic-arrangement.before.yaml")
    data["meetings"] = [
        {
            "id": "m1",
            "date": "2026-06-01",
            "kind": "partnership_review",
            "facilitator": "ruth",
            "attendees": ["daniel", "mark", "ruth"],
            "decisions": [{"area": "medication", "outcome": "Staff give medication"}],
            "reviews_tasks": ["t-mark-meds"],
        }
    ]
    store(build(data))
    after = rows(riverside, "2026-06-01")[TASK_KEY]
    assert (after.state, after.resolution, after.resolution_date, after.late) == (
        "closed",
        "meeting:m1",
        d("2026-06-01"),
        True,
    )
    # on the day before the review, the service looked as it did then
    assert rows(riverside, "2026-05-31")[TASK_KEY].state == "overdue"


def test_work_item_update_refuses_unknown_items_and_owners_from_other_services(
    riverside: Service, store: Store, tom: User, member: Callable[..., User]
) -> None:
    daniel = store(example_file("03-historic-arrangement.before.yaml"))
    with pytest.raises(KinwiseError) as missing:
        work_item_update(
            person=daniel,
            key="risk_review:incident:x",
            owner=None,
            note="",
            actor=tom,
            as_of=d("2026-06-01"),
        )
    assert missing.value.code == ErrorCode.NOT_FOUND
    # not yet on the worklist before the diagnosis
    with pytest.raises(KinwiseError):
        work_item_update(
            person=daniel, key=TASK_KEY, owner=None, note="", actor=tom, as_of=d("2026-03-09")
        )
    # anyone of the service may own an item (support workers too); staff of another
    # service may not
    hillside = Service.objects.create(
        organisation=riverside.organisation, external_id="hillside", name="Hillside"
    )
    worker = member("priya", hillside, StaffRole.SUPPORT_WORKER)
    with pytest.raises(KinwiseError) as bad:
        work_item_update(
            person=daniel,
            key=TASK_KEY,
            owner=worker,
            note="x" * 2001,
            actor=tom,
            as_of=d("2026-06-01"),
        )
    assert bad.value.code == ErrorCode.INVALID_INPUT
    assert [(e.path, e.message) for e in bad.value.errors] == [
        ("owner", "Choose a member of staff of this person's service"),
        ("note", "The note must be 2000 characters or fewer"),
    ]
    assert WorkItem.objects.count() == 0


def _people(store: Store, first: int, n: int) -> None:
    text = json.dumps(example_data("03-historic-arrangement.before.yaml"))
    for i in range(first, first + n):
        store(build(json.loads(text.replace('"daniel"', f'"daniel{i}"'))))


def _count(service: Service) -> int:
    with CaptureQueriesContext(connection) as ctx:
        worklist = service_worklist(service=service, as_of=d("2026-06-01"))
    assert worklist.rows
    return len(ctx.captured_queries)


def test_worklist_query_count_does_not_grow_with_people(
    riverside: Service, store: Store, tom: User, django_assert_num_queries: Any
) -> None:
    _people(store, 0, 1)
    once = _count(riverside)
    _people(store, 1, 3)  # three more people
    with django_assert_num_queries(once):
        worklist = service_worklist(service=riverside, as_of=d("2026-06-01"))
    assert len(worklist.rows) == 4 * 4  # four items for each of four people
    assert len({r.person_pk for r in worklist.rows}) == 4


# --- supervision -------------------------------------------------------------------------


FAMILY_PREVAILED = "family_prevailed:sam/decision:m0/mobility_outdoors"


def _supervise(service: Service, supervisor: User, **overrides: Any) -> SupervisionRecord:
    args: dict[str, Any] = {
        "service": service,
        "staff": PRIYA,
        "date": d("2026-05-20"),
        "supervisor": supervisor,
        "since": d("2026-02-20"),
        "prompt_keys": [FAMILY_PREVAILED, "standing:deferring"],
        "reflections": "Felt unable to challenge the family in the meeting.",
        "actions": [
            ActionInput("Bring the risk assessment evidence to the next review", d("2026-06-03"))
        ],
        "outcomes": {},
        "actor": supervisor,
        "as_of": d("2026-05-20"),
    }
    args.update(overrides)
    return supervision_record_create(**args)


def test_supervision_record_keeps_the_prompts_as_shown_and_its_action_joins_the_worklist(
    riverside: Service, store: Store, ruth: User
) -> None:
    store(example_file("01-risk-and-independence.before.yaml"))
    record = _supervise(riverside, ruth)
    assert [p["key"] for p in record.prompts] == [FAMILY_PREVAILED, "standing:deferring"]
    assert record.prompts[0]["evidence"] == [
        "decision:m0/mobility_outdoors",
        "meeting:m0",
        "risk:ra0",
        "role:mobility_outdoors",
    ]
    (action,) = record.actions.all()
    key = f"supervision_action:{action.pk}"
    assert key not in rows(riverside, "2026-05-19")  # not yet agreed
    for as_of, state in (("2026-05-20", "open"), ("2026-06-03", "open"), ("2026-06-04", "overdue")):
        row = rows(riverside, as_of)[key]
        assert (row.state, row.due, row.owner_label) == (state, d("2026-06-03"), "Priya Shah")
    assert [c.action for c in changes_of(entity="supervision_record", entity_pk=record.pk)] == [
        "created"
    ]


def test_an_action_closes_only_when_a_follow_up_supervision_records_its_outcome(
    riverside: Service, store: Store, ruth: User
) -> None:
    store(example_file("01-risk-and-independence.before.yaml"))
    first = _supervise(riverside, ruth)
    action = first.actions.get()
    follow_up = _supervise(
        riverside,
        ruth,
        date=d("2026-06-10"),
        as_of=d("2026-06-10"),
        prompt_keys=[],
        actions=[],
        outcomes={action.pk: "Shared ra0 with Grace; a graded trial was agreed."},
        reflections="More confident with the evidence in hand.",
    )
    key = f"supervision_action:{action.pk}"
    closed = rows(riverside, "2026-06-10")[key]
    assert (closed.state, closed.resolution, closed.late, closed.note) == (
        "closed",
        f"supervision:{follow_up.pk}",
        True,
        "Shared ra0 with Grace; a graded trial was agreed.",
    )
    assert rows(riverside, "2026-06-09")[key].state == "overdue"  # before the follow-up
    assert [c.action for c in changes_of(entity="supervision_action", entity_pk=action.pk)] == [
        "created",
        "resolved",
    ]
    view = supervision_view(
        service=riverside, staff=PRIYA, since=d("2026-01-01"), as_of=d("2026-06-10")
    )
    assert view.open_actions == ()
    assert [r.pk for r in view.records] == [follow_up.pk, first.pk]


def test_supervision_reports_every_problem_and_writes_nothing(
    riverside: Service, store: Store, ruth: User, member: Callable[..., User]
) -> None:
    store(example_file("01-risk-and-independence.before.yaml"))
    worker = member("sw", riverside, StaffRole.SUPPORT_WORKER)
    other = _supervise(riverside, ruth, staff=StaffRef("priya", "Priya Shah"))
    with pytest.raises(KinwiseError) as bad:
        _supervise(
            riverside,
            worker,
            date=d("2026-05-21"),
            since=d("2026-05-22"),
            prompt_keys=["spoken_for:sam/meeting:m0"],
            reflections="  ",
            actions=[ActionInput(" ", d("2026-05-20"))],
            outcomes={other.actions.get().pk + 99: "done"},
        )
    assert bad.value.code == ErrorCode.INVALID_INPUT
    assert [e.path for e in bad.value.errors] == [
        "supervisor",
        "date",
        "since",
        "reflections",
        "prompts[0]",
        "actions[0].text",
        "actions[0].due",
        f"outcomes[{other.actions.get().pk + 99}]",
    ]
    assert (SupervisionRecord.objects.count(), SupervisionAction.objects.count()) == (1, 1)
    with pytest.raises(KinwiseError) as unknown:
        # a member of staff is their member id (the staff directory's): the same name
        # under an id that names nobody in the records is no one
        _supervise(riverside, ruth, staff=StaffRef("priya-shah", "Priya Shah"))
    assert unknown.value.code == ErrorCode.NOT_FOUND


# --- audit trends ------------------------------------------------------------------------


def _run(riverside: Service, casefiles: list[CaseFile], as_of: str) -> None:
    at = d(as_of)
    audit_run_save(
        audits=[audit_casefile(cf, as_of=at, since=default_since(at)) for cf in casefiles],
        as_of=at,
        since=default_since(at),
        service=riverside,
        as_recorded=True,  # what the nightly job saves
    )


def test_trends_by_rule_per_month_and_what_changed_since_the_last_run(
    riverside: Service, store: Store
) -> None:
    daniel_before = example_file("03-historic-arrangement.before.yaml")
    daniel_after = example_file("03-historic-arrangement.yaml")
    sam = example_file("01-risk-and-independence.before.yaml")
    store(daniel_before)
    store(sam)
    _run(riverside, [daniel_before], "2026-04-30")
    _run(riverside, [daniel_before, sam], "2026-05-15")
    _run(riverside, [daniel_before, sam], "2026-05-31")  # the month's latest run counts
    _run(riverside, [daniel_after, sam], "2026-07-01")

    trends = audit_trends(service=riverside, as_of=d("2026-07-01"))
    assert trends.months == ("2026-04", "2026-05", "2026-07")
    assert {rule: counts for rule, _, counts in trends.table} == {
        "PA01": (1, 1, 0),
        "PA02": (1, 1, 0),
        "PA03": (1, 1, 0),
        "PA04": (1, 1, 0),
        "RC02": (0, 1, 1),
        "RK01": (0, 1, 1),
        "RK02": (0, 1, 1),
    }
    assert trends.totals == (4, 7, 3)
    assert trends.latest is not None and trends.latest.as_of == d("2026-07-01")
    assert trends.previous is not None and trends.previous.as_of == d("2026-05-31")
    assert trends.new == ()
    assert [(c.person, c.person_name, c.rule, c.subject) for c in trends.resolved] == [
        ("daniel", "Daniel Hughes", "PA01", "task:t-mark-meds"),
        ("daniel", "Daniel Hughes", "PA02", "task:t-mark-meds"),
        ("daniel", "Daniel Hughes", "PA03", "task:t-mark-meds"),
        ("daniel", "Daniel Hughes", "PA04", "task:t-mark-meds"),
    ]

    # as of 20 May: only the runs saved by then, and Sam's findings are new
    earlier = audit_trends(service=riverside, as_of=d("2026-05-20"))
    assert earlier.months == ("2026-04", "2026-05")
    assert earlier.totals == (4, 7)
    assert [(c.person, c.rule) for c in earlier.new] == [
        ("sam", "RC02"),
        ("sam", "RK01"),
        ("sam", "RK02"),
    ]
    assert earlier.resolved == ()


def test_trends_with_no_runs_or_one_run(riverside: Service, store: Store) -> None:
    assert audit_trends(service=riverside, as_of=d("2026-07-01")).months == ()
    sam = example_file("01-risk-and-independence.before.yaml")
    _run(riverside, [sam], "2026-05-20")
    one = audit_trends(service=riverside, as_of=d("2026-07-01"))
    assert (one.totals, one.previous, one.new, one.resolved) == ((3,), None, (), ())
