"""`kinwise demo` tells the stories in time: each example file is recorded at the end of its
own day, so the audit of the records as recorded on that day gives its expected findings."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import time_machine

from kinwise.casefile.load import load_casefile
from kinwise.cli import main
from kinwise.clock import UK
from kinwise.core.models import RecordVersion
from kinwise.governance.models import AuditRun
from kinwise.records.models import Person

EXAMPLES = Path(__file__).resolve().parents[2] / "src" / "kinwise" / "demo" / "casefiles"
STORIES = sorted(EXAMPLES.glob("*.yaml"))


def expected(path: Path) -> list[tuple[str, str]]:
    data = json.loads(path.with_name(path.stem + ".expected.json").read_text(encoding="utf-8"))
    return sorted((f["rule"], f["subject"]) for f in data["findings"])


def audited(person: str, day: dt.date, capsys: pytest.CaptureFixture[str], *flags: str) -> list:
    code = main(["audit", "--person", person, "--as-of", day.isoformat(), *flags])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    [audit] = json.loads(out)
    assert (audit["person"], audit["as_of"]) == (person, day.isoformat())
    return sorted((f["rule"], f["subject"]) for f in audit["findings"])


@pytest.mark.django_db
@time_machine.travel(dt.datetime(2026, 12, 15, 9, 0, tzinfo=UK), tick=False)
def test_after_the_demo_each_story_audits_as_recorded_on_its_own_day(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["demo"]) == 0
    capsys.readouterr()
    assert [p.name for p in STORIES] == [
        "01-risk-and-independence.before.yaml",
        "01-risk-and-independence.yaml",
        "02-vocal-relative.before.yaml",
        "02-vocal-relative.yaml",
        "03-historic-arrangement.before.yaml",
        "03-historic-arrangement.yaml",
    ]
    for path in STORIES:
        casefile = load_casefile(path)
        assert casefile.as_of is not None
        assert audited(casefile.person.id, casefile.as_of, capsys, "--as-recorded") == expected(
            path
        ), path.name
    # the exact findings the issue names
    assert audited("sam", dt.date(2026, 5, 20), capsys, "--as-recorded") == [
        ("RC02", "role:mobility_outdoors"),
        ("RK01", "decision:m0/mobility_outdoors"),
        ("RK02", "risk:ra0"),
    ]
    # without the flag: today's records less what is dated later (the "after" file's
    # corrections show on the "before" day: not the story as it was recorded)
    assert audited("sam", dt.date(2026, 5, 20), capsys) != expected(STORIES[0])

    # each file's versions were written in the last second of its own day, UK time
    sam = Person.objects.get(external_id="sam")
    times = sorted(
        {
            t.astimezone(UK)
            for t in RecordVersion.objects.filter(person=sam).values_list("created_at", flat=True)
        }
    )
    assert times == [
        dt.datetime(2026, 5, 20, 23, 59, 59, tzinfo=UK),
        dt.datetime(2026, 11, 30, 23, 59, 59, tzinfo=UK),
    ]

    # the runs as recorded the trends and the commissioners' measures read: each story's
    # day and each month's end from the first story to the last ended month, per service
    days = {
        dt.date(2026, 5, 20),
        dt.date(2026, 6, 1),
        *(dt.date(2026, m, 1) - dt.timedelta(days=1) for m in range(5, 13)),
    }
    for service in ("riverside", "oakfield"):
        runs = AuditRun.objects.filter(service__external_id=service, as_recorded=True)
        assert sorted(runs.values_list("as_of", flat=True)) == sorted(days)
    may = AuditRun.objects.get(service__external_id="riverside", as_of=dt.date(2026, 5, 31))
    # Daniel's before file (recorded 1 June) is not in the end-of-May run; Sam's is
    assert [a["person"] for a in may.findings] == ["sam"]
    assert may.measures == {
        "arrangements_overdue": [0, 0],
        "decision_makers_valid": [0, 1],
        "relative_authority_valid": [0, 1],
    }

    # a second demo saves nothing more
    count = AuditRun.objects.count()
    assert main(["demo"]) == 0
    assert "saved" not in capsys.readouterr().out
    assert AuditRun.objects.count() == count


@pytest.mark.django_db
@time_machine.travel(dt.datetime(2026, 12, 15, 9, 0, tzinfo=UK), tick=False)
def test_a_day_before_anything_was_recorded_is_a_clear_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["demo"]) == 0
    capsys.readouterr()
    assert main(["audit", "--person", "sam", "--as-of", "2026-05-19", "--as-recorded"]) == 2
    out, err = capsys.readouterr()
    assert (out, err) == ("", "kinwise: nothing had been recorded about person 'sam' by then\n")
    assert main(["audit", "--person", "nobody", "--as-of", "2026-05-19", "--as-recorded"]) == 2
    assert capsys.readouterr().err == "kinwise: no person with id 'nobody'\n"
    assert main(["audit", "--case", "x.yaml", "--as-recorded"]) == 2
    assert capsys.readouterr().err == "kinwise: --as-recorded applies to stored records only\n"
