"""The export stamp: the version each record of an exported YAML file was at.

``kinwise export`` writes it as comment lines at the top of a version-1 YAML file
(docs/casefile.md, docs/adr/0080), and as the ``exported`` field of a version-2 file,
YAML or JSON (docs/spec/casefile-v2.md, docs/adr/0160). A comment is invisible to the
format: the file is a version-1 case file like any other, and a file without the stamp
(or a version-1 JSON file, which has no comments) imports exactly as before. ``kinwise import`` reads the stamp to refuse overwriting a
record that changed in Kinwise after the file was exported.

The stamp names records by their kind and key (case-file id, or natural key), the same
names the file itself holds, and nothing else of their content.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kinwise.errors import ErrorCode, FieldError, KinwiseError

# The comment line that holds the stamp (one line of JSON after the marker).
STAMP_MARKER = "# kinwise-export: "

_EXPLANATION = (
    "# Exported from Kinwise. The kinwise-export line records the version of each record\n"
    "# in this file: keep it, and a re-import will not overwrite a later change made in\n"
    "# Kinwise (docs/casefile.md).\n"
)

# How many lines at the top of a file are looked at for the stamp.
_HEADER_LINES = 20


@dataclass(frozen=True)
class ExportStamp:
    """What a file held when exported: the person's case-file id and the latest version
    of their details (0: none recorded), and each record's version by (kind, key)."""

    person_id: str
    person_version: int
    records: Mapping[tuple[str, str], int] = field(default_factory=dict)


def stamp_text(stamp: ExportStamp) -> str:
    """The comment lines that carry ``stamp`` at the top of a YAML file."""
    by_kind: dict[str, dict[str, int]] = {}
    for (kind, key), version in stamp.records.items():
        by_kind.setdefault(kind, {})[key] = version
    payload = {
        "person": {"id": stamp.person_id, "version": stamp.person_version},
        "records": by_kind,
    }
    line = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return f"{_EXPLANATION}{STAMP_MARKER}{line}\n"


def _damaged(name: str) -> KinwiseError:
    problem = (
        "its kinwise-export line (the export stamp) cannot be read: restore it from the "
        "export, or remove the line to import the file without the check"
    )
    return KinwiseError(ErrorCode.UNREADABLE_FILE, f"{name}: {problem}", [FieldError("", problem)])


def _version(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return None
    return value


def read_stamp(text: str, *, name: str = "<input>") -> ExportStamp | None:
    """The stamp at the top of ``text`` (among its leading comment lines), or None when it
    has none. A stamp line that is not as ``kinwise export`` writes it is an error."""
    found: str | None = None
    # only the first lines are split off: the file may be long
    for line in text.split("\n", _HEADER_LINES)[:_HEADER_LINES]:
        line = line.rstrip("\r")
        if not line.startswith("#"):
            break
        if line.startswith(STAMP_MARKER.rstrip()):
            if found is not None:
                raise _damaged(name)
            found = line[len(STAMP_MARKER.rstrip()) :].strip()
    if found is None:
        return None
    try:
        payload = json.loads(found)
    except (ValueError, RecursionError):  # not JSON, or nested past what it reads
        raise _damaged(name) from None
    if not isinstance(payload, dict) or set(payload) != {"person", "records"}:
        raise _damaged(name)
    person, records = payload["person"], payload["records"]
    if not isinstance(person, dict) or set(person) != {"id", "version"}:
        raise _damaged(name)
    person_version = _version(person["version"])
    if not isinstance(person["id"], str) or person_version is None:
        raise _damaged(name)
    if not isinstance(records, dict):
        raise _damaged(name)
    versions: dict[tuple[str, str], int] = {}
    for kind, keyed in records.items():
        if not isinstance(keyed, dict):
            raise _damaged(name)
        for key, value in keyed.items():
            version = _version(value)
            if version is None or version == 0:
                raise _damaged(name)
            versions[(kind, key)] = version
    return ExportStamp(person_id=person["id"], person_version=person_version, records=versions)


# --- the export field of format version 2 (docs/spec/casefile-v2.md, "Export") ------------


def stamp_field(stamp: ExportStamp) -> dict[str, Any]:
    """The ``exported`` field of a version-2 file: the stamp's content as data."""
    by_kind: dict[str, dict[str, int]] = {}
    for (kind, key), version in stamp.records.items():
        by_kind.setdefault(kind, {})[key] = version
    return {"person": {"id": stamp.person_id, "version": stamp.person_version}, "records": by_kind}


def stamp_of_field(exported: Any) -> ExportStamp:
    """The stamp a version-2 file's (validated) ``exported`` field carries."""
    return ExportStamp(
        person_id=exported.person.id,
        person_version=exported.person.version,
        records={
            (kind, key): version
            for kind, keyed in exported.records.items()
            for key, version in keyed.items()
        },
    )


def file_stamp(text: str, casefile: Any, *, name: str = "<input>") -> ExportStamp | None:
    """The stamp of an imported file: its ``exported`` field (version 2), else its comment
    stamp (a version-1 YAML export), else None. A file carrying both is read by its field."""
    comment = read_stamp(text, name=name)
    exported = getattr(casefile, "exported", None)
    if exported is not None:
        return stamp_of_field(exported)
    return comment
