from __future__ import annotations

from django.urls import path

from kinwise.portal import views

app_name = "portal_staff"

urlpatterns = [
    path("people/<int:person_pk>/portal-logins/", views.staff_accounts, name="accounts"),
    path(
        "people/<int:person_pk>/portal-logins/<int:account_pk>/suspend/",
        views.staff_suspend,
        name="suspend",
    ),
    path(
        "people/<int:person_pk>/portal-logins/<int:account_pk>/reinstate/",
        views.staff_reinstate,
        name="reinstate",
    ),
    path("people/<int:person_pk>/portal-drafts/<int:draft_pk>/", views.staff_draft, name="draft"),
]
