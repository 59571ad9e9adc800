"""The portal's pages (family and the person) and the staff's pages about portal
accounts. Thin: what may be seen is decided in :mod:`kinwise.access.portal` on every
request, what it says in :mod:`kinwise.readings.portal`, and writes go through
:mod:`kinwise.family.services`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kinwise import clock
from kinwise.access import person_for_action
from kinwise.access.portal import (
    PortalView,
    portal_account_for_viewer,
    portal_area_for_viewer,
    portal_concern_for_viewer,
    portal_family_for_viewer,
    portal_links_for,
    portal_person_for_viewer,
    portal_self_for_viewer,
    visible_areas,
)
from kinwise.casefile.vocab import AREAS, FAMILY_KINDS
from kinwise.errors import KinwiseError
from kinwise.family.models import DraftState, PortalAccount, PortalLink, VoiceDraft
from kinwise.family.services import (
    family_concern_raise,
    family_view_add,
    invitable,
    portal_invite,
    portal_reinstate,
    portal_suspend,
    voice_draft_add,
    voice_draft_confirm,
)
from kinwise.portal.forms import (
    ConcernForm,
    ConfirmForm,
    FamilyViewForm,
    InviteForm,
    KwForm,
    SayForm,
)
from kinwise.portal.mail import invitation_send
from kinwise.readings.labels import area_title, method_label
from kinwise.readings.portal import (
    area_records,
    concerns_raised_by,
    own_words,
    upcoming_meetings,
    who_sees_what,
    your_part,
)
from kinwise.records.selectors import casefile_export, record_ids
from kinwise.reports.easyread import EASY_AREAS, pictogram
from kinwise.reports.views import easy_read_context


def _actor(request: HttpRequest) -> AbstractBaseUser:
    """The signed-in member of staff (every staff view requires a login)."""
    user = request.user
    assert isinstance(user, AbstractBaseUser)
    return user


def _errors(form: KwForm, exc: KinwiseError | None = None) -> dict[str, Any]:
    if exc is not None:
        for error in exc.errors:
            name = error.path if error.path in form.fields else None
            form.add_error(name, error.message)
        if not exc.errors:
            form.add_error(None, "That could not be saved. Try again.")
    summary = form.summary() + [("maincontent", str(e)) for e in form.non_field_errors()]
    return {"has_errors": bool(form.errors), "summary": summary}


# --- the portal ---------------------------------------------------------------------------


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponseBase:
    """The account's own portal: the people it is linked to (straight to the one when
    there is only one)."""
    portal_account_for_viewer(user=request.user)
    links = portal_links_for(user=request.user)
    if len(links) == 1:
        return redirect("portal:person", person_pk=links[0].person_id)
    return render(request, "portal/home.html", {"links": links})


def _areas_shown(view: PortalView) -> list[dict[str, str]]:
    return [
        {"area": a, "title": area_title(a), "easy": EASY_AREAS[a], "picture": pictogram(a)}
        for a in AREAS
        if a in view.areas
    ]


@require_GET
@login_required
def person(request: HttpRequest, person_pk: int) -> HttpResponse:
    """A relative's "Your part" and the areas shared with them; for the person, their
    own page."""
    today = clock.today()
    view = portal_person_for_viewer(
        user=request.user, person_pk=person_pk, today=today, part="home"
    )
    casefile, first = view.casefile, view.casefile.person.name.split(" ")[0]
    if view.is_person:
        context = {
            **easy_read_context(casefile),
            "view": view,
            "first": first,
            "words": own_words(casefile, as_of=today),
            "meetings": upcoming_meetings(casefile, view.member_id, as_of=today),
            "waiting": VoiceDraft.objects.filter(link=view.link, state=DraftState.WAITING).count(),
        }
        return render(request, "portal/own.html", context)
    part = your_part(casefile, view.facts, view.member_id, as_of=today, shared=view.areas)
    context = {
        "view": view,
        "first": first,
        "part": part,
        "areas": _areas_shown(view),
        "other_people": len(portal_links_for(user=request.user)) > 1,
    }
    return render(request, "portal/your_part.html", context)


@require_GET
@login_required
def area(request: HttpRequest, person_pk: int, area: str) -> HttpResponse:
    """One area's records, while the account's scope covers it today (else 404, logged)."""
    today = clock.today()
    if area not in AREAS:
        raise Http404("No such area")
    view = portal_area_for_viewer(user=request.user, person_pk=person_pk, area=area, today=today)
    records = area_records(
        view.casefile, view.facts, area, as_of=today, for_family=not view.is_person
    )
    basis = {
        "consent": "because {first} agreed to share it with you",
        "authority": "because you hold a legal authority for it",
    }.get(view.areas[area], "")
    first = view.casefile.person.name.split(" ")[0]
    return render(
        request,
        "portal/area.html",
        {"view": view, "records": records, "basis": basis.format(first=first), "first": first},
    )


@require_http_methods(["GET", "POST"])
@login_required
def say(request: HttpRequest, person_pk: int) -> HttpResponseBase:
    """The person adds what they want to say: a draft a member of staff confirms."""
    today = clock.today()
    purpose = "change" if request.method == "POST" else "read"
    view = portal_self_for_viewer(
        user=request.user, person_pk=person_pk, today=today, part="say", purpose=purpose
    )
    helpers = [(m.id, m.name) for m in view.casefile.circle]
    form = SayForm(request.POST if request.method == "POST" else None, helpers=helpers)
    errors: dict[str, Any] = {"has_errors": False, "summary": []}
    if request.method == "POST":
        if form.is_valid():
            try:
                voice_draft_add(
                    link=view.link,
                    text=form.cleaned_data["text"],
                    area=form.cleaned_data["area"],
                    helped_by=form.cleaned_data["helped_by"],
                )
            except KinwiseError as exc:
                errors = _errors(form, exc)
            else:
                messages.success(
                    request, "Thank you. A member of staff will read it with you and write it down."
                )
                return redirect("portal:person", person_pk=person_pk)
        else:
            errors = _errors(form)
    return render(request, "portal/say.html", {"view": view, "form": form, **errors})


def _their_areas(view: Any) -> list[tuple[str, str]]:
    """The areas a relative may give a view or raise a concern about: those they have a
    role in, and those they may see, in the plan's order of areas, with their titles."""
    member = view.member_id
    involved = {
        r.area
        for r in view.casefile.plan.roles
        if member in (r.decides, *r.supported_by, *r.contributes, *r.informed)
    } | set(view.areas)
    return [(a, area_title(a)) for a in AREAS if a in involved]


@require_http_methods(["GET", "POST"])
@login_required
def family_view(request: HttpRequest, person_pk: int) -> HttpResponseBase:
    """A relative adds their own view (a family view, shown to staff as theirs)."""
    today = clock.today()
    purpose = "change" if request.method == "POST" else "read"
    view = portal_family_for_viewer(
        user=request.user, person_pk=person_pk, today=today, part="your-view", purpose=purpose
    )
    casefile, member = view.casefile, view.member_id
    areas = _their_areas(view)
    about = [
        (f"meeting:{m.id}", f"The meeting of {m.date:%-d %B %Y}")
        for m in sorted(casefile.meetings, key=lambda m: m.date, reverse=True)
        if member in m.attendees
    ] + [
        (f"risk_assessment:{r.id}", f"The risk assessment of {r.date:%-d %B %Y}: {r.activity}")
        for r in casefile.risk_assessments
        if r.area in view.areas
    ]
    form = FamilyViewForm(
        request.POST if request.method == "POST" else None, areas=areas, about=about
    )
    errors: dict[str, Any] = {"has_errors": False, "summary": []}
    if request.method == "POST":
        if form.is_valid():
            try:
                family_view_add(
                    link=view.link,
                    person=view.person,
                    area=form.cleaned_data["area"],
                    about=form.cleaned_data["about"],
                    text=form.cleaned_data["text"],
                    on=today,
                    actor=_actor(request),
                )
            except KinwiseError as exc:
                errors = _errors(form, exc)
            else:
                messages.success(request, "Your view is added, with your name and today's date")
                return redirect("portal:person", person_pk=person_pk)
        else:
            errors = _errors(form)
    first = casefile.person.name.split(" ")[0]
    return render(
        request, "portal/family_view.html", {"view": view, "form": form, "first": first, **errors}
    )


@require_http_methods(["GET", "POST"])
@login_required
def concern(request: HttpRequest, person_pk: int) -> HttpResponseBase:
    """A relative raises a concern: a concern record the registered manager follows up."""
    today = clock.today()
    purpose = "change" if request.method == "POST" else "read"
    view = portal_family_for_viewer(
        user=request.user, person_pk=person_pk, today=today, part="concern", purpose=purpose
    )
    form = ConcernForm(request.POST if request.method == "POST" else None, areas=_their_areas(view))
    errors: dict[str, Any] = {"has_errors": False, "summary": []}
    if request.method == "POST":
        if form.is_valid():
            try:
                family_concern_raise(
                    link=view.link,
                    person=view.person,
                    kind=form.cleaned_data["kind"],
                    area=form.cleaned_data["area"],
                    text=form.cleaned_data["text"],
                    on=today,
                    actor=_actor(request),
                )
            except KinwiseError as exc:
                errors = _errors(form, exc)
            else:
                messages.success(request, "Thank you. The registered manager will reply to you.")
                return redirect("portal:person", person_pk=person_pk)
        else:
            errors = _errors(form)
    first = view.casefile.person.name.split(" ")[0]
    return render(
        request, "portal/concern.html", {"view": view, "form": form, "first": first, **errors}
    )


@require_GET
@login_required
def concerns(request: HttpRequest, person_pk: int) -> HttpResponse:
    """ "Your concerns": the concerns this relative raised (only theirs), where each has
    got to, newest first."""
    today = clock.today()
    view = portal_family_for_viewer(
        user=request.user, person_pk=person_pk, today=today, part="concerns"
    )
    found = concerns_raised_by(view.casefile, view.member_id, as_of=today)
    ids = record_ids(person=view.person)
    rows = [(c, ids[("concern", c.id)][0]) for c in found if ("concern", c.id) in ids]
    first = view.casefile.person.name.split(" ")[0]
    return render(request, "portal/concerns.html", {"view": view, "rows": rows, "first": first})


@require_GET
@login_required
def concern_progress(request: HttpRequest, person_pk: int, record_id: int) -> HttpResponse:
    """One concern this relative raised, and where it has got to (any other: 404, logged)."""
    today = clock.today()
    view, key = portal_concern_for_viewer(
        user=request.user, person_pk=person_pk, record_id=record_id, today=today
    )
    found = [
        c for c in concerns_raised_by(view.casefile, view.member_id, as_of=today) if c.id == key
    ]
    if not found:  # raised after today's date as recorded: nothing to show yet
        raise Http404("No such concern")
    first = view.casefile.person.name.split(" ")[0]
    return render(
        request, "portal/concern_progress.html", {"view": view, "c": found[0], "first": first}
    )


@require_GET
@login_required
def who_sees(request: HttpRequest, person_pk: int) -> HttpResponse:
    """The person's "who sees what": each relative and the areas they can see today."""
    today = clock.today()
    view = portal_self_for_viewer(
        user=request.user, person_pk=person_pk, today=today, part="who-sees"
    )
    seen = {
        m.id: visible_areas(view.facts, m.id, today)
        for m in view.casefile.circle
        if m.kind in FAMILY_KINDS
    }
    rows = who_sees_what(view.casefile, seen)
    return render(request, "portal/who_sees.html", {"view": view, "rows": rows})


# --- the staff's pages about portal accounts ----------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def staff_accounts(request: HttpRequest, person_pk: int) -> HttpResponse:
    """The person's portal logins: who has one, suspend or reinstate, invite someone, and
    the drafts waiting to be confirmed."""
    found = person_for_action(user=request.user, person_pk=person_pk, action="change_circle")
    casefile = casefile_export(person=found)
    names = invitable(casefile)
    form = InviteForm(
        request.POST if request.method == "POST" else None, members=list(names.items())
    )
    errors: dict[str, Any] = {"has_errors": False, "summary": []}
    if request.method == "POST":
        if form.is_valid():
            try:
                account, new = portal_invite(
                    person=found,
                    member_id=form.cleaned_data["member"],
                    username=form.cleaned_data["username"],
                    email=form.cleaned_data["email"],
                    actor=_actor(request),
                )
            except KinwiseError as exc:
                errors = _errors(form, exc)
            else:
                if new:
                    invitation_send(request=request, user=account.user)
                    messages.success(request, "The invitation is sent")
                else:
                    messages.success(request, "This file is added to their existing login")
                return redirect("portal_staff:accounts", person_pk=person_pk)
        else:
            errors = _errors(form)
    links = PortalLink.objects.filter(person=found).select_related("account__user").order_by("pk")
    rows = [
        {
            "name": names.get(link.member_id, "Someone no longer in the circle"),
            "username": link.account.user.get_username(),
            "account_pk": link.account_id,
            "suspended": link.account.suspended_at,
            "is_person": link.kind == "person",
        }
        for link in links
    ]
    drafts = VoiceDraft.objects.filter(link__person=found, state=DraftState.WAITING).order_by(
        "created_at"
    )
    context = {
        "person": found,
        "rows": rows,
        "form": form,
        "drafts": drafts,
        **errors,
    }
    return render(request, "portal/staff_accounts.html", context)


def _account_of(person_pk: int, account_pk: int) -> PortalAccount:
    account = PortalAccount.objects.filter(pk=account_pk, links__person_id=person_pk).first()
    if account is None:
        raise Http404("No such login")
    return account


@require_POST
@login_required
def staff_suspend(request: HttpRequest, person_pk: int, account_pk: int) -> HttpResponse:
    found = person_for_action(user=request.user, person_pk=person_pk, action="change_circle")
    portal_suspend(account=_account_of(person_pk, account_pk), person=found, actor=_actor(request))
    messages.success(request, "The login is suspended. It shows nothing from now on.")
    return redirect("portal_staff:accounts", person_pk=person_pk)


@require_POST
@login_required
def staff_reinstate(request: HttpRequest, person_pk: int, account_pk: int) -> HttpResponse:
    found = person_for_action(user=request.user, person_pk=person_pk, action="change_circle")
    portal_reinstate(
        account=_account_of(person_pk, account_pk), person=found, actor=_actor(request)
    )
    messages.success(request, "The login can be used again")
    return redirect("portal_staff:accounts", person_pk=person_pk)


@require_http_methods(["GET", "POST"])
@login_required
def staff_draft(request: HttpRequest, person_pk: int, draft_pk: int) -> HttpResponse:
    """Confirm what the person added into a voice record, as they said it."""
    found = person_for_action(user=request.user, person_pk=person_pk, action="record_voice")
    draft = (
        VoiceDraft.objects.filter(pk=draft_pk, link__person=found, state=DraftState.WAITING)
        .select_related("link")
        .first()
    )
    if draft is None:
        raise Http404("No such draft")
    casefile = casefile_export(person=found)
    staff = [(m.id, m.name) for m in casefile.circle if m.kind == "staff"]
    methods: list[tuple[str, str]] = [
        (m, method_label(m)) for m in casefile.person.communication.methods
    ]
    form = ConfirmForm(
        request.POST if request.method == "POST" else None, staff=staff, methods=methods
    )
    errors: dict[str, Any] = {"has_errors": False, "summary": []}
    if request.method == "POST":
        if form.is_valid():
            try:
                voice_draft_confirm(
                    draft=draft,
                    person=found,
                    captured_by=form.cleaned_data["captured_by"],
                    method=form.cleaned_data["method"],
                    on=clock.today(),
                    actor=_actor(request),
                )
            except KinwiseError as exc:
                errors = _errors(form, exc)
            else:
                messages.success(request, "What they said is now in their views, as they said it")
                return redirect("portal_staff:accounts", person_pk=person_pk)
        else:
            errors = _errors(form)
    names = dict((m.id, m.name) for m in casefile.circle)
    helped = [names.get(m, "") for m in draft.helped_by if m in names]
    context = {
        "person": found,
        "draft": draft,
        "area": area_title(draft.area) if draft.area else "",
        "helped": helped,
        "form": form,
        **errors,
    }
    return render(request, "portal/staff_draft.html", context)
