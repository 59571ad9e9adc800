"""A database made by the release before records became documents migrates forward with
nothing lost: every person's export and every version are exactly what they were.

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
out = {"people": {}, "versions": []}
for p in Person.objects.order_by("pk"):
    out["people"][str(p.pk)] = casefile_to_data(casefile_export(person=p))
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
    assert after["people"] == before["people"]
    assert len(after["versions"]) == 783
    assert after["versions"] == before["versions"]
    assert after["versions_match"] is True
    # saved runs, stored audits and work items kept; superseded records kept as rows
    assert after["counts"][:3] == [2, 2, 2]
    assert after["counts"][3] > 0
