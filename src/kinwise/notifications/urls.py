from __future__ import annotations

from django.urls import path

from kinwise.notifications import views

app_name = "notifications"

urlpatterns = [
    path("accounts/email/", views.email, name="email"),
]
