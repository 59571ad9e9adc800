"""What a form starts from when it is opened again with unsaved input (kinwise.drafts):
the form sent after the session ended, shown for its user to check and save, or the
draft kept while typing, offered and restored on request (``?draft=restore``).

Only the signed-in user's own input is read; nothing is saved by opening a form."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, QueryDict
from django.urls import reverse
from django.utils import timezone

from kinwise.drafts.models import FormInput, InputKind
from kinwise.drafts.selectors import form_input_for

RESTORE = "draft"  # ?draft=restore: open the form with its draft
RESTORE_VALUE = "restore"

SIGNED_OUT_NOTICE = (
    "You were signed out before this form was saved. What you typed is below: check it, "
    "then save it. Nothing is saved until you do."
)
RESTORED_NOTICE = "Your draft is below. Check it, then save it. Nothing is saved until you do."


@dataclass(frozen=True)
class FormStart:
    """``data``: the input the form is bound to when opened (None: an empty form);
    ``notice``: what the page says about it; ``offer``: a draft the page offers to
    restore; ``kind``: which input ``data`` came from."""

    data: QueryDict | None
    notice: str = ""
    offer: FormInput | None = None
    kind: str = ""


_CACHE = "_kinwise_form_start"


def _query_dict(row: FormInput) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, values in row.fields.items():
        data.setlist(name, [str(v) for v in values])
    data._mutable = False
    return data


def form_start(request: HttpRequest) -> FormStart:
    """The input the form at this address starts from (see the module), once per request."""
    cached = getattr(request, _CACHE, None)
    if isinstance(cached, FormStart):
        return cached
    start = _form_start(request)
    setattr(request, _CACHE, start)
    return start


def _form_start(request: HttpRequest) -> FormStart:
    if request.method == "POST":
        return FormStart(data=request.POST)
    user_id = request.user.pk
    if not request.user.is_authenticated or user_id is None:
        return FormStart(data=None)
    at = timezone.now()
    kept = form_input_for(user_id=int(user_id), path=request.path, kind=InputKind.SIGNED_OUT, at=at)
    if kept is not None:
        return FormStart(data=_query_dict(kept), notice=SIGNED_OUT_NOTICE, kind=kept.kind)
    draft = form_input_for(user_id=int(user_id), path=request.path, kind=InputKind.DRAFT, at=at)
    if draft is None:
        return FormStart(data=None)
    if request.GET.get(RESTORE) == RESTORE_VALUE:
        return FormStart(data=_query_dict(draft), notice=RESTORED_NOTICE, kind=draft.kind)
    return FormStart(data=None, offer=draft)


def draft_url(person_pk: int) -> str:
    return reverse("web:form_draft", kwargs={"person_pk": person_pk})
