"""The resource limits of a case file, checked before it is parsed into Python values.

A case file from outside (``kinwise validate``, ``import``, ``audit --case``) is read as
bytes with a size limit, decoded as strict UTF-8, and its structure is then walked
without building it (YAML: the parser's events; JSON: its tokens), so that a file which
is too big, too deep, too long or that expands too far (a YAML alias bomb) is refused
before it costs memory. Each refusal names the place in the file and the limit
(docs/spec/resource-limits.md). The limits are generous: they are far beyond any real
case file, so every valid file stays valid, and only a broken or hostile file meets them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, BinaryIO

import yaml

from kinwise.casefile.errors import format_path
from kinwise.errors import ErrorCode, FieldError, KinwiseError

# --- the limits (docs/spec/resource-limits.md says why each is what it is) -------------------

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_DEPTH = 64
MAX_ENTRIES = 10_000
MAX_RECORDS = 50_000
MAX_VALUES = 1_000_000
MAX_TEXT = 100_000

# libyaml's parser when PyYAML was built with it, else pure Python (both parse lazily).
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _n(value: int) -> str:
    return f"{value:,}"


def limit_error(name: str, path: str, message: str) -> KinwiseError:
    """The one error of a resource limit: its own code, the place and the reason."""
    return KinwiseError(
        ErrorCode.RESOURCE_LIMIT,
        f"{name}: not read: beyond a resource limit of case files",
        [FieldError(path, message)],
    )


def unreadable(name: str, message: str) -> KinwiseError:
    return KinwiseError(
        ErrorCode.UNREADABLE_FILE, f"{name}: cannot be read", [FieldError("", message)]
    )


# --- bytes: size, binary content, UTF-8 -------------------------------------------------------


def read_limited(path: Path) -> bytes:
    """The file's bytes; a resource-limit error when it is longer than MAX_FILE_BYTES
    (read no further than that, whatever the file is)."""
    name = str(path)
    try:
        with path.open("rb") as handle:
            data = _read_upto(handle, MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise KinwiseError(
            ErrorCode.UNREADABLE_FILE, f"{path}: cannot be read ({exc.__class__.__name__})"
        ) from None
    if len(data) > MAX_FILE_BYTES:
        raise limit_error(
            name,
            "",
            f"the file is larger than the limit of {_n(MAX_FILE_BYTES)} bytes (20 MB)",
        )
    return data


def _read_upto(handle: BinaryIO, size: int) -> bytes:
    chunks: list[bytes] = []
    left = size
    while left > 0:
        chunk = handle.read(min(left, 1024 * 1024))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _line_column(data: bytes | str, offset: int) -> str:
    newline: Any = b"\n" if isinstance(data, bytes) else "\n"
    line = data.count(newline, 0, offset) + 1
    start = data.rfind(newline, 0, offset) + 1
    return f"line {_n(line)}, column {_n(offset - start + 1)}"


def decode_text(data: bytes, *, name: str) -> str:
    """The file's text: strict UTF-8 (a leading byte-order mark is dropped), with no NUL."""
    nul = data.find(b"\x00")
    if nul >= 0:
        raise unreadable(
            name,
            f"the file is not text: it holds a NUL byte at {_line_column(data, nul)} "
            "(a case file is YAML or JSON text in UTF-8)",
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise unreadable(
            name,
            f"the file is not valid UTF-8: byte 0x{data[exc.start]:02x} at "
            f"{_line_column(data, exc.start)} (save it as UTF-8)",
        ) from None
    return text.removeprefix("\ufeff")


def check_text_size(text: str, *, name: str) -> None:
    """Text handed over directly (not read from a file) meets the same size limit."""
    if len(text) > MAX_FILE_BYTES:  # characters: at least as many bytes in UTF-8
        raise limit_error(
            name, "", f"the text is larger than the limit of {_n(MAX_FILE_BYTES)} bytes (20 MB)"
        )


# --- structure: depth, entries, records, values, text length -----------------------------------


@dataclass
class _Frame:
    kind: str  # "list" or "map"
    path: list[int | str]
    entries: int = 0
    key_next: bool = True  # a mapping: the next scalar is a key
    key: int | str = ""
    anchor: str | None = None
    start_values: int = 0
    start_records: int = 0
    height: int = 1  # levels of nesting from this collection down (itself included)
    keys: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class _Expansion:
    values: int
    records: int
    height: int


class _Walk:
    """Counts of one file's structure as it is read, aliases counted in full."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.stack: list[_Frame] = []
        self.values = 0
        self.records = 0
        self.anchors: dict[str, _Expansion] = {}

    def _path(self) -> list[int | str]:
        if not self.stack:
            return []
        top = self.stack[-1]
        if top.kind == "list":
            return [*top.path, top.entries]
        return [*top.path, top.key] if not top.key_next else list(top.path)

    def fail(self, message: str, path: list[int | str] | None = None) -> KinwiseError:
        return limit_error(self.name, format_path(self._path() if path is None else path), message)

    def _entry(self) -> list[int | str]:
        """A value arrives in the collection on top: count it; its path."""
        path = self._path()
        if self.stack:
            top = self.stack[-1]
            if top.kind == "list":
                top.entries += 1
                if top.entries > MAX_ENTRIES:
                    raise limit_error(
                        self.name,
                        format_path(top.path),
                        f"a list of more than {_n(MAX_ENTRIES)} entries; "
                        f"the limit is {_n(MAX_ENTRIES)} entries in one list",
                    )
            else:
                top.key_next = True
        self.values += 1
        if self.values > MAX_VALUES:
            raise self.fail(
                f"more than {_n(MAX_VALUES)} values in the file (each use of a YAML alias "
                f"counted in full); the limit is {_n(MAX_VALUES)}"
            )
        return path

    def key(self, key: str, *, where: Callable[[], str] | None = None) -> None:
        """A mapping's key arrives; with ``where`` (the key's place, worked out only when
        needed), a key the mapping already has is refused."""
        top = self.stack[-1]
        path = [*top.path, key]
        if len(key) > MAX_TEXT:
            raise limit_error(
                self.name,
                format_path(top.path),
                f"a field name of {_n(len(key))} characters; the limit is {_n(MAX_TEXT)}",
            )
        if where is not None:
            if key in top.keys:
                raise unreadable(self.name, f"duplicate key '{key}' at {where()}")
            top.keys.add(key)
        top.entries += 1
        if top.entries > MAX_ENTRIES:
            raise limit_error(
                self.name,
                format_path(top.path),
                f"a mapping of more than {_n(MAX_ENTRIES)} fields; "
                f"the limit is {_n(MAX_ENTRIES)} fields in one mapping",
            )
        self.values += 1
        if self.values > MAX_VALUES:
            raise self.fail(
                f"more than {_n(MAX_VALUES)} values in the file; the limit is {_n(MAX_VALUES)}",
                path,
            )
        top.key = key
        top.key_next = False

    def scalar(self, length: int, anchor: str | None = None) -> None:
        path = self._entry()
        if length > MAX_TEXT:
            raise limit_error(
                self.name,
                format_path(path),
                f"text of {_n(length)} characters; the limit is {_n(MAX_TEXT)} characters",
            )
        if anchor is not None:
            self.anchors[anchor] = _Expansion(values=1, records=0, height=0)

    def start(self, kind: str, anchor: str | None = None) -> None:
        path = self._entry()
        if len(self.stack) + 1 > MAX_DEPTH:
            raise limit_error(
                self.name,
                format_path(path),
                f"nested more than {_n(MAX_DEPTH)} levels deep; the limit is {_n(MAX_DEPTH)} levels",
            )
        if kind == "map" and self.stack:
            self._record(path)
        self.stack.append(
            _Frame(
                kind=kind,
                path=path,
                anchor=anchor,
                start_values=self.values - 1,
                start_records=self.records,
            )
        )

    def _record(self, path: list[int | str]) -> None:
        self.records += 1
        if self.records > MAX_RECORDS:
            raise limit_error(
                self.name,
                format_path(path),
                f"more than {_n(MAX_RECORDS)} records (mappings) in the file (each use of a "
                f"YAML alias counted in full); the limit is {_n(MAX_RECORDS)}",
            )

    def end(self) -> None:
        if not self.stack:
            return
        done = self.stack.pop()
        if self.stack:
            self.stack[-1].height = max(self.stack[-1].height, done.height + 1)
        if done.anchor is not None:
            self.anchors[done.anchor] = _Expansion(
                values=self.values - done.start_values,
                records=self.records - done.start_records + (1 if done.kind == "map" else 0),
                height=done.height,
            )

    def alias(self, anchor: str) -> None:
        """A YAML alias: the anchored value again, counted as if it were written out."""
        expansion = self.anchors.get(anchor)
        if expansion is None:
            self._entry()  # an unknown alias: the YAML reader reports it
            return
        path = self._entry()
        self.values += expansion.values - 1
        if self.values > MAX_VALUES:
            raise self.fail(
                f"more than {_n(MAX_VALUES)} values in the file (each use of a YAML alias "
                f"counted in full); the limit is {_n(MAX_VALUES)}",
                path,
            )
        if expansion.records:
            self.records += expansion.records - 1
            self._record(path)
        if len(self.stack) + expansion.height > MAX_DEPTH:
            raise limit_error(
                self.name,
                format_path(path),
                f"nested more than {_n(MAX_DEPTH)} levels deep (through a YAML alias); "
                f"the limit is {_n(MAX_DEPTH)} levels",
            )
        if self.stack:
            self.stack[-1].height = max(self.stack[-1].height, expansion.height + 1)


def check_yaml(text: str, *, name: str) -> None:
    """Walk the YAML parser's events (nothing is built) and refuse what breaks a limit.
    YAML syntax errors are left to the reader, which reports them with their place."""
    walk = _Walk(name)
    events = yaml.parse(text, Loader=_SafeLoader)
    try:
        for event in events:
            anchor = getattr(event, "anchor", None)
            if isinstance(event, yaml.ScalarEvent):
                top = walk.stack[-1] if walk.stack else None
                if top is not None and top.kind == "map" and top.key_next:
                    # duplicate keys are the YAML reader's to report (a key is not
                    # always text there: 1 and '1' differ)
                    walk.key(event.value)
                else:
                    walk.scalar(len(event.value), anchor)
            elif isinstance(event, yaml.SequenceStartEvent):
                _start_or_key(walk, "list", anchor)
            elif isinstance(event, yaml.MappingStartEvent):
                _start_or_key(walk, "map", anchor)
            elif isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
                walk.end()
            elif isinstance(event, yaml.AliasEvent):
                top = walk.stack[-1] if walk.stack else None
                if top is not None and top.kind == "map" and top.key_next:
                    top.key_next = False  # an aliased key: left to the reader
                    walk.values += 1
                else:
                    walk.alias(event.anchor or "")
    except yaml.YAMLError:
        return  # the reader reports the syntax error, with its place
    finally:
        close = getattr(events, "close", None)
        if close is not None:
            close()


def _start_or_key(walk: _Walk, kind: str, anchor: str | None) -> None:
    top = walk.stack[-1] if walk.stack else None
    if top is not None and top.kind == "map" and top.key_next:
        # a collection used as a key (the schema refuses it): count it as a value
        top.key_next = False
        top.key = "?"
        walk.start(kind, anchor)
        walk.stack[-1].path = [*top.path, "?"]
        return
    walk.start(kind, anchor)


# JSON's tokens: strings, the six structural characters, and runs of anything else
# (numbers, true, false, null, or junk the reader will report).
_JSON_TOKEN = re.compile(r'"(?:[^"\\]+|\\.)*"?|[\[\]{},:]|[^\s"\[\]{},:]+', re.DOTALL)


def _json_tokens(text: str) -> Iterator[re.Match[str]]:
    return _JSON_TOKEN.finditer(text)


def _json_string(token: str) -> str:
    if "\\" not in token:
        return token[1:-1]
    import json

    try:
        value = json.loads(token)
    except ValueError:
        return token[1:-1]
    return value if isinstance(value, str) else token[1:-1]


# a JSON string as the tokens above read it (an unterminated one runs to the end), and a
# run of anything else between the structural characters
_JSON_STRING = re.compile(r'"(?:[^"\\]+|\\.)*"?', re.DOTALL)
_JSON_RUN = re.compile(r'[^\s"\[\]{},:]+')
_JSON_NOT_NESTING = re.compile(r"[^\[\]{}]+")


def _json_within_limits(text: str) -> bool:
    """Whether bounds read from the text at C speed (counts of its characters, its longest
    string, its nesting) show that no limit can be broken, if the text is JSON: for JSON
    each bound is at least what the token walk counts, so JSON text they clear is text
    the walk clears (duplicate keys aside: the walk's other check). A case file of many
    years clears them; a file near a limit is walked."""
    opens = text.count("{") + text.count("[")
    commas = text.count(",")
    # every key and value but the first follows a comma, a colon or an opening bracket;
    # a collection's entries are at most the file's commas and one
    if commas + 1 > MAX_ENTRIES or text.count("{") > MAX_RECORDS:
        return False
    if commas + text.count(":") + opens + 1 > MAX_VALUES:
        return False
    strings = _JSON_STRING.findall(text)
    if strings and max(map(len, strings)) - 2 > MAX_TEXT:  # as written, escapes and all
        return False
    rest = _JSON_STRING.sub(" ", text)
    runs = _JSON_RUN.findall(rest)
    if runs and max(map(len, runs)) > MAX_TEXT:
        return False
    if opens > MAX_DEPTH:
        depth = deepest = 0
        for bracket in _JSON_NOT_NESTING.sub("", rest):
            depth += 1 if bracket in "{[" else -1
            deepest = max(deepest, depth)
        if deepest > MAX_DEPTH:
            return False
    return True


def _json_parses_without_duplicates(text: str) -> bool:
    """Whether the text is JSON whose mappings each name a key once (only then may the
    walk be skipped: a duplicate key is named with its place, and text that is not JSON is
    walked as before, for the walk's own answer)."""
    import json

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out = dict(items)
        if len(out) != len(items):
            raise _Duplicate
        return out

    try:
        json.loads(text, object_pairs_hook=pairs)
    except (_Duplicate, ValueError, RecursionError):
        return False
    return True


class _Duplicate(Exception):
    pass


def check_json(text: str, *, name: str) -> None:
    """Refuse what breaks a limit, and a mapping that names a field twice (as the YAML
    reader does). Syntax errors are the reader's.

    A text whose bounds (:func:`_json_within_limits`) clear every limit is parsed once to
    look for a key given twice (what that costs is bounded by those limits); any other
    text, one with a duplicate key (to name its place) and one that is not JSON, is walked
    token by token with nothing built."""
    if _json_within_limits(text) and _json_parses_without_duplicates(text):
        return
    _check_json_walk(text, name=name)


def _check_json_walk(text: str, *, name: str) -> None:
    """Walk JSON's tokens (nothing is built) and refuse what breaks a limit, and a mapping
    that names a field twice."""
    walk = _Walk(name)
    for match in _json_tokens(text):
        token = match.group()
        first = token[0]
        top = walk.stack[-1] if walk.stack else None
        if first == "{":
            walk.start("map")
        elif first == "[":
            walk.start("list")
        elif first in "]}":
            walk.end()
        elif first in ",:":
            continue
        elif first == '"':
            if top is not None and top.kind == "map" and top.key_next:
                value = _json_string(token)
                walk.key(value, where=partial(_line_column, text, match.start()))
            else:
                length = len(token) - 2
                if length > MAX_TEXT:
                    length = len(_json_string(token))
                walk.scalar(length)
        else:
            if top is not None and top.kind == "map" and top.key_next:
                top.key_next = False  # not a key: the reader reports it
                continue
            walk.scalar(len(token))


def check_structure(text: str, *, name: str, json_like: bool) -> None:
    (check_json if json_like else check_yaml)(text, name=name)


# --- what the database stores: checked by `kinwise import` ------------------------------------

# The lengths of the stored columns (kinwise.records.models.base, kinwise.core.models).
STORED_ID = 200
STORED_NAME = 300
STORED_SERVICE_ID = 100
STORED_SERVICE_NAME = 200


def storage_errors(data: Any) -> list[FieldError]:
    """Ids and names longer than the database stores, and text holding a NUL character
    (PostgreSQL stores none), each at its path: a valid file with one cannot be imported
    (``kinwise validate`` accepts it; the format sets no length)."""
    errors: list[FieldError] = []

    def nul(value: Any, path: list[int | str]) -> None:
        if isinstance(value, str) and "\x00" in value:
            errors.append(
                FieldError(
                    format_path(path),
                    "the text holds a NUL character (\\0 or \\u0000), which the database "
                    "cannot store",
                )
            )

    def check(value: Any, path: list[int | str], what: str, limit: int) -> None:
        nul(value, path)
        if isinstance(value, str) and len(value) > limit:
            errors.append(
                FieldError(
                    format_path(path),
                    f"{what} of {_n(len(value))} characters; the database stores at most "
                    f"{_n(limit)}",
                )
            )

    def walk(value: Any, path: list[int | str]) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                here = [*path, key]
                if path == ["service"] and key in ("id", "name"):
                    limit = STORED_SERVICE_ID if key == "id" else STORED_SERVICE_NAME
                    check(item, here, "a service id" if key == "id" else "a name", limit)
                elif key == "id":
                    check(item, here, "an id", STORED_ID)
                elif key == "name":
                    check(item, here, "a name", STORED_NAME)
                else:
                    walk(item, here)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, [*path, index])
        else:
            nul(value, path)

    walk(data, [])
    return errors
