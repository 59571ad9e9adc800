"""The worklist's format-version-2 triggers (docs/spec/rules-v2.md): concerns due in
working days across a weekend, a carer asked each year, a carer_unwell follow-up, goal
and restriction reviews — exact due dates, states and boundaries."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from typing import Any

from kinwise.casefile.load import casefile_to_data, load_casefile, validate_data
from kinwise.casefile.schema import CaseFile
from kinwise.readings.work import Resolution, work_items

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "spec" / "examples"
CASEFILES = Path(__file__).resolve().parents[2] / "src" / "kinwise" / "demo" / "casefiles"
V2_KINDS = {
    "concern_acknowledgement",
    "concern_response",
    "carer_asked",
    "carer_unwell_follow_up",
    "goal_review",
    "restriction_review",
}


def d(text: str) -> date:
    return date.fromisoformat(text)


def example(name: str) -> CaseFile:
    return load_casefile(EXAMPLES / name)


def v2_items(casefile: CaseFile, as_of: date) -> list[tuple[str, date, date, str]]:
    return [
        (i.key, i.opened, i.due, i.state)
        for i in work_items(casefile, as_of=as_of)
        if i.kind in V2_KINDS
    ]


def with_concern(raised: str, acknowledged: str | None) -> CaseFile:
    data: dict[str, Any] = casefile_to_data(example("04-concern-and-carer.before.yaml"))
    data = copy.deepcopy(data)
    concern = data["concerns"][0]
    concern["date"] = raised
    if acknowledged is None:
        concern.pop("acknowledged", None)
    else:
        concern["acknowledged"] = acknowledged
    casefile, errors = validate_data(data)
    assert not errors, [str(e) for e in errors]
    assert casefile is not None
    return casefile


def ack(casefile: CaseFile, as_of: date) -> tuple[date, str]:
    item = next(i for i in work_items(casefile, as_of=as_of) if i.kind == "concern_acknowledgement")
    return item.due, item.state


def test_example_04_before_lists_each_concern_and_carer_item_exactly() -> None:
    assert v2_items(example("04-concern-and-carer.before.yaml"), d("2026-06-01")) == [
        ("concern_acknowledgement:concern:cn1", d("2026-03-06"), d("2026-03-11"), "closed"),
        ("concern_response:concern:cn1", d("2026-03-06"), d("2026-04-03"), "overdue"),
        ("carer_unwell_follow_up:event:ev1", d("2026-04-10"), d("2026-04-24"), "overdue"),
        ("carer_asked:carer_plan:cp1@2026-05-01", d("2026-04-01"), d("2026-05-01"), "overdue"),
    ]


def test_example_04_before_acknowledged_a_day_late_is_closed_and_marked_late() -> None:
    items = {
        i.key: i
        for i in work_items(example("04-concern-and-carer.before.yaml"), as_of=d("2026-06-01"))
    }
    item = items["concern_acknowledgement:concern:cn1"]
    assert item.resolution == Resolution("concern:cn1", d("2026-03-12"))
    assert item.late is True
    assert item.title == (
        "Acknowledge Ben Adeyemi's concern raised on 6 March 2026, about daily living"
    )
    asked = items["carer_asked:carer_plan:cp1@2026-05-01"]
    assert asked.title == (
        "Ask Ben Adeyemi whether they are still willing and able to care for Ruth Adeyemi: "
        "they were last asked on 1 May 2025"
    )


def test_example_04_good_closes_every_item_in_time() -> None:
    items = {
        i.key: i for i in work_items(example("04-concern-and-carer.yaml"), as_of=d("2026-06-01"))
    }
    got = {k: (i.state, i.resolution, i.late) for k, i in items.items() if i.kind in V2_KINDS}
    assert got == {
        "concern_acknowledgement:concern:cn1": (
            "closed",
            Resolution("concern:cn1", d("2026-03-11")),
            False,
        ),
        "concern_response:concern:cn1": (
            "closed",
            Resolution("concern:cn1", d("2026-03-20")),
            False,
        ),
        "carer_unwell_follow_up:event:ev1": (
            "closed",
            Resolution("carer_plan:cp1", d("2026-04-12")),
            False,
        ),
    }


def test_friday_concern_is_due_on_wednesday_across_the_weekend() -> None:
    casefile = with_concern("2026-03-06", None)  # a Friday
    assert ack(casefile, d("2026-03-06")) == (d("2026-03-11"), "open")
    assert ack(casefile, d("2026-03-11")) == (d("2026-03-11"), "open")  # day 3: in time
    assert ack(casefile, d("2026-03-12")) == (d("2026-03-11"), "overdue")  # day 4


def test_wednesday_concern_is_due_on_monday() -> None:
    casefile = with_concern("2026-03-04", None)  # a Wednesday
    assert ack(casefile, d("2026-03-09")) == (d("2026-03-09"), "open")
    assert ack(casefile, d("2026-03-10")) == (d("2026-03-09"), "overdue")


def test_acknowledged_on_day_four_closes_the_item_late() -> None:
    casefile = with_concern("2026-03-06", "2026-03-12")
    item = next(
        i
        for i in work_items(casefile, as_of=d("2026-03-12"))
        if i.kind == "concern_acknowledgement"
    )
    assert (item.state, item.late) == ("closed", True)
    # as it stood the day before, the acknowledgement did not yet exist
    assert ack(casefile, d("2026-03-11")) == (d("2026-03-11"), "open")


def test_concern_not_on_the_worklist_before_it_is_raised() -> None:
    casefile = example("04-concern-and-carer.before.yaml")
    assert v2_items(casefile, d("2026-03-05")) == []


def test_example_05_before_goal_and_restriction_reviews() -> None:
    casefile = example("05-goal-and-restriction.before.yaml")
    assert v2_items(casefile, d("2026-06-01")) == [
        (
            "restriction_review:restriction:rs1@2026-04-01",
            d("2026-03-02"),
            d("2026-04-01"),
            "overdue",
        ),
        ("goal_review:goal:g1@2026-04-10", d("2026-03-11"), d("2026-04-10"), "overdue"),
    ]
    # the notice period: the restriction review appears 30 days before it is due
    assert v2_items(casefile, d("2026-03-01")) == []
    assert v2_items(casefile, d("2026-03-02")) == [
        ("restriction_review:restriction:rs1@2026-04-01", d("2026-03-02"), d("2026-04-01"), "open"),
    ]
    # on the due date itself the review is still in time
    assert (
        "restriction_review:restriction:rs1@2026-04-01",
        d("2026-03-02"),
        d("2026-04-01"),
        "open",
    ) in v2_items(casefile, d("2026-04-01"))


def test_version_1_files_get_no_version_2_items() -> None:
    for path in sorted(CASEFILES.glob("*.yaml")):
        casefile = load_casefile(path)
        assert v2_items(casefile, d("2026-12-01")) == [], path.name
