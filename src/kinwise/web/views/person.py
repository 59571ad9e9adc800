"""The person's pages (read): who decides what, voice, meetings, risk, arrangements,
capacity and consent, findings and history."""

from __future__ import annotations

import hashlib
from functools import cache
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import quote_etag
from django.views.decorators.http import require_GET

from kinwise.audits.services import code_stamp
from kinwise.casefile.kinds import PERSON_KIND, RECORD_KINDS
from kinwise.clock import end_of_day
from kinwise.core.history import person_history_page, record_history_page
from kinwise.governance.pastview import past_view
from kinwise.readings.arrangements import TaskRow, family_arrangements, task_rows
from kinwise.readings.family_views import family_views
from kinwise.readings.findings import finding_views, findings_by_subject
from kinwise.readings.record_words import RecordWords
from kinwise.readings.risk import hazard_rows
from kinwise.readings.roles import role_rows
from kinwise.readings.trials import trial_progression_text
from kinwise.readings.voice import balance_warning, voice_balance
from kinwise.records.selectors import casefile_recorded, record_by_id, record_ids_ever
from kinwise.rules.audit import PersonAudit, audit_casefile, default_since
from kinwise.rules.terms import is_current
from kinwise.web.charts import trial_progression
from kinwise.web.forms import AuditPeriodForm, trial_words
from kinwise.web.paging import list_page
from kinwise.web.views.context import PersonPage, later, person_page


@require_GET
@login_required
def overview(request: HttpRequest, person_pk: int) -> HttpResponse:
    page = person_page(request, person_pk)
    rows = later(lambda: role_rows(page.casefile, page.facts, page.audit.findings, page.as_of))
    return render(request, "web/person/overview.html", page.context("overview", roles=rows))


@require_GET
@login_required
def voice(request: HttpRequest, person_pk: int) -> HttpResponse:
    page = person_page(request, person_pk)
    shown = later(
        lambda: list_page(
            sorted(page.casefile.voice, key=lambda v: v.date, reverse=True),
            request.GET.get("page"),
            record=request.GET.get("record"),
        )
    )

    def entries() -> list[dict[str, Any]]:
        by_subject = findings_by_subject(page.audit.findings)
        return [
            {
                "record": v,
                "captured_by": page.names(v.captured_by),
                "present": page.names.many(v.present),
                "findings": by_subject.get(f"voice:{v.id}", []),
            }
            for v in shown.object_list
        ]

    return render(
        request,
        "web/person/voice.html",
        page.context("voice", entries=later(entries), entries_page=shown),
    )


@require_GET
@login_required
def meetings(request: HttpRequest, person_pk: int) -> HttpResponse:
    page = person_page(request, person_pk)
    shown = later(
        lambda: list_page(
            sorted(page.casefile.meetings, key=lambda m: m.date, reverse=True),
            request.GET.get("page"),
        )
    )

    def entries() -> list[dict[str, Any]]:
        findings = page.audit.findings
        return [
            {
                "record": m,
                "attendees": page.names.many(m.attendees),
                "facilitator": page.names(m.facilitator),
                "findings": [
                    f
                    for f in findings
                    if f.subject == f"meeting:{m.id}" or f.subject.startswith(f"decision:{m.id}/")
                ],
            }
            for m in shown.object_list
        ]

    return render(
        request,
        "web/person/meetings.html",
        page.context("meetings", entries=later(entries), entries_page=shown),
    )


@require_GET
@login_required
def meeting(request: HttpRequest, person_pk: int, meeting_id: str) -> HttpResponse:
    page = person_page(request, person_pk)
    found = [m for m in page.casefile.meetings if m.id == meeting_id]
    if not found:
        raise Http404("No such meeting")
    m = found[0]
    by_subject = findings_by_subject(page.audit.findings)
    balance = voice_balance(((c.by, c.on_behalf_of) for c in m.contributions), page.names)
    contributions = [
        {
            "by": page.names(c.by),
            "for": page.names(c.on_behalf_of) if c.on_behalf_of else "",
            "area": c.area,
            "text": c.text,
        }
        for c in m.contributions
    ]
    words = RecordWords(page.casefile)
    decisions = [
        {
            "record": d,
            "evidence": [words.name(ref) for ref in d.evidence],
            "view": next((v for v in page.casefile.voice if v.id == d.persons_view), None),
            "findings": by_subject.get(f"decision:{m.id}/{d.area}", []),
        }
        for d in m.decisions
    ]
    return render(
        request,
        "web/person/meeting.html",
        page.context(
            "meetings",
            meeting=m,
            attendees=page.names.many(m.attendees),
            facilitator=page.names(m.facilitator),
            contributions=contributions,
            decisions=decisions,
            balance=balance,
            balance_warning=balance_warning(balance, page.casefile.person.name),
            findings=by_subject.get(f"meeting:{m.id}", []),
            reviews_tasks=[t for t in page.casefile.plan.tasks if t.id in m.reviews_tasks],
            family_views=family_views(page.casefile, page.names, meeting=m.id),
        ),
    )


@require_GET
@login_required
def risk(request: HttpRequest, person_pk: int) -> HttpResponse:
    page = person_page(request, person_pk)
    by_subject = later(lambda: findings_by_subject(page.audit.findings))

    def risks() -> list[dict[str, Any]]:
        cfile = page.casefile
        return [
            {
                "record": r,
                "participants": page.names.many(r.participants),
                "hazards": hazard_rows(r),
                "findings": by_subject.get(f"risk:{r.id}", []),
                "family_views": family_views(cfile, page.names, risk_assessment=r.id),
            }
            for r in sorted(cfile.risk_assessments, key=lambda r: r.date, reverse=True)
        ]

    def trials() -> list[dict[str, Any]]:
        cfile = page.casefile
        found = []
        for t in cfile.graded_trials:
            stage_names = {s.id: s.description for s in t.stages}
            found.append(
                {
                    "record": t,
                    "title": trial_words(cfile, t.id),
                    # the words only: the picture is fetched from trial_chart
                    "chart": trial_progression_text(t, list(cfile.incidents)),
                    # shown by date; ``index`` is the session's place in the trial's
                    # list, which its "entered in error" address names
                    "sessions": [
                        {"session": s, "stage": stage_names.get(s.stage, s.stage), "index": i}
                        for i, s in sorted(enumerate(t.sessions), key=lambda item: item[1].date)
                    ],
                    "findings": [
                        f for f in page.audit.findings if f.subject.startswith(f"trial:{t.id}/")
                    ],
                }
            )
        return found

    def incidents() -> list[dict[str, Any]]:
        return [
            {"record": i, "findings": by_subject.get(f"incident:{i.id}", [])}
            for i in sorted(page.casefile.incidents, key=lambda i: i.date, reverse=True)
        ]

    def events() -> list[dict[str, Any]]:
        return [
            {"record": e, "findings": by_subject.get(f"event:{e.id}", [])}
            for e in sorted(page.casefile.events, key=lambda e: e.date, reverse=True)
        ]

    return render(
        request,
        "web/person/risk.html",
        page.context(
            "risk",
            risks=later(risks),
            trials=later(trials),
            incidents=later(incidents),
            events=later(events),
        ),
    )


@require_GET
@login_required
def trial_chart(request: HttpRequest, person_pk: int, trial_id: str) -> HttpResponse:
    """The trial's chart as SVG. It changes only with the person's records (and the code
    that draws it), so its ETag is made of their data stamp: a browser that has it asks
    again and gets 304 Not Modified."""
    page = person_page(request, person_pk)
    found = [t for t in page.casefile.graded_trials if t.id == trial_id]
    if not found:
        raise Http404("No such trial")
    key = f"{page.stamp}/{trial_id}/{_chart_code()}"
    etag = quote_etag(hashlib.sha256(key.encode()).hexdigest()[:32])
    response = HttpResponse(content_type="image/svg+xml")
    response["ETag"] = etag
    patch_cache_control(response, private=True, no_cache=True)
    conditional = get_conditional_response(request, etag=etag, response=response)
    if conditional is not None and conditional is not response:
        return conditional  # 304 Not Modified, with the ETag and cache headers
    response.content = trial_progression(found[0], list(page.casefile.incidents)).svg.encode()
    return response


@cache
def _chart_code() -> str:
    """A hash of the code that draws the charts: a release that draws them differently
    changes every chart's ETag."""
    return code_stamp(("kinwise.web.charts", "kinwise.readings.trials"))


@require_GET
@login_required
def arrangements(request: HttpRequest, person_pk: int) -> HttpResponse:
    page = person_page(request, person_pk)
    family = later(lambda: family_arrangements(page.casefile, page.audit.findings, page.as_of))

    def other_tasks() -> list[TaskRow]:
        family_ids = {m.id for m in family}
        return [
            t
            for t in task_rows(page.casefile, page.audit.findings, page.as_of)
            if t.holder_id not in family_ids
        ]

    medicines = later(lambda: RECORD_KINDS["medicine"].keyed(page.casefile))

    def others() -> list[Any]:
        # everyone else in the circle (staff, advocates, professionals), so that each
        # member of the circle has a page that links to its history and corrections
        family_ids = {m.id for m in family}
        return [m for m in page.casefile.circle if m.id not in family_ids]

    return render(
        request,
        "web/person/arrangements.html",
        page.context(
            "arrangements",
            family=family,
            others=later(others),
            other_tasks=later(other_tasks),
            medicines=medicines,
            medication_audits=later(lambda: page.casefile.medication.audits),
        ),
    )


@require_GET
@login_required
def capacity(request: HttpRequest, person_pk: int) -> HttpResponse:
    page = person_page(request, person_pk)
    by_subject = later(lambda: findings_by_subject(page.audit.findings))

    def assessments() -> list[dict[str, Any]]:
        return [
            {
                "record": a,
                "assessor": page.names(a.assessor),
                "findings": by_subject.get(f"capacity:{a.id}", []),
            }
            for a in sorted(page.casefile.capacity_assessments, key=lambda a: a.date, reverse=True)
        ]

    def best_interests() -> list[dict[str, Any]]:
        return [
            {
                "record": b,
                "decision_maker": page.names(b.decision_maker),
                "consulted": page.names.many(b.consulted),
                "findings": by_subject.get(f"best_interests:{b.id}", []),
            }
            for b in sorted(page.casefile.best_interests, key=lambda b: b.date, reverse=True)
        ]

    def consents() -> list[dict[str, Any]]:
        return [
            {
                "record": c,
                "given_by": page.names(c.given_by),
                "to": page.names.many(c.to),
                "current": is_current(c.date, c.withdrawn, page.as_of),
            }
            for c in sorted(page.casefile.consents, key=lambda c: c.date, reverse=True)
        ]

    def authorities() -> list[dict[str, Any]]:
        return [
            {"record": a, "holder": page.names(a.holder)} for a in page.casefile.legal_authorities
        ]

    return render(
        request,
        "web/person/capacity.html",
        page.context(
            "capacity",
            assessments=later(assessments),
            best_interests=later(best_interests),
            consents=later(consents),
            authorities=later(authorities),
            plan_findings=later(lambda: by_subject.get("plan", [])),
        ),
    )


@require_GET
@login_required
def findings(request: HttpRequest, person_pk: int) -> HttpResponse:
    """The audit at today's date over the year before, or at the date and over the
    period asked for (``?as_of=YYYY-MM-DD&since=YYYY-MM-DD``)."""
    page = person_page(request, person_pk)
    asked = any(name in request.GET for name in ("as_of", "since"))
    form = AuditPeriodForm(request.GET if asked else None, today=page.as_of)
    period = form.period() if form.is_bound and form.is_valid() else None

    view = past_view(request, day=period[0], today=page.as_of) if period is not None else None
    recorded: dict[str, bool] = {}

    def shown() -> PersonAudit:
        if period is None:
            return page.audit
        as_of, since = period[0], period[1] or default_since(period[0])
        if view is not None and view.as_recorded:
            # the records as they had been written by the end of that day (docs/rules.md)
            casefile = casefile_recorded(person=page.person, at=end_of_day(as_of))
            if casefile is None:
                recorded["nothing"] = True
                return PersonAudit(page.audit.person, page.audit.person_name, as_of, since, ())
            return audit_casefile(casefile, as_of=as_of, since=since)
        if (as_of, since) == (page.audit.as_of, page.audit.since):
            return page.audit
        return audit_casefile(page.casefile, as_of=as_of, since=since)

    audit = later(shown)
    summary = [(field.auto_id, str(e)) for field in form for e in field.errors]
    context = page.context(
        "findings",
        past_view=view,
        nothing_recorded=later(lambda: bool(audit.findings) is False and "nothing" in recorded),
        findings=later(lambda: finding_views(audit, page.person.pk)),
        shown=audit,
        period_form=form,
        has_errors=bool(summary),
        summary=summary,
    )
    return render(request, "web/person/findings.html", context, status=400 if summary else 200)


@require_GET
@login_required
def history(request: HttpRequest, person_pk: int) -> HttpResponse:
    page = person_page(request, person_pk)
    versions = later(
        lambda: person_history_page(person=page.person, number=request.GET.get("page"))
    )
    words = later(lambda: RecordWords(page.casefile))
    return render(
        request,
        "web/person/history.html",
        page.context(
            "history",
            versions=versions,
            entries=later(lambda: [(v, words.title(v.kind, v.external_id)) for v in versions]),
            record_ids=later(lambda: record_ids_ever(person=page.person)),
        ),
    )


@require_GET
@login_required
def record_history_view(
    request: HttpRequest, person_pk: int, kind: str, external_id: str
) -> HttpResponse:
    return _record_history(request, person_page(request, person_pk), kind, external_id)


def _record_history(
    request: HttpRequest, page: PersonPage, kind: str, external_id: str
) -> HttpResponse:
    spec = RECORD_KINDS.get(kind)
    if kind != PERSON_KIND and (spec is None or not spec.in_history):
        raise Http404("No such kind of record")
    versions, before = record_history_page(
        person=page.person, kind=kind, external_id=external_id, number=request.GET.get("page")
    )
    if not versions:
        raise Http404("No such record")
    oldest_first = list(reversed(versions.object_list))
    # the record's own earlier versions name what the file no longer holds
    words = RecordWords(page.casefile, [(kind, v.snapshot) for v in oldest_first])
    rows = []
    previous: dict[str, object] | None = before.snapshot if before is not None else None
    for version in oldest_first:
        rows.append({"version": version, "changes": words.changes(previous, version.snapshot)})
        previous = version.snapshot
    rows.reverse()
    return render(
        request,
        "web/person/record_history.html",
        page.context(
            "history",
            kind=kind,
            external_id=external_id,
            title=words.title(kind, external_id),
            phrase=words.phrase(kind, external_id),
            rows=rows,
            versions_page=versions,
        ),
    )


@require_GET
@login_required
def record_history_by_id(request: HttpRequest, person_pk: int, record_id: int) -> HttpResponse:
    """The history of one record named by its opaque id (records without a case-file id,
    such as medicines, are never named by their content in an address)."""
    page = person_page(request, person_pk)
    row = record_by_id(person=page.person, record_id=record_id)
    if row is None:
        raise Http404("No such record")
    return _record_history(request, page, row.kind, row.key)
