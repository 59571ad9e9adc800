from __future__ import annotations

from django.templatetags.static import static
from django.urls import path, register_converter
from django.views.generic.base import RedirectView

from kinwise.web.views import edit, people, person, plan, seen


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
    path("people/<int:person_pk>/capacity/", person.capacity, name="capacity"),
    path("people/<int:person_pk>/findings/", person.findings, name="findings"),
    path("people/<int:person_pk>/history/", person.history, name="history"),
    path("people/<int:person_pk>/seen-by/", seen.seen, name="access_log"),
    path(
        "people/<int:person_pk>/history/<rid:kind>/<rid:external_id>/",
        person.record_history_view,
        name="record_history",
    ),
    # Forms: each writes through one edit service.
    path("people/<int:person_pk>/edit/communication/", edit.communication, name="communication"),
    path("people/<int:person_pk>/add/voice/", edit.voice_add, name="voice_add"),
    path("people/<int:person_pk>/edit/voice/<rid:record_id>/", edit.voice_edit, name="voice_edit"),
    path("people/<int:person_pk>/add/meeting/", edit.meeting_form, name="meeting_add"),
    path(
        "people/<int:person_pk>/edit/meeting/<rid:meeting_id>/",
        edit.meeting_form,
        name="meeting_edit",
    ),
    path("people/<int:person_pk>/meetings-balance/", edit.meeting_balance, name="balance"),
    path(
        "people/<int:person_pk>/add/risk_assessment/",
        edit.risk_form,
        name="risk_assessment_add",
    ),
    path(
        "people/<int:person_pk>/edit/risk_assessment/<rid:risk_id>/",
        edit.risk_form,
        name="risk_assessment_edit",
    ),
    path(
        "people/<int:person_pk>/add/session/<rid:trial_id>/", edit.session_add, name="session_add"
    ),
    path(
        "people/<int:person_pk>/add/graded_trial/",
        edit.graded_trial_add,
        name="graded_trial_add",
    ),
    path("people/<int:person_pk>/add/incident/", edit.incident_add, name="incident_add"),
    path("people/<int:person_pk>/add/event/", edit.event_add, name="event_add"),
    path(
        "people/<int:person_pk>/add/capacity_assessment/",
        edit.capacity_assessment_add,
        name="capacity_assessment_add",
    ),
    path(
        "people/<int:person_pk>/add/best_interests/",
        edit.best_interests_add,
        name="best_interests_add",
    ),
    path("people/<int:person_pk>/add/consent/", edit.consent_add, name="consent_add"),
    path(
        "people/<int:person_pk>/consents/<rid:consent_id>/withdraw/",
        edit.consent_withdraw,
        name="consent_withdraw",
    ),
    path("people/<int:person_pk>/add/authority/", edit.authority_add, name="authority_add"),
    path("people/<int:person_pk>/add/member/", edit.member_add, name="member_add"),
    path("people/<int:person_pk>/edit/training/", edit.training, name="training"),
    path("people/<int:person_pk>/edit/role/<rid:area>/", edit.role_edit, name="role_edit"),
    path(
        "people/<int:person_pk>/tasks/<rid:task_id>/<rid:action>/",
        edit.task_action,
        name="task_action",
    ),
    path(
        "people/<int:person_pk>/records/<int:record_id>/correct/",
        edit.record_correct,
        name="record_correct",
    ),
    path(
        "people/<int:person_pk>/records/<int:record_id>/<rid:attr>/<int:index>/correct/",
        edit.record_correct,
        name="inner_correct",
    ),
    path("people/<int:person_pk>/add/task/", plan.task_add, name="task_add"),
    path("people/<int:person_pk>/add/role/", plan.role_add, name="role_add"),
    path("people/<int:person_pk>/edit/plan/", plan.plan_version, name="plan_version"),
    path("people/<int:person_pk>/add/medicine/", plan.medicine_add, name="medicine_add"),
    path(
        "people/<int:person_pk>/add/medication_audit/",
        plan.medication_audit_add,
        name="medication_audit_add",
    ),
    path(
        "people/<int:person_pk>/edit/emotional-support/",
        plan.emotional_support,
        name="emotional_support",
    ),
    path("people/<int:person_pk>/add/stage/<rid:trial_id>/", plan.stage_add, name="stage_add"),
    path(
        "people/<int:person_pk>/records/<int:record_id>/change/",
        plan.record_change,
        name="record_change",
    ),
    path(
        "people/<int:person_pk>/records/<int:record_id>/history/",
        person.record_history_by_id,
        name="record_history_by_id",
    ),
]
