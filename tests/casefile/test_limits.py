"""The resource limits of case files at their exact boundaries (docs/spec/resource-limits.md):
at the limit a file is read as before; one past it, refused with the limit's own code,
the place and the reason."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kinwise.casefile import limits
from kinwise.casefile.load import load_casefile, parse_casefile, parse_text
from kinwise.errors import ErrorCode, FieldError, KinwiseError

HEAD = (
    "kinwise: 1\n"
    "person: {id: sam, name: Sam, communication: {methods: [verbal]}}\n"
    "plan: {version_date: 2026-01-01}\n"
)


def refused(text: str) -> KinwiseError:
    with pytest.raises(KinwiseError) as caught:
        parse_text(text, name="f")
    return caught.value


def test_the_limits_are_the_documented_ones() -> None:
    assert (
        limits.MAX_FILE_BYTES,
        limits.MAX_DEPTH,
        limits.MAX_ENTRIES,
        limits.MAX_RECORDS,
        limits.MAX_VALUES,
        limits.MAX_TEXT,
    ) == (20_971_520, 64, 10_000, 50_000, 1_000_000, 100_000)
    spec = (Path(__file__).resolve().parents[2] / "docs/spec/resource-limits.md").read_text()
    for shown in ("20,971,520", "64", "10,000", "50,000", "1,000,000", "100,000"):
        assert shown in spec


@pytest.mark.parametrize("json_like", [False, True])
def test_nesting_64_deep_is_read_and_65_is_refused(json_like: bool) -> None:
    def nested(depth: int) -> str:  # the top-level mapping is the first level
        inner = "[" * (depth - 1) + "]" * (depth - 1)
        return f'{{"a": {inner}}}' if json_like else f"a: {inner}\n"

    assert parse_text(nested(64), name="f") == {"a": _lists(63)}
    error = refused(nested(65))
    assert error.code == ErrorCode.RESOURCE_LIMIT
    assert error.message == "f: not read: beyond a resource limit of case files"
    assert error.errors == [
        FieldError("a" + "[0]" * 63, "nested more than 64 levels deep; the limit is 64 levels")
    ]


def _lists(depth: int) -> list[object]:
    value: list[object] = []
    for _ in range(depth - 1):
        value = [value]
    return value


@pytest.mark.parametrize("json_like", [False, True])
def test_a_list_of_10000_entries_is_read_and_10001_is_refused(json_like: bool) -> None:
    def text(n: int) -> str:
        items = ", ".join(["1"] * n)
        return f'{{"a": {{"b": [{items}]}}}}' if json_like else f"a:\n  b: [{items}]\n"

    assert len(parse_text(text(10_000), name="f")["a"]["b"]) == 10_000
    error = refused(text(10_001))
    assert error.code == ErrorCode.RESOURCE_LIMIT
    assert error.errors == [
        FieldError(
            "a.b", "a list of more than 10,000 entries; the limit is 10,000 entries in one list"
        )
    ]


def test_a_mapping_of_10001_fields_is_refused() -> None:
    fields = ", ".join(f'"k{i}": 1' for i in range(10_000))
    assert len(parse_text(f'{{"m": {{{fields}}}}}', name="f")["m"]) == 10_000
    error = refused(f'{{"m": {{{fields}, "last": 1}}}}')
    assert error.errors == [
        FieldError(
            "m",
            "a mapping of more than 10,000 fields; the limit is 10,000 fields in one mapping",
        )
    ]


@pytest.mark.parametrize("json_like", [False, True])
def test_text_of_100000_characters_is_read_and_100001_is_refused(json_like: bool) -> None:
    def text(n: int) -> str:
        value = "\u00e9" * n  # two bytes in UTF-8: characters are counted, not bytes
        return json.dumps({"a": [{"t": value}]}) if json_like else f"a:\n- t: '{value}'\n"

    assert len(parse_text(text(100_000), name="f")["a"][0]["t"]) == 100_000
    error = refused(text(100_001))
    assert error.errors == [
        FieldError("a[0].t", "text of 100,001 characters; the limit is 100,000 characters")
    ]


def test_json_escapes_count_as_the_characters_they_stand_for() -> None:
    escaped = '{"t": "' + "\\u00e9" * 100_000 + '"}'  # 600,000 characters as written
    assert parse_text(escaped, name="f") == {"t": "\u00e9" * 100_000}


@pytest.mark.parametrize("json_like", [False, True])
def test_50000_records_are_read_and_50001_are_refused(json_like: bool) -> None:
    def text(n: int) -> str:
        lists = {f"l{i}": [{} for _ in range(min(10_000, n - i * 10_000))] for i in range(6)}
        data = {k: v for k, v in lists.items() if v}
        if json_like:
            return json.dumps(data)
        return "".join(f"{k}: [{', '.join(['{}'] * len(v))}]\n" for k, v in data.items())

    assert sum(len(v) for v in parse_text(text(50_000), name="f").values()) == 50_000
    error = refused(text(50_001))
    assert error.errors == [
        FieldError(
            "l5[0]",
            "more than 50,000 records (mappings) in the file (each use of a YAML alias "
            "counted in full); the limit is 50,000",
        )
    ]


def test_aliases_count_in_full_against_the_values_limit() -> None:
    # one anchored list of 999 values plus itself is 1,000 values; each alias adds 1,000
    anchor = "a: &a [" + ", ".join(["1"] * 999) + "]\n"
    keys = 2  # 'a' and 'b' are values too

    def text(aliases: int) -> str:
        return anchor + "b: [" + ", ".join(["*a"] * aliases) + "]\n"

    # 1,000 (a) + 1 (b's list) + 1,000 per alias + the two keys
    fits = (limits.MAX_VALUES - 1_000 - 1 - keys) // 1_000
    assert len(parse_text(text(fits), name="f")["b"]) == fits
    error = refused(text(fits + 1))
    assert error.code == ErrorCode.RESOURCE_LIMIT
    assert error.errors == [
        FieldError(
            f"b[{fits}]",
            "more than 1,000,000 values in the file (each use of a YAML alias counted in "
            "full); the limit is 1,000,000",
        )
    ]


def test_an_alias_of_a_deep_value_counts_its_depth() -> None:
    deep = "[" * 40 + "]" * 40
    text = f"a: &d {deep}\nb: [[[[[[[[[[[[[[[[[[[[[[[[[*d]]]]]]]]]]]]]]]]]]]]]]]]]\n"
    error = refused(text)
    assert error.errors == [
        FieldError(
            "b" + "[0]" * 25,
            "nested more than 64 levels deep (through a YAML alias); the limit is 64 levels",
        )
    ]


def test_a_valid_case_file_using_anchors_and_aliases_stays_valid() -> None:
    text = HEAD + (
        "circle:\n"
        "  - {id: jo, name: Jo, kind: family}\n"
        "  - {id: lena, name: Lena, kind: staff}\n"
        "meetings:\n"
        "  - {id: m1, date: 2026-01-02, kind: joint_planning, attendees: &who [sam, jo, lena]}\n"
        "  - {id: m2, date: 2026-02-02, kind: joint_planning, attendees: *who}\n"
    )
    casefile = parse_casefile(text)
    assert [m.attendees for m in casefile.meetings] == [["sam", "jo", "lena"]] * 2


def test_json_duplicate_keys_are_refused_like_yaml_ones() -> None:
    error = refused('{"a": [{"x": 1, "y": 2,\n "\\u0078": 3}]}')
    assert error.code == ErrorCode.UNREADABLE_FILE
    assert error.errors == [FieldError("", "duplicate key 'x' at line 2, column 2")]
    yaml_error = refused("a:\n- {x: 1, y: 2, x: 3}\n")
    assert yaml_error.code == ErrorCode.UNREADABLE_FILE
    assert yaml_error.errors == [FieldError("", "duplicate key 'x' at line 2, column 16")]
    # the same key in two mappings is not a duplicate
    assert parse_text('{"a": {"x": 1}, "b": {"x": 1}}', name="f") == {"a": {"x": 1}, "b": {"x": 1}}


def test_a_file_of_exactly_the_size_limit_is_read_and_one_byte_more_is_refused(
    tmp_path: Path,
) -> None:
    path = tmp_path / "big.yaml"
    padding = limits.MAX_FILE_BYTES - len(HEAD) - 3
    path.write_text(HEAD + "#" + " " * padding + "\n\n", encoding="utf-8")
    assert path.stat().st_size == limits.MAX_FILE_BYTES
    assert load_casefile(path).person.id == "sam"
    with path.open("a", encoding="utf-8") as out:
        out.write("\n")
    with pytest.raises(KinwiseError) as caught:
        load_casefile(path)
    assert caught.value.code == ErrorCode.RESOURCE_LIMIT
    assert caught.value.errors == [
        FieldError("", "the file is larger than the limit of 20,971,520 bytes (20 MB)")
    ]


def test_a_utf8_byte_order_mark_is_allowed(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + HEAD.encode())
    assert load_casefile(path).person.name == "Sam"


def test_a_missing_file_is_unreadable(tmp_path: Path) -> None:
    with pytest.raises(KinwiseError) as caught:
        load_casefile(tmp_path / "absent.yaml")
    assert caught.value.code == ErrorCode.UNREADABLE_FILE
    assert caught.value.message == f"{tmp_path / 'absent.yaml'}: cannot be read (FileNotFoundError)"


def test_a_syntax_error_is_still_the_readers_message() -> None:
    error = refused("a: [1, 2\nb: 3\n")
    assert error.code == ErrorCode.UNREADABLE_FILE
    assert error.message.startswith("f: cannot be read: ")


def test_a_synthetic_ten_year_history_is_well_inside_the_limits(tmp_path: Path) -> None:
    import datetime as dt

    from kinwise.synth.files import population_write
    from kinwise.synth.generate import SynthSpec

    spec = SynthSpec(people=3, years=10, seed=7, as_of=dt.date(2026, 6, 1), service_id="s")
    for path in population_write(spec=spec, out=tmp_path):
        assert load_casefile(path).person.id == path.stem
