from __future__ import annotations

from django.urls import path

from kinwise.dataprotection import views

app_name = "dataprotection"

urlpatterns = [
    path(
        "people/<int:person_pk>/everything-held/",
        views.subject_access_page,
        name="subject_access",
    ),
    path(
        "people/<int:person_pk>/everything-held.json",
        views.subject_access_json,
        name="subject_access_json",
    ),
    path(
        "people/<int:person_pk>/everything-held.pdf",
        views.subject_access_pdf_view,
        name="subject_access_pdf",
    ),
]
