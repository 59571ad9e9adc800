"""The login backend: Django's, with the account's auth epoch read in the same query."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Exists, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from kinwise.core.models import AccountState
from kinwise.family.models import PortalAccount


class SignInThrottleBackend(AxesStandaloneBackend):
    """django-axes' throttle for sign-ins over the web, which always come with a request:
    a password checked by code without one (a command, a test's ``Client.login``) is
    neither throttled nor counted."""

    def authenticate(
        self,
        request: Any,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class StaffBackend(ModelBackend):
    """Django's ModelBackend; the user of a session carries ``kinwise_auth_epoch`` (0 when
    the account never changed) and ``kinwise_portal`` (whether it is a family or person
    account, kinwise.access.portal), so checking that the session is still current and
    which pages it may open costs no query beyond loading the user. Inactive users get no
    user (the session then ends)."""

    def get_user(self, user_id: Any) -> Any:
        user_model = get_user_model()
        epoch = AccountState.objects.filter(user_id=OuterRef("pk")).values("auth_epoch")[:1]
        user = (
            user_model._default_manager.annotate(
                kinwise_auth_epoch=Coalesce(Subquery(epoch), Value(0)),
                kinwise_portal=Exists(PortalAccount.objects.filter(user_id=OuterRef("pk"))),
            )
            .filter(pk=user_id)
            .first()
        )
        if user is None or not self.user_can_authenticate(user):
            return None
        return user
