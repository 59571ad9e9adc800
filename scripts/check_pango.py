"""Stop `make run` and `make install` at once when Pango (the PDF reports' text layout,
used by WeasyPrint) is missing, printing the one command that installs it.

The libraries looked for are PANGO_LIBS (space-separated, as ctypes names them), so a
test can ask for one that does not exist."""

from __future__ import annotations

import ctypes.util
import os
import sys

LIBRARIES = ("pango-1.0", "pangoft2-1.0")
INSTALL = "sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0"


def main() -> int:
    wanted = os.environ.get("PANGO_LIBS", "").split() or list(LIBRARIES)
    missing = [name for name in wanted if ctypes.util.find_library(name) is None]
    if not missing:
        return 0
    sys.stderr.write(
        "Kinwise needs Pango for its PDF reports, and this machine does not have it.\n"
        f"Install it with:\n\n    {INSTALL}\n\nthen run the same make command again.\n"
    )
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
