"""The "Email preferences" page: which of Kinwise's emails the signed-in user gets."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from kinwise.notifications.forms import EmailPreferenceForm
from kinwise.notifications.selectors import (
    DUE_SOON_DAYS,
    email_preference_of,
    is_registered_manager,
)
from kinwise.notifications.services import email_preference_update


@require_http_methods(["GET", "POST"])
@login_required
def email(request: HttpRequest) -> HttpResponse:
    user = request.user
    preference = email_preference_of(user=user)  # type: ignore[arg-type]
    manager = is_registered_manager(user=user)  # type: ignore[arg-type]
    if request.method == "POST":
        form = EmailPreferenceForm(request.POST)
        if form.is_valid():
            email_preference_update(
                user=user,  # type: ignore[arg-type]
                daily_work_items=form.cleaned_data["daily_work_items"],
                # only a registered manager is shown (and can change) the summary
                weekly_summary=(
                    form.cleaned_data["weekly_summary"] if manager else preference.weekly_summary
                ),
                actor=user,  # type: ignore[arg-type]
            )
            messages.success(request, "Your email preferences are saved.")
            return redirect("notifications:email")
    return render(
        request,
        "notifications/email.html",
        {
            "daily": preference.daily_work_items,
            "weekly": preference.weekly_summary,
            "manager": manager,
            "has_address": bool(getattr(user, "email", "")),
            "due_days": DUE_SOON_DAYS,
        },
    )
