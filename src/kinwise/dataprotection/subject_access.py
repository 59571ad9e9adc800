"""The subject-access export: everything Kinwise holds about one person, as JSON and as
a readable PDF (UK GDPR article 15; docs/security.md).

It holds the person as stored, their case file as it is now, every record row (current
or not) with every version of it in the history (who changed it, when, how and why), and
the access log's entries about them (:func:`kinwise.dataprotection.accesslog.access_log_section`),
and what staff typed into forms about them without saving it yet (kinwise.drafts).
A fixed number of queries, however long the history.

The same JSON is the archive the retention policy writes before it erases a person
(:mod:`kinwise.dataprotection.retention`).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string

from kinwise.casefile.kinds import RECORD_KINDS
from kinwise.casefile.load import casefile_to_data
from kinwise.core.models import RecordVersion, VersionAction
from kinwise.dataprotection.accesslog import access_log, access_log_section
from kinwise.drafts.selectors import form_inputs_about
from kinwise.errors import KinwiseError
from kinwise.family.selectors import portal_section
from kinwise.records.models import Person, Record
from kinwise.records.selectors import casefile_export
from kinwise.reports.pdf import html_to_pdf

logger = logging.getLogger("kinwise.dataprotection")

# The version of the export's JSON layout (its top-level "format").
FORMAT = "kinwise-subject-access/1"


def _when(value: dt.datetime | dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


@dataclass(frozen=True)
class SubjectAccess:
    """The export of one person, as its JSON data (:meth:`to_json`)."""

    data: dict[str, Any]

    def to_json(self) -> str:
        return json.dumps(self.data, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def subject_access(*, person: Person, made_at: dt.datetime) -> SubjectAccess:
    """Everything held about ``person`` at ``made_at``: six queries (the person and their
    service, the case file's two, the record rows, the versions with their authors, the
    unsaved form input with who typed it) plus the access log's."""
    person = Person.objects.select_related("service__organisation").get(pk=person.pk)
    service = person.service
    casefile: dict[str, Any] | None = None
    if person.erased_at is None:
        try:
            casefile = casefile_to_data(casefile_export(person=person))
        except KinwiseError:
            casefile = None
    rows = list(Record.objects.filter(person_id=person.pk).order_by("kind", "key", "id"))
    versions = list(
        RecordVersion.objects.filter(person_id=person.pk)
        .select_related("actor")
        .order_by("kind", "external_id", "version")
    )
    history: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for version in versions:
        history[(version.kind, version.external_id)].append(
            {
                "version": version.version,
                "action": version.action,
                "at": _when(version.created_at),
                "by": _actor(version),
                "source": version.source,
                "reason": version.reason,
                "snapshot": version.snapshot,
            }
        )
    records = [
        {
            "database_id": row.pk,
            "kind": row.kind,
            "key": row.key,
            "current": row.superseded_at is None,
            "version": row.version,
            "created_at": _when(row.created_at),
            "updated_at": _when(row.updated_at),
            "left_case_file_at": _when(row.superseded_at),
            "data": row.data,
            "versions": history.pop((row.kind, row.key), []),
        }
        for row in rows
    ]
    # versions of records no row holds (the person record, kept on the person itself)
    others = [
        {"kind": kind, "key": key, "versions": entries}
        for (kind, key), entries in sorted(history.items())
    ]
    data: dict[str, Any] = {
        "format": FORMAT,
        "made_at": _when(made_at),
        "organisation": {"name": service.organisation.name, "slug": service.organisation.slug},
        "service": {"database_id": service.pk, "id": service.external_id, "name": service.name},
        "person": {
            "database_id": person.pk,
            "id": person.external_id,
            "name": person.name,
            "date_of_birth": _when(person.date_of_birth),
            "communication_methods": list(person.communication_methods),
            "communication_notes": person.communication_notes,
            "support_ended": _when(person.support_ended),
            "support_end_reason": person.support_end_reason,
            "created_at": _when(person.created_at),
            "updated_at": _when(person.updated_at),
            "left_at": _when(person.superseded_at),
            "erased_at": _when(person.erased_at),
            "erased_totals": dict(person.erased_totals),
        },
        "case_file": casefile,
        "records": records,
        "other_history": others,
        "access_log": access_log_section(person),
        # the family and person portal logins linked to the file (what each saw is in
        # the access log above: its pages are "portal:...")
        "portal_logins": portal_section(person),
        "unsaved_form_input": _unsaved_input(person),
    }
    return SubjectAccess(data)


def _unsaved_input(person: Person) -> list[dict[str, Any]]:
    """What staff typed into forms about the person and did not save (kinwise.drafts):
    drafts and forms sent after a session ended, each with who typed it and when."""
    return [
        {
            "kind": row.kind,
            "form": row.path,
            "by": _user(row.user),
            "created_at": _when(row.created_at),
            "updated_at": _when(row.updated_at),
            "expires_at": _when(row.expires_at),
            "fields": dict(row.fields),
        }
        for row in form_inputs_about(person_id=person.pk)
    ]


def _actor(version: RecordVersion) -> dict[str, Any] | None:
    return _user(version.actor)


def _user(user: Any) -> dict[str, Any] | None:
    if user is None:
        return None
    full = f"{user.first_name} {user.last_name}".strip()
    return {"user_id": user.pk, "username": user.username, "name": full}


def subject_access_given(*, person: Person, user_id: int | None, form: str) -> None:
    """Log that ``person``'s export left Kinwise (by ids only) and note it in the access
    log."""
    logger.warning("subject access export: user pk=%s person pk=%s as %s", user_id, person.pk, form)
    access_log().note(person=person, user_id=user_id, action="subject_access")


# --- the readable document -----------------------------------------------------------------

ACTION_WORDS: Mapping[str, str] = {
    VersionAction.CREATED: "Recorded",
    VersionAction.UPDATED: "Changed",
    VersionAction.SUPERSEDED: "Taken out of the case file",
    VersionAction.RESTORED: "Put back in the case file",
    VersionAction.ENTERED_IN_ERROR: "Taken out as entered in error",
}
INPUT_WORDS: Mapping[str, str] = {
    "draft": "A draft of a form, not saved",
    "signed_out": "A form sent after its sign-in ended, not saved",
}

SOURCE_WORDS: Mapping[str, str] = {
    "web": "on Kinwise's pages",
    "import": "by importing a case file",
    "demo": "by the demonstration data",
    "retention": "by the retention policy",
}


def words(name: str) -> str:
    """A stored name in words: ``date_of_birth`` -> "Date of birth"."""
    text = name.replace("_", " ").replace("-", " ").strip()
    return text[:1].upper() + text[1:] if text else text


def _date_words(text: str) -> str | None:
    try:
        if len(text) == 10:
            day = dt.date.fromisoformat(text)
            return f"{day.day} {day.strftime('%B')} {day.year}"
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return f"{moment.day} {moment.strftime('%B')} {moment.year} at {moment:%H:%M} UTC"


def value_words(value: Any) -> str:
    """A plain value in words (dates written out, yes and no, lists joined)."""
    if value is None or value == "":
        return "not given"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return _date_words(value) or value
    if isinstance(value, list) and all(not isinstance(v, dict | list) for v in value):
        return ", ".join(value_words(v) for v in value) if value else "none"
    return str(value)


def lines_of(value: Any) -> list[tuple[int, str, str]]:
    """A record's document as (depth, label, text) lines, labels in words."""
    out: list[tuple[int, str, str]] = []

    def walk(item: Any, depth: int) -> None:
        if isinstance(item, dict):
            for key, inner in item.items():
                if isinstance(inner, dict) or (
                    isinstance(inner, list) and any(isinstance(v, dict | list) for v in inner)
                ):
                    out.append((depth, words(str(key)), ""))
                    walk(inner, depth + 1)
                else:
                    out.append((depth, words(str(key)), value_words(inner)))
        elif isinstance(item, list):
            for number, inner in enumerate(item, start=1):
                out.append(
                    (
                        depth,
                        f"Entry {number}",
                        "" if isinstance(inner, dict) else value_words(inner),
                    )
                )
                if isinstance(inner, dict | list):
                    walk(inner, depth + 1)
        else:
            out.append((depth, "", value_words(item)))

    walk(value, 0)
    return out


def _by_words(by: Mapping[str, Any] | None) -> str:
    if by is None:
        return "Kinwise (no member of staff)"
    return str(by.get("name") or by.get("username") or "a member of staff")


def _kind_words(kind: str) -> str:
    spec = RECORD_KINDS.get(kind)
    return spec.label[:1].upper() + spec.label[1:] if spec is not None else words(kind)


def document_context(export: SubjectAccess) -> dict[str, Any]:
    data = export.data
    person = data["person"]

    def version_rows(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [
            {
                "heading": f"Version {entry['version']}: "
                f"{ACTION_WORDS.get(entry['action'], words(entry['action']))}",
                "when": value_words(entry["at"]),
                "by": _by_words(entry["by"]),
                "how": SOURCE_WORDS.get(entry["source"], words(entry["source"])),
                "reason": entry["reason"],
                "lines": lines_of(entry["snapshot"]),
            }
            for entry in entries
        ]

    records = [
        {
            "heading": _kind_words(row["kind"]),
            "current": row["current"],
            "lines": lines_of(row["data"]),
            "versions": version_rows(row["versions"]),
        }
        for row in data["records"]
    ]
    records += [
        {
            "heading": _kind_words(row["kind"]),
            "current": True,
            "lines": [],
            "versions": version_rows(row["versions"]),
        }
        for row in data["other_history"]
    ]
    entries = [
        {
            "when": value_words(entry.get("at")),
            "who": f"Member of staff number {entry['user_id']}"
            if entry.get("user_id") is not None
            else "Kinwise (no member of staff)",
            "what": words(str(entry.get("action") or "read")),
            "kind": _kind_words(str(entry["kind"])) if entry.get("kind") else "",
            "allowed": bool(entry.get("allowed", True)),
        }
        for entry in data["access_log"]
    ]
    about = [
        ("Name", value_words(person["name"])),
        ("Date of birth", value_words(person["date_of_birth"])),
        ("How they communicate", value_words(person["communication_methods"])),
        ("About their communication", value_words(person["communication_notes"])),
        ("Service", data["service"]["name"]),
        ("Organisation", data["organisation"]["name"]),
        ("First recorded", value_words(person["created_at"])),
        ("Support ended", value_words(person["support_ended"])),
    ]
    if person["erased_at"] is not None:
        about.append(("Records erased", value_words(person["erased_at"])))
    unsaved = [
        {
            "heading": INPUT_WORDS.get(row["kind"], words(row["kind"])),
            "when": value_words(row["updated_at"]),
            "by": _by_words(row["by"]),
            "lines": lines_of({k: v[0] if len(v) == 1 else v for k, v in row["fields"].items()}),
        }
        for row in data.get("unsaved_form_input", [])
    ]
    return {
        "name": person["name"],
        "made_at": value_words(data["made_at"]),
        "about": about,
        "records": records,
        "entries": entries,
        "unsaved": unsaved,
    }


def subject_access_document(export: SubjectAccess) -> str:
    """The export as a self-contained HTML document (for the PDF)."""
    return render_to_string("dataprotection/subject_access.html", document_context(export))


def subject_access_pdf(export: SubjectAccess) -> bytes:
    return html_to_pdf(subject_access_document(export))
