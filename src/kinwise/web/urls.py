from __future__ import annotations

from django.templatetags.static import static
from django.urls import path, register_converter
from django.views.generic.base import RedirectView

from kinwise.web.views import people, person


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
    path(
        "people/<int:person_pk>/history/<rid:kind>/<rid:external_id>/",
        person.record_history_view,
        name="record_history",
    ),
]
