"""The forms for the rest of the case file: tasks given to the circle, emotional support,
decision areas, medicines and medication audits, a trial's further stages, and changing
a record reached by its opaque id (``records/<id>/change/``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods

from kinwise.access import KIND_ACTIONS
from kinwise.casefile.kinds import RECORD_KINDS
from kinwise.records.selectors import record_by_id, record_kind_of
from kinwise.records.services import edits
from kinwise.web import forms as f
from kinwise.web.views.context import PersonPage, person_page
from kinwise.web.views.edit import (
    _actor,
    _based_on,
    _Change,
    _edit_page,
    _form,
    _map_errors,
    _record_add_view,
    _simple_record_view,
    _version_of,
)

task_add = _record_add_view(
    f.TaskForm,
    "task",
    heading="Give someone in the circle a task",
    done="The task is recorded",
    intro="For example a brother who gives medication, or a parent who manages day-to-day "
    "money. The task is reviewed each year at a partnership review.",
)
role_add = _record_add_view(
    f.AreaForm,
    "role",
    heading="Add a decision area",
    done="The decision area is added to the plan",
)
medicine_add = _record_add_view(
    f.MedicineForm,
    "medicine",
    heading="Add a medicine",
    done="The medicine is added",
)
medication_audit_add = _record_add_view(
    f.MedicationAuditForm,
    "medication_audit",
    heading="Record a medication audit",
    done="The medication audit is recorded",
)

concern_add = _record_add_view(
    f.ConcernForm,
    "concern",
    heading="Record a concern, complaint or disagreement",
    done="The concern is recorded",
    intro="Record who raised it and what it is about, then each step: the acknowledgement, "
    "the written response, and each stage it reaches.",
)
carer_plan_add = _record_add_view(
    f.CarerPlanForm,
    "carer_plan",
    heading="Make a carer's plan",
    done="The carer's plan is recorded",
    intro="For a family member who holds a task or gives care: whether they are willing and "
    "able to go on, their carer's assessment, and who steps in for each task they hold.",
)
goal_add = _record_add_view(
    f.GoalForm,
    "goal",
    heading="Record a goal",
    done="The goal is recorded",
    intro="Write the goal in the person's own words.",
)
restriction_add = _record_add_view(
    f.RestrictionForm,
    "restriction",
    heading="Record a restriction",
    done="The restriction is recorded",
    intro="Say what is restricted, on what legal basis, and the less restrictive "
    "alternatives considered.",
)


def _plan_fields_view(
    request: HttpRequest,
    person_pk: int,
    *,
    form_class: type[f.RecordForm],
    initial: Callable[[PersonPage], dict[str, Any]],
    section: str,
    heading: str,
    done: str,
    label: Callable[[PersonPage], str] | None = None,
) -> HttpResponse:
    """A form that changes fields of the care plan itself (its version date, who gives
    emotional support), based on the plan's version like every edit."""
    page = person_page(request, person_pk, action=KIND_ACTIONS["plan"])
    base = page.context(section)["base"]
    cancel = f"{base}/" if section == "overview" else f"{base}/{section}/"
    form = _form(request, page, form_class, initial(page))
    if label is not None:
        form.fields[next(iter(form.fields))].label = label(page)
    change = None
    if request.method == "POST" and form.is_valid():
        record = form.to_record()
        fields = {name: record.get(name) for name in form.fields}

        def call() -> str:
            edits.plan_update(
                person=page.person,
                fields=fields,
                actor=_actor(request),
                based_on=_based_on(request),
            )
            return cancel

        change = _Change(call=call, on_error=lambda exc: _map_errors(exc, "plan", form), done=done)
    return _edit_page(
        request,
        page,
        section,
        form,
        change,
        stale=("plan", "plan"),
        based_on=_version_of(request, page, "plan", "plan"),
        heading=heading,
        cancel=cancel,
    )


@require_http_methods(["GET", "POST"])
@login_required
def emotional_support(request: HttpRequest, person_pk: int) -> HttpResponse:
    return _plan_fields_view(
        request,
        person_pk,
        form_class=f.EmotionalSupportForm,
        initial=lambda page: {"emotional_support": list(page.casefile.plan.emotional_support)},
        label=lambda page: f"Who gives {page.casefile.person.name} emotional support",
        section="arrangements",
        heading="Emotional support",
        done="Emotional support is recorded",
    )


@require_http_methods(["GET", "POST"])
@login_required
def plan_version(request: HttpRequest, person_pk: int) -> HttpResponse:
    """A new version of the care plan: the date it was agreed."""
    return _plan_fields_view(
        request,
        person_pk,
        form_class=f.PlanVersionForm,
        initial=lambda page: {"version_date": page.casefile.plan.version_date.isoformat()},
        section="overview",
        heading="Record a new version of the care plan",
        done="The care plan's new version is recorded",
    )


@require_http_methods(["GET", "POST"])
@login_required
def stage_add(request: HttpRequest, person_pk: int, trial_id: str) -> HttpResponse:
    """A further stage at the end of a graded trial."""
    page = person_page(request, person_pk, action=KIND_ACTIONS["graded_trial"])
    index = next((i for i, t in enumerate(page.casefile.graded_trials) if t.id == trial_id), None)
    if index is None:
        raise Http404("No such trial")
    trial = page.casefile.graded_trials[index]
    cancel = f"{page.context('risk')['base']}/risk/#trial-{trial_id}"
    form = _form(request, page, f.StageForm)
    change = None
    if request.method == "POST" and form.is_valid():
        stage = form.to_record()
        path = f"graded_trials[{index}].stages[{len(trial.stages)}]"

        def call() -> str:
            edits.trial_stage_add(
                person=page.person,
                trial_id=trial_id,
                stage=stage,
                actor=_actor(request),
                based_on=_based_on(request),
            )
            return cancel

        change = _Change(
            call=call,
            on_error=lambda exc: _map_errors(exc, path, form),
            done="The stage is added to the trial",
        )
    return _edit_page(
        request,
        page,
        "risk",
        form,
        change,
        stale=("graded_trial", trial_id),
        based_on=_version_of(request, page, "graded_trial", trial_id),
        heading=f"Add a stage after stage {len(trial.stages)}",
        cancel=cancel,
    )


@dataclass(frozen=True)
class _Changeable:
    form_class: type[f.RecordForm]
    heading: str
    done: str


# The kinds changed through one form reached by the record's opaque id.
CHANGEABLE: dict[str, _Changeable] = {
    "capacity_assessment": _Changeable(
        f.AssessmentForm, "Change a capacity assessment", "The capacity assessment is saved"
    ),
    "best_interests": _Changeable(
        f.BestInterestsForm, "Change a best-interests decision", "The decision is saved"
    ),
    "authority": _Changeable(f.AuthorityForm, "Change a legal authority", "The authority is saved"),
    "consent": _Changeable(f.ConsentForm, "Change a consent", "The consent is saved"),
    "incident": _Changeable(f.IncidentForm, "Change an incident", "The incident is saved"),
    "event": _Changeable(f.EventForm, "Change a change of need or event", "The event is saved"),
    "task": _Changeable(f.TaskForm, "Change a task", "The task is saved"),
    "medicine": _Changeable(f.MedicineForm, "Change a medicine", "The medicine is saved"),
    "medication_audit": _Changeable(
        f.MedicationAuditForm, "Change a medication audit", "The medication audit is saved"
    ),
    "concern": _Changeable(f.ConcernForm, "Change a concern", "The concern is saved"),
    "carer_plan": _Changeable(
        f.CarerPlanForm, "Change a carer's plan", "The carer's plan is saved"
    ),
    "goal": _Changeable(f.GoalForm, "Change a goal", "The goal is saved"),
    "restriction": _Changeable(
        f.RestrictionForm, "Change a restriction", "The restriction is saved"
    ),
}


@require_http_methods(["GET", "POST"])
@login_required
def record_change(request: HttpRequest, person_pk: int, record_id: int) -> HttpResponse:
    """Change one current record of a kind in :data:`CHANGEABLE`, reached by its opaque id
    (a medicine's name never reaches an address)."""
    kind = record_kind_of(person_pk=person_pk, record_id=record_id)
    page = person_page(
        request, person_pk, action=KIND_ACTIONS[kind] if kind in CHANGEABLE else None
    )
    row = record_by_id(person=page.person, record_id=record_id)
    if row is None or row.superseded_at is not None or row.kind not in CHANGEABLE:
        raise Http404("No such record")
    spec = RECORD_KINDS[row.kind]
    changeable = CHANGEABLE[row.kind]
    return _simple_record_view(
        request,
        person_pk,
        form_class=changeable.form_class,
        kind=row.kind,
        section=spec.page,
        heading=changeable.heading,
        records=spec.records,
        key=row.key,
        key_attr=spec.key_field or "id",
        done=changeable.done,
        page=page,
    )
