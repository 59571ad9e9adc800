"""The audit engine is pure Python: importing it must not import Django."""

from __future__ import annotations

import subprocess
import sys


def test_rules_package_does_not_import_django() -> None:
    code = (
        "import sys, pkgutil, importlib, kinwise.rules as r\n"
        "for m in pkgutil.walk_packages(r.__path__, 'kinwise.rules.'):\n"
        "    importlib.import_module(m.name)\n"
        "import kinwise.rules.audit, kinwise.rules.catalogue\n"
        "bad = sorted(n for n in sys.modules if n == 'django' or n.startswith('django.'))\n"
        "print(len(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, env={"PATH": ""}
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "0"
