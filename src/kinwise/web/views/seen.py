"""Who has seen a person's records: the access log about them, for a registered manager
(kinwise.access decides who may; docs/access.md)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kinwise.access import person_log_for_viewer
from kinwise.access.command_line import COMMAND_LINE
from kinwise.accesslog.selectors import seen_page, with_usernames
from kinwise.casefile.vocab import AREA_LABELS
from kinwise.core.models import StaffRole

# What each page shows, in words (the access log keeps the page's name, never content).
PAGE_WORDS: dict[str, str] = {
    "web:person": "Who decides what",
    "web:voice": "Voice",
    "web:meetings": "Meetings",
    "web:meeting": "A meeting",
    "web:risk": "Risk",
    "web:arrangements": "Arrangements",
    "web:capacity": "Capacity and consent",
    "web:findings": "Findings",
    "web:history": "History",
    "web:record_history": "A record's history",
    "web:record_history_by_id": "A record's history",
    "web:access_log": "Who has seen these records",
    "reports:person_evidence": "Evidence pack",
    "reports:person_evidence_pdf": "Evidence pack (PDF)",
    "reports:person_evidence_fhir": "Records for another care system (FHIR)",
    "reports:easy_read": "Easy-read page",
}
# What each command did, in words (docs/access.md: the command line's entries).
COMMAND_WORDS: dict[str, str] = {
    "kinwise export": "Case file exported",
    "kinwise import": "Case file imported",
    "kinwise audit": "Audit",
    "kinwise report person": "Evidence pack",
    "kinwise report service": "Service report",
    "kinwise sar": "Everything held about them",
    "kinwise access-log show": "Who has seen these records",
}
ROLE_WORDS: dict[str, str] = {value: str(label) for value, label in StaffRole.choices}


# The family and person portal's pages; an area's records name the area
# ("portal:area/health_treatment").
PORTAL_WORDS: dict[str, str] = {
    "portal:home": "Portal: their home page",
    "portal:person": 'Portal: "Your part" or their own page',
    "portal:say": "Portal: adding what they want to say",
    "portal:who_sees": "Portal: who sees what",
}


def page_words(page: str) -> str:
    if page in PAGE_WORDS:
        return PAGE_WORDS[page]
    if page in COMMAND_WORDS:
        return COMMAND_WORDS[page]
    if page.startswith("portal:"):
        name, _, part = page.partition("/")
        if name == "portal:area" and part in AREA_LABELS:
            return f"Portal: the records about {AREA_LABELS[part]}"
        return PORTAL_WORDS.get(name, "Portal: another page")
    if page.startswith("web:") and ("add" in page or "edit" in page or "correct" in page):
        return "A form to change their records"
    return "Another page about them" if page else "Outside the website"


def _nobody(client: str) -> str:
    return "The server's command line" if client == COMMAND_LINE else "Nobody signed in"


@require_GET
@login_required
def seen(request: HttpRequest, person_pk: int) -> HttpResponse:
    person = person_log_for_viewer(user=request.user, person_pk=person_pk)
    shown = seen_page(person=person, number=request.GET.get("page"))
    rows = [
        {
            "at": s.entry.at,
            "who": s.username or _nobody(s.entry.client),
            "role": ROLE_WORDS.get(
                s.entry.role,
                "Family or person login" if s.entry.page.startswith("portal:") else "No role here",
            ),
            "what": page_words(s.entry.page),
            "purpose": "To change" if s.entry.purpose == "change" else "To read",
            "allowed": s.entry.allowed,
            "client": s.entry.client or "Not known",
        }
        for s in with_usernames(list(shown.object_list))
    ]
    return render(request, "web/seen.html", {"person": person, "rows": rows, "page_obj": shown})
