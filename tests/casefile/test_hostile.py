"""The hostile-file corpus: files built to exhaust a reader (an alias bomb, 10,000-deep
nesting, a 200 MB file and field, binary, invalid UTF-8, JSON duplicate keys, 100,000
records). Each is generated here, at test time, and given to `kinwise validate`,
`kinwise import` and `kinwise audit --case` in a fresh process: exit 2, a plain error
naming the place and the reason, no traceback, nothing written to the database, within
the process's memory limit (docs/spec/resource-limits.md)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import kinwise

SRC = str(Path(kinwise.__file__).resolve().parents[1])
CASEFILES = Path(kinwise.__file__).resolve().parent / "demo" / "casefiles"
MEMORY_LIMIT_KB = 500 * 1024
HEAD = (
    "kinwise: 1\n"
    "service: {id: riverside, name: Riverside}\n"
    "person: {id: sam, name: Sam, communication: {methods: [verbal]}}\n"
    "plan: {version_date: 2026-01-01}\n"
)
HEAD_JSON = {
    "kinwise": 1,
    "service": {"id": "riverside", "name": "Riverside"},
    "person": {"id": "sam", "name": "Sam", "communication": {"methods": ["verbal"]}},
    "plan": {"version_date": "2026-01-01"},
}
DEEP_PATH = "voice" + "[0]" * 63
MB200 = 200 * 1024 * 1024

# Runs the command line, then reports the process's peak memory (KB) on its last line.
# The command's own peak memory: VmHWM of /proc (Linux), which starts afresh with the new
# program; ru_maxrss would carry over the peak of the process that started it (kept by
# Linux across fork and exec: a large test run's), so it is only the fallback.
RUNNER = (
    "import resource, sys\n"
    "from kinwise.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "try:\n"
    "    lines = open('/proc/self/status').read().splitlines()\n"
    "    peak = int(next(l for l in lines if l.startswith('VmHWM:')).split()[1])\n"
    "except (OSError, StopIteration):\n"
    "    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
    "sys.stderr.write('\\nmaxrss %d\\n' % peak)\n"
    "raise SystemExit(code)\n"
)


@dataclass(frozen=True)
class Hostile:
    name: str
    # the error lines `kinwise validate` prints, after "<file>: "
    errors: tuple[str, ...]


def _alias_bomb() -> str:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 9):
        prev, this = chr(96 + i), chr(97 + i)
        lines.append(f"{this}: &{this} [" + ", ".join([f"*{prev}"] * 9) + "]")
    return HEAD + "\n".join(lines) + "\n"


def _write_corpus(root: Path) -> dict[str, Hostile]:
    corpus: dict[str, Hostile] = {}

    def add(name: str, content: str | bytes, *errors: str) -> None:
        path = root / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        corpus[name] = Hostile(name, errors)

    add(
        "alias-bomb.yaml",
        _alias_bomb(),
        "g[0]: more than 1,000,000 values in the file (each use of a YAML alias counted in "
        "full); the limit is 1,000,000",
    )
    add(
        "deep.yaml",
        HEAD + "voice: " + "[" * 10_000 + "]" * 10_000 + "\n",
        f"{DEEP_PATH}: nested more than 64 levels deep; the limit is 64 levels",
    )
    add(
        "deep-block.yaml",
        HEAD + "voice:\n" + "".join("  " * i + "-\n" for i in range(1, 3_001)),
        f"{DEEP_PATH}: nested more than 64 levels deep; the limit is 64 levels",
    )
    deep_json = json.dumps(HEAD_JSON)[:-1] + ', "voice": ' + "[" * 10_000 + "]" * 10_000 + "}"
    add(
        "deep.json",
        deep_json,
        f"{DEEP_PATH}: nested more than 64 levels deep; the limit is 64 levels",
    )
    add(
        "duplicate-keys.json",
        '{"kinwise": 1,\n "person": {"id": "sam", "name": "Sam", "name": "Sam Okafor",\n'
        ' "communication": {"methods": ["verbal"]}},\n "plan": {"version_date": "2026-01-01"}}\n',
        "duplicate key 'name' at line 2, column 41",
    )
    add(
        "binary.yaml",
        b"kinwise: 1\n" + bytes(range(256)) * 4,
        "the file is not text: it holds a NUL byte at line 2, column 1 "
        "(a case file is YAML or JSON text in UTF-8)",
    )
    add(
        "latin-1.yaml",
        HEAD.replace("name: Sam,", "name: Zo\u00eb,").encode("latin-1"),
        "the file is not valid UTF-8: byte 0xeb at line 3, column 27 (save it as UTF-8)",
    )
    add(
        "long-field.yaml",
        HEAD.replace("name: Sam,", "name: " + "x" * 150_000 + ","),
        "person.name: text of 150,000 characters; the limit is 100,000 characters",
    )
    records = dict(HEAD_JSON)
    records["events"] = [
        {
            "id": f"e{i}",
            "date": "2026-01-01",
            "kind": "needs_change",
            "areas": ["medication"],
            "description": "A change",
        }
        for i in range(100_000)
    ]
    add(
        "100000-records.json",
        json.dumps(records),
        "events: a list of more than 10,000 entries; the limit is 10,000 entries in one list",
    )
    spread = dict(HEAD_JSON)
    for name in ("voice", "meetings", "incidents", "events", "consents", "risk_assessments"):
        spread[name] = [{} for _ in range(10_000)]
    add(
        "60000-records-in-lists.json",
        json.dumps(spread),
        "consents[9996]: more than 50,000 records (mappings) in the file (each use of a "
        "YAML alias counted in full); the limit is 50,000",
    )
    # A 200 MB file, and one field of 200 MB: written in pieces, never held in memory.
    too_big = "the file is larger than the limit of 20,971,520 bytes (20 MB)"
    with (root / "200mb-file.yaml").open("w", encoding="utf-8") as out:
        out.write(HEAD + "events:\n")
        event = (
            "  - {id: e, date: 2026-01-01, kind: complaint, areas: [medication], description: x}\n"
        )
        count = MB200 // len(event) + 1
        block = event * 10_000  # about 800 KB a write: the same bytes, written quickly
        for _ in range(count // 10_000):
            out.write(block)
        out.write(event * (count % 10_000))
    corpus["200mb-file.yaml"] = Hostile("200mb-file.yaml", (too_big,))
    with (root / "200mb-field.yaml").open("w", encoding="utf-8") as out:
        out.write(HEAD + "events:\n  - {id: e, date: 2026-01-01, kind: complaint, ")
        out.write("areas: [medication], description: '")
        chunk = "x" * (1024 * 1024)
        for _ in range(200):
            out.write(chunk)
        out.write("'}\n")
    corpus["200mb-field.yaml"] = Hostile("200mb-field.yaml", (too_big,))
    return corpus


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, Hostile]]]:
    root = tmp_path_factory.mktemp("hostile")
    yield root, _write_corpus(root)
    for path in root.iterdir():  # 400 MB of files: do not keep them
        path.unlink()


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str
    maxrss_kb: int


def _kinwise(*args: str, env: dict[str, str] | None = None) -> Run:
    done = subprocess.run(
        [sys.executable, "-c", RUNNER, *args],
        capture_output=True,
        text=True,
        timeout=120,  # a guard only (a loaded machine takes seconds to start Python): the
        # assertions are about the result and the memory
        env={**os.environ, "PYTHONPATH": SRC, **(env or {})},
        check=False,
    )
    err, _, last = done.stderr.rstrip("\n").rpartition("\n")
    assert last.startswith("maxrss "), done.stderr[-2000:]
    return Run(done.returncode, done.stdout, err.rstrip("\n") + "\n", int(last.split()[1]))


NAMES = [
    "alias-bomb.yaml",
    "deep.yaml",
    "deep-block.yaml",
    "deep.json",
    "duplicate-keys.json",
    "binary.yaml",
    "latin-1.yaml",
    "long-field.yaml",
    "100000-records.json",
    "60000-records-in-lists.json",
    "200mb-file.yaml",
    "200mb-field.yaml",
]


@pytest.mark.parametrize("name", NAMES)
def test_validate_refuses_each_hostile_file_with_its_place_and_reason(
    corpus: tuple[Path, dict[str, Hostile]], name: str
) -> None:
    root, files = corpus
    path = root / name
    run = _kinwise("validate", str(path))
    assert run.code == 2
    assert run.out == ""
    assert run.err == "".join(f"{path}: {line}\n" for line in files[name].errors)
    assert run.maxrss_kb < MEMORY_LIMIT_KB


@pytest.mark.parametrize("name", NAMES)
def test_audit_case_refuses_each_hostile_file(
    corpus: tuple[Path, dict[str, Hostile]], name: str
) -> None:
    root, files = corpus
    path = root / name
    run = _kinwise("audit", "--case", str(path), "--as-of", "2026-06-01")
    assert run.code == 2
    assert run.out == ""
    assert run.err == "".join(f"kinwise: {path}: {line}\n" for line in files[name].errors)
    assert run.maxrss_kb < MEMORY_LIMIT_KB


def _row_counts(database: Path) -> dict[str, int]:
    with sqlite3.connect(database) as connection:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {t: connection.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A migrated SQLite database holding one imported person."""
    path = tmp_path_factory.mktemp("db") / "kinwise.sqlite3"
    env = {"KINWISE_DATABASE_URL": f"sqlite:///{path}"}
    assert _kinwise("migrate", env=env).code == 0
    imported = _kinwise(
        "import",
        str(CASEFILES / "01-risk-and-independence.yaml"),
        "--organisation",
        "acme",
        "--create-organisation",
        env=env,
    )
    assert imported.code == 0, imported.err
    return path, env


def _import_reason(name: str) -> str:
    if name in {"duplicate-keys.json", "binary.yaml", "latin-1.yaml"}:
        return "cannot be read"
    return "not read: beyond a resource limit of case files"


@pytest.mark.parametrize("name", NAMES)
def test_import_of_each_hostile_file_writes_nothing(
    corpus: tuple[Path, dict[str, Hostile]], database: tuple[Path, dict[str, str]], name: str
) -> None:
    root, files = corpus
    db_path, env = database
    before = _row_counts(db_path)
    assert before["records_person"] == 1
    path = root / name
    run = _kinwise("import", str(path), env=env)
    assert run.code == 2
    assert run.out == ""
    assert "Traceback" not in run.err
    assert run.err == f"{path}: not imported: {path}: {_import_reason(name)}\n" + "".join(
        f"{path}: {line}\n" for line in files[name].errors
    )
    assert run.maxrss_kb < MEMORY_LIMIT_KB
    assert _row_counts(db_path) == before
