from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Signing in and staying signed in: the throttle, the second factor, session limits,
    step-up and the security headers' companions (no models: they are in kinwise.core)."""

    name = "kinwise.accounts"
    label = "accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from kinwise.accounts.sessions import session_begin_on_login

        user_logged_in.connect(session_begin_on_login, dispatch_uid="kinwise-session-begin")
