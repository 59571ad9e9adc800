"""Passwords: setting the first one from an invitation, and resetting a forgotten one
by email, through Django's own views (links on the request's own host)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

urlpatterns = [
    path(
        "accounts/password-reset/",
        auth_views.PasswordResetView.as_view(
            template_name="registration/password_reset_form.html",
            email_template_name="registration/password_reset_email.txt",
            subject_template_name="registration/kinwise_reset_subject.txt",
        ),
        name="password_reset",
    ),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="registration/password_reset_sent.html"
        ),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="registration/set_password.html",
            extra_context={"heading": "Choose a new password", "first": False},
        ),
        name="password_reset_confirm",
    ),
    path(
        "accounts/welcome/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="registration/set_password.html",
            extra_context={"heading": "Set your password", "first": True},
            success_url=reverse_lazy("password_reset_complete"),
        ),
        name="welcome",
    ),
    path(
        "accounts/password-set/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="registration/password_set.html"
        ),
        name="password_reset_complete",
    ),
]
