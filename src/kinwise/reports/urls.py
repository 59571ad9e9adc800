from __future__ import annotations

from django.urls import path

from kinwise.reports import views

app_name = "reports"

urlpatterns = [
    path("people/<int:person_pk>/evidence/", views.person_evidence, name="person_evidence"),
    path(
        "people/<int:person_pk>/evidence.pdf", views.person_evidence_pdf, name="person_evidence_pdf"
    ),
    path(
        "people/<int:person_pk>/evidence.fhir.json",
        views.person_evidence_fhir,
        name="person_evidence_fhir",
    ),
    path("people/<int:person_pk>/easy-read/", views.easy_read_page, name="easy_read"),
    path("people/<int:person_pk>/easy-read.pdf", views.easy_read_pdf, name="easy_read_pdf"),
    path("services/<int:service_pk>/report/", views.service_report_page, name="service_report"),
    path(
        "services/<int:service_pk>/report.csv", views.service_report_csv, name="service_report_csv"
    ),
    path("services/<int:service_pk>/inspection/", views.inspection_page, name="inspection"),
]
