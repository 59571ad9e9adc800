from __future__ import annotations

from django.urls import path

from kinwise.jobs import views

app_name = "jobs"

urlpatterns = [
    path(
        "services/<int:service_pk>/report.pdf", views.service_report_pdf, name="service_report_pdf"
    ),
    path("services/<int:service_pk>/inspection.pdf", views.inspection_pdf, name="inspection_pdf"),
    path("reports/files/<int:file_pk>/", views.report_file, name="report_file"),
    path(
        "reports/files/<int:file_pk>/download/",
        views.report_file_download,
        name="report_file_download",
    ),
]
