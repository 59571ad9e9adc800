"""Uploading an eMAR file on the person's page (docs/spec/emar.md, ADR 0190): the same
importer as ``kinwise import-emar``, with the signed-in member of staff as the audits'
auditor. Who may: those who may record a medication audit (``change_task``, the access
table). The file's size is checked before it is read; any problem writes nothing and is
shown with its place (line and column for a CSV); a re-import says so."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from kinwise.access import Purpose
from kinwise.casefile.emar import parse_emar
from kinwise.casefile.limits import MAX_FILE_BYTES, decode_text
from kinwise.errors import KinwiseError
from kinwise.records.services.emar import medication_audits_import
from kinwise.web.views.context import person_page
from kinwise.web.views.edit import _actor

logger = logging.getLogger(__name__)
FIELD = "emar_file"


def _problem(place: str, message: str) -> str:
    """One problem in plain words: "Line 5, column outcome: ..." for a CSV."""
    if not place:
        return message[:1].upper() + message[1:]
    if place.startswith("line ") and ", " in place:
        line, column = place.split(", ", 1)
        place = f"{line}, column {column}"
    return f"{place[:1].upper()}{place[1:]}: {message}"


@require_http_methods(["GET", "POST"])
@login_required
def emar_upload(request: HttpRequest, person_pk: int) -> HttpResponseBase:
    purpose: Purpose = "change" if request.method == "POST" else "read"
    page = person_page(request, person_pk, purpose=purpose, action="change_task")
    problems: list[str] = []
    if request.method == "POST":
        upload = request.FILES.get(FIELD)
        if upload is None or not upload.size:
            problems = ["Choose an eMAR file to upload (a CSV file or a FHIR bundle)"]
        elif upload.size > MAX_FILE_BYTES:  # before anything of it is read
            problems = ["The file is larger than the limit of 20 MB"]
        else:
            try:
                text = decode_text(upload.read(MAX_FILE_BYTES + 1), name="the file")
                emar = parse_emar(text, name="the file")
                done = medication_audits_import(
                    person=page.person, emar=emar, actor=_actor(request)
                )
            except KinwiseError as exc:
                problems = [_problem(e.path, e.message) for e in exc.errors] or [
                    _problem("", exc.message)
                ]
                logger.info(
                    "eMAR upload refused for person pk=%s: %s problem(s)",
                    page.person.pk,
                    len(problems),
                )
            else:
                if done.added or done.changed:
                    words = f"{len(done.added)} added, {len(done.changed)} changed"
                    messages.success(
                        request, f"The eMAR file is imported: medication audits {words}"
                    )
                else:
                    messages.success(
                        request,
                        "This eMAR file was already imported: nothing has changed",
                    )
                logger.info("eMAR upload for person pk=%s: %s", page.person.pk, done.summary())
                return redirect("web:arrangements", person_pk=person_pk)
    context = page.context(
        "arrangements",
        heading="Upload an eMAR file",
        has_errors=bool(problems),
        summary=[(FIELD, p) for p in problems],
        problems=problems,
        field=FIELD,
    )
    return render(request, "web/forms/emar.html", context, status=400 if problems else 200)
