"""A database made by the release before records became documents migrates forward with
nothing lost: every person's export and every version are exactly what they were, but
for the staff directory (core/0006, docs/adr/0140).

The staff directory makes the circles' copies of a member of staff with one member id in
one organisation one entry, the latest copy winning: that release's synthetic service
named a different invented member of staff ``staff1`` .. ``staff4`` in each person's
file, so after the migration each of those ids is one member of staff (the copy written
last), and the people whose copies differed export the winner's name, job and training,
each change a new version of their record (source "migration") after the old history,
which is kept exactly.

``data/db-1ed3141.sqlite3`` was made by that release (the demo, a synthetic service of
six people over three years, saved audit runs, stored audits and work items), and
``data/db-1ed3141.expected.json`` holds what that release exported from it: each
person's case file and every row of the history.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

DATA = Path(__file__).parent / "data"

SCRIPT = """
import json, django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from kinwise.casefile.load import casefile_to_data
from kinwise.core.models import RecordVersion
from kinwise.records.models import Person, Record
from kinwise.records.selectors import casefile_export
from kinwise.audits.models import AuditSnapshot
from kinwise.governance.models import AuditRun, WorkItem
from kinwise.core.models import StaffMember, StaffMemberVersion
out = {"people": {}, "versions": [], "organisations": {}}
for p in Person.objects.order_by("pk"):
    out["people"][str(p.pk)] = casefile_to_data(casefile_export(person=p))
    out["organisations"][str(p.pk)] = p.service.organisation_id
out["directory"] = sorted([s.organisation_id, s.external_id, s.name, s.job, s.trained, s.version]
    for s in StaffMember.objects.all())
out["directory_versions"] = sorted([v.staff_member.external_id, v.version, v.snapshot, v.source]
    for v in StaffMemberVersion.objects.select_related("staff_member"))
for v in RecordVersion.objects.order_by("pk"):
    out["versions"].append([v.pk, v.person_id, v.kind, v.external_id, v.version, v.snapshot,
        v.action, v.actor_id, v.source, v.created_at.isoformat()])
current = {(r.person_id, r.kind, r.key): r.version for r in Record.objects.filter(superseded_at=None)}
latest = {}
for v in RecordVersion.objects.order_by("version"):
    latest[(v.person_id, v.kind, v.external_id)] = v.version
out["versions_match"] = all(latest[k] == n for k, n in current.items())
out["counts"] = [AuditRun.objects.count(), AuditSnapshot.objects.count(), WorkItem.objects.count(),
    Record.objects.exclude(superseded_at=None).count()]
print(json.dumps(out, sort_keys=True, default=str))
"""


def test_database_of_the_previous_release_migrates_with_nothing_lost(tmp_path: Path) -> None:
    shutil.copy(DATA / "db-1ed3141.sqlite3", tmp_path / "kinwise.sqlite3")
    env = {**os.environ, "KINWISE_VAR_DIR": str(tmp_path), "KINWISE_DEBUG": "1"}
    env.pop("KINWISE_DATABASE_URL", None)
    env["DJANGO_SETTINGS_MODULE"] = "kinwise.config.settings"
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    after = json.loads(done.stdout)
    before = json.loads((DATA / "db-1ed3141.expected.json").read_text())
    assert len(after["people"]) == 9
    expected, copies = _with_directory(before["people"], after["organisations"])
    assert after["people"] == expected
    # the synthetic people (4..9) had other staff1..staff4 than the person written last
    changed = [pk for pk in before["people"] if before["people"][pk] != expected[pk]]
    assert changed == ["4", "5", "6", "7", "8"]
    # the old history is kept exactly; each rewritten record has one version more
    assert len(before["versions"]) == 783
    assert after["versions"][:783] == before["versions"]
    added = after["versions"][783:]
    rewritten = sum(
        1
        for pk in before["people"]
        for old, new in zip(
            before["people"][pk].get("circle", []), expected[pk].get("circle", []), strict=True
        )
        if old != new
    )
    assert rewritten == 17
    assert len(added) == rewritten
    assert {(v[2], v[6], v[8]) for v in added} == {("member", "updated", "migration")}
    assert after["versions_match"] is True
    # one directory entry per member id and organisation, the winner's values, and every
    # distinct copy in its history
    assert len(after["directory"]) == 6 + 4
    for organisation, external_id, name, job, trained, version in after["directory"]:
        assert copies[(organisation, external_id)][-1] == _values(
            {"name": name, "job": job, "trained": trained}
        )
        assert version == len(copies[(organisation, external_id)])
    assert len(after["directory_versions"]) == sum(len(c) for c in copies.values())
    assert {v[3] for v in after["directory_versions"]} == {"migration"}
    # saved runs, stored audits and work items kept; superseded records kept as rows
    assert after["counts"][:3] == [2, 2, 2]
    assert after["counts"][3] > 0


def _values(member: dict) -> tuple:
    return (member["name"], member.get("job"), tuple(sorted((member.get("trained") or {}).items())))


def _with_directory(people: dict, organisations: dict) -> tuple[dict, dict]:
    """The exports as the directory gives them: each member of staff of an organisation
    has the values of the copy written last (the people were written in pk order, each
    file's records in their order), and the distinct copies in the order they were
    written (a copy written again moves to the end)."""
    copies: dict[tuple[int, str], list[tuple]] = {}
    for pk in sorted(people, key=int):
        for member in people[pk].get("circle", []):
            if member["kind"] != "staff":
                continue
            held = copies.setdefault((organisations[pk], member["id"]), [])
            values = _values(member)
            if values in held:
                held.remove(values)
            held.append(values)
    expected = json.loads(json.dumps(people))
    for pk, data in expected.items():
        for member in data.get("circle", []):
            if member["kind"] != "staff":
                continue
            name, job, trained = copies[(organisations[pk], member["id"])][-1]
            member["name"] = name
            member.pop("job", None)
            member.pop("trained", None)
            if job is not None:
                member["job"] = job
            if trained:
                member["trained"] = dict(trained)
    return expected, copies
