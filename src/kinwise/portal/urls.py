from __future__ import annotations

from django.urls import path

from kinwise.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("<int:person_pk>/", views.person, name="person"),
    path("<int:person_pk>/area/<str:area>/", views.area, name="area"),
    path("<int:person_pk>/say/", views.say, name="say"),
    path("<int:person_pk>/your-view/", views.family_view, name="family_view"),
    path("<int:person_pk>/concern/", views.concern, name="concern"),
    path("<int:person_pk>/concerns/", views.concerns, name="concerns"),
    path(
        "<int:person_pk>/concerns/<int:record_id>/",
        views.concern_progress,
        name="concern_progress",
    ),
    path("<int:person_pk>/who-sees-what/", views.who_sees, name="who_sees"),
]
