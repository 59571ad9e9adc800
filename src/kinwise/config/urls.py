from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import include, path

from kinwise.accounts.views import SignInView

urlpatterns = [
    path("accounts/login/", SignInView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("kinwise.accounts.urls")),
    path("", include("kinwise.web.urls")),
    path("governance/", include("kinwise.governance.urls")),
    path("", include("kinwise.reports.urls")),
]
