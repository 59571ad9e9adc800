"""Case-file ids made from names, for records created in the web."""

from __future__ import annotations

from collections.abc import Collection

from django.utils.text import slugify

from kinwise.casefile.schema import ID_PATTERN

ID_BASE_MAX = 90


def id_from_name(name: str, *, taken: Collection[str], fallback: str) -> str:
    """An id from a name ("Riverside Supported Living" -> ``riverside-supported-living``),
    numbered ``-2``, ``-3``… when taken; ``fallback`` when the name has no ASCII letter or
    digit (the id is never shown, so nothing is lost)."""
    base = slugify(name)[:ID_BASE_MAX].strip("-") or fallback
    if not ID_PATTERN.fullmatch(base):
        base = fallback
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate
