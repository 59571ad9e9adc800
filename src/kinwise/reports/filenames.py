"""The names of downloaded files: what they are, whose or which service's, and the day or
period they cover, in ASCII letters, digits and hyphens so every system keeps them as they
are. A service is named (``co-production-measures-riverside-2026-01-01-to-2026-11-30.csv``);
a person by the number the web shows for them, never their name
(``evidence-pack-person-12-2026-11-30.pdf``): a file's name travels further than its
content — into download lists of shared tablets, e-mail subjects and proxy logs."""

from __future__ import annotations

import datetime as dt

from django.utils.text import slugify


def download_name(what: str, *, of: str, dates: tuple[dt.date, ...], ext: str) -> str:
    """``<what>-<of>-<date>[-to-<date>].<ext>``; a name with no ASCII letters or digits
    (a name in another script) is left out rather than garbled."""
    parts = [slugify(what)]
    whose = slugify(of)
    if whose:
        parts.append(whose)
    parts.append("-to-".join(d.isoformat() for d in dates))
    return f"{'-'.join(parts)}.{ext}"


def service_report_name(
    service_name: str, start: dt.date, end: dt.date, *, as_recorded: bool, ext: str
) -> str:
    """The service report's download name: the view with the corrections made since says
    so (``co-production-measures-with-corrections-since-<service>-<dates>.pdf``); the
    default view, as recorded (docs/rules.md), keeps the plain name."""
    what = "co-production measures" + ("" if as_recorded else " with corrections since")
    return download_name(what, of=service_name, dates=(start, end), ext=ext)
