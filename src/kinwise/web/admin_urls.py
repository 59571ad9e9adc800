"""Set-up and administration (registered managers), and the list of people whose
support has ended (anyone who may see the service)."""

from __future__ import annotations

from django.urls import path

from kinwise.web.views import admin, people, tokens

app_name = "manage"

urlpatterns = [
    path("manage/", admin.home, name="home"),
    path("manage/services/add/", admin.service_add, name="service_add"),
    path("manage/services/<int:service_pk>/", admin.service, name="service"),
    path("manage/services/<int:service_pk>/rename/", admin.service_rename, name="service_rename"),
    path("manage/services/<int:service_pk>/people/add/", admin.person_add, name="person_add"),
    path("manage/people/<int:person_pk>/end-support/", admin.person_end, name="person_end"),
    path("manage/staff/invite/", admin.staff_invite, name="staff_invite"),
    path("manage/staff/<int:staff_pk>/", admin.staff, name="staff"),
    path("manage/staff/<int:staff_pk>/invite/", admin.staff_invite_again, name="invite_again"),
    path("manage/staff/<int:staff_pk>/role/", admin.staff_role, name="staff_role"),
    path(
        "manage/staff/<int:staff_pk>/role/<int:service_pk>/remove/",
        admin.staff_role_remove,
        name="staff_role_remove",
    ),
    path("manage/staff/<int:staff_pk>/deactivate/", admin.staff_deactivate, name="deactivate"),
    path("manage/staff/<int:staff_pk>/reactivate/", admin.staff_reactivate, name="reactivate"),
    path("manage/tokens/", tokens.tokens, name="tokens"),
    path("manage/tokens/new/", tokens.token_new, name="token_new"),
    path("manage/tokens/<int:token_pk>/revoke/", tokens.token_revoke, name="token_revoke"),
    path("services/<int:service_pk>/ended/", people.ended, name="ended"),
]
