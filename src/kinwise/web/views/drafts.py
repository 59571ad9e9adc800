"""The draft of a form, kept on the server while its user types (never in the browser:
tablets are shared). ``web/drafts.js`` posts the form's fields here every few seconds
after a change; the page's "Discard the draft" button posts ``discard``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.views.decorators.http import require_POST

from kinwise.access import person_for_viewer
from kinwise.drafts.marks import keeps_input_of
from kinwise.drafts.models import InputKind
from kinwise.drafts.services import MAX_PATH, form_input_keep, form_inputs_drop
from kinwise.errors import KinwiseError
from kinwise.web.views.edit import _actor


def _form_path(request: HttpRequest, person_pk: int) -> str | None:
    """The address of the form the draft is of (``?form=``): a form that keeps its input,
    about this person; None for anything else."""
    path = str(request.GET.get("form", ""))
    if not path.startswith("/") or len(path) > MAX_PATH or "?" in path:
        return None
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if not keeps_input_of(match.func) or match.kwargs.get("person_pk") != person_pk:
        return None
    return path


@require_POST
@login_required
def form_draft(request: HttpRequest, person_pk: int) -> HttpResponse:
    """Keep (204) or discard (back to the form) the signed-in user's draft of a form
    about a person they may change. What was typed is never logged."""
    person = person_for_viewer(user=request.user, person_pk=person_pk, purpose="change")
    path = _form_path(request, person.pk)
    if path is None:
        return HttpResponseBadRequest("Not a form that keeps a draft.")
    user = _actor(request)
    if request.POST.get("discard_draft"):
        form_inputs_drop(user_id=user.pk, path=path)
        messages.info(request, "The draft is discarded")
        return redirect(path)
    try:
        form_input_keep(
            user_id=user.pk,
            person_id=person.pk,
            path=path,
            kind=InputKind.DRAFT,
            fields=dict(request.POST.lists()),
            at=timezone.now(),
        )
    except KinwiseError:
        return HttpResponse("Too much to keep as a draft.", status=413)
    return HttpResponse(status=204)
