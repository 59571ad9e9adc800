"""Records, their fields and their values in plain English: a record named from its
stored document ("the view of 3 May 2026"), for the headings and links of the pages that
act on one record; the case file's ids named as the records they point to; field names
and vocabulary values as words; and what changed between two versions of a record.
Pure: no Django.

Nothing a person reads shows a case-file id, a field name or a vocabulary value
(tests/web/test_plain_english.py scans every page of the demo for them)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, get_args

from pydantic import BaseModel

from kinwise.casefile import schema as cf
from kinwise.casefile.kinds import RECORD_KINDS, RecordKind
from kinwise.casefile.vocab import AREA_LABELS, TASK_LABELS
from kinwise.readings import labels as p
from kinwise.readings.history import Change


def _date(value: Any) -> str:
    if not isinstance(value, str):
        return ""
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return ""
    return f"{day.day} {day.strftime('%B')} {day.year}"


def _of(data: Mapping[str, Any]) -> str:
    when = _date(data.get("date"))
    return f" of {when}" if when else ""


def record_description(
    spec: RecordKind,
    data: Mapping[str, Any],
    attr: str | None = None,
    inner: Mapping[str, Any] | None = None,
    names: Callable[[str | None], str] = lambda ref: ref or "",
) -> str:
    """The record (or the row ``inner`` of its list ``attr``) as a care manager names it."""
    if spec.name == "role":
        area = AREA_LABELS.get(str(data.get("area")), "an area")
        whole = f"who decides about {area}"
    elif spec.name == "task":
        task = TASK_LABELS.get(str(data.get("task")), "a task")
        whole = f"the task of {task} held by {names(data.get('holder'))}"
    elif spec.name == "member":
        whole = f"{data.get('name', 'a member')} in the circle"
    elif spec.name == "medicine":
        whole = f"the medicine {data.get('name', '')}".rstrip()
    else:
        whole = f"the {spec.label}{_of(data)}"
    if attr is None or inner is None:
        return whole
    if attr == "sessions":
        return f"the session{_of(inner)} of {whole}"
    if attr == "contributions":
        return f"the contribution by {names(inner.get('by'))} to {whole}"
    if attr == "decisions":
        area = AREA_LABELS.get(str(inner.get("area")), "an area")
        return f"the decision about {area} at {whole}"
    if attr == "hazards":
        return f"a hazard of {whole}"
    return f"a row of {whole}"


# --- ids, fields and values in words -------------------------------------------------------

# Fields whose words are not simply their parts: the rest read as their parts ("date of
# birth", "doses per day").
FIELD_WORDS: dict[str, str] = {
    "persons_view": "the person's view",
    "family_view": "the family's view",
    "person_agrees": "the person agrees",
    "time_critical": "time-critical",
    "version_date": "date of this version",
    "required_areas": "areas the plan must cover",
    "advance_after": "clean sessions before moving on",
    "residual_likelihood": "likelihood with the controls",
    "residual_severity": "severity with the controls",
    "reviews_tasks": "tasks reviewed",
    "captured_by": "recorded by",
    "prn": "as needed (PRN)",
    "id": "reference",
}


def _labels() -> dict[str, str]:
    words: dict[str, str] = {}
    for table in (
        AREA_LABELS,
        TASK_LABELS,
        p.METHOD_LABELS,
        p.SETTING_LABELS,
        p.MEETING_KIND_LABELS,
        p.POSITION_LABELS,
        p.AUTHORITY_LABELS,
        p.CONSENT_LABELS,
        p.SUPPORT_LABELS,
        p.MEMBER_KIND_LABELS,
    ):
        for value, label in table.items():
            words.setdefault(
                value, label[:1].lower() + label[1:] if label[1:2].islower() else label
            )
    return words


def _spaced(word: str) -> str:
    return word.replace("_", " ")


def field_words(name: str) -> str:
    """A field of a record as a care manager names it, with a capital ("Supported by")."""
    words = FIELD_WORDS.get(name, _spaced(name))
    return words[:1].upper() + words[1:]


class RecordWords:
    """The ids of one person's case file named as what they point to (a member of the
    circle by their name, a record as :func:`record_description` names it), and the values
    of its records' fields in words."""

    def __init__(
        self,
        casefile: cf.CaseFile,
        documents: Iterable[tuple[str, Mapping[str, Any]]] = (),
    ) -> None:
        self._casefile = casefile
        self._names: dict[str, str] = {casefile.person.id: casefile.person.name}
        self._names.update((m.id, m.name) for m in casefile.circle)
        self._labels = _labels()
        found: list[tuple[str, Mapping[str, Any]]] = list(documents)
        for spec in RECORD_KINDS:
            if spec.has_id and spec.name != "member":
                found.extend((spec.name, spec.snapshot(r)) for r in spec.records(casefile))
        # the documents given first are the older ones: the file's own come last and win
        for kind, data in found:
            self._add(kind, data)

    def _add(self, kind: str, data: Mapping[str, Any]) -> None:
        ident = data.get("id")
        spec = RECORD_KINDS.get(kind)
        if spec is None or not isinstance(ident, str) or kind == "member":
            return
        if kind == "graded_trial":
            source = self._names.get(str(data.get("risk_assessment")), "")
            self._names[ident] = f"the graded trial from {source}" if source else "a graded trial"
            for number, stage in enumerate(data.get("stages") or [], start=1):
                if isinstance(stage, Mapping) and isinstance(stage.get("id"), str):
                    self._names.setdefault(stage["id"], f"stage {number}")
            return
        self._names[ident] = record_description(spec, data, names=self.name)

    def name(self, ref: str | None) -> str:
        """What ``ref`` points to, in words; an id that points nowhere is "a record"."""
        if ref is None:
            return ""
        return self._names.get(ref, "a record no longer in the file")

    def describe(self, kind: str, data: Mapping[str, Any]) -> str:
        """A record of ``kind`` named from its document, with a capital."""
        spec = RECORD_KINDS.get(kind)
        if spec is None:
            return "The profile"
        ident = data.get("id")
        if kind != "member" and isinstance(ident, str) and ident in self._names:
            words = self._names[ident]
        else:
            words = record_description(spec, data, names=self.name)
        return words[:1].upper() + words[1:]

    def title(self, kind: str, key: str) -> str:
        """:meth:`phrase` with a capital."""
        words = self.phrase(kind, key)
        return words[:1].upper() + words[1:]

    def phrase(self, kind: str, key: str) -> str:
        """The record of ``kind`` named ``key`` (its id, area or name), from the file's
        records; a record no longer in the file by its kind alone."""
        spec = RECORD_KINDS.get(kind)
        if spec is None:
            words = "the profile"
        elif spec.name == "member" and key in self._names:
            words = record_description(spec, {"name": self._names[key]})
        elif spec.has_id:
            words = self._names.get(key) or f"{spec.referred_as} no longer in the file"
        else:
            base = key.split("#", 1)[0]
            words = record_description(spec, {spec.key_field or "": base}, names=self.name)
            if spec.single:
                words = f"the {spec.label}"
        return words

    def value(self, field: str, value: Any) -> str:
        """A field's value in words: ids as what they point to, vocabulary values as their
        labels, dates written out, lists and inner rows spelled out."""
        if value is None or value == [] or value == {}:
            return "(none)"
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, list):
            return "; ".join(self.value(field, v) for v in value)
        if isinstance(value, Mapping):
            return ", ".join(
                f"{field_words(k).lower()}: {self.value(k, v)}"
                for k, v in value.items()
                if k != "id"
            )
        if not isinstance(value, str):
            return str(value)
        if value in self._names:
            return self._names[value]
        if value in self._labels:
            return self._labels[value]
        written = _date(value)
        if written:
            return written
        if field in _ID_FIELDS and _ID.fullmatch(value):
            return "a record no longer in the file"
        return _spaced(value) if _CODE.fullmatch(value) else value

    def at_path(self, path: str) -> str:
        """The record a validation path points into (``plan.roles[0]``), in words."""
        parts = _PATH_PART.findall(path)
        names = tuple(name for name, _ in parts)
        for spec in sorted(RECORD_KINDS, key=lambda k: -len(k.place)):
            size = len(spec.place)
            if names[:size] != spec.place:
                continue
            if spec.single:
                return f"the {spec.label}"
            index = parts[size - 1][1]
            records = spec.records(self._casefile)
            if index and int(index) < len(records):
                words = self.describe(spec.name, spec.snapshot(records[int(index)]))
                return words[:1].lower() + words[1:] if spec.name != "member" else words
        return "another record"

    def message(self, message: str) -> str:
        """A validation message of the case file (written for a file's author: paths and
        quoted ids and codes) in the words of a form: a path becomes the record it points
        into, a quoted id what it names, a quoted code its label."""

        role = _ROLE_TAKEN.fullmatch(message)
        if role:
            area = AREA_LABELS.get(role.group(1), "this area")
            return f"who decides about {area} is already recorded: change that instead"
        if _NOT_AN_ID.search(message):
            return "choose one of the options"

        def quoted(match: re.Match[str]) -> str:
            value = match.group(1)
            if value == "":
                return "an empty choice"
            if value in self._names:
                return self._names[value]
            if value in self._labels:
                return self._labels[value]
            return match.group(0) if " " in value else f"'{_spaced(value)}'"

        text = _PATH.sub(lambda m: self.at_path(m.group(0)), message)
        return _QUOTED.sub(quoted, text)

    def changes(self, before: Mapping[str, Any] | None, after: Mapping[str, Any]) -> list[Change]:
        """The fields that differ between two versions of a record, in words."""
        before = before or {}
        keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
        return [
            Change(field_words(k), self.value(k, before.get(k)), self.value(k, after.get(k)))
            for k in keys
            if before.get(k) != after.get(k) and k != "id"
        ]


def _holds_id(annotation: Any) -> bool:
    """Whether a field's type is the schema's id (or a list or option of it)."""
    for meta in getattr(annotation, "__metadata__", ()):
        if getattr(meta, "func", None) is cf._check_id:
            return True
    return any(_holds_id(arg) for arg in get_args(annotation))


def _id_fields() -> frozenset[str]:
    """The fields of every record that hold an id of the file, read from the schema."""
    found: set[str] = set()
    seen: set[type[BaseModel]] = set()
    todo: list[Any] = [cf.CaseFile]
    while todo:
        item = todo.pop()
        if isinstance(item, type) and issubclass(item, BaseModel):
            if item in seen:
                continue
            seen.add(item)
            for name, info in item.model_fields.items():
                if name != "id" and (
                    _holds_id(info.annotation)
                    or any(getattr(m, "func", None) is cf._check_id for m in info.metadata)
                ):
                    found.add(name)
                todo.append(info.annotation)
        else:
            todo.extend(get_args(item))
    return frozenset(found)


_ID_FIELDS = _id_fields()
# A validation path with an index (``meetings[2].decisions[0].area``) and its parts.
_PATH = re.compile(r"\b[a-z_]+(?:\.[a-z_]+)*\[\d+\](?:\.?[a-z_]+|\[\d+\])*")
_PATH_PART = re.compile(r"([a-z_]+)(?:\[(\d+)\])?")
# Messages of the case file's checks that a form words its own way.
_ROLE_TAKEN = re.compile(r"a role for area '(\w+)' is already at .*")
_NOT_AN_ID = re.compile(r"is not a valid id \(")
# A quoted id or code in a validation message.
_QUOTED = re.compile(r"'([^']*)'")
# What an id looks like (a text in a field of the same name has spaces).
_ID = re.compile(r"[A-Za-z0-9._-]+")
# A vocabulary value: lower-case words joined by "_".
_CODE = re.compile(r"[a-z0-9]+(?:_[a-z0-9]+)+")
