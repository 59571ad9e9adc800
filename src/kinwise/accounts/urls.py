from __future__ import annotations

from django.urls import path

from kinwise.accounts import views

app_name = "accounts"

urlpatterns = [
    path("code/", views.code, name="code"),
    path("two-step/", views.enrol, name="enrol"),
    path("security/", views.security, name="security"),
    path("confirm/", views.confirm, name="confirm"),
    path("session/stay/", views.stay, name="stay"),
]
