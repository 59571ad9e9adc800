from __future__ import annotations

from django.templatetags.static import static
from django.urls import path, register_converter
from django.views.generic.base import RedirectView

from kinwise.drafts.marks import keeps_input
from kinwise.web.views import drafts, edit, emar, people, person, plan, seen


class RecordIdConverter:
    """A case-file id: ASCII letters, digits, '.', '_' and '-'."""

    regex = r"[A-Za-z0-9._-]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(RecordIdConverter, "rid")

app_name = "web"

urlpatterns = [
    path("", people.services, name="people"),
    # The NHS.UK stylesheet names its images under /assets/: serve them from the package.
    path(
        "assets/<path:asset>",
        RedirectView.as_view(url=static("nhsuk/assets/") + "%(asset)s"),
        name="nhsuk_assets",
    ),
    path("services/<int:service_pk>/", people.service, name="service"),
    path("people/<int:person_pk>/", person.overview, name="person"),
    path("people/<int:person_pk>/voice/", person.voice, name="voice"),
    path("people/<int:person_pk>/meetings/", person.meetings, name="meetings"),
    path("people/<int:person_pk>/meetings/<rid:meeting_id>/", person.meeting, name="meeting"),
    path("people/<int:person_pk>/risk/", person.risk, name="risk"),
    path(
        "people/<int:person_pk>/risk/trials/<rid:trial_id>/chart.svg",
        person.trial_chart,
        name="trial_chart",
    ),
    path("people/<int:person_pk>/arrangements/", person.arrangements, name="arrangements"),
    path("people/<int:person_pk>/emar/", emar.emar_upload, name="emar_upload"),
    path("people/<int:person_pk>/capacity/", person.capacity, name="capacity"),
    path("people/<int:person_pk>/findings/", person.findings, name="findings"),
    path("people/<int:person_pk>/history/", person.history, name="history"),
    path("people/<int:person_pk>/seen-by/", seen.seen, name="access_log"),
    path(
        "people/<int:person_pk>/history/<rid:kind>/<rid:external_id>/",
        person.record_history_view,
        name="record_history",
    ),
    # Forms: each writes through one edit service; ``keeps_input`` marks those whose unsaved
    # input is kept (a draft while typing; a form sent after the session ended).
    path(
        "people/<int:person_pk>/edit/communication/",
        keeps_input(edit.communication),
        name="communication",
    ),
    path("people/<int:person_pk>/add/voice/", keeps_input(edit.voice_add), name="voice_add"),
    path(
        "people/<int:person_pk>/edit/voice/<rid:record_id>/",
        keeps_input(edit.voice_edit),
        name="voice_edit",
    ),
    path("people/<int:person_pk>/add/meeting/", keeps_input(edit.meeting_form), name="meeting_add"),
    path(
        "people/<int:person_pk>/edit/meeting/<rid:meeting_id>/",
        keeps_input(edit.meeting_form),
        name="meeting_edit",
    ),
    path("people/<int:person_pk>/meetings-balance/", edit.meeting_balance, name="balance"),
    path(
        "people/<int:person_pk>/add/risk_assessment/",
        keeps_input(edit.risk_form),
        name="risk_assessment_add",
    ),
    path(
        "people/<int:person_pk>/edit/risk_assessment/<rid:risk_id>/",
        keeps_input(edit.risk_form),
        name="risk_assessment_edit",
    ),
    path(
        "people/<int:person_pk>/add/session/<rid:trial_id>/",
        keeps_input(edit.session_add),
        name="session_add",
    ),
    path(
        "people/<int:person_pk>/add/graded_trial/",
        keeps_input(edit.graded_trial_add),
        name="graded_trial_add",
    ),
    path(
        "people/<int:person_pk>/add/incident/", keeps_input(edit.incident_add), name="incident_add"
    ),
    path("people/<int:person_pk>/add/event/", keeps_input(edit.event_add), name="event_add"),
    path(
        "people/<int:person_pk>/add/capacity_assessment/",
        keeps_input(edit.capacity_assessment_add),
        name="capacity_assessment_add",
    ),
    path(
        "people/<int:person_pk>/add/best_interests/",
        keeps_input(edit.best_interests_add),
        name="best_interests_add",
    ),
    path("people/<int:person_pk>/add/consent/", keeps_input(edit.consent_add), name="consent_add"),
    path(
        "people/<int:person_pk>/consents/<rid:consent_id>/withdraw/",
        keeps_input(edit.consent_withdraw),
        name="consent_withdraw",
    ),
    path(
        "people/<int:person_pk>/add/authority/",
        keeps_input(edit.authority_add),
        name="authority_add",
    ),
    path("people/<int:person_pk>/add/member/", keeps_input(edit.member_add), name="member_add"),
    path("people/<int:person_pk>/edit/training/", keeps_input(edit.training), name="training"),
    path(
        "people/<int:person_pk>/edit/role/<rid:area>/",
        keeps_input(edit.role_edit),
        name="role_edit",
    ),
    path(
        "people/<int:person_pk>/tasks/<rid:task_id>/<rid:action>/",
        keeps_input(edit.task_action),
        name="task_action",
    ),
    path(
        "people/<int:person_pk>/records/<int:record_id>/correct/",
        keeps_input(edit.record_correct),
        name="record_correct",
    ),
    path(
        "people/<int:person_pk>/records/<int:record_id>/<rid:attr>/<int:index>/correct/",
        keeps_input(edit.record_correct),
        name="inner_correct",
    ),
    path("people/<int:person_pk>/add/task/", keeps_input(plan.task_add), name="task_add"),
    path("people/<int:person_pk>/add/role/", keeps_input(plan.role_add), name="role_add"),
    path("people/<int:person_pk>/edit/plan/", keeps_input(plan.plan_version), name="plan_version"),
    path(
        "people/<int:person_pk>/add/medicine/", keeps_input(plan.medicine_add), name="medicine_add"
    ),
    path(
        "people/<int:person_pk>/add/medication_audit/",
        keeps_input(plan.medication_audit_add),
        name="medication_audit_add",
    ),
    path("people/<int:person_pk>/add/concern/", keeps_input(plan.concern_add), name="concern_add"),
    path(
        "people/<int:person_pk>/add/carer_plan/",
        keeps_input(plan.carer_plan_add),
        name="carer_plan_add",
    ),
    path("people/<int:person_pk>/add/goal/", keeps_input(plan.goal_add), name="goal_add"),
    path(
        "people/<int:person_pk>/add/restriction/",
        keeps_input(plan.restriction_add),
        name="restriction_add",
    ),
    path(
        "people/<int:person_pk>/edit/emotional-support/",
        keeps_input(plan.emotional_support),
        name="emotional_support",
    ),
    path(
        "people/<int:person_pk>/add/stage/<rid:trial_id>/",
        keeps_input(plan.stage_add),
        name="stage_add",
    ),
    path(
        "people/<int:person_pk>/records/<int:record_id>/change/",
        keeps_input(plan.record_change),
        name="record_change",
    ),
    # the draft of a form kept while typing (kinwise.drafts), posted by web/drafts.js
    path("people/<int:person_pk>/form-draft/", drafts.form_draft, name="form_draft"),
    path(
        "people/<int:person_pk>/records/<int:record_id>/history/",
        person.record_history_by_id,
        name="record_history_by_id",
    ),
]
