"""The person's pages (read): who decides what, voice, meetings, risk, arrangements,
capacity and consent, findings and history."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kinwise.core.history import person_history, record_history
from kinwise.records.kinds import KINDS_BY_NAME, PERSON_KIND
from kinwise.rules.audit import audit_casefile, default_since
from kinwise.web import presenters as p
from kinwise.web.charts import trial_progression
from kinwise.web.forms import AuditPeriodForm
from kinwise.web.views.context import person_page


@require_GET
@login_required
def overview(request: HttpRequest, person_pk: int) -> HttpResponse:
    page = person_page(request, person_pk)
    rows = p.role_rows(page.casefile, page.facts, page.audit.findings, page.as_of)
    return render(request, "web/person/overview.html", page.context("overview", roles=rows))


@require_GET
@login_required
def voice(request: HttpRequest, person_pk: int) -> HttpResponse:
    page = person_page(request, person_pk)
    by_subject = p.findings_by_subject(page.audit.findings)
    records = sorted(page.casefile.voice, key=lambda v: v.date, reverse=True)
    entries = [
        {
            "record": v,
            "captured_by": page.names(v.captured_by),
            "present": page.names.many(v.present),
            "findings": by_subject.get(f"voice:{v.id}", []),
        }
        for v in records
    ]
    return render(request, "web/person/voice.html", page.context("voice", entries=entries))


@require_GET
@login_required
def meetings(request: HttpRequest, person_pk: int) -> HttpResponse:
    page = person_page(request, person_pk)
    findings = page.audit.findings
    entries = [
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
        for m in sorted(page.casefile.meetings, key=lambda m: m.date, reverse=True)
    ]
    return render(request, "web/person/meetings.html", page.context("meetings", entries=entries))


@require_GET
@login_required
def meeting(request: HttpRequest, person_pk: int, meeting_id: str) -> HttpResponse:
    page = person_page(request, person_pk)
    found = [m for m in page.casefile.meetings if m.id == meeting_id]
    if not found:
        raise Http404("No such meeting")
    m = found[0]
    by_subject = p.findings_by_subject(page.audit.findings)
    balance = p.voice_balance(((c.by, c.on_behalf_of) for c in m.contributions), page.names)
    contributions = [
        {
            "by": page.names(c.by),
            "for": page.names(c.on_behalf_of) if c.on_behalf_of else "",
            "area": c.area,
            "text": c.text,
        }
        for c in m.contributions
    ]
    decisions = [
        {
            "record": d,
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
            balance_warning=p.balance_warning(balance, page.casefile.person.name),
            findings=by_subject.get(f"meeting:{m.id}", []),
            reviews_tasks=[t for t in page.casefile.plan.tasks if t.id in m.reviews_tasks],
        ),
    )


@require_GET
@login_required
def risk(request: HttpRequest, person_pk: int) -> HttpResponse:
    page = person_page(request, person_pk)
    by_subject = p.findings_by_subject(page.audit.findings)
    risks = [
        {
            "record": r,
            "participants": page.names.many(r.participants),
            "hazards": p.hazard_rows(r),
            "findings": by_subject.get(f"risk:{r.id}", []),
        }
        for r in sorted(page.casefile.risk_assessments, key=lambda r: r.date, reverse=True)
    ]
    trials = []
    for t in page.casefile.graded_trials:
        chart = trial_progression(t, list(page.casefile.incidents))
        stage_names = {s.id: s.description for s in t.stages}
        trials.append(
            {
                "record": t,
                "chart": chart,
                "sessions": [
                    {"session": s, "stage": stage_names.get(s.stage, s.stage)}
                    for s in sorted(t.sessions, key=lambda s: s.date)
                ],
                "findings": [
                    f for f in page.audit.findings if f.subject.startswith(f"trial:{t.id}/")
                ],
            }
        )
    incidents = [
        {"record": i, "findings": by_subject.get(f"incident:{i.id}", [])}
        for i in sorted(page.casefile.incidents, key=lambda i: i.date, reverse=True)
    ]
    events = [
        {"record": e, "findings": by_subject.get(f"event:{e.id}", [])}
        for e in sorted(page.casefile.events, key=lambda e: e.date, reverse=True)
    ]
    return render(
        request,
        "web/person/risk.html",
        page.context("risk", risks=risks, trials=trials, incidents=incidents, events=events),
    )


@require_GET
@login_required
def trial_chart(request: HttpRequest, person_pk: int, trial_id: str) -> HttpResponse:
    page = person_page(request, person_pk)
    found = [t for t in page.casefile.graded_trials if t.id == trial_id]
    if not found:
        raise Http404("No such trial")
    chart = trial_progression(found[0], list(page.casefile.incidents))
    return HttpResponse(chart.svg, content_type="image/svg+xml")


@require_GET
@login_required
def arrangements(request: HttpRequest, person_pk: int) -> HttpResponse:
    page = person_page(request, person_pk)
    family = p.family_arrangements(page.casefile, page.audit.findings, page.as_of)
    family_ids = {m.id for m in family}
    other_tasks = [
        t
        for t in p.task_rows(page.casefile, page.audit.findings, page.as_of)
        if t.holder_id not in family_ids
    ]
    return render(
        request,
        "web/person/arrangements.html",
        page.context("arrangements", family=family, other_tasks=other_tasks),
    )


@require_GET
@login_required
def capacity(request: HttpRequest, person_pk: int) -> HttpResponse:
    page = person_page(request, person_pk)
    by_subject = p.findings_by_subject(page.audit.findings)
    cfile = page.casefile
    assessments = [
        {
            "record": a,
            "assessor": page.names(a.assessor),
            "findings": by_subject.get(f"capacity:{a.id}", []),
        }
        for a in sorted(cfile.capacity_assessments, key=lambda a: a.date, reverse=True)
    ]
    best_interests = [
        {
            "record": b,
            "decision_maker": page.names(b.decision_maker),
            "consulted": page.names.many(b.consulted),
            "findings": by_subject.get(f"best_interests:{b.id}", []),
        }
        for b in sorted(cfile.best_interests, key=lambda b: b.date, reverse=True)
    ]
    consents = [
        {
            "record": c,
            "given_by": page.names(c.given_by),
            "to": page.names.many(c.to),
            "current": c.date <= page.as_of and (c.withdrawn is None or c.withdrawn > page.as_of),
        }
        for c in sorted(cfile.consents, key=lambda c: c.date, reverse=True)
    ]
    authorities = [{"record": a, "holder": page.names(a.holder)} for a in cfile.legal_authorities]
    return render(
        request,
        "web/person/capacity.html",
        page.context(
            "capacity",
            assessments=assessments,
            best_interests=best_interests,
            consents=consents,
            authorities=authorities,
            plan_findings=by_subject.get("plan", []),
        ),
    )


@require_GET
@login_required
def findings(request: HttpRequest, person_pk: int) -> HttpResponse:
    """The audit at today's date over the year before, or at the date and over the
    period asked for (``?as_of=YYYY-MM-DD&since=YYYY-MM-DD``)."""
    page = person_page(request, person_pk)
    form = AuditPeriodForm(request.GET or None, today=page.as_of)
    audit = page.audit
    if form.is_bound and form.is_valid():
        as_of, since = form.period()
        since = since or default_since(as_of)
        if (as_of, since) != (audit.as_of, audit.since):
            audit = audit_casefile(page.casefile, as_of=as_of, since=since)
    summary = [(field.auto_id, str(e)) for field in form for e in field.errors]
    context = page.context(
        "findings",
        findings=p.finding_views(audit, page.person.pk),
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
    versions = person_history(person=page.person)
    return render(request, "web/person/history.html", page.context("history", versions=versions))


@require_GET
@login_required
def record_history_view(
    request: HttpRequest, person_pk: int, kind: str, external_id: str
) -> HttpResponse:
    page = person_page(request, person_pk)
    if kind != PERSON_KIND and kind not in KINDS_BY_NAME:
        raise Http404("No such kind of record")
    versions = record_history(person=page.person, kind=kind, external_id=external_id)
    if not versions:
        raise Http404("No such record")
    oldest_first = list(reversed(versions))
    rows = []
    previous: dict[str, object] | None = None
    for version in oldest_first:
        rows.append({"version": version, "changes": p.snapshot_changes(previous, version.snapshot)})
        previous = version.snapshot
    rows.reverse()
    return render(
        request,
        "web/person/record_history.html",
        page.context("history", kind=kind, external_id=external_id, rows=rows),
    )
