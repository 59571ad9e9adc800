"""The person's forms. Each view collects input, calls one edit service, and on errors
shows the form again with everything typed, the error summary at the top and each error
by its field. The services validate the whole case file as an import does."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from kinwise.casefile import schema as cf
from kinwise.casefile.load import casefile_to_data
from kinwise.errors import KinwiseError
from kinwise.records.services import edits
from kinwise.web import forms as f
from kinwise.web import presenters as p
from kinwise.web.views.context import PersonPage, person_page

Summary = list[tuple[str, str]]
FORM_TOP = "form-top"


def _actor(request: HttpRequest) -> AbstractBaseUser:
    """The signed-in member of staff (every form view requires a login)."""
    user = request.user
    assert isinstance(user, AbstractBaseUser)
    return user


def _summary(forms_: Sequence[f.RecordForm]) -> Summary:
    out: Summary = []
    for form in forms_:
        for message in form.non_field_errors():
            out.append((FORM_TOP, str(message)))
        for field in form:
            for message in field.errors:
                out.append((field.auto_id or FORM_TOP, str(message)))
    return out


def _map_errors(
    exc: KinwiseError,
    path: str,
    form: f.RecordForm,
    rows: dict[str, list[tuple[int, f.RecordForm]]] | None = None,
) -> None:
    """Put the validation errors of the record at ``path`` on the form and its rows
    (``rows[attr]`` lists (index in the record, row form)); others go to the top."""
    mine, others = edits.errors_under(exc.errors, path)
    main: dict[str, list[str]] = {}
    for rest, msgs in mine.items():
        placed = False
        for attr, indexed in (rows or {}).items():
            if rest.startswith(f"{attr}["):
                index_text, _, inner = rest[len(attr) + 1 :].partition("]")
                for index, row in indexed:
                    if str(index) == index_text:
                        row.add_record_errors({inner.lstrip("."): msgs})
                        placed = True
        if not placed:
            main.setdefault(rest, []).extend(msgs)
    form.add_record_errors(main)
    for message in others:
        form.add_error(None, message)


def _render_form(
    request: HttpRequest,
    page: PersonPage,
    section: str,
    *,
    form: f.RecordForm,
    heading: str,
    cancel: str,
    template: str = "web/forms/record.html",
    rows: Sequence[f.RecordForm] = (),
    **extra: Any,
) -> HttpResponse:
    summary = _summary([form, *rows])
    return render(
        request,
        template,
        page.context(
            section,
            form=form,
            heading=heading,
            cancel=cancel,
            has_errors=bool(summary),
            summary=summary,
            **extra,
        ),
        status=400 if summary else 200,
    )


def _find(records: Sequence[Any], key: str, attr: str = "id") -> Any:
    for record in records:
        if getattr(record, attr) == key:
            return record
    raise Http404("No such record")


def _simple_record_view(
    request: HttpRequest,
    person_pk: int,
    *,
    form_class: type[f.RecordForm],
    collection: str,
    section: str,
    heading: str,
    id_prefix: str,
    records: Callable[[cf.CaseFile], Sequence[Any]] | None = None,
    key: str | None = None,
    key_attr: str = "id",
    fixed: dict[str, Any] | None = None,
    done: str = "Saved",
    intro: str = "",
) -> HttpResponse:
    page = person_page(request, person_pk)
    existing = _find(records(page.casefile), key, key_attr) if records and key else None
    cancel = f"{page.context(section)['base']}/{'' if section == 'overview' else section + '/'}"
    if request.method == "POST":
        form = form_class(request.POST, casefile=page.casefile)
        if form.is_valid():
            record = form.to_record()
            if existing is not None and key_attr == "id":
                record["id"] = existing.id
            record.update(fixed or {})
            path = edits.record_path(
                casefile=page.casefile,
                collection=collection,
                original_key=key if existing is not None else None,
            )
            try:
                edits.record_save(
                    person=page.person,
                    collection=collection,
                    record=record,
                    actor=_actor(request),
                    original_key=key if existing is not None else None,
                    id_prefix=id_prefix,
                )
            except KinwiseError as exc:
                _map_errors(exc, path, form)
            else:
                messages.success(request, done)
                return redirect(cancel)
    else:
        initial = form_class.initial_from(existing) if existing is not None else {}
        form = form_class(casefile=page.casefile, initial=initial)
    return _render_form(
        request, page, section, form=form, heading=heading, cancel=cancel, intro=intro
    )


# --- the communication profile ------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def communication(request: HttpRequest, person_pk: int) -> HttpResponse:
    page = person_page(request, person_pk)
    name = page.casefile.person.name
    cancel = f"/people/{page.person.pk}/"
    if request.method == "POST":
        form = f.CommunicationForm(request.POST, casefile=page.casefile)
        if form.is_valid():
            record = form.to_record()
            try:
                edits.person_communication_update(
                    person=page.person,
                    methods=record.get("methods", []),
                    notes=record.get("notes"),
                    actor=_actor(request),
                )
            except KinwiseError as exc:
                _map_errors(exc, "person.communication", form)
            else:
                messages.success(request, f"How {name} communicates is saved")
                return redirect(cancel)
    else:
        comm = page.casefile.person.communication
        form = f.CommunicationForm(
            casefile=page.casefile, initial={"methods": comm.methods, "notes": comm.notes or ""}
        )
    form.fields["methods"].label = f"How does {name} communicate?"
    return _render_form(
        request, page, "overview", form=form, heading=f"How {name} communicates", cancel=cancel
    )


# --- simple records -------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def voice_add(request: HttpRequest, person_pk: int) -> HttpResponse:
    return _simple_record_view(
        request,
        person_pk,
        form_class=f.VoiceForm,
        collection="voice",
        section="voice",
        heading="Record a view",
        id_prefix="v",
        done="The view is recorded",
    )


@require_http_methods(["GET", "POST"])
@login_required
def voice_edit(request: HttpRequest, person_pk: int, record_id: str) -> HttpResponse:
    return _simple_record_view(
        request,
        person_pk,
        form_class=f.VoiceForm,
        collection="voice",
        section="voice",
        heading="Change a view",
        id_prefix="v",
        records=lambda c: c.voice,
        key=record_id,
        done="The view is changed",
    )


@require_http_methods(["GET", "POST"])
@login_required
def consent_add(request: HttpRequest, person_pk: int) -> HttpResponse:
    return _simple_record_view(
        request,
        person_pk,
        form_class=f.ConsentForm,
        collection="consents",
        section="capacity",
        heading="Record a consent",
        id_prefix="c",
        done="The consent is recorded",
    )


@require_http_methods(["GET", "POST"])
@login_required
def assessment_add(request: HttpRequest, person_pk: int) -> HttpResponse:
    return _simple_record_view(
        request,
        person_pk,
        form_class=f.AssessmentForm,
        collection="capacity_assessments",
        section="capacity",
        heading="Record a capacity assessment",
        id_prefix="ca",
        done="The capacity assessment is recorded",
        intro="The outcome follows from the answers: the person lacks capacity for this "
        "decision only when there is an impairment and they cannot do at least one of the "
        "four things below.",
    )


@require_http_methods(["GET", "POST"])
@login_required
def best_interests_add(request: HttpRequest, person_pk: int) -> HttpResponse:
    return _simple_record_view(
        request,
        person_pk,
        form_class=f.BestInterestsForm,
        collection="best_interests",
        section="capacity",
        heading="Record a best-interests decision",
        id_prefix="bi",
        done="The best-interests decision is recorded",
    )


@require_http_methods(["GET", "POST"])
@login_required
def authority_add(request: HttpRequest, person_pk: int) -> HttpResponse:
    return _simple_record_view(
        request,
        person_pk,
        form_class=f.AuthorityForm,
        collection="legal_authorities",
        section="capacity",
        heading="Record a legal authority",
        id_prefix="la",
        done="The legal authority is recorded",
    )


@require_http_methods(["GET", "POST"])
@login_required
def member_add(request: HttpRequest, person_pk: int) -> HttpResponse:
    return _simple_record_view(
        request,
        person_pk,
        form_class=f.MemberForm,
        collection="circle",
        section="arrangements",
        heading="Add someone to the circle",
        id_prefix="m",
        done="They are added to the circle",
    )


@require_http_methods(["GET", "POST"])
@login_required
def role_edit(request: HttpRequest, person_pk: int, area: str) -> HttpResponse:
    page = person_page(request, person_pk)
    if area not in p.AREA_LABELS:
        raise Http404("No such area")
    exists = any(r.area == area for r in page.casefile.plan.roles)
    return _simple_record_view(
        request,
        person_pk,
        form_class=f.RoleForm,
        collection="roles",
        section="overview",
        heading=f"Who decides about {p.area_label(area)}",
        id_prefix="r",
        records=(lambda c: c.plan.roles) if exists else None,
        key=area if exists else None,
        key_attr="area",
        fixed={"area": area},
        done="Who decides is saved",
    )


# --- meetings ---------------------------------------------------------------------------------


def _meeting_rows(
    casefile: cf.CaseFile, data: Any, meeting: cf.Meeting | None
) -> tuple[list[f.RecordForm], list[f.RecordForm]]:
    contributions = f.row_forms(
        f.ContributionForm,
        "contributions",
        casefile,
        data,
        [f.RecordForm.initial_from(c) for c in meeting.contributions] if meeting else (),
        extra=3,
    )
    decisions = f.row_forms(
        f.DecisionForm,
        "decisions",
        casefile,
        data,
        [f.RecordForm.initial_from(d) for d in meeting.decisions] if meeting else (),
        extra=1,
    )
    return contributions, decisions


def _balance_from(rows: Sequence[f.RecordForm], names: p.Names) -> list[p.BalanceRow]:
    pairs = []
    for row in rows:
        if row.is_bound:
            pairs.append(
                (
                    str(row.data.get(row.add_prefix("by"), "")),
                    str(row.data.get(row.add_prefix("on_behalf_of"), "")) or None,
                )
            )
        else:
            pairs.append((str(row.initial.get("by", "")), row.initial.get("on_behalf_of")))
    return p.voice_balance(pairs, names)


@require_http_methods(["GET", "POST"])
@login_required
def meeting_form(
    request: HttpRequest, person_pk: int, meeting_id: str | None = None
) -> HttpResponse:
    page = person_page(request, person_pk)
    existing = _find(page.casefile.meetings, meeting_id) if meeting_id else None
    base = page.context("meetings")["base"]
    cancel = f"{base}/meetings/{meeting_id}/" if meeting_id else f"{base}/meetings/"
    data = request.POST if request.method == "POST" else None
    contributions, decisions = _meeting_rows(page.casefile, data, existing)
    if data is not None:
        form = f.MeetingForm(data, casefile=page.casefile)
        saving = "add_rows" not in data
        if saving and form.is_valid() and all(r.is_valid() for r in contributions + decisions):
            record = form.to_record()
            if existing is not None:
                record["id"] = existing.id
            filled_c = [(i, r) for i, r in enumerate(r for r in contributions if f.filled(r))]
            filled_d = [(i, r) for i, r in enumerate(r for r in decisions if f.filled(r))]
            record["contributions"] = [r.to_record() for _, r in filled_c]
            record["decisions"] = [r.to_record() for _, r in filled_d]
            path = edits.record_path(
                casefile=page.casefile, collection="meetings", original_key=meeting_id
            )
            try:
                saved = edits.record_save(
                    person=page.person,
                    collection="meetings",
                    record=record,
                    actor=_actor(request),
                    original_key=meeting_id,
                    id_prefix="m",
                )
            except KinwiseError as exc:
                _map_errors(exc, path, form, {"contributions": filled_c, "decisions": filled_d})
            else:
                messages.success(request, "The meeting is recorded")
                return redirect(f"{base}/meetings/{saved.key}/")
    else:
        initial = f.RecordForm.initial_from(existing) if existing is not None else {}
        form = f.MeetingForm(casefile=page.casefile, initial=initial)
    balance = _balance_from(contributions, page.names)
    summary = _summary([form, *contributions, *decisions])
    return render(
        request,
        "web/forms/meeting.html",
        page.context(
            "meetings",
            form=form,
            contributions=contributions,
            decisions=decisions,
            heading="Change the meeting" if existing else "Record a meeting",
            cancel=cancel,
            balance=balance,
            balance_warning=p.balance_warning(balance, page.casefile.person.name),
            has_errors=bool(summary),
            summary=summary,
        ),
        status=400 if summary else 200,
    )


@require_POST
@login_required
def meeting_balance(request: HttpRequest, person_pk: int) -> HttpResponse:
    """The voice-balance panel for the contributions typed so far (for HTMX)."""
    page = person_page(request, person_pk)
    contributions = f.row_forms(f.ContributionForm, "contributions", page.casefile, request.POST)
    balance = _balance_from(contributions, page.names)
    return render(
        request,
        "web/includes/balance.html",
        {
            "balance": balance,
            "balance_warning": p.balance_warning(balance, page.casefile.person.name),
        },
    )


# --- risk -----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def risk_form(request: HttpRequest, person_pk: int, risk_id: str | None = None) -> HttpResponse:
    page = person_page(request, person_pk)
    existing = _find(page.casefile.risk_assessments, risk_id) if risk_id else None
    base = page.context("risk")["base"]
    cancel = f"{base}/risk/"
    data = request.POST if request.method == "POST" else None
    hazards = f.row_forms(
        f.HazardForm,
        "hazards",
        page.casefile,
        data,
        [f.HazardForm.initial_from(h) for h in existing.hazards] if existing else (),
        extra=1 if existing else 2,
    )
    if data is not None:
        form = f.RiskForm(data, casefile=page.casefile)
        if "add_rows" not in data and form.is_valid() and all(h.is_valid() for h in hazards):
            record = form.to_record()
            if existing is not None:
                record["id"] = existing.id
            filled_h = [(i, r) for i, r in enumerate(r for r in hazards if f.filled(r))]
            record["hazards"] = [r.to_record() for _, r in filled_h]
            path = edits.record_path(
                casefile=page.casefile, collection="risk_assessments", original_key=risk_id
            )
            try:
                edits.record_save(
                    person=page.person,
                    collection="risk_assessments",
                    record=record,
                    actor=_actor(request),
                    original_key=risk_id,
                    id_prefix="ra",
                )
            except KinwiseError as exc:
                _map_errors(exc, path, form, {"hazards": filled_h})
            else:
                messages.success(request, "The risk assessment is recorded")
                return redirect(cancel)
    else:
        initial = f.RecordForm.initial_from(existing) if existing is not None else {}
        form = f.RiskForm(casefile=page.casefile, initial=initial)
    summary = _summary([form, *hazards])
    return render(
        request,
        "web/forms/risk.html",
        page.context(
            "risk",
            form=form,
            hazards=hazards,
            heading="Change the risk assessment" if existing else "Record a joint risk assessment",
            cancel=cancel,
            has_errors=bool(summary),
            summary=summary,
        ),
        status=400 if summary else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def session_add(request: HttpRequest, person_pk: int, trial_id: str) -> HttpResponse:
    page = person_page(request, person_pk)
    trial = _find(page.casefile.graded_trials, trial_id)
    cancel = f"{page.context('risk')['base']}/risk/#trial-{trial_id}"
    if request.method == "POST":
        form = f.SessionForm(request.POST, casefile=page.casefile, trial=trial)
        if form.is_valid():
            index = next(i for i, t in enumerate(page.casefile.graded_trials) if t.id == trial_id)
            path = f"graded_trials[{index}].sessions[{len(trial.sessions)}]"
            try:
                edits.trial_session_add(
                    person=page.person,
                    trial_id=trial_id,
                    session=form.to_record(),
                    actor=_actor(request),
                )
            except KinwiseError as exc:
                _map_errors(exc, path, form)
            else:
                messages.success(request, "The session is logged")
                return redirect(cancel)
    else:
        form = f.SessionForm(casefile=page.casefile, trial=trial)
    return _render_form(
        request,
        page,
        "risk",
        form=form,
        heading=f"Log a session of trial {trial_id}",
        cancel=cancel,
    )


@require_http_methods(["GET", "POST"])
@login_required
def incident_add(request: HttpRequest, person_pk: int) -> HttpResponse:
    return _simple_record_view(
        request,
        person_pk,
        form_class=f.IncidentForm,
        collection="incidents",
        section="risk",
        heading="Record an incident",
        id_prefix="inc",
        done="The incident is recorded",
    )


@require_http_methods(["GET", "POST"])
@login_required
def event_add(request: HttpRequest, person_pk: int) -> HttpResponse:
    return _simple_record_view(
        request,
        person_pk,
        form_class=f.EventForm,
        collection="events",
        section="risk",
        heading="Record a change in need or another event",
        id_prefix="ev",
        done="The event is recorded",
    )


@require_http_methods(["GET", "POST"])
@login_required
def trial_add(request: HttpRequest, person_pk: int) -> HttpResponse:
    """A graded trial: its stages in order (sessions are logged one by one later)."""
    page = person_page(request, person_pk)
    cancel = f"{page.context('risk')['base']}/risk/"
    data = request.POST if request.method == "POST" else None
    stages = f.row_forms(f.StageForm, "stages", page.casefile, data, (), extra=3)
    if data is not None:
        form = f.TrialForm(data, casefile=page.casefile)
        if "add_rows" not in data and form.is_valid() and all(s.is_valid() for s in stages):
            record = form.to_record()
            file_data = casefile_to_data(page.casefile)
            record["id"] = edits.new_id(file_data, "gt")
            filled_s = [(i, r) for i, r in enumerate(r for r in stages if f.filled(r))]
            record["stages"] = [
                {"id": f"{record['id']}-s{i + 1}", **r.to_record()} for i, r in filled_s
            ]
            path = edits.record_path(
                casefile=page.casefile, collection="graded_trials", original_key=None
            )
            try:
                edits.record_save(
                    person=page.person,
                    collection="graded_trials",
                    record=record,
                    actor=_actor(request),
                    id_prefix="gt",
                )
            except KinwiseError as exc:
                _map_errors(exc, path, form, {"stages": filled_s})
            else:
                messages.success(request, "The graded trial is recorded")
                return redirect(f"{cancel}#trial-{record['id']}")
    else:
        form = f.TrialForm(casefile=page.casefile)
    summary = _summary([form, *stages])
    return render(
        request,
        "web/forms/trial.html",
        page.context(
            "risk",
            form=form,
            stages=stages,
            heading="Plan a graded trial",
            cancel=cancel,
            has_errors=bool(summary),
            summary=summary,
        ),
        status=400 if summary else 200,
    )


# --- arrangements and consent actions ----------------------------------------------------------


def _task_index(casefile: cf.CaseFile, task_id: str) -> int:
    for index, task in enumerate(casefile.plan.tasks):
        if task.id == task_id:
            return index
    raise Http404("No such task")


@require_http_methods(["GET", "POST"])
@login_required
def task_action(request: HttpRequest, person_pk: int, task_id: str, action: str) -> HttpResponse:
    """Review a task, end it, or hand it to a trained member of staff."""
    page = person_page(request, person_pk)
    index = _task_index(page.casefile, task_id)
    task = page.casefile.plan.tasks[index]
    holder = page.names(task.holder)
    label = p.task_label(task.task)
    cancel = f"{page.context('arrangements')['base']}/arrangements/#task-{task_id}"
    form_class: type[f.RecordForm] = f.HandoverForm if action == "handover" else f.DateForm
    headings = {
        "review": f"Record a review of {label} by {holder}",
        "end": f"End {label} by {holder}",
        "handover": f"Hand {label} from {holder} to a trained member of staff",
    }
    if action not in headings:
        raise Http404("No such action")
    if request.method == "POST":
        form = form_class(request.POST, casefile=page.casefile)
        if form.is_valid():
            values = form.to_record()
            actor = _actor(request)
            try:
                if action == "review":
                    edits.task_review(
                        person=page.person, task_id=task_id, on=values.get("on", ""), actor=actor
                    )
                elif action == "end":
                    edits.task_end(
                        person=page.person, task_id=task_id, on=values.get("on", ""), actor=actor
                    )
                else:
                    edits.task_handover(
                        person=page.person,
                        task_id=task_id,
                        to_member=values.get("to_member", ""),
                        on=values.get("on", ""),
                        agreed=values.get("agreed"),
                        trained_on=values.get("trained_on"),
                        actor=actor,
                    )
            except KinwiseError as exc:
                _map_task_errors(exc, page.casefile, index, action, form)
            else:
                messages.success(request, "The arrangement is updated")
                return redirect(cancel)
    else:
        form = form_class(casefile=page.casefile)
    if action != "handover":
        form.fields["on"].label = "Date reviewed" if action == "review" else "Date it ends"
    return _render_form(
        request, page, "arrangements", form=form, heading=headings[action], cancel=cancel
    )


def _map_task_errors(
    exc: KinwiseError, casefile: cf.CaseFile, index: int, action: str, form: f.RecordForm
) -> None:
    """Task errors name the task's fields; put them on the form's date fields."""
    path = f"plan.tasks[{index}]"
    new_path = f"plan.tasks[{len(casefile.plan.tasks)}]"
    fields = {
        "reviewed": "on",
        "ended": "on",
        "since": "on",
        "agreed": "agreed",
        "holder": "to_member",
    }
    mine, others = edits.errors_under(exc.errors, path)
    new, rest = edits.errors_under([e for e in exc.errors if not e.path.startswith(path)], new_path)
    for group in (mine, new):
        for key, msgs in group.items():
            name = fields.get(key.split("[")[0].split(".")[0], "")
            for message in msgs:
                form.add_error(name if name in form.fields else None, message)
    for message in rest:
        if "trained" in message or ".trained" in message:
            form.add_error("trained_on" if "trained_on" in form.fields else None, message)
        else:
            form.add_error(None, message)


@require_http_methods(["GET", "POST"])
@login_required
def consent_withdraw(request: HttpRequest, person_pk: int, consent_id: str) -> HttpResponse:
    page = person_page(request, person_pk)
    index = next((i for i, c in enumerate(page.casefile.consents) if c.id == consent_id), None)
    if index is None:
        raise Http404("No such consent")
    cancel = f"{page.context('capacity')['base']}/capacity/#consents"
    if request.method == "POST":
        form = f.DateForm(request.POST, casefile=page.casefile)
        if form.is_valid():
            try:
                edits.consent_withdraw(
                    person=page.person,
                    consent_id=consent_id,
                    on=form.to_record().get("on", ""),
                    actor=_actor(request),
                )
            except KinwiseError as exc:
                mine, others = edits.errors_under(exc.errors, f"consents[{index}]")
                for msgs in mine.values():
                    for message in msgs:
                        form.add_error("on", message)
                for message in others:
                    form.add_error(None, message)
            else:
                messages.success(request, "The consent is withdrawn")
                return redirect(cancel)
    else:
        form = f.DateForm(casefile=page.casefile)
    form.fields["on"].label = "Date the consent was withdrawn"
    return _render_form(
        request, page, "capacity", form=form, heading="Withdraw a consent", cancel=cancel
    )


@require_http_methods(["GET", "POST"])
@login_required
def training(request: HttpRequest, person_pk: int) -> HttpResponse:
    page = person_page(request, person_pk)
    cancel = f"{page.context('arrangements')['base']}/arrangements/"
    if request.method == "POST":
        form = f.TrainingForm(request.POST, casefile=page.casefile)
        if form.is_valid():
            values = form.to_record()
            member = values.get("member", "")
            if not member:
                form.add_error("member", "required field is missing")
            else:
                index = next(i for i, m in enumerate(page.casefile.circle) if m.id == member)
                try:
                    edits.member_training_record(
                        person=page.person,
                        member_id=member,
                        task=values.get("task", ""),
                        on=values.get("on", ""),
                        actor=_actor(request),
                    )
                except KinwiseError as exc:
                    mine, others = edits.errors_under(exc.errors, f"circle[{index}]")
                    for msgs in mine.values():
                        for message in msgs:
                            form.add_error("task" if "unknown task" in message else "on", message)
                    for message in others:
                        form.add_error(None, message)
                else:
                    messages.success(request, "The training is recorded")
                    return redirect(cancel)
    else:
        form = f.TrainingForm(casefile=page.casefile)
    return _render_form(
        request,
        page,
        "arrangements",
        form=form,
        heading="Record a staff member's training",
        cancel=cancel,
    )


# --- entered in error ----------------------------------------------------------------------------

REMOVABLE: dict[str, tuple[str, Callable[[cf.CaseFile], Sequence[Any]], str, str]] = {
    "voice": ("voice", lambda c: c.voice, "voice", "the view"),
    "meeting": ("meetings", lambda c: c.meetings, "meetings", "the meeting"),
    "consent": ("consents", lambda c: c.consents, "capacity", "the consent"),
    "risk": ("risk_assessments", lambda c: c.risk_assessments, "risk", "the risk assessment"),
}


@require_http_methods(["GET", "POST"])
@login_required
def record_remove(request: HttpRequest, person_pk: int, kind: str, record_id: str) -> HttpResponse:
    """Take out a record entered in error. It stays in the history."""
    page = person_page(request, person_pk)
    if kind not in REMOVABLE:
        raise Http404("No such kind of record")
    collection, records, section, label = REMOVABLE[kind]
    _find(records(page.casefile), record_id)
    cancel = f"{page.context(section)['base']}/{section}/"
    form = f.DateForm(casefile=page.casefile)
    if request.method == "POST":
        try:
            edits.record_remove(
                person=page.person,
                collection=collection,
                key=record_id,
                actor=_actor(request),
            )
        except KinwiseError as exc:
            for error in exc.errors:
                form.add_error(None, str(error))
        else:
            messages.success(request, "The record is taken out; its history keeps it")
            return redirect(cancel)
    return render(
        request,
        "web/forms/remove.html",
        page.context(
            section,
            heading=f"Take out {label} {record_id} as entered in error",
            record_id=record_id,
            kind=kind,
            cancel=cancel,
            has_errors=bool(form.errors),
            summary=_summary([form]),
        ),
    )
