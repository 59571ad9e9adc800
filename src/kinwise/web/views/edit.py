"""The person's forms. Each view collects input, calls one edit service, and on errors
shows the form again with everything typed, the error summary at the top and each error
by its field. The services validate the whole case file as an import does."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from kinwise import clock
from kinwise.access import KIND_ACTIONS, Action, correction_action, refuse_action
from kinwise.casefile import schema as cf
from kinwise.casefile.kinds import RECORD_KINDS
from kinwise.casefile.load import casefile_to_data
from kinwise.casefile.vocab import TASK_LABELS
from kinwise.drafts.marks import keeps_input_of
from kinwise.drafts.services import form_inputs_drop
from kinwise.errors import ErrorCode, KinwiseError
from kinwise.readings.record_words import record_description
from kinwise.records.selectors import record_by_id, record_changed_fields, record_current
from kinwise.records.services import edits
from kinwise.web import forms as f
from kinwise.web import presenters as p
from kinwise.web.form_input import RESTORE, RESTORE_VALUE, draft_url, form_start
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
        form.add_error(None, form.form_message(message))


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
    match = request.resolver_match
    keeps = match is not None and keeps_input_of(match.func)
    start = form_start(request) if keeps else None
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
            draft_url=draft_url(page.person.pk) if keeps else "",
            form_notice=start.notice if start is not None else "",
            draft_offer=start.offer if start is not None else None,
            restore_url=f"{request.path}?{RESTORE}={RESTORE_VALUE}",
            **extra,
        ),
        status=400 if summary else 200,
    )


def _find(records: Sequence[Any], key: str, attr: str = "id") -> Any:
    for record in records:
        if getattr(record, attr) == key:
            return record
    raise Http404("No such record")


def _form(
    request: HttpRequest,
    page: PersonPage,
    form_class: type[f.RecordForm],
    initial: dict[str, Any] | None = None,
    **kwargs: Any,
) -> f.RecordForm:
    """The form holding what was typed (posted, or kept unsaved: kinwise.web.form_input),
    or the values to start from."""
    data = form_start(request).data
    if data is not None:
        return form_class(data, casefile=page.casefile, today=clock.today(), **kwargs)
    return form_class(casefile=page.casefile, initial=initial or {}, today=clock.today(), **kwargs)


def _filled(rows: Sequence[f.RecordForm]) -> list[tuple[int, f.RecordForm]]:
    """The rows with anything in them, each with its index in the record's list."""
    return list(enumerate(r for r in rows if f.filled(r)))


@dataclass(frozen=True)
class _Change:
    """One call of an edit service: ``call`` makes it and gives the page to go to next;
    ``on_error`` puts its errors on the form; ``done`` is said when it succeeds."""

    call: Callable[[], str]
    on_error: Callable[[KinwiseError], None]
    done: str


def _edit_page(
    request: HttpRequest,
    page: PersonPage,
    section: str,
    form: f.RecordForm,
    change: _Change | None,
    *,
    stale: tuple[str, str] | None = None,
    **render_args: Any,
) -> HttpResponse:
    """Make the change (given only for a valid form being saved) and go on, or show the
    form again with its errors. A change refused because the record changed since the
    form was opened (``stale``: the record's kind and key) keeps what was typed and says
    what changed meanwhile; the form is then based on the record as it now is."""
    if change is not None:
        try:
            url = change.call()
        except KinwiseError as exc:
            if exc.code == ErrorCode.STALE and stale is not None:
                render_args["based_on"] = _stale_message(request, page, form, *stale)
            else:
                change.on_error(exc)
        else:
            form_inputs_drop(user_id=_actor(request).pk, path=request.path)
            messages.success(request, change.done)
            return redirect(url)
    return _render_form(request, page, section, form=form, **render_args)


def _based_on(request: HttpRequest) -> int:
    """The version of the record the form was opened at (0 when the form did not say:
    then the save is refused as based on an unknown version, never saved blindly)."""
    text = str(request.POST.get("based_on", ""))
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else 0


def _version_of(request: HttpRequest, page: PersonPage, kind: str, key: str | None) -> int | None:
    """The version a form about an existing record is based on: as posted, or (opening
    it) the record's current version."""
    if key is None:
        return None
    if request.method == "POST" and "based_on" in request.POST:
        return _based_on(request)
    restored = form_start(request).data
    if restored is not None and "based_on" in restored:
        # input kept unsaved is saved against the version it was typed on: a change made
        # meanwhile is then refused as stale, never overwritten
        text = str(restored.get("based_on", ""))
        return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else 0
    current = record_current(person=page.person, kind=kind, key=key)
    return current.version if current is not None else None


def _stale_message(
    request: HttpRequest, page: PersonPage, form: f.RecordForm, kind: str, key: str
) -> int | None:
    """Say on the form what changed since it was opened; the version it now stands on."""
    changed = record_changed_fields(
        person=page.person, kind=kind, key=key, since_version=_based_on(request)
    )
    if changed is None:
        form.add_error(
            None,
            "Someone else took this record out as entered in error after you opened it, "
            "so your changes are not saved. What you typed is below.",
        )
        return None
    labels = [
        str(form.fields[name].label or name) if name in form.fields else name.replace("_", " ")
        for name in changed
    ]
    what = f" ({', '.join(labels)} changed)" if labels else ""
    form.add_error(
        None,
        f"Someone else saved a change to this record after you opened it{what}, so your "
        "changes are not saved yet. What you typed is below: check it against the record "
        "as it now is, then save again.",
    )
    current = record_current(person=page.person, kind=kind, key=key)
    return current.version if current is not None else None


def _record_change(
    request: HttpRequest,
    page: PersonPage,
    form: f.RecordForm,
    *,
    kind: str,
    record: dict[str, Any],
    done: str,
    then: Callable[[edits.Saved], str],
    original_key: str | None = None,
    rows: dict[str, list[tuple[int, f.RecordForm]]] | None = None,
) -> _Change:
    """Add or replace one record of ``kind``; errors go on the form and its rows. A
    change is based on the version the form was shown at (:func:`_based_on`)."""
    path = edits.record_path(casefile=page.casefile, kind=kind, original_key=original_key)

    def call() -> str:
        based_on = _based_on(request) if original_key is not None else None
        if kind == "role":
            # a change of who decides, supports, contributes or is told is written with
            # its dated role changes, in one transaction (ADR 0230)
            saved = edits.role_save(
                person=page.person,
                record=record,
                actor=_actor(request),
                changed_on=form.typed_date("changed_on") or clock.today(),
                reason=str(form.cleaned_data.get("change_reason") or ""),
                original_key=original_key,
                based_on=based_on,
            )
        else:
            saved = edits.record_save(
                person=page.person,
                kind=kind,
                record=record,
                actor=_actor(request),
                original_key=original_key,
                based_on=based_on,
            )
        return then(saved)

    return _Change(call, lambda exc: _map_errors(exc, path, form, rows), done)


def _simple_record_view(
    request: HttpRequest,
    person_pk: int,
    *,
    form_class: type[f.RecordForm],
    kind: str,
    section: str,
    heading: str,
    records: Callable[[cf.CaseFile], Sequence[Any]] | None = None,
    key: str | None = None,
    key_attr: str = "id",
    fixed: dict[str, Any] | None = None,
    done: str = "Saved",
    intro: str = "",
    page: PersonPage | None = None,
) -> HttpResponse:
    page = page or person_page(request, person_pk, action=KIND_ACTIONS[kind])
    existing = None
    if records is not None and key is not None:
        if key_attr == "id":
            existing = _find(records(page.casefile), key, key_attr)
        else:
            keyed = dict(RECORD_KINDS[kind].keyed(page.casefile))
            if key not in keyed:
                raise Http404("No such record")
            existing = keyed[key]
    cancel = f"{page.context(section)['base']}/{'' if section == 'overview' else section + '/'}"
    initial = form_class.initial_from(existing) if existing is not None else {}
    form = _form(request, page, form_class, initial)
    change = None
    if request.method == "POST" and form.is_valid():
        record = form.to_record()
        if existing is not None and key_attr == "id":
            record["id"] = existing.id
        record.update(fixed or {})
        if isinstance(form, f.GroupedForm):
            record = form.merged(record, existing)
        change = _record_change(
            request,
            page,
            form,
            kind=kind,
            record=record,
            done=done,
            then=lambda _: cancel,
            original_key=key if existing is not None else None,
        )
    return _edit_page(
        request,
        page,
        section,
        form,
        change,
        stale=(kind, key) if existing is not None and key is not None else None,
        heading=heading,
        cancel=cancel,
        intro=intro,
        based_on=_version_of(request, page, kind, key if existing is not None else None),
    )


# --- the communication profile ------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def communication(request: HttpRequest, person_pk: int) -> HttpResponse:
    page = person_page(request, person_pk, action="record_communication")
    name = page.casefile.person.name
    cancel = f"/people/{page.person.pk}/"
    comm = page.casefile.person.communication
    form = _form(
        request, page, f.CommunicationForm, {"methods": comm.methods, "notes": comm.notes or ""}
    )
    form.fields["methods"].label = f"How does {name} communicate?"
    change = None
    if request.method == "POST" and form.is_valid():
        record = form.to_record()

        def call() -> str:
            edits.person_communication_update(
                person=page.person,
                methods=record.get("methods", []),
                notes=record.get("notes"),
                actor=_actor(request),
            )
            return cancel

        change = _Change(
            call=call,
            on_error=lambda exc: _map_errors(exc, "person.communication", form),
            done=f"How {name} communicates is saved",
        )
    return _edit_page(
        request, page, "overview", form, change, heading=f"How {name} communicates", cancel=cancel
    )


# --- simple records -------------------------------------------------------------------------

View = Callable[..., HttpResponse]


def _record_add_view(
    form_class: type[f.RecordForm],
    kind: str,
    *,
    heading: str,
    done: str,
    intro: str = "",
) -> View:
    """The view that adds one record of ``kind`` through ``form_class``, from and back
    to the kind's page (the registry's)."""
    section = RECORD_KINDS[kind].page

    @require_http_methods(["GET", "POST"])
    @login_required
    def view(request: HttpRequest, person_pk: int) -> HttpResponse:
        return _simple_record_view(
            request,
            person_pk,
            form_class=form_class,
            kind=kind,
            section=section,
            heading=heading,
            done=done,
            intro=intro,
        )

    return view


voice_add = _record_add_view(
    f.VoiceForm, "voice", heading="Record a view", done="The view is recorded"
)


@require_http_methods(["GET", "POST"])
@login_required
def voice_edit(request: HttpRequest, person_pk: int, record_id: str) -> HttpResponse:
    return _simple_record_view(
        request,
        person_pk,
        form_class=f.VoiceForm,
        kind="voice",
        section="voice",
        heading="Change a view",
        records=lambda c: c.voice,
        key=record_id,
        done="The view is changed",
    )


consent_add = _record_add_view(
    f.ConsentForm,
    "consent",
    heading="Record a consent",
    done="The consent is recorded",
)

capacity_assessment_add = _record_add_view(
    f.AssessmentForm,
    "capacity_assessment",
    heading="Record a capacity assessment",
    done="The capacity assessment is recorded",
    intro="The outcome follows from the answers: the person lacks capacity for this "
    "decision only when there is an impairment and they cannot do at least one of the "
    "four things below.",
)

best_interests_add = _record_add_view(
    f.BestInterestsForm,
    "best_interests",
    heading="Record a best-interests decision",
    done="The best-interests decision is recorded",
)

authority_add = _record_add_view(
    f.AuthorityForm,
    "authority",
    heading="Record a legal authority",
    done="The legal authority is recorded",
)

member_add = _record_add_view(
    f.MemberForm,
    "member",
    heading="Add someone to the circle",
    done="They are added to the circle",
)


@require_http_methods(["GET", "POST"])
@login_required
def role_edit(request: HttpRequest, person_pk: int, area: str) -> HttpResponse:
    page = person_page(request, person_pk, action="change_roles")
    if area not in p.AREA_LABELS:
        raise Http404("No such area")
    exists = any(r.area == area for r in page.casefile.plan.roles)
    return _simple_record_view(
        request,
        person_pk,
        form_class=f.RoleForm,
        kind="role",
        section="overview",
        heading=f"Who decides about {p.area_label(area)}",
        records=(lambda c: c.plan.roles) if exists else None,
        key=area if exists else None,
        key_attr="area",
        fixed={"area": area},
        done="Who decides is saved",
        page=page,
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
    page = person_page(request, person_pk, action="record_meeting")
    existing = _find(page.casefile.meetings, meeting_id) if meeting_id else None
    base = page.context("meetings")["base"]
    cancel = f"{base}/meetings/{meeting_id}/" if meeting_id else f"{base}/meetings/"
    data = form_start(request).data
    contributions, decisions = _meeting_rows(page.casefile, data, existing)
    initial = f.RecordForm.initial_from(existing) if existing is not None else {}
    form = _form(request, page, f.MeetingForm, initial)
    change = None
    saving = request.method == "POST" and "add_rows" not in request.POST
    if saving and form.is_valid() and all(r.is_valid() for r in contributions + decisions):
        record = form.to_record()
        if existing is not None:
            record["id"] = existing.id
        filled_c = _filled(contributions)
        filled_d = _filled(decisions)
        record["contributions"] = [r.to_record() for _, r in filled_c]
        record["decisions"] = [r.to_record() for _, r in filled_d]
        change = _record_change(
            request,
            page,
            form,
            kind="meeting",
            record=record,
            done="The meeting is recorded",
            then=lambda saved: f"{base}/meetings/{saved.key}/",
            original_key=meeting_id,
            rows={"contributions": filled_c, "decisions": filled_d},
        )
    balance = _balance_from(contributions, page.names)
    return _edit_page(
        request,
        page,
        "meetings",
        form,
        change,
        stale=("meeting", meeting_id) if existing is not None and meeting_id else None,
        based_on=_version_of(request, page, "meeting", meeting_id if existing else None),
        heading="Change the meeting" if existing else "Record a meeting",
        cancel=cancel,
        template="web/forms/meeting.html",
        rows=[*contributions, *decisions],
        contributions=contributions,
        decisions=decisions,
        balance=balance,
        balance_warning=p.balance_warning(balance, page.casefile.person.name),
    )


@require_POST
@login_required
def meeting_balance(request: HttpRequest, person_pk: int) -> HttpResponse:
    """The voice-balance panel for the contributions typed so far (for HTMX)."""
    page = person_page(request, person_pk, action="record_meeting")
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
    page = person_page(request, person_pk, action="record_risk")
    existing = _find(page.casefile.risk_assessments, risk_id) if risk_id else None
    base = page.context("risk")["base"]
    cancel = f"{base}/risk/"
    data = form_start(request).data
    hazards = f.row_forms(
        f.HazardForm,
        "hazards",
        page.casefile,
        data,
        [f.HazardForm.initial_from(h) for h in existing.hazards] if existing else (),
        extra=1 if existing else 2,
    )
    initial = f.RecordForm.initial_from(existing) if existing is not None else {}
    form = _form(request, page, f.RiskForm, initial)
    change = None
    saving = request.method == "POST" and "add_rows" not in request.POST
    if saving and form.is_valid() and all(h.is_valid() for h in hazards):
        record = form.to_record()
        if existing is not None:
            record["id"] = existing.id
        filled_h = _filled(hazards)
        record["hazards"] = [r.to_record() for _, r in filled_h]
        change = _record_change(
            request,
            page,
            form,
            kind="risk_assessment",
            record=record,
            done="The risk assessment is recorded",
            then=lambda _: cancel,
            original_key=risk_id,
            rows={"hazards": filled_h},
        )
    return _edit_page(
        request,
        page,
        "risk",
        form,
        change,
        stale=("risk_assessment", risk_id) if existing is not None and risk_id else None,
        based_on=_version_of(request, page, "risk_assessment", risk_id if existing else None),
        heading="Change the risk assessment" if existing else "Record a joint risk assessment",
        cancel=cancel,
        template="web/forms/risk.html",
        rows=hazards,
        hazards=hazards,
    )


@require_http_methods(["GET", "POST"])
@login_required
def session_add(request: HttpRequest, person_pk: int, trial_id: str) -> HttpResponse:
    page = person_page(request, person_pk, action="record_risk")
    trial = _find(page.casefile.graded_trials, trial_id)
    cancel = f"{page.context('risk')['base']}/risk/#trial-{trial_id}"
    form = _form(request, page, f.SessionForm, trial=trial)
    change = None
    if request.method == "POST" and form.is_valid():
        index = next(i for i, t in enumerate(page.casefile.graded_trials) if t.id == trial_id)
        path = f"graded_trials[{index}].sessions[{len(trial.sessions)}]"

        def call() -> str:
            edits.trial_session_add(
                person=page.person,
                trial_id=trial_id,
                session=form.to_record(),
                actor=_actor(request),
            )
            return cancel

        change = _Change(
            call=call,
            on_error=lambda exc: _map_errors(exc, path, form),
            done="The session is logged",
        )
    return _edit_page(
        request,
        page,
        "risk",
        form,
        change,
        heading=f"Log a session: {f.trial_words(page.casefile, trial_id)}",
        cancel=cancel,
    )


incident_add = _record_add_view(
    f.IncidentForm,
    "incident",
    heading="Record an incident",
    done="The incident is recorded",
)

event_add = _record_add_view(
    f.EventForm,
    "event",
    heading="Record a change in need or another event",
    done="The event is recorded",
)


@require_http_methods(["GET", "POST"])
@login_required
def graded_trial_add(request: HttpRequest, person_pk: int) -> HttpResponse:
    """A graded trial: its stages in order (sessions are logged one by one later)."""
    page = person_page(request, person_pk, action="record_risk")
    cancel = f"{page.context('risk')['base']}/risk/"
    data = form_start(request).data
    stages = f.row_forms(f.StageForm, "stages", page.casefile, data, (), extra=3)
    form = _form(request, page, f.TrialForm)
    change = None
    saving = request.method == "POST" and "add_rows" not in request.POST
    if saving and form.is_valid() and all(s.is_valid() for s in stages):
        record = form.to_record()
        record["id"] = edits.new_id(casefile_to_data(page.casefile), "gt")
        filled_s = _filled(stages)
        record["stages"] = [
            {"id": f"{record['id']}-s{i + 1}", **r.to_record()} for i, r in filled_s
        ]
        change = _record_change(
            request,
            page,
            form,
            kind="graded_trial",
            record=record,
            done="The graded trial is recorded",
            then=lambda _: f"{cancel}#trial-{record['id']}",
            rows={"stages": filled_s},
        )
    return _edit_page(
        request,
        page,
        "risk",
        form,
        change,
        heading="Plan a graded trial",
        cancel=cancel,
        template="web/forms/trial.html",
        rows=stages,
        stages=stages,
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
    needed: Action = "review_task" if action == "review" else "change_task"
    page = person_page(request, person_pk, action=needed)
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
    form = _form(request, page, form_class)
    if action != "handover":
        form.fields["on"].label = "Date reviewed" if action == "review" else "Date it ends"
    if action == "review":
        form.happened = ("on",)
    change = None
    if request.method == "POST" and form.is_valid():
        values = form.to_record()

        def call() -> str:
            actor = _actor(request)
            based_on = _based_on(request)
            if action == "review":
                edits.task_review(
                    person=page.person,
                    task_id=task_id,
                    on=values.get("on", ""),
                    actor=actor,
                    based_on=based_on,
                )
            elif action == "end":
                edits.task_end(
                    person=page.person,
                    task_id=task_id,
                    on=values.get("on", ""),
                    actor=actor,
                    based_on=based_on,
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
                    based_on=based_on,
                )
            return cancel

        change = _Change(
            call=call,
            on_error=lambda exc: _map_task_errors(exc, page.casefile, index, action, form),
            done="The arrangement is updated",
        )
    return _edit_page(
        request,
        page,
        "arrangements",
        form,
        change,
        stale=("task", task_id),
        based_on=_version_of(request, page, "task", task_id),
        heading=headings[action],
        cancel=cancel,
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
    mine, _ = edits.errors_under(exc.errors, path)
    outside = [e for e in exc.errors if not e.path.startswith(path)]
    new, _ = edits.errors_under(outside, new_path)
    rest = [
        e
        for e in outside
        if not (e.path.startswith(new_path + ".") or e.path.startswith(new_path + "["))
        and e.path != new_path
    ]
    for group in (mine, new):
        for key, msgs in group.items():
            name = fields.get(key.split("[")[0].split(".")[0], "")
            for message in msgs:
                target = name if name in form.fields else None
                form.add_error(target, form.form_message(message, target))
    for error in rest:
        if ".trained" in error.path and "trained_on" in form.fields:
            form.add_error("trained_on", form.form_message(error.message, "trained_on"))
        else:
            form.add_error(None, form.form_message(error.message))


def _errors_on(
    exc: KinwiseError, path: str, form: f.RecordForm, field: Callable[[str], str]
) -> None:
    """Put the errors of the record at ``path`` on the form's field ``field(message)``;
    others go to the top."""
    mine, others = edits.errors_under(exc.errors, path)
    for msgs in mine.values():
        for message in msgs:
            target = field(message)
            form.add_error(target, form.form_message(message, target or None))
    for message in others:
        form.add_error(None, form.form_message(message))


@require_http_methods(["GET", "POST"])
@login_required
def consent_withdraw(request: HttpRequest, person_pk: int, consent_id: str) -> HttpResponse:
    page = person_page(request, person_pk, action="withdraw_consent")
    index = next((i for i, c in enumerate(page.casefile.consents) if c.id == consent_id), None)
    if index is None:
        raise Http404("No such consent")
    cancel = f"{page.context('capacity')['base']}/capacity/#consents"
    form = _form(request, page, f.DateForm)
    form.fields["on"].label = "Date the consent was withdrawn"
    form.happened = ("on",)
    change = None
    if request.method == "POST" and form.is_valid():

        def call() -> str:
            edits.consent_withdraw(
                person=page.person,
                consent_id=consent_id,
                on=form.to_record().get("on", ""),
                actor=_actor(request),
                based_on=_based_on(request),
            )
            return cancel

        change = _Change(
            call=call,
            on_error=lambda exc: _errors_on(exc, f"consents[{index}]", form, lambda _: "on"),
            done="The consent is withdrawn",
        )
    return _edit_page(
        request,
        page,
        "capacity",
        form,
        change,
        stale=("consent", consent_id),
        based_on=_version_of(request, page, "consent", consent_id),
        heading="Withdraw a consent",
        cancel=cancel,
    )


TASK_KINDS = frozenset(TASK_LABELS)


def _training_field(task: str) -> Callable[[str], str]:
    """The field a training error belongs to: the task when it is not one of the case
    file's tasks (decided on the input, never on an error's words), else the date."""
    return lambda _: "on" if task in TASK_KINDS else "task"


@require_http_methods(["GET", "POST"])
@login_required
def training(request: HttpRequest, person_pk: int) -> HttpResponse:
    page = person_page(request, person_pk, action="record_training")
    cancel = f"{page.context('arrangements')['base']}/arrangements/"
    form = _form(request, page, f.TrainingForm)
    change = None
    if request.method == "POST" and form.is_valid():
        values = form.to_record()
        member = values.get("member", "")
        index = next((i for i, m in enumerate(page.casefile.circle) if m.id == member), None)
        if not member:
            form.add_error("member", "Choose the member of staff who was trained")
        elif index is None:
            form.add_error("member", "Choose a member of staff from the list")
        else:

            def call() -> str:
                edits.member_training_record(
                    person=page.person,
                    member_id=member,
                    task=values.get("task", ""),
                    on=values.get("on", ""),
                    actor=_actor(request),
                )
                return cancel

            change = _Change(
                call=call,
                on_error=lambda exc: _errors_on(
                    exc, f"circle[{index}]", form, _training_field(values.get("task", ""))
                ),
                done="The training is recorded",
            )
    return _edit_page(
        request,
        page,
        "arrangements",
        form,
        change,
        heading="Record a staff member's training",
        cancel=cancel,
    )


# --- entered in error ----------------------------------------------------------------------------


def _section_url(page: PersonPage, section: str) -> str:
    base = page.context(section)["base"]
    return f"{base}/" if section == "overview" else f"{base}/{section}/"


@require_http_methods(["GET", "POST"])
@login_required
def record_correct(
    request: HttpRequest,
    person_pk: int,
    record_id: int,
    attr: str | None = None,
    index: int | None = None,
) -> HttpResponse:
    """Take out a record (or one row inside it) entered in error, with the reason. It stays
    in the history, which shows who took it out, when and why."""
    page = person_page(request, person_pk)
    row = record_by_id(person=page.person, record_id=record_id)
    if row is None or row.superseded_at is not None:
        raise Http404("No such record")
    spec = RECORD_KINDS[row.kind]
    if not spec.correctable or (
        attr is not None and attr not in edits.INNER_ROWS.get(row.kind, ())
    ):
        raise Http404("No such record")
    needed = correction_action(row.kind)
    if needed not in page.may:
        raise refuse_action(user=request.user, action=needed, person_pk=page.person.pk)
    inner_rows = row.data.get(attr, []) if attr is not None else []
    if attr is not None and (index is None or not 0 <= index < len(inner_rows)):
        raise Http404("No such record")
    inner = inner_rows[index] if attr is not None and index is not None else None
    what = record_description(spec, row.data, attr, inner, page.names)
    cancel = _section_url(page, spec.page)
    form = _form(request, page, f.CorrectionForm)
    based_on = _based_on(request) if request.method == "POST" else row.version
    if request.method == "POST" and form.is_valid():
        try:
            if attr is None or index is None:
                edits.record_correct(
                    person=page.person,
                    kind=row.kind,
                    key=row.key,
                    reason=form.cleaned_data["reason"],
                    actor=_actor(request),
                    based_on=based_on,
                )
            else:
                edits.inner_row_correct(
                    person=page.person,
                    kind=row.kind,
                    key=row.key,
                    attr=attr,
                    index=index,
                    reason=form.cleaned_data["reason"],
                    actor=_actor(request),
                    based_on=based_on,
                )
        except KinwiseError as exc:
            if exc.code == ErrorCode.STALE:
                form.add_error(
                    None,
                    "Someone else changed this record after you opened this page, so it is "
                    "not taken out. Check the record as it now is, then try again.",
                )
                based_on = row.version
            else:
                for error in exc.errors:
                    form.add_error("reason" if error.path == "reason" else None, error.message)
        else:
            messages.success(
                request, "The record is taken out as entered in error; its history keeps it"
            )
            return redirect(cancel)
    summary = _summary([form])
    return render(
        request,
        "web/forms/remove.html",
        page.context(
            spec.page,
            heading=f"Take out {what} as entered in error",
            form=form,
            cancel=cancel,
            based_on=based_on,
            has_errors=bool(summary),
            summary=summary,
        ),
        status=400 if summary else 200,
    )
