"""The JSON limits' quick path (casefile.limits._json_within_limits): bounds read from the
text at C speed let a file well inside every limit skip the token walk. The bounds are
sound only if every text they clear is one the walk clears too; these tests check that
``check_json`` gives exactly the walk's answer, with the limits made small enough for
generated texts to meet each of them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kinwise.casefile import limits
from kinwise.casefile.load import dump_casefile
from kinwise.errors import KinwiseError
from kinwise.synth.generate import SynthSpec, synth_casefile
from tests.tiers import examples

SMALL = {
    "MAX_DEPTH": 3,
    "MAX_ENTRIES": 4,
    "MAX_RECORDS": 3,
    "MAX_VALUES": 12,
    "MAX_TEXT": 5,
}


def outcome(check: object, text: str) -> tuple[str, str, list[tuple[str, str]]] | None:
    try:
        check(text, name="f")  # type: ignore[operator]
    except KinwiseError as error:
        return (error.code, error.message, [(e.path, e.message) for e in error.errors])
    return None


# JSON values, and texts that are almost JSON (junk, unterminated strings, brackets in
# strings, escapes) made of the pieces the walk reads
_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**8), 10**8),
    st.text(alphabet='ab{}[],:"\\é\x00', max_size=8),
)
_values = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=6),
        st.dictionaries(st.text(alphabet="ab{", max_size=7), inner, max_size=6),
    ),
    max_leaves=30,
)
_pieces = st.sampled_from(
    ["{", "}", "[", "]", ",", ":", '"a"', '"a', '"{]"', "12345678", " ", '"\\"', "x"]
)


@st.composite
def texts(draw: st.DrawFn) -> str:
    if draw(st.booleans()):
        return json.dumps(draw(_values), ensure_ascii=draw(st.booleans()))
    return "".join(draw(st.lists(_pieces, max_size=40)))


@pytest.fixture
def small_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in SMALL.items():
        monkeypatch.setattr(limits, name, value)


@settings(max_examples=examples(ci=300, long=5000))
@given(text=texts())
def test_check_json_answers_as_the_token_walk_does(text: str) -> None:
    with pytest.MonkeyPatch.context() as patch:
        for name, value in SMALL.items():
            patch.setattr(limits, name, value)
        assert outcome(limits.check_json, text) == outcome(limits._check_json_walk, text)
        if limits._json_within_limits(text) and limits._json_parses_without_duplicates(text):
            # JSON text the bounds clear, the walk clears
            assert outcome(limits._check_json_walk, text) is None


@pytest.mark.parametrize(
    ("text", "limit"),
    [
        ('{"a": [[[]]]}', "nested more than 3 levels deep"),
        ('{"a": [1, 2, 3, 4, 5]}', "a list of more than 4 entries"),
        ('{"a": "abcdef"}', "text of 6 characters"),
        ('{"abcdef": 1}', "a field name of 6 characters"),
        ('{"a": 123456}', "text of 6 characters"),
        ("[{}, {}, {}, {}]", "more than 3 records"),
        ('{"a": [1, 2], "b": [3, 4], "c": [5, 6], "d": 7}', "more than 12 values"),
    ],
)
def test_each_limit_just_broken_is_walked_and_refused(
    small_limits: None, text: str, limit: str
) -> None:
    assert not limits._json_within_limits(text)
    found = outcome(limits.check_json, text)
    assert found is not None and limit in found[2][0][1]


def test_a_duplicate_key_inside_the_bounds_is_named_with_its_place(small_limits: None) -> None:
    text = '{"a": 1,\n "a": 2}'
    assert limits._json_within_limits(text)
    assert outcome(limits.check_json, text) == (
        "unreadable_file",
        "f: cannot be read",
        [("", "duplicate key 'a' at line 2, column 2")],
    )


def test_an_ordinary_case_file_is_not_walked(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import datetime as dt

    spec = SynthSpec(people=3, years=5, seed=7, as_of=dt.date(2026, 11, 30))
    text = dump_casefile(synth_casefile(spec, 3), fmt="json")
    walked: list[str] = []
    monkeypatch.setattr(limits, "_check_json_walk", lambda t, *, name: walked.append(name))
    limits.check_json(text, name="f")
    assert walked == []
    limits.check_json(text.replace('"id"', '"id" : "x", "id"', 1), name="dup")
    assert walked == ["dup"]  # a duplicate key is walked, to name its place
