"""Authorization as data: every route of the URL resolver × every kind of viewer × GET and
POST, against a matrix of expected outcomes written here (docs/access.md), apart from
the code it checks.

A route missing from ``MATRIX`` fails the test. The viewers are each staff role of the
person's service (Riverside), the same role in another service of the same organisation
(Oakfield: the organisation-wide roles see Riverside from there, the others do not), a
registered manager of another organisation, a login with no role, a deactivated login
and an anonymous visitor. An allowed request answers below 500 and is not a refusal
(an empty POST may answer 400 with its form's errors); a refused one answers exactly
403 or 404 (as the matrix says) and leaves a line naming the viewer's id on the
``kinwise.access`` logger; a visitor who is not signed in (or whose login is
deactivated) is sent to sign in. Every POST runs in a savepoint that is rolled back, so
one request's change never reaches the next.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.test import Client
from django.urls import get_resolver, reverse

from kinwise.core.models import StaffMember, StaffRole
from kinwise.core.services import staff_user_ensure
from kinwise.family.models import PortalLink
from kinwise.family.services import portal_demo_ensure, voice_draft_add
from kinwise.jobs.models import FileState, ReportFile
from kinwise.records.models import Record
from kinwise.records.selectors import record_current
from kinwise.records.services.edits import record_save
from tests.web.conftest import PASSWORD, client_for, make_people, make_world
from tests.web.test_fuzz import _route_names

SW, TL, RM, QL = "support_worker", "team_leader", "registered_manager", "quality_lead"
EVERY_ROLE = frozenset({SW, TL, RM, QL})
RECORDERS = frozenset({SW, TL, RM})  # the everyday records
LEADERS = frozenset({TL, RM})  # the records that decide or authorise
OVERSIGHT = frozenset({TL, RM, QL})  # reports, inspection, governance
MANAGER = frozenset({RM})


@dataclass(frozen=True)
class Rule:
    """Who may make one request: ``kind`` is "roles" (staff whose role towards Riverside
    is in ``roles``; others who see Riverside are refused with ``refused``, others get
    404), "signed_in" (anyone signed in), "public" (anyone) or "method" (405 to
    everyone signed in: the route does not take this method). A page about nothing in
    particular (``own``: the administration's home, adding a service, inviting staff)
    is about the viewer's own organisation: their role is the one they hold anywhere."""

    kind: str
    roles: frozenset[str] = frozenset()
    refused: int = 403
    own: bool = False
    portal: frozenset[str] = frozenset()  # "portal": the portal viewers allowed


def portal_only(*viewers: str) -> Rule:
    """A page of the family and person portal: the portal viewers named may open it;
    every other portal viewer and every member of staff is answered 404."""
    return Rule("portal", portal=frozenset(viewers))


def roles(allowed: frozenset[str], refused: int = 403, *, own: bool = False) -> Rule:
    return Rule("roles", allowed, refused, own)


SIGNED_IN = Rule("signed_in")
# the API (docs/api.md): a bearer token or nothing; a signed-in session gives no access
TOKEN = Rule("token")
# the API's root address: no page, 404 to everyone (nothing refused, nothing to log)
ABSENT = Rule("absent")
PUBLIC = Rule("public")
NO_METHOD = Rule("method")


@dataclass(frozen=True)
class Case:
    params: dict[str, Any]  # route parameters; "{...}" values are filled from the fixture
    get: Rule
    post: Rule
    query: str = ""  # added to the address
    data: dict[str, str] = field(default_factory=dict)  # posted ("{...}" filled likewise)


def case(
    get: Rule, post: Rule, *, query: str = "", data: dict[str, str] | None = None, **params: Any
) -> list[Case]:
    return [Case(params, get, post, query, data or {})]


def reads(allowed: frozenset[str] = EVERY_ROLE, **params: Any) -> list[Case]:
    """A page that only reads (GET), about Sam or Riverside."""
    return case(roles(allowed), NO_METHOD, **params)


def form(allowed: frozenset[str], **params: Any) -> list[Case]:
    """A form about Sam: opening it and posting it need the same role."""
    return case(roles(allowed), roles(allowed), **params)


# a month: a report of the default year takes seconds to build
MONTH = "from=2026-06-01&to=2026-06-30"


SAM = {"person_pk": "{sam}"}
FAMILY, PERSON = "family of Sam (portal)", "Sam himself (portal)"
BOTH = (FAMILY, PERSON)
RIVERSIDE = {"service_pk": "{riverside}"}

# The expected outcome of every route (docs/access.md, "Who may do what").
MATRIX: dict[str, list[Case]] = {
    # signing in and out, passwords: anyone
    "login": case(PUBLIC, PUBLIC),
    "logout": case(NO_METHOD, PUBLIC),
    "password_reset": case(PUBLIC, PUBLIC),
    "password_reset_done": case(PUBLIC, NO_METHOD),
    "password_reset_confirm": case(PUBLIC, PUBLIC, uidb64="MQ", token="set-password"),
    "welcome": case(PUBLIC, PUBLIC, uidb64="MQ", token="set-password"),
    "password_reset_complete": case(PUBLIC, NO_METHOD),
    "web:nhsuk_assets": case(PUBLIC, PUBLIC, asset="icons/icon-arrow-right.svg"),
    # one's own account
    "accounts:code": case(SIGNED_IN, SIGNED_IN),
    "accounts:enrol": case(SIGNED_IN, SIGNED_IN),
    "accounts:security": case(SIGNED_IN, NO_METHOD),
    "accounts:confirm": case(SIGNED_IN, SIGNED_IN),
    "accounts:stay": case(NO_METHOD, PUBLIC),
    "notifications:email": case(SIGNED_IN, SIGNED_IN),
    "web:people": case(SIGNED_IN, NO_METHOD),
    # administration: registered managers of the organisation
    "manage:home": case(roles(MANAGER, own=True), NO_METHOD),
    "manage:service_add": case(roles(MANAGER, own=True), roles(MANAGER, own=True)),
    "manage:service": reads(MANAGER, **RIVERSIDE),
    "manage:service_rename": form(MANAGER, **RIVERSIDE),
    "manage:person_add": form(MANAGER, **RIVERSIDE),
    "manage:person_end": form(MANAGER, **SAM),
    "manage:staff_invite": case(roles(MANAGER, own=True), roles(MANAGER, own=True)),
    "manage:staff": reads(MANAGER, staff_pk="{staff}"),
    "manage:invite_again": case(NO_METHOD, roles(MANAGER), staff_pk="{staff}"),
    "manage:staff_role": form(MANAGER, staff_pk="{staff}"),
    "manage:staff_role_remove": case(
        NO_METHOD, roles(MANAGER), staff_pk="{staff}", service_pk="{riverside}"
    ),
    "manage:deactivate": form(MANAGER, staff_pk="{staff}"),
    "manage:reactivate": case(NO_METHOD, roles(MANAGER), staff_pk="{staff}"),
    # the service
    "web:service": reads(**RIVERSIDE),
    "manage:ended": reads(**RIVERSIDE),
    # API tokens (docs/api.md): registered managers of the organisation, with step-up
    "manage:tokens": case(roles(MANAGER, own=True), NO_METHOD),
    "manage:token_new": case(roles(MANAGER, own=True), roles(MANAGER, own=True)),
    "manage:token_revoke": case(NO_METHOD, roles(MANAGER), token_pk="{token}"),
    "reports:service_report": reads(OVERSIGHT, query=MONTH, **RIVERSIDE),
    "reports:service_report_csv": reads(OVERSIGHT, query=MONTH, **RIVERSIDE),
    "reports:inspection": reads(OVERSIGHT, query=MONTH, **RIVERSIDE),
    "jobs:inspection_pdf": reads(OVERSIGHT, query=MONTH, **RIVERSIDE),
    "governance:my_work": reads(**RIVERSIDE),
    "jobs:service_report_pdf": reads(OVERSIGHT, query=MONTH, **RIVERSIDE),
    "jobs:report_file": reads(OVERSIGHT, file_pk="{file}"),
    "jobs:report_file_download": reads(OVERSIGHT, file_pk="{file}"),
    # the worklist sends staff who do not oversee the service to their own work
    "governance:worklist": reads(**RIVERSIDE),
    # an owner who does not manage the service: the form's error (400)
    "governance:work_owner": case(
        NO_METHOD, roles(LEADERS), data={"person": "{sam}", "owner": "0"}, **RIVERSIDE
    ),
    "governance:audit": reads(OVERSIGHT, **RIVERSIDE),
    "governance:trends": reads(OVERSIGHT, **RIVERSIDE),
    "governance:supervision": reads(LEADERS, **RIVERSIDE),
    "governance:supervision_staff": form(
        LEADERS, query="member=priya&name=Priya+Shah", **RIVERSIDE
    ),
    # the organisation's staff directory: team leaders and registered managers (a member
    # of staff of Sam's circle; an empty form answers 400 with its errors)
    "governance:staff_directory": reads(LEADERS, **RIVERSIDE),
    "governance:staff_directory_member": form(LEADERS, entry_pk="{priya}", **RIVERSIDE),
    # the person's pages and documents: every role that sees them
    "web:person": reads(**SAM),
    "web:voice": reads(**SAM),
    "web:meetings": reads(**SAM),
    "web:meeting": reads(**SAM, meeting_id="m1"),
    "web:risk": reads(**SAM),
    "web:trial_chart": reads(**SAM, trial_id="gt1"),
    "web:arrangements": reads(**SAM),
    "web:capacity": reads(**SAM),
    "web:findings": reads(**SAM),
    "web:history": reads(**SAM),
    "web:record_history": reads(**SAM, kind="voice", external_id="v1"),
    "web:record_history_by_id": reads(**SAM, record_id="{voice:v1}"),
    "reports:person_evidence": reads(**SAM),
    "reports:person_evidence_pdf": reads(**SAM),
    "reports:person_evidence_fhir": reads(**SAM),
    "reports:easy_read": reads(**SAM),
    "reports:easy_read_pdf": reads(**SAM),
    # the everyday records: support workers, team leaders, registered managers
    "web:communication": form(RECORDERS, **SAM),
    "web:voice_add": form(RECORDERS, **SAM),
    "web:voice_edit": form(RECORDERS, **SAM, record_id="v1"),
    "web:meeting_add": form(RECORDERS, **SAM),
    "web:meeting_edit": form(RECORDERS, **SAM, meeting_id="m1"),
    "web:balance": case(NO_METHOD, roles(RECORDERS), **SAM),
    # a form's draft, kept while typing: whoever may change Sam's records (no form named:
    # the request's error, 400)
    "web:form_draft": case(NO_METHOD, roles(RECORDERS, refused=404), **SAM),
    "web:risk_assessment_add": form(RECORDERS, **SAM),
    "web:risk_assessment_edit": form(RECORDERS, **SAM, risk_id="ra1"),
    "web:session_add": form(RECORDERS, **SAM, trial_id="gt1"),
    "web:graded_trial_add": form(RECORDERS, **SAM),
    "web:incident_add": form(RECORDERS, **SAM),
    "web:event_add": form(RECORDERS, **SAM),
    "web:task_action": [
        *form(RECORDERS, **SAM, task_id="t-meds", action="review"),
        *form(LEADERS, **SAM, task_id="t-meds", action="end"),
        *form(LEADERS, **SAM, task_id="t-meds", action="handover"),
    ],
    # the records that decide, authorise or change who decides: team leader and above
    "web:capacity_assessment_add": form(LEADERS, **SAM),
    "web:best_interests_add": form(LEADERS, **SAM),
    "web:consent_add": form(LEADERS, **SAM),
    "web:consent_withdraw": form(LEADERS, **SAM, consent_id="c-share"),
    "web:authority_add": form(LEADERS, **SAM),
    "web:member_add": form(LEADERS, **SAM),
    "web:training": form(LEADERS, **SAM),
    "web:role_edit": form(LEADERS, **SAM, area="medication"),
    # entered in error: team leader and above; an authority or a consent, a registered
    # manager
    "web:task_add": form(LEADERS, **SAM),
    "web:role_add": form(LEADERS, **SAM),
    "web:plan_version": form(LEADERS, **SAM),
    "web:emotional_support": form(LEADERS, **SAM),
    "web:medicine_add": form(LEADERS, **SAM),
    "web:medication_audit_add": form(LEADERS, **SAM),
    # the kinds of format version 2: who may record each is the access table's
    # (KIND_ACTIONS: a concern and a goal are everyday records, a carer's plan and a
    # restriction decide or authorise)
    "web:concern_add": form(RECORDERS, **SAM),
    "web:goal_add": form(RECORDERS, **SAM),
    "web:carer_plan_add": form(LEADERS, **SAM),
    "web:restriction_add": form(LEADERS, **SAM),
    "web:stage_add": form(RECORDERS, **SAM, trial_id="gt1"),
    "web:record_change": form(LEADERS, **SAM, record_id="{consent:c-share}"),
    # who has seen a person's records, and everything held about them: registered
    # managers only (anyone else is not told the page exists)
    "web:access_log": case(roles(MANAGER, 404), NO_METHOD, **SAM),
    "dataprotection:subject_access": case(roles(MANAGER, 404), NO_METHOD, **SAM),
    "dataprotection:subject_access_json": case(roles(MANAGER, 404), NO_METHOD, **SAM),
    "dataprotection:subject_access_pdf": case(roles(MANAGER, 404), NO_METHOD, **SAM),
    # the family and person portal (docs/portal.md): only its own accounts, each in scope
    "portal:home": case(portal_only(*BOTH), NO_METHOD),
    "portal:person": case(portal_only(*BOTH), NO_METHOD, **SAM),
    "portal:area": [
        *case(portal_only(*BOTH), NO_METHOD, **SAM, area="mobility_outdoors"),
        # not in Sam's consent to share with his mother
        *case(portal_only(PERSON), NO_METHOD, **SAM, area="medication"),
    ],
    "portal:say": case(portal_only(PERSON), portal_only(PERSON), **SAM),
    "portal:who_sees": case(portal_only(PERSON), NO_METHOD, **SAM),
    "portal:family_view": case(portal_only(FAMILY), portal_only(FAMILY), **SAM),
    "portal:concern": case(portal_only(FAMILY), portal_only(FAMILY), **SAM),
    "web:emar_upload": form(LEADERS, **SAM),
    "portal:concerns": case(portal_only(FAMILY), NO_METHOD, **SAM),
    "portal:concern_progress": [
        *case(portal_only(FAMILY), NO_METHOD, **SAM, record_id="{concern:grace}"),
        # a concern Grace did not raise: refused to her too
        *case(portal_only(), NO_METHOD, **SAM, record_id="{concern:sam}"),
    ],
    # the staff's pages about portal logins
    "portal_staff:accounts": form(LEADERS, **SAM),
    "portal_staff:suspend": case(NO_METHOD, roles(LEADERS), **SAM, account_pk="{grace_account}"),
    "portal_staff:reinstate": case(NO_METHOD, roles(LEADERS), **SAM, account_pk="{grace_account}"),
    "portal_staff:draft": form(RECORDERS, **SAM, draft_pk="{draft}"),
    "web:record_correct": [
        *form(LEADERS, **SAM, record_id="{voice:v1}"),
        *form(MANAGER, **SAM, record_id="{consent:c-share}"),
    ],
    "web:inner_correct": form(
        LEADERS, **SAM, record_id="{graded_trial:gt1}", attr="sessions", index=0
    ),
}

# (name, role, service it is held in, active): the viewers besides anonymous.
VIEWERS: dict[str, tuple[str | None, str | None, bool]] = {
    "support worker here": (SW, "riverside", True),
    "team leader here": (TL, "riverside", True),
    "registered manager here": (RM, "riverside", True),
    "quality lead here": (QL, "riverside", True),
    "support worker of another service": (SW, "oakfield", True),
    "team leader of another service": (TL, "oakfield", True),
    "registered manager of another service": (RM, "oakfield", True),
    "quality lead of another service": (QL, "oakfield", True),
    "registered manager of another organisation": (RM, "elsewhere", True),
    "no role": (None, None, True),
    "deactivated team leader here": (TL, "riverside", False),
}
ORGANISATION_WIDE = frozenset({RM, QL})
# The portal's viewers: Sam's mother, and Sam, each with a portal login linked to Sam.
PORTAL_VIEWERS: dict[str, str] = {FAMILY: "grace", PERSON: "sam"}
# The pages open to a portal account besides its portal (kinwise.portal.middleware).
OPEN_TO_PORTAL = frozenset(
    {
        "login",
        "logout",
        "password_reset",
        "password_reset_done",
        "password_reset_confirm",
        "welcome",
        "password_reset_complete",
        "web:nhsuk_assets",
        "accounts:code",
        "accounts:enrol",
        "accounts:security",
        "accounts:confirm",
        "accounts:stay",
    }
)


def role_towards_riverside(name: str) -> str | None:
    """The role a viewer holds towards Riverside and its people (None: they may not see
    them): their role there, or an organisation-wide role in a service of Acme."""
    role, service, _ = VIEWERS[name]
    if service == "riverside" or (service == "oakfield" and role in ORGANISATION_WIDE):
        return role
    return None


@dataclass
class World:
    values: dict[str, str]
    users: dict[str, AbstractBaseUser | None] = field(default_factory=dict)


@pytest.fixture
def matrix_world(db: Any, fast_passwords: None) -> World:
    world = make_world()
    people = make_people(world)
    services = world["services"]
    sam = people["sam"]
    users: dict[str, AbstractBaseUser | None] = {}
    for index, (name, (role, service, active)) in enumerate(VIEWERS.items()):
        if role is None or service is None:
            user = get_user_model().objects.create_user(username=f"viewer-{index}")
        else:
            user = staff_user_ensure(
                username=f"viewer-{index}",
                password=PASSWORD,
                service=services[service],
                role=StaffRole(role),
            )
        if not active:
            user.is_active = False
            user.save(update_fields=["is_active"])
        users[name] = user
    users["anonymous"] = None
    concern_ids: dict[str, str] = {}
    for name, member in PORTAL_VIEWERS.items():
        portal_demo_ensure(person=sam, member_id=member, username=member, password=PASSWORD)
        users[name] = get_user_model().objects.get(username=member)
    sam_link = PortalLink.objects.get(person=sam, member_id="sam")
    draft = voice_draft_add(link=sam_link, text="I like Saturdays.", area="", helped_by=[])
    for member in ("grace", "sam"):
        saved = record_save(
            person=sam,
            kind="concern",
            record={
                "kind": "concern",
                "raised_by": member,
                "date": "2026-03-01",
                "area": "health_treatment",
            },
            actor=None,
        )
        concern_row = record_current(person=sam, kind="concern", key=saved.key)
        assert concern_row is not None
        concern_ids[f"concern:{member}"] = str(concern_row.pk)
    report = ReportFile.objects.create(
        kind="service_report",
        service=services["riverside"],
        period_start="2026-01-01",
        period_end="2026-06-30",
        state=FileState.DONE,
        content=b"%PDF-1.4",
        filename="report.pdf",
    )
    values = {
        **concern_ids,
        "sam": str(sam.pk),
        "riverside": str(services["riverside"].pk),
        "staff": str(world["users"]["leader"].pk),
        "file": str(report.pk),
        "token": str(_a_token(world)),
        "grace_account": str(PortalLink.objects.get(person=sam, member_id="grace").account_id),
        "draft": str(draft.pk),
        "priya": str(
            StaffMember.objects.get(
                organisation_id=services["riverside"].organisation_id, external_id="priya"
            ).pk
        ),
    }
    for kind, key in (("voice", "v1"), ("consent", "c-share"), ("graded_trial", "gt1")):
        row = Record.objects.filter(person=sam, kind=kind, key=key).order_by("-pk").first()
        assert row is not None
        values[f"{kind}:{key}"] = str(row.pk)
    return World(values, users)


def _filled(params: dict[str, Any], values: dict[str, str]) -> dict[str, Any]:
    return {
        k: values[v[1:-1]] if isinstance(v, str) and v.startswith("{") else v
        for k, v in params.items()
    }


def _url(route: str, one: Case, values: dict[str, str]) -> str:
    url = reverse(route, kwargs=_filled(one.params, values))
    return f"{url}?{one.query}" if one.query else url


def expected(rule: Rule, viewer: str, route: str = "") -> str:
    """ "allowed", "403", "404", "405" or "sign in"."""
    if viewer in PORTAL_VIEWERS:
        return _expected_for_portal(rule, viewer, route)
    signed_in = viewer != "anonymous" and VIEWERS[viewer][2]
    if rule.kind == "public":
        return "allowed"
    if rule.kind == "portal":
        return "404" if signed_in else "sign in"
    if rule.kind == "method":
        return "405"
    deactivated = viewer != "anonymous" and not VIEWERS[viewer][2]
    if rule.kind in ("token", "absent") and deactivated:
        return "sign in"  # the session of a deactivated login is ended first, anywhere
    if rule.kind == "token":
        return "401"
    if rule.kind == "absent":
        return "404 not logged"
    if not signed_in:
        return "sign in"
    if rule.kind == "signed_in":
        return "allowed"
    role = VIEWERS[viewer][0] if rule.own else role_towards_riverside(viewer)
    if role is None:
        return "404"
    return "allowed" if role in rule.roles else str(rule.refused)


def _expected_for_portal(rule: Rule, viewer: str, route: str) -> str:
    """A portal account: its own portal in scope, and the pages open to it; every other
    page is 404 (a staff page refuses it before its method is looked at)."""
    if rule.kind == "public":
        return "allowed"
    if rule.kind == "portal":
        return "allowed" if viewer in rule.portal else "404"
    if route.startswith("api:"):
        # the API takes no session, a portal login's neither: it answers as to anyone
        return {"token": "401", "absent": "404 not logged", "method": "405"}[rule.kind]
    if route.startswith("portal:"):
        return "405" if rule.kind == "method" else "404"
    if route in OPEN_TO_PORTAL:
        return "405" if rule.kind == "method" else "allowed"
    if route == "web:people":
        # the site's address: a redirect to their portal to read, refused to write
        return "404" if rule.kind == "method" else "allowed"
    return "404"


def outcome(response: Any, refusals: list[str], user: AbstractBaseUser | None) -> str:
    status = response.status_code
    if status == 302 and response["Location"].startswith(reverse("login")):
        return "sign in"
    if status in (403, 404):
        logged = user is not None and any(re.search(rf"\buser pk={user.pk}\b", r) for r in refusals)
        return str(status) if logged else f"{status} not logged"
    if status == 405:
        return "405"
    if status == 401 and response.has_header("WWW-Authenticate"):
        return "401"  # the API: a bearer token is needed
    if status < 500 and not refusals:
        return "allowed"
    return f"{status} {refusals}"


def _a_token(world: dict[str, Any]) -> int:
    from kinwise.governance.token_services import token_create

    riverside = world["services"]["riverside"]
    made = token_create(
        user=world["users"]["manager"], read_only=True, service_pks=[riverside.pk], actor=None
    )
    return made.token.pk


def _api_cases() -> dict[str, list[Case]]:
    """Every route of the API: 401 without a token (a session is not one), 405 for a
    method its address does not take; the document itself is public."""
    from kinwise.api.urls import api

    document = api.get_openapi_schema(path_prefix="/api/v1/")
    cases: dict[str, list[Case]] = {
        "api:openapi-json": case(PUBLIC, PUBLIC),
        "api:api-root": case(ABSENT, ABSENT),
    }
    values = {"service_id": "{riverside}", "person_id": "{sam}", "record_id": "{voice:v1}"}
    for pattern in api.urls[0]:
        route = str(pattern.pattern)
        if pattern.name in ("openapi-json", "api-root"):
            continue
        methods = document["paths"]["/api/v1/" + re.sub(r"<(\w+)>", r"{\1}", route)]
        params = {k: values[k] for k in re.findall(r"<(\w+)>", route)}
        cases[f"api:{pattern.name}"] = case(
            TOKEN if "get" in methods else NO_METHOD,
            TOKEN if "post" in methods else NO_METHOD,
            **params,
        )
    return cases


MATRIX.update(_api_cases())


def test_every_route_is_in_the_matrix() -> None:
    routes = set(_route_names(get_resolver()))
    assert sorted(routes - set(MATRIX)) == []
    assert sorted(set(MATRIX) - routes) == []


def _ask(
    client: Client,
    method: str,
    url: str,
    data: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
) -> tuple[Any, list[str]]:
    """One request, rolled back, with the refusals it logged; the client's cookies are
    kept as they were (a sign-out or a new session does not carry over)."""
    cookies = SimpleCookie()
    cookies.load(client.cookies.output(header="", sep=";"))
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="kinwise.access"), transaction.atomic():
        response = client.get(url) if method == "GET" else client.post(url, data)
        transaction.set_rollback(True)
    client.cookies = cookies
    return response, [r.getMessage() for r in caplog.records if r.name == "kinwise.access"]


def _client(user: AbstractBaseUser | None) -> Client:
    if user is None:
        return Client()
    if not user.is_active:
        client = Client()
        client.force_login(user)
        return client
    return client_for(user)


@pytest.mark.parametrize("viewer", [*VIEWERS, *PORTAL_VIEWERS, "anonymous"])
def test_every_route_answers_as_the_matrix_says(
    matrix_world: World, viewer: str, caplog: pytest.LogCaptureFixture
) -> None:
    user = matrix_world.users[viewer]
    client = _client(user)
    wrong: list[tuple[str, str, str, str, str]] = []
    for route, cases in sorted(MATRIX.items()):
        for one in cases:
            url = _url(route, one, matrix_world.values)
            data = _filled(one.data, matrix_world.values)
            for method, rule in (("GET", one.get), ("POST", one.post)):
                want = expected(rule, viewer, route)
                response, refusals = _ask(client, method, url, data, caplog)
                got = outcome(response, refusals, user)
                if want == "405" and got == "sign in":
                    got = "405"  # a route that asks for a sign-in before its method
                if rule.kind == "public" and got == "sign in":
                    got = "allowed"  # signing out, and pages that lead to signing in
                if got != want:
                    wrong.append((route, method, url, want, got))
    # every wrong answer at once, one a line
    assert wrong == [], "\n".join(map(str, wrong))


def refusal_line(user: int, action: str, person: int) -> str:
    return f"action refused: user pk={user} asked to {action} for person pk={person}"


@pytest.mark.parametrize(
    ("route", "params", "data", "action"),
    [
        (
            "web:authority_add",
            {},
            {"id": "poa1", "kind": "lpa_health_welfare", "holder": "grace", "registered": ""},
            "record_authority",
        ),
        (
            "web:consent_withdraw",
            {"consent_id": "c-share"},
            {"on": "2026-02-01"},
            "withdraw_consent",
        ),
    ],
)
def test_a_support_workers_post_recording_an_authority_or_withdrawing_a_consent_is_refused_and_logged(
    matrix_world: World,
    caplog: pytest.LogCaptureFixture,
    route: str,
    params: dict[str, str],
    data: dict[str, str],
    action: str,
) -> None:
    worker = matrix_world.users["support worker here"]
    assert worker is not None
    sam = matrix_world.values["sam"]
    before = list(Record.objects.filter(person_id=sam).values_list("pk", "version"))
    url = reverse(route, kwargs={"person_pk": sam, **params})
    with caplog.at_level(logging.WARNING, logger="kinwise.access"):
        response = client_for(worker).post(url, data)
    assert response.status_code == 403
    page = response.content.decode()
    assert "Only a team leader or a registered manager can" in page
    assert [r.getMessage() for r in caplog.records if r.name == "kinwise.access"] == [
        refusal_line(worker.pk, action, int(sam))
    ]
    assert list(Record.objects.filter(person_id=sam).values_list("pk", "version")) == before
