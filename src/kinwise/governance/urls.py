from __future__ import annotations

from django.urls import path

from kinwise.governance import directory_views, views

app_name = "governance"

urlpatterns = [
    path("services/<int:service_pk>/worklist/", views.worklist, name="worklist"),
    path("services/<int:service_pk>/worklist/owner/", views.work_item_owner, name="work_owner"),
    path("services/<int:service_pk>/my-work/", views.my_work, name="my_work"),
    path("services/<int:service_pk>/audit/", views.audit, name="audit"),
    path("services/<int:service_pk>/trends/", views.trends, name="trends"),
    path("services/<int:service_pk>/supervision/", views.supervision, name="supervision"),
    path(
        "services/<int:service_pk>/supervision/staff/",
        views.supervision_staff,
        name="supervision_staff",
    ),
    path(
        "services/<int:service_pk>/staff-directory/",
        directory_views.staff_directory,
        name="staff_directory",
    ),
    path(
        "services/<int:service_pk>/staff-directory/<int:entry_pk>/",
        directory_views.staff_directory_member,
        name="staff_directory_member",
    ),
]
