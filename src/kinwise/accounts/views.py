"""Signing in (password, then a code when the account has an authenticator app), setting
up the app, staying signed in, and entering the password or a code again (step-up)."""

from __future__ import annotations

from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import LoginView
from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from kinwise.accounts import mfa, sessions
from kinwise.accounts.forms import (
    CODE_REFUSED,
    PASSWORD_REFUSED,
    SIGNIN_REFUSED,
    CodeForm,
    PasswordAgainForm,
    SignInForm,
)
from kinwise.accounts.throttle import log_signin_failure
from kinwise.family.models import PortalAccount

ENDED_MESSAGES = {
    "idle": "You were signed out because Kinwise was not used for a while. Sign in again.",
    "expired": "You were signed out because you signed in many hours ago. Sign in again.",
    "changed": "You were signed out because your account changed. Sign in again.",
    "refused": SIGNIN_REFUSED,
}


KEPT_MESSAGE = (
    "What you had typed is kept: after you sign in, the form shows it again for you to "
    "check and save."
)


def _next(request: HttpRequest, default: str = "web:people") -> str:
    """Where to go afterwards: the ``next`` of the request if it is on this site (a
    family or person account's default is its portal)."""
    if default == "web:people" and getattr(request.user, "kinwise_portal", False):
        default = "portal:home"
    target = str(request.POST.get("next") or request.GET.get("next") or "")
    # a path on this site only (a bare word would be taken for a view's name)
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(default)


def _with_next(view_name: str, target: str) -> str:
    return f"{reverse(view_name)}?{urlencode({'next': target})}"


class SignInView(LoginView):
    """The password step. A refusal (wrong password, unknown username, paused) reads the
    same; it is logged by the username's digest and the address."""

    form_class = SignInForm
    template_name = "registration/login.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        ended = self.request.session.pop(sessions.ENDED, None)
        context["ended_message"] = ENDED_MESSAGES.get(str(ended)) if ended else None
        context["ended_is_error"] = ended == "refused"
        if self.request.session.pop(sessions.KEPT, None) and context["ended_message"]:
            context["ended_message"] += " " + KEPT_MESSAGE
        context["demo_database"] = mfa.demo_database()
        return context

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        username = str(form.data.get("username", ""))
        if form.data.get("password"):
            step = (
                "password (paused)"
                if getattr(self.request, "axes_locked_out", False)
                else "password"
            )
            log_signin_failure(request=self.request, username=username, step=step)
        return super().form_invalid(form)

    def get_default_redirect_url(self) -> str:
        if getattr(self, "_portal", False):
            return reverse("portal:home")
        return str(super().get_default_redirect_url())

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        # a family or person account lands on its own portal
        self._portal = PortalAccount.objects.filter(user_id=form.get_user().pk).exists()
        target = self.get_success_url()
        response = super().form_valid(form)  # Django rotates the session id here
        owed = self.request.session.get(sessions.SECOND_FACTOR)
        if owed == "verify":
            return redirect(_with_next("accounts:code", target))
        if owed == "enrol":
            return redirect(_with_next("accounts:enrol", target))
        return response


def signin_refused(
    request: HttpRequest,
    original_response: HttpResponseBase | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponseBase:
    """What a paused sign-in sees (django-axes' AXES_LOCKOUT_CALLABLE): the same page and
    message as any refused sign-in. A session half signed in (a code owed) is ended."""
    if request.user.is_authenticated:
        logout(request)
        request.session[sessions.ENDED] = "refused"
        return redirect("login")
    if original_response is not None:
        return original_response
    return redirect("login")


def _code_refused(request: HttpRequest, form: Form, step: str) -> None:
    """A wrong code: logged, counted by the throttle like a wrong password, shown."""
    username = request.user.get_username()
    log_signin_failure(request=request, username=username, step=step)
    user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)
    form.add_error("code", CODE_REFUSED)


def _paused(request: HttpRequest) -> bool:
    return not AxesProxyHandler.is_allowed(request, {"username": request.user.get_username()})


@login_required
@require_http_methods(["GET", "POST"])
def code(request: HttpRequest) -> HttpResponseBase:
    """The second step of signing in: the code from the authenticator app."""
    if request.session.get(sessions.SECOND_FACTOR) != "verify":
        return redirect(_next(request))
    device = mfa.confirmed_device(request.user)
    if device is None:  # the app was removed meanwhile: set one up if it is required
        sessions.session_begin(request=request, user=request.user)
        return redirect(_next(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST":
        if _paused(request):
            return signin_refused(request)
        if form.is_valid() and mfa.code_verify(device=device, code=form.cleaned_data["code"]):
            request.session.cycle_key()
            request.session.pop(sessions.SECOND_FACTOR, None)
            sessions.reauthenticated(session=request.session)
            otp_login(request, device)
            return redirect(_next(request))
        if form.is_valid():
            _code_refused(request, form, "code")
    return render(request, "accounts/code.html", {"form": form, "next": _next(request)}, status=200)


@login_required
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponseBase:
    """Set up an authenticator app: a QR code and the secret as text, then a code from it."""
    owed = request.session.get(sessions.SECOND_FACTOR)
    if owed == "verify":
        return redirect(_with_next("accounts:code", _next(request)))
    replacing = mfa.confirmed_device(request.user) is not None
    if replacing and not sessions.reauthenticated_recently(session=request.session):
        return redirect(_with_next("accounts:confirm", request.get_full_path()))
    device = mfa.enrolment_device(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if mfa.enrolment_confirm(user=request.user, device=device, code=form.cleaned_data["code"]):
            request.session.cycle_key()
            request.session.pop(sessions.SECOND_FACTOR, None)
            sessions.reauthenticated(session=request.session)
            messages.success(
                request,
                "Two-step sign-in is set up. You will be asked for a code each time you sign in.",
            )
            return redirect(_next(request, default="accounts:security"))
        form.add_error("code", CODE_REFUSED)
        log_signin_failure(
            request=request, username=request.user.get_username(), step="set-up code"
        )
    context = {
        "form": form,
        "next": _next(request, default="accounts:security"),
        "qr_code": mfa.qr_code_data_uri(device),
        "secret": mfa.secret_text(device),
        "required": owed == "enrol",
        "replacing": replacing,
    }
    return render(request, "accounts/enrol.html", context)


@login_required
@require_http_methods(["GET"])
def security(request: HttpRequest) -> HttpResponse:
    """The account's sign-in security: whether two-step sign-in is on, and to set it up."""
    user = request.user
    context = {
        "has_device": mfa.confirmed_device(user) is not None,
        "required": mfa.second_factor_required(user),
        "demo_exempt": mfa.demo_exempt(user),
        "idle_minutes": sessions.idle_seconds() // 60,
        "max_hours": sessions.max_seconds() // 3600,
    }
    return render(request, "accounts/security.html", context)


@require_POST
def stay(request: HttpRequest) -> HttpResponseBase:
    """ "Stay signed in": the session counts as used now (the warning's button)."""
    if not request.user.is_authenticated:
        return JsonResponse({"signed_in": False, "seconds_left": 0}, status=401)
    moment = sessions.now()
    sessions.touch(session=request.session, moment=moment, force=True)
    left = sessions.seconds_left(session=request.session, moment=moment)
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"signed_in": True, "seconds_left": left})
    return redirect(_next(request))


@login_required
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest) -> HttpResponseBase:
    """Step-up: the password (or a code, for an account with an authenticator app) entered
    again before a sensitive action; good for KINWISE_STEP_UP_MINUTES."""
    device = mfa.confirmed_device(request.user)
    form: Form = (CodeForm if device is not None else PasswordAgainForm)(request.POST or None)
    if request.method == "POST":
        if _paused(request):
            return signin_refused(request)
        if form.is_valid():
            if device is not None:
                if mfa.code_verify(device=device, code=form.cleaned_data["code"]):
                    sessions.reauthenticated(session=request.session)
                    return redirect(_next(request))
                _code_refused(request, form, "step-up code")
            else:
                # through the throttle: a wrong password here counts like one at sign-in
                checked = authenticate(
                    request,
                    username=request.user.get_username(),
                    password=form.cleaned_data["password"],
                )
                if checked is not None and checked.pk == request.user.pk:
                    sessions.reauthenticated(session=request.session)
                    return redirect(_next(request))
                if getattr(request, "axes_locked_out", False):
                    return signin_refused(request)
                log_signin_failure(
                    request=request, username=request.user.get_username(), step="step-up password"
                )
                form.add_error("password", PASSWORD_REFUSED)
    context = {
        "form": form,
        "uses_code": device is not None,
        "next": _next(request),
        "minutes": int(settings.KINWISE_STEP_UP_MINUTES),
    }
    return render(request, "accounts/confirm.html", context)
