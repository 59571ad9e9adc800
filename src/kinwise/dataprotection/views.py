"""The subject-access pages: a registered manager downloads everything held about a
person, after entering their password or a code again (step-up)."""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from kinwise.access import SUBJECT_ACCESS_ROLES, has_role_for, person_for_viewer
from kinwise.accounts.stepup import step_up_required
from kinwise.dataprotection.subject_access import (
    subject_access,
    subject_access_given,
    subject_access_pdf,
)
from kinwise.records.models import Person

logger = logging.getLogger("kinwise.access")


def person_for_export(request: HttpRequest, person_pk: int) -> Person:
    """The person, if the viewer may read them and is a registered manager for them;
    otherwise Http404, logged by ids."""
    person = person_for_viewer(user=request.user, person_pk=person_pk)
    user = request.user
    if not isinstance(user, AbstractBaseUser) or not has_role_for(
        user=user, service=person.service, roles=SUBJECT_ACCESS_ROLES
    ):
        logger.warning(
            "subject access refused: user pk=%s asked for person pk=%s", user.pk, person_pk
        )
        raise Http404("No such person")
    return person


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@login_required
@step_up_required
def subject_access_page(request: HttpRequest, person_pk: int) -> HttpResponse:
    person = person_for_export(request, person_pk)
    return render(
        request,
        "dataprotection/subject_access_page.html",
        {"person": person, "name": person.name},
    )


@require_GET
@login_required
@step_up_required  # everything held about a person leaves Kinwise: the password or a code again
def subject_access_json(request: HttpRequest, person_pk: int) -> HttpResponse:
    person = person_for_export(request, person_pk)
    export = subject_access(person=person, made_at=timezone.now())
    subject_access_given(person=person, user_id=request.user.pk, form="json")
    response = HttpResponse(export.to_json(), content_type="application/json; charset=utf-8")
    return _attachment(response, "everything-held.json")


@require_GET
@login_required
@step_up_required
def subject_access_pdf_view(request: HttpRequest, person_pk: int) -> HttpResponse:
    person = person_for_export(request, person_pk)
    export = subject_access(person=person, made_at=timezone.now())
    subject_access_given(person=person, user_id=request.user.pk, form="pdf")
    response = HttpResponse(subject_access_pdf(export), content_type="application/pdf")
    return _attachment(response, "everything-held.pdf")
