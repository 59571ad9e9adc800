from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import include, path

from kinwise.accounts.views import SignInView

urlpatterns = [
    path("accounts/login/", SignInView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("kinwise.web.account_urls")),
    path("", include("kinwise.web.admin_urls")),
    path("accounts/", include("kinwise.accounts.urls")),
    path("", include("kinwise.web.urls")),
    path("governance/", include("kinwise.governance.urls")),
    path("", include("kinwise.reports.urls")),
    path("", include("kinwise.notifications.urls")),
    path("", include("kinwise.jobs.urls")),
    path("", include("kinwise.dataprotection.urls")),
    # the REST API (docs/api.md): bearer tokens, never the session
    path("api/v1/", include("kinwise.api.urls")),
    path("portal/", include("kinwise.portal.urls")),
    path("", include("kinwise.portal.staff_urls")),
]
