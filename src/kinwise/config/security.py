"""What the settings need to start safely: owner-only local files, a generated local key,
numbers read from the environment, and the secret key refused when too short.

Nothing here imports Django's settings (the settings module imports this one).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


def ensure_private_dir(path: Path) -> None:
    """Create ``path`` (and missing parents) readable by its owner only; an existing
    directory is left as it is (its owner chose its permissions)."""
    if path.is_dir():
        return
    path.mkdir(parents=True, mode=PRIVATE_DIR_MODE, exist_ok=True)
    # mkdir's mode is masked by the umask; say it plainly
    path.chmod(PRIVATE_DIR_MODE)


def ensure_private_file(path: Path) -> None:
    """Create ``path`` empty and readable by its owner only, unless it exists."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    except FileExistsError:
        return
    os.close(descriptor)
    path.chmod(PRIVATE_FILE_MODE)


def secret_key_from_file(path: Path) -> str:
    """The secret key kept in ``path``; a new random one (owner-only) if the file is missing."""
    ensure_private_dir(path.parent)
    if not path.exists():
        key = secrets.token_urlsafe(64)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
        except FileExistsError:  # another process made it first: use theirs
            return path.read_text(encoding="utf-8").strip()
        with os.fdopen(descriptor, "w", encoding="utf-8") as out:
            out.write(key + "\n")
        return key
    return path.read_text(encoding="utf-8").strip()


def int_setting(name: str, default: int, *, least: int, most: int) -> int:
    """The whole number in environment variable ``name`` (``default`` when unset),
    between ``least`` and ``most``; anything else stops the start with a clear message."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not least <= int(raw) <= most:
        raise SystemExit(f"kinwise: {name} must be a whole number from {least} to {most}")
    return int(raw)


def secret_key_problem(*, key: str, development_key: str, debug: bool, least: int) -> str | None:
    """Why ``key`` may not sign the sessions of a server with this ``debug``, or None."""
    if debug:
        return None
    if key == development_key:
        return (
            "set KINWISE_SECRET_KEY to serve Kinwise (or KINWISE_DEBUG=1 on a development machine)"
        )
    if len(key) < least:
        return (
            f"KINWISE_SECRET_KEY is {len(key)} characters long: it must be at least {least} "
            "(for example: python3 -c 'import secrets; print(secrets.token_urlsafe(64))')"
        )
    return None
