"""Imports run one way: every import in src/kinwise goes down the layers of
docs/architecture.md, never up or sideways, and the pure layer never imports Django.

The layers, lowest first (a package may import its own modules and any lower layer):

    errors < dates, deadline < casefile < rules < readings      the pure layer (no Django)
    < core, clock < records < family, drafts < accesslog < access < audits, synth < governance
    < reports < web, commands, api, portal < cli

``config`` (settings, URLs, WSGI) wires everything together: it may import anything, and
only the command line imports it (to start Django). Packages of the same layer (core and
clock; audits and synth; web, commands and api) do not import each other: the pages, the
command line and the API are edges over the same layers, and neither needs the other. Every import is read from the source (``ast``), including those inside
functions and ``if TYPE_CHECKING:`` blocks.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

import kinwise

SOURCE = Path(kinwise.__file__).resolve().parent

LAYERS: tuple[frozenset[str], ...] = (
    frozenset({"errors"}),
    frozenset({"dates", "deadline"}),
    frozenset({"casefile"}),
    frozenset({"rules"}),
    frozenset({"readings"}),
    frozenset({"core", "clock"}),
    frozenset({"records"}),
    # family and person accounts (who they are in each file; their scope is access's) and
    # unsaved form input (drafts: kept by the session middleware, erased by retention)
    frozenset({"family", "drafts"}),
    frozenset({"accesslog"}),
    frozenset({"access", "accounts"}),
    frozenset({"audits", "synth"}),
    frozenset({"governance"}),
    frozenset({"notifications"}),
    frozenset({"reports"}),
    # the data protection duties draw their PDF as the reports do; the queue applies them
    frozenset({"dataprotection"}),
    # the queue's jobs draw reports (and its pages follow the large ones)
    frozenset({"jobs"}),
    frozenset({"web", "commands", "api", "portal"}),
    frozenset({"cli"}),
)
PURE: frozenset[str] = frozenset({"errors", "dates", "deadline", "casefile", "rules", "readings"})
# Wires the application together (settings, URLs, WSGI): may import any layer, and is
# imported only by the command line.
ANYWHERE: frozenset[str] = frozenset({"config"})
CONFIG_USERS: frozenset[str] = frozenset({"commands", "cli"})
RANK: dict[str, int] = {name: rank for rank, layer in enumerate(LAYERS) for name in layer}


@dataclass(frozen=True)
class Import:
    module: str  # the importing module, kinwise.x.y
    package: str  # its top-level part of kinwise (x)
    target: str  # what it imports, kinwise.a.b or django.x
    line: int


def top_package(path: Path) -> str:
    return path.relative_to(SOURCE).parts[0].removesuffix(".py")


def module_name(path: Path) -> str:
    parts = path.relative_to(SOURCE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, text: str | None = None) -> list[Import]:
    """Every import in the file (or in ``text``, read as that file), absolute, one row per
    imported module."""
    source = path.read_text(encoding="utf-8") if text is None else text
    tree = ast.parse(source, filename=str(path))
    module, package = module_name(path), top_package(path)
    is_package = path.name == "__init__.py"
    found: list[Import] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [Import(module, package, alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolve against this module's package
                anchor = module.split(".")
                anchor = anchor if is_package else anchor[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            if base == "kinwise":  # from kinwise import clock: the names are modules
                found += [
                    Import(module, package, f"kinwise.{alias.name}", node.lineno)
                    for alias in node.names
                ]
            else:
                found.append(Import(module, package, base, node.lineno))
    return found


def source_files() -> list[Path]:
    return sorted(p for p in SOURCE.rglob("*.py") if "migrations" not in p.parts)


def all_imports() -> list[Import]:
    return [i for path in source_files() for i in imports_of(path)]


def runs_back_up(imp: Import) -> bool:
    """Whether the import goes to a higher layer or sideways within a layer."""
    if not imp.target.startswith("kinwise."):
        return False
    target = imp.target.split(".")[1]
    if target == imp.package or imp.package in ANYWHERE:
        return False
    if target in ANYWHERE:
        return imp.package not in CONFIG_USERS
    return RANK[target] >= RANK[imp.package]


def test_every_package_has_a_layer() -> None:
    packages = {top_package(p) for p in source_files()} - {"__init__"}
    assert packages - set(RANK) - ANYWHERE == set()


def test_no_import_runs_back_up_the_layers() -> None:
    upward = [
        f"{i.module} (line {i.line}) imports {i.target}" for i in all_imports() if runs_back_up(i)
    ]
    assert upward == []


def test_the_pure_layer_does_not_import_django() -> None:
    django = [
        f"{i.module} (line {i.line}) imports {i.target}"
        for i in all_imports()
        if i.package in PURE and (i.target == "django" or i.target.startswith("django."))
    ]
    assert django == []


# --- the check itself catches what it is for ----------------------------------------------


@pytest.mark.parametrize(
    ("package", "target", "upward"),
    [
        ("core", "kinwise.records.models", True),  # core -> records
        ("governance", "kinwise.web.access", True),  # governance -> web
        ("reports", "kinwise.web.presenters", True),  # reports -> web
        ("commands", "kinwise.web.selectors", True),  # commands -> web (sideways)
        ("web", "kinwise.commands.audit", True),  # web -> commands (sideways)
        ("web", "kinwise.config.bootstrap", True),  # only the command line starts Django
        ("commands", "kinwise.config.bootstrap", False),
        ("cli", "kinwise.commands.audit", False),
        ("core", "kinwise.clock", True),  # sideways within a layer
        ("audits", "kinwise.synth.generate", True),  # sideways within a layer
        ("rules", "kinwise.readings.names", True),  # up inside the pure layer
        ("web", "kinwise.readings.names", False),
        ("reports", "kinwise.governance.models", False),
        ("access", "kinwise.records.models", False),
        ("records", "records_elsewhere", False),  # not ours
        ("config", "kinwise.web.urls", False),  # config wires everything
        ("web", "kinwise.web.forms", False),  # within a package
    ],
)
def test_an_upward_import_is_recognised(package: str, target: str, upward: bool) -> None:
    assert runs_back_up(Import(f"kinwise.{package}.x", package, target, 1)) is upward


def test_imports_are_read_from_every_form_of_the_statement() -> None:
    text = (
        "from __future__ import annotations\n"
        "from typing import TYPE_CHECKING\n"
        "import kinwise.web.views\n"
        "from kinwise import clock, web\n"
        "from .models import RecordVersion\n"
        "if TYPE_CHECKING:\n"
        "    from kinwise.records.models import Person\n"
        "def later() -> None:\n"
        "    from kinwise.governance.selectors import service_audit\n"
    )
    found = sorted(imports_of(SOURCE / "core" / "history.py", text), key=lambda i: i.line)
    assert [(i.module, i.package) for i in found][:1] == [("kinwise.core.history", "core")]
    assert [(i.target, i.line) for i in found if i.target.startswith("kinwise")] == [
        ("kinwise.web.views", 3),
        ("kinwise.clock", 4),
        ("kinwise.web", 4),
        ("kinwise.core.models", 5),
        ("kinwise.records.models", 7),
        ("kinwise.governance.selectors", 9),
    ]
    assert [i.target for i in found if runs_back_up(i)] == [
        "kinwise.web.views",
        "kinwise.clock",
        "kinwise.web",
        "kinwise.records.models",
        "kinwise.governance.selectors",
    ]
