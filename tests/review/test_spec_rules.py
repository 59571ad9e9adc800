"""The audit contract (rules.md) read to the letter: readings not covered elsewhere.

Each test names the sentence of rules.md it checks. Case files are the rule tests' base
file changed one thing at a time (tests/rules/helpers.py).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from kinwise.cli import main
from kinwise.rules.facts import is_empty
from tests.rules.helpers import (
    AS_OF,
    add,
    assessment,
    base,
    check,
    day,
    meeting,
    risk,
    role,
    run,
    voice,
)

EXAMPLES = Path(__file__).resolve().parents[2] / "src" / "kinwise" / "demo" / "casefiles"
BEFORE = EXAMPLES / "03-historic-arrangement.before.yaml"  # as_of 2026-06-01


def audit(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        code = main(["audit", *argv])
    except SystemExit as exc:  # argparse's own usage errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


# --- "Empty text means absent, null, or only (Unicode) white space" ------------------------


@pytest.mark.parametrize(
    ("text", "empty"),
    [
        (None, True),
        ("", True),
        (" \t\n\r\x0b\x0c", True),
        ("\u0085\u00a0\u1680\u2000\u200a\u2028\u2029\u202f\u205f\u3000", True),
        ("\x1c\x1d\x1e\x1f", False),  # Python's isspace() says white space; Unicode does not
        ("\u200b", False),  # a zero-width space is not White_Space either
        (" x ", False),
    ],
)
def test_empty_is_unicode_white_space(text: str | None, empty: bool) -> None:
    assert is_empty(text) is empty


@pytest.mark.parametrize(
    ("view", "expected"),
    [("\u2028\u3000", {"risk:ra1"}), ("\x1f", set())],
)
def test_rk03_empty_view_is_unicode_white_space(view: str, expected: set[str]) -> None:
    check(
        "RK03",
        lambda d: add(
            d, "risk_assessments", risk("ra1", "mobility_outdoors", day(-10), persons_view=view)
        ),
        expected,
    )


# --- The command: dates are YYYY-MM-DD ------------------------------------------------------


@pytest.mark.parametrize(
    "bad", ["2026-W22-1", "20260601", "\uff12\uff10\uff12\uff16-06-01", "2026-152"]
)
def test_option_dates_must_be_written_yyyy_mm_dd(
    bad: str, capsys: pytest.CaptureFixture[str]
) -> None:
    for option in ("--as-of", "--since"):
        code, out, err = audit(["--case", str(BEFORE), option, bad], capsys)
        assert (code, out) == (2, "")
        assert option in err


# --- "findings sorted by rule, then by subject as plain strings" ----------------------------


def test_subjects_sort_as_plain_strings_not_naturally() -> None:
    data = base()
    for ident in ("v9", "v10", "V2", "v-1", "v_1"):
        add(data, "voice", voice(ident, day(-5), method="bsl"))
    assert [f.subject for f in run(data).findings] == [
        "voice:V2",
        "voice:v-1",
        "voice:v10",
        "voice:v9",
        "voice:v_1",
    ]


# --- Output: the whole JSON object, summary counts after de-duplication ---------------------


def test_json_output_of_one_file_is_exactly_the_contract(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = base()
    data["as_of"] = AS_OF.isoformat()
    add(data, "voice", voice("v1", day(-5), method="bsl"))  # VO04 low
    add(data, "risk_assessments", risk("ra1", "mobility_outdoors", day(-5), persons_view=None))
    role(data, "medication")["decides"] = None  # RC01 high
    path = tmp_path / "one.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    code, out, err = audit(["--case", str(path), "--format", "json"], capsys)
    assert (code, err) == (0, "")
    [result] = json.loads(out)
    assert list(result) == ["person", "as_of", "since", "rules_version", "findings", "summary"]
    assert (result["person"], result["as_of"], result["since"], result["rules_version"]) == (
        "p",
        "2026-06-01",
        "2025-06-01",
        1,
    )
    assert [(f["rule"], f["severity"], f["subject"]) for f in result["findings"]] == [
        ("RC01", "high", "role:medication"),
        ("RK03", "medium", "risk:ra1"),
        ("VO04", "low", "voice:v1"),
    ]
    assert all(
        list(f) == ["rule", "severity", "subject", "message", "evidence"]
        for f in result["findings"]
    )
    assert list(result["summary"].items()) == [("high", 1), ("medium", 1), ("low", 1)]


def test_an_unquoted_yaml_date_in_a_text_field_is_a_validation_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "dated.yaml"
    path.write_text(
        "kinwise: 1\nas_of: 2026-06-01\n"
        "person: {id: p, name: 2026-01-01, communication: {methods: [verbal]}}\n"
        "plan: {version_date: 2026-01-01}\n",
        encoding="utf-8",
    )
    code, out, err = audit(["--case", str(path)], capsys)
    assert (code, out) == (2, "")
    assert "person.name: expected text, got the date 2026-01-01" in err
    # Quoted, the same text is a name; the YAML dates of date fields are dates.
    path.write_text(path.read_text().replace("name: 2026-01-01", "name: '2026-01-01'"))
    code, out, err = audit(["--case", str(path)], capsys)
    assert (code, err) == (0, "")
    assert json.loads(out)[0]["as_of"] == "2026-06-01"


# --- Time: "other dates ... treated as absent when after as_of"; review_by as is ----------


def test_ca01_compares_review_by_as_written_even_far_in_the_future() -> None:
    # A lacks-capacity assessment someone else relies on, with review_by after as_of: it
    # is a due date, not a happening date, so it is not treated as absent (no CA01).
    def setup(d: dict[str, Any]) -> None:
        role(d, "health_treatment")["decides"] = "pro"
        add(
            d,
            "capacity_assessments",
            assessment("a1", "health_treatment", day(-400), lacks=True, review_by=day(400)),
        )

    check("CA01", setup, set())


def test_rk06_review_by_after_as_of_on_an_old_assessment_is_not_due() -> None:
    check(
        "RK06",
        lambda d: add(
            d, "risk_assessments", risk("ra1", "mobility_outdoors", day(-900), review_by=day(1))
        ),
        set(),
    )


# --- "The audit period runs from since to as_of, both inclusive" ---------------------------


def test_a_one_day_period_reports_only_that_day() -> None:
    data = base()
    add(data, "voice", voice("v0", day(0), method="bsl"), voice("v1", day(-1), method="bsl"))
    add(
        data,
        "meetings",
        meeting("m0", day(0), attendees=["p", "fam"], facilitator=None),
        meeting("m1", day(-1), attendees=["p", "fam"], facilitator=None),
    )
    findings = {(f.rule, f.subject) for f in run(data, since=AS_OF).findings}
    assert findings == {("VO04", "voice:v0"), ("VO05", "meeting:m0")}


def test_current_state_rules_ignore_since() -> None:
    # RK06 and CA01 judge the state at as_of: a period of one day changes nothing for them.
    data = base()
    role(data, "health_treatment")["decides"] = "pro"
    add(data, "capacity_assessments", assessment("a1", "health_treatment", day(-800), lacks=True))
    add(data, "risk_assessments", risk("ra1", "mobility_outdoors", day(-800), review_by=day(-700)))
    long = {(f.rule, f.subject) for f in run(data).findings}
    short = {(f.rule, f.subject) for f in run(data, since=AS_OF).findings}
    assert {("CA01", "capacity:a1"), ("RK06", "risk:ra1")} <= long
    assert {r for r in long if r[0] in {"CA01", "RK06", "RC03"}} == {
        r for r in short if r[0] in {"CA01", "RK06", "RC03"}
    }


def test_default_period_is_as_of_minus_365_days_across_a_leap_day() -> None:
    data = base()
    data["as_of"] = "2024-03-01"
    audit = run(data, as_of=date(2024, 3, 1))
    assert audit.since == date(2023, 3, 2)
