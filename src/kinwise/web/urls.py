from __future__ import annotations

from django.urls import path

from kinwise.web import views

app_name = "web"

urlpatterns = [
    path("", views.people, name="people"),
]
