"""Reads for governance: the service's worklist, supervision, audit trends.

Every read loads in bulk — the case files through
:func:`kinwise.records.selectors.casefiles_for_service` and each governance table once —
so a page's query count does not grow with the number of people or records. Every
judgement takes ``as_of``: records, runs and supervision records dated after it do not
exist yet, so the same read on a past date shows the service as it stood that day.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q

from kinwise.access import ORGANISATION_WIDE_ROLES, WORK_OWNER_ROLES
from kinwise.audits.overview import PersonOverview
from kinwise.audits.selectors import data_stamps
from kinwise.audits.services import Digest, audit_snapshots_refresh
from kinwise.casefile.schema import CaseFile
from kinwise.clock import end_of_day
from kinwise.core.models import Service, StaffMembership, StaffRole
from kinwise.governance.models import AuditRun, SupervisionAction, SupervisionRecord, WorkItem
from kinwise.governance.supervision import (
    STANDING_PROMPTS,
    Prompt,
    StaffRef,
    StandingPrompt,
    data_prompts,
    prompts_by_staff,
    staff_members,
)
from kinwise.readings.reviews import ReviewDue
from kinwise.readings.work import KIND_LABELS, work_items_and_suggestions
from kinwise.records.models import Person, Record
from kinwise.records.selectors import (
    casefiles_for_people,
    casefiles_for_service,
    casefiles_recorded_for_service,
    person_for_export,
)
from kinwise.rules.audit import PersonAudit, audit_casefile, default_since
from kinwise.rules.catalogue import RULES, RULES_BY_ID


def service_owners(*, service: Service) -> list[AbstractBaseUser]:
    """Who may own a work item of the service (``WORK_OWNER_ROLES``: its staff of every
    role, and the organisation-wide managers of its organisation); by name (one query).
    Deactivated logins are left out."""
    from django.contrib.auth import get_user_model

    own = Q(memberships__service=service, memberships__role__in=WORK_OWNER_ROLES)
    wide = Q(
        memberships__service__organisation_id=service.organisation_id,
        memberships__role__in=WORK_OWNER_ROLES & ORGANISATION_WIDE_ROLES,
    )
    users = get_user_model().objects.filter(own | wide, is_active=True).distinct()
    return sorted(users, key=lambda u: (user_label(u).casefold(), u.pk))


def user_label(user: AbstractBaseUser) -> str:
    full = getattr(user, "get_full_name", lambda: "")()
    return str(full or user.get_username())


def owner_of(
    *,
    member: str | None,
    name: str | None,
    basis: str,
    given_to: AbstractBaseUser | None,
    leader: AbstractBaseUser | None,
) -> tuple[str, str, str]:
    """Who owns a work item, as ``(owner key, label, basis)``: the login it was given to;
    else the staff member the records name (``member``); else the service's team leader."""
    if given_to is not None:
        return f"user:{given_to.pk}", user_label(given_to), "reassigned"
    if member is not None:
        # one owner per member of staff (the staff directory's member id)
        return f"member:{member}", name or member, basis
    if leader is not None:
        return f"user:{leader.pk}", user_label(leader), "team_leader"
    return "none", "No team leader named", "team_leader"


def owns(*, user: AbstractBaseUser, owner_key: str) -> bool:
    """Whether ``owner_key`` (:func:`owner_of`) is ``user``'s: a login by its pk, a staff
    member of the records by the login whose user name is the member's id (Kinwise links
    circle members to logins in no other way yet). The caller checks that the user may
    own the service's work (:func:`kinwise.access.may_own_work`)."""
    kind, _, rest = owner_key.partition(":")
    if kind == "user":
        return rest == str(user.pk)
    if kind == "member":
        return rest == user.get_username()
    return False


# --- the worklist ----------------------------------------------------------------------


@dataclass(frozen=True)
class WorkRow:
    """One item of the service's worklist, ready to show."""

    key: str
    kind: str
    kind_label: str
    person_pk: int | None
    person_name: str
    title: str
    resolves: str
    subject: str
    section: str
    opened: dt.date
    due: dt.date
    state: str
    days_overdue: int
    owner_key: str
    owner_label: str
    owner_basis: str
    resolution: str | None
    resolution_date: dt.date | None
    late: bool
    note: str
    supervision_record_pk: int | None = None


@dataclass(frozen=True)
class SuggestionRow:
    """A suggestion of the records (a carer's plan), ready to show: never due or overdue."""

    key: str
    person_pk: int
    person_name: str
    text: str
    owner_key: str
    owner_label: str


@dataclass
class OwnerGroup:
    key: str
    label: str
    overdue: list[WorkRow] = field(default_factory=list)
    open: list[WorkRow] = field(default_factory=list)


@dataclass(frozen=True)
class ServiceWorklist:
    as_of: dt.date
    rows: tuple[WorkRow, ...]
    suggestions: tuple[SuggestionRow, ...] = ()
    """What the records suggest doing that no rule requires, by person then key."""

    @property
    def overdue(self) -> list[WorkRow]:
        """Most overdue first."""
        return sorted((r for r in self.rows if r.state == "overdue"), key=lambda r: (r.due, r.key))

    @property
    def open(self) -> list[WorkRow]:
        return [r for r in self.rows if r.state == "open"]

    @property
    def closed(self) -> list[WorkRow]:
        """Most recently closed first."""
        return sorted(
            (r for r in self.rows if r.state == "closed"),
            key=lambda r: (r.resolution_date or r.due, r.key),
            reverse=True,
        )

    def by_owner(self) -> list[OwnerGroup]:
        """Open and overdue items per owner, owners with most overdue first."""
        groups: dict[str, OwnerGroup] = {}
        for row in self.rows:
            if row.state == "closed":
                continue
            group = groups.setdefault(row.owner_key, OwnerGroup(row.owner_key, row.owner_label))
            (group.overdue if row.state == "overdue" else group.open).append(row)
        return sorted(groups.values(), key=lambda g: (-len(g.overdue), g.label, g.key))


def team_leader(*, service: Service) -> AbstractBaseUser | None:
    """The service's team leader (the first by user name when it has several)."""
    membership = (
        StaffMembership.objects.filter(service=service, role=StaffRole.TEAM_LEADER)
        .select_related("user")
        .order_by("user__username", "user_id")
        .first()
    )
    return membership.user if membership is not None else None


def supported_casefiles(*, service: Service, as_of: dt.date) -> dict[int, CaseFile]:
    """:func:`casefiles_for_service` less the people whose support had ended by ``as_of``
    (kinwise.records.services.support): one more query."""
    casefiles = casefiles_for_service(service=service)
    ended = set(
        Person.objects.filter(
            service_id=service.pk, superseded_at__isnull=True, support_ended__lte=as_of
        ).values_list("pk", flat=True)
    )
    return {pk: cf for pk, cf in casefiles.items() if pk not in ended}


def service_worklist(*, service: Service, as_of: dt.date) -> ServiceWorklist:
    """Every work item of the service at ``as_of``: the review triggers of the records of
    each person supported that day, and the actions agreed in supervision. A fixed number
    of queries."""
    casefiles = supported_casefiles(service=service, as_of=as_of)
    leader = team_leader(service=service)
    kept = {
        (w.person_id, w.key): w
        for w in WorkItem.objects.filter(person_id__in=list(casefiles)).select_related("owner")
    }
    rows: list[WorkRow] = []
    suggestions: list[SuggestionRow] = []
    for person_pk, casefile in casefiles.items():
        items, suggested = work_items_and_suggestions(casefile, as_of=as_of)
        for suggestion in suggested:
            owner_key, owner_label, _basis = owner_of(
                member=suggestion.owner.member,
                name=suggestion.owner.name,
                basis=suggestion.owner.basis,
                given_to=None,
                leader=leader,
            )
            suggestions.append(
                SuggestionRow(
                    key=suggestion.key,
                    person_pk=person_pk,
                    person_name=suggestion.person_name,
                    text=suggestion.text,
                    owner_key=owner_key,
                    owner_label=owner_label,
                )
            )
        for item in items:
            stored = kept.get((person_pk, item.key))
            owner_key, owner_label, basis = owner_of(
                member=item.owner.member,
                name=item.owner.name,
                basis=item.owner.basis,
                given_to=stored.owner if stored is not None else None,
                leader=leader,
            )
            rows.append(
                WorkRow(
                    key=item.key,
                    kind=item.kind,
                    kind_label=KIND_LABELS[item.kind],
                    person_pk=person_pk,
                    person_name=item.person_name,
                    title=item.title,
                    resolves=item.resolves,
                    subject=item.subject,
                    section=item.section,
                    opened=item.opened,
                    due=item.due,
                    state=item.state,
                    days_overdue=item.days_overdue(as_of),
                    owner_key=owner_key,
                    owner_label=owner_label,
                    owner_basis=basis,
                    resolution=item.resolution.record if item.resolution else None,
                    resolution_date=item.resolution.date if item.resolution else None,
                    late=item.late,
                    note=stored.note if stored is not None else "",
                )
            )
    rows += _action_rows(service=service, as_of=as_of)
    return ServiceWorklist(
        as_of=as_of,
        rows=tuple(sorted(rows, key=lambda r: (r.due, r.key))),
        suggestions=tuple(sorted(suggestions, key=lambda s: (s.person_name, s.person_pk, s.key))),
    )


def my_work(*, service: Service, user: AbstractBaseUser, as_of: dt.date) -> ServiceWorklist:
    """The items of the service's worklist at ``as_of`` that ``user`` owns (:func:`owns`),
    open, overdue and closed: "my work"."""
    work = service_worklist(service=service, as_of=as_of)
    return ServiceWorklist(
        as_of=as_of,
        rows=tuple(r for r in work.rows if owns(user=user, owner_key=r.owner_key)),
        suggestions=tuple(s for s in work.suggestions if owns(user=user, owner_key=s.owner_key)),
    )


@dataclass(frozen=True)
class MyReview:
    """One of the dashboard's reviews coming due that the viewer owns."""

    person_pk: int
    person_name: str
    review: ReviewDue


def my_reviews_due(
    *, service: Service, user: AbstractBaseUser, people: Sequence[PersonOverview]
) -> list[MyReview]:
    """The reviews coming due on the service's dashboard (``people``, from
    :func:`kinwise.audits.overview.people_overview`) that ``user`` owns, earliest first:
    the same items and owners as the worklist, in two queries."""
    given = {
        (w.person_id, w.key): w.owner
        for w in WorkItem.objects.filter(
            person_id__in=[p.pk for p in people], owner__isnull=False
        ).select_related("owner")
    }
    leader = team_leader(service=service)
    mine = []
    for person in people:
        for review in person.reviews:
            owner_key, _label, _basis = owner_of(
                member=review.owner_member,
                name=review.owner_name,
                basis="",
                given_to=given.get((person.pk, review.key)),
                leader=leader,
            )
            if owns(user=user, owner_key=owner_key):
                mine.append(MyReview(person.pk, person.name, review))
    mine.sort(key=lambda m: (m.review.due, not m.review.overdue, m.person_name, m.review.key))
    return mine


def _action_rows(*, service: Service, as_of: dt.date) -> list[WorkRow]:
    rows = []
    actions = SupervisionAction.objects.filter(
        record__service=service, record__date__lte=as_of
    ).select_related("record", "resolved_by")
    for action in actions:
        record = action.record
        resolved = action.resolved_by if action.resolved_by is not None else None
        if resolved is not None and resolved.date > as_of:
            resolved = None
        state = "closed" if resolved else ("overdue" if as_of > action.due else "open")
        rows.append(
            WorkRow(
                key=f"supervision_action:{action.pk}",
                kind="supervision_action",
                kind_label=KIND_LABELS["supervision_action"],
                person_pk=None,
                person_name="",
                title=f"{record.staff_name}: {action.text}",
                resolves=(
                    "A follow-up supervision record with "
                    f"{record.staff_name} that records what came of this action"
                ),
                subject=f"supervision_action:{action.pk}",
                section="supervision",
                opened=record.date,
                due=action.due,
                state=state,
                days_overdue=(as_of - action.due).days if state == "overdue" else 0,
                owner_key=f"member:{record.staff_member}",
                owner_label=record.staff_name,
                owner_basis="supervision",
                resolution=f"supervision:{resolved.pk}" if resolved else None,
                resolution_date=resolved.date if resolved else None,
                late=bool(resolved and resolved.date > action.due),
                note=(action.outcome or "") if resolved else "",
                supervision_record_pk=record.pk,
            )
        )
    return rows


# --- supervision -------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenAction:
    pk: int
    text: str
    due: dt.date
    agreed_on: dt.date
    overdue: bool


@dataclass(frozen=True)
class SupervisionView:
    staff: StaffRef
    since: dt.date
    as_of: dt.date
    prompts: tuple[Prompt, ...]
    standing: tuple[StandingPrompt, ...]
    person_pks: dict[str, int]
    """Person case-file id -> pk, to link each prompt's evidence."""
    records: tuple[SupervisionRecord, ...]
    open_actions: tuple[OpenAction, ...]


def service_staff(*, casefiles: dict[int, CaseFile]) -> list[StaffRef]:
    return staff_members(casefiles.values())


# A member id as case files write them (casefile.md: ids), at most 200 characters.
_MEMBER_ID = re.compile(r"[A-Za-z0-9._-]{1,200}")


def staff_casefiles(*, service: Service, member: str) -> dict[int, CaseFile]:
    """The case files of the service's current people whose circle names the member of
    staff ``member`` (the staff directory's member id): the only files their prompts can
    come from. Two queries and one bulk read, whatever the size of the service. A
    ``member`` that is not a case-file id (typed into the address) names nobody."""
    if not _MEMBER_ID.fullmatch(member):
        return {}
    pks = set(
        Record.objects.filter(
            person__service_id=service.pk,
            person__superseded_at__isnull=True,
            kind="member",
            key=member,
            superseded_at__isnull=True,
            data__kind="staff",
        ).values_list("person_id", flat=True)
    )
    return casefiles_for_people(person_pks=pks) if pks else {}


def supervision_view(
    *,
    service: Service,
    staff: StaffRef,
    since: dt.date,
    as_of: dt.date,
    casefiles: dict[int, CaseFile] | None = None,
) -> SupervisionView:
    """The prompts for one staff member over ``since``..``as_of``, their supervision
    records up to ``as_of`` and the actions still open at ``as_of``."""
    files = casefiles if casefiles is not None else casefiles_for_service(service=service)
    prompts = data_prompts(files.values(), staff=staff, since=since, as_of=as_of)
    records = list(
        SupervisionRecord.objects.filter(
            service=service,
            staff_member=staff.member,
            date__lte=as_of,
        )
        .select_related("supervisor")
        .order_by("-date", "-id")
    )
    actions = SupervisionAction.objects.filter(record__in=[r.pk for r in records]).select_related(
        "resolved_by", "record"
    )
    open_actions = [
        OpenAction(a.pk, a.text, a.due, a.record.date, as_of > a.due)
        for a in actions
        if a.resolved_by is None or a.resolved_by.date > as_of
    ]
    return SupervisionView(
        staff=staff,
        since=since,
        as_of=as_of,
        prompts=tuple(prompts),
        standing=STANDING_PROMPTS,
        person_pks={cf.person.id: pk for pk, cf in files.items()},
        records=tuple(records),
        open_actions=tuple(sorted(open_actions, key=lambda a: (a.due, a.pk))),
    )


@dataclass(frozen=True)
class StaffSummary:
    ref: StaffRef
    prompts: int
    open_actions: int
    last: dt.date | None


def _supervision_digest(casefile: CaseFile, as_of: dt.date) -> dict[str, Any]:
    """A person's members of staff and how many data prompts each has over the year to
    ``as_of`` (the supervision list's default period), stored beside the person's audit."""
    prompts = prompts_by_staff([casefile], since=default_since(as_of), as_of=as_of)
    return {
        "staff": [[m.id, m.name] for m in casefile.circle if m.kind == "staff"],
        "prompts": {member: len(found) for member, found in prompts.items()},
    }


# the supervision list's prompt counts, stored beside each person's audit (docs/adr/0003):
# read again only when the person's records (or this code) change
SUPERVISION_PROMPTS = Digest(
    "supervision.prompts",
    _supervision_digest,
    modules=(
        "kinwise.governance.supervision",
        "kinwise.rules.facts",
        "kinwise.rules.base",
        "kinwise.rules.terms",
        "kinwise.rules.catalogue",
        "kinwise.rules.concerns",
        "kinwise.rules.carers",
        "kinwise.rules.outcomes",
    ),
)


def _prompt_counts(
    *, service: Service, since: dt.date, as_of: dt.date, casefiles: dict[int, CaseFile] | None
) -> tuple[list[StaffRef], dict[str, int]]:
    """The members of staff of the service's current people, once each by name, and their
    data prompts counted. For the default period (the year to ``as_of``) and without
    ``casefiles``, read from the stored digests (two queries once fresh, whatever the
    number of people and their history); otherwise computed from the case files."""
    if casefiles is None and since == default_since(as_of):
        people = Person.objects.filter(service_id=service.pk, superseded_at__isnull=True)
        stored = audit_snapshots_refresh(
            stamps=data_stamps(people=people),
            as_of=as_of,
            since=since,
            digest=SUPERVISION_PROMPTS,
        )
        names: dict[str, str] = {}
        counts: Counter[str] = Counter()
        for snapshot in stored.values():
            for member, name in snapshot.extra["staff"]:
                names.setdefault(member, name)
            counts.update(snapshot.extra["prompts"])
        refs = sorted(
            (StaffRef(member, name) for member, name in names.items()),
            key=lambda r: (r.name, r.member),
        )
        return refs, dict(counts)
    files = casefiles if casefiles is not None else casefiles_for_service(service=service)
    prompts = prompts_by_staff(files.values(), since=since, as_of=as_of)
    return (
        staff_members(files.values()),
        {member: len(found) for member, found in prompts.items()},
    )


def supervision_summary(
    *,
    service: Service,
    since: dt.date,
    as_of: dt.date,
    casefiles: dict[int, CaseFile] | None = None,
) -> list[StaffSummary]:
    """Every member of staff of the service's records, once each (the staff directory's
    member id), with their prompt count, open actions and last supervision at ``as_of``.
    A fixed number of queries, whatever the number of people and staff: the prompt
    counts of the default period are stored beside each person's audit
    (:data:`SUPERVISION_PROMPTS`); for another period, or given ``casefiles``, each case
    file's facts are built once (:func:`prompts_by_staff`)."""
    last: dict[str, dt.date] = {}
    for member, date in SupervisionRecord.objects.filter(
        service=service, date__lte=as_of
    ).values_list("staff_member", "date"):
        last[member] = max(date, last.get(member, date))
    open_count: Counter[str] = Counter()
    for staff_member, resolved_date in SupervisionAction.objects.filter(
        record__service=service, record__date__lte=as_of
    ).values_list("record__staff_member", "resolved_by__date"):
        if resolved_date is None or resolved_date > as_of:
            open_count[staff_member] += 1
    refs, prompts = _prompt_counts(service=service, since=since, as_of=as_of, casefiles=casefiles)
    return [
        StaffSummary(
            ref=ref,
            prompts=prompts.get(ref.member, 0),
            open_actions=open_count[ref.member],
            last=last.get(ref.member),
        )
        for ref in refs
    ]


# --- the audit of the service on a day, and its trend from saved runs -------------------


@dataclass(frozen=True)
class PersonAuditRow:
    person_pk: int
    audit: PersonAudit


def recorded_casefiles(*, service: Service, as_of: dt.date) -> dict[int, CaseFile]:
    """The case files of everyone the service supported on ``as_of`` as they were recorded
    at the end of that day, UK time (kinwise.records.selectors.casefiles_recorded): the
    people not recorded yet and those whose support had ended by then, as recorded then,
    left out. Two queries."""
    found = casefiles_recorded_for_service(service=service, at=end_of_day(as_of))
    return {
        pk: casefile for pk, (casefile, ended) in found.items() if ended is None or ended > as_of
    }


def service_audit(
    *, service: Service, as_of: dt.date, as_recorded: bool = False
) -> list[PersonAuditRow]:
    """The audit at ``as_of`` over the default period (the year before) of every person
    supported that day: of the records as they were recorded at the end of ``as_of``
    with ``as_recorded`` (never changed by a later edit), else of today's records less
    anything dated after ``as_of`` (with the corrections made since)."""
    casefiles = (
        recorded_casefiles(service=service, as_of=as_of)
        if as_recorded
        else supported_casefiles(service=service, as_of=as_of)
    )
    return [
        PersonAuditRow(pk, audit_casefile(cf, as_of=as_of, since=default_since(as_of)))
        for pk, cf in casefiles.items()
    ]


Pair = tuple[str, str, str]
"""(person id, rule, subject)."""


@dataclass(frozen=True)
class RunChange:
    person: str
    person_name: str
    rule: str
    rule_title: str
    subject: str
    message: str = ""
    """The finding's message as the run saved it (plain English: the pages show it, never
    the subject)."""


@dataclass(frozen=True)
class Trends:
    as_of: dt.date
    months: tuple[str, ...]
    """``YYYY-MM`` of the months with a saved run, oldest first (at most 12)."""
    runs_by_month: dict[str, AuditRun]
    """The month's latest run (by audit date, then when it was saved)."""
    table: tuple[tuple[str, str, tuple[int, ...]], ...]
    """(rule, title, findings per month) for every rule with a finding in any month."""
    totals: tuple[int, ...]
    latest: AuditRun | None
    previous: AuditRun | None
    new: tuple[RunChange, ...]
    resolved: tuple[RunChange, ...]


def _messages(run: AuditRun) -> dict[Pair, str]:
    """Each finding's message in the run, by (person, rule, subject)."""
    audits: list[dict[str, Any]] = run.findings if isinstance(run.findings, list) else []
    return {
        (audit["person"], finding["rule"], finding["subject"]): str(finding.get("message", ""))
        for audit in audits
        for finding in audit.get("findings", [])
    }


def _pairs(run: AuditRun) -> set[Pair]:
    found: set[Pair] = set()
    audits: list[dict[str, Any]] = run.findings if isinstance(run.findings, list) else []
    for audit in audits:
        for finding in audit.get("findings", []):
            found.add((audit["person"], finding["rule"], finding["subject"]))
    return found


def audit_trends(
    *, service: Service, as_of: dt.date, months: int = 12, as_recorded: bool = True
) -> Trends:
    """Findings by rule per month from the service's saved runs dated on or before
    ``as_of`` (the latest run of each month counts), and what changed between the last
    two runs. Three queries.

    ``as_recorded`` reads only the runs of the records as recorded at the end of their
    day (``kinwise audit --service ID --save --as-recorded``), which later edits never
    change; without, every saved run counts, as each was audited when it was saved."""
    first_month = _month_start(as_of, back=months - 1)
    saved = AuditRun.objects.filter(service=service, person__isnull=True)
    if as_recorded:
        saved = saved.filter(as_recorded=True)
    runs = list(
        saved.filter(as_of__lte=as_of, as_of__gte=first_month).order_by("as_of", "created_at", "id")
    )
    by_month: dict[str, AuditRun] = {}
    for run in runs:
        by_month[run.as_of.strftime("%Y-%m")] = run  # later runs replace earlier ones
    month_keys = tuple(sorted(by_month))
    counts = {m: Counter(rule for _, rule, _ in _pairs(by_month[m])) for m in month_keys}
    rules = [r for r in RULES if any(counts[m][r.id] for m in month_keys)]
    table = tuple((r.id, r.title, tuple(counts[m][r.id] for m in month_keys)) for r in rules)
    totals = tuple(sum(counts[m].values()) for m in month_keys)

    last_two = list(saved.filter(as_of__lte=as_of).order_by("-as_of", "-created_at", "-id")[:2])
    latest = last_two[0] if last_two else None
    previous = last_two[1] if len(last_two) > 1 else None
    new: list[RunChange] = []
    resolved: list[RunChange] = []
    if latest is not None and previous is not None:
        now, before = _pairs(latest), _pairs(previous)
        names = dict(
            Person.objects.filter(
                service=service, external_id__in={p for p, _, _ in now | before}
            ).values_list("external_id", "name")
        )

        messages = {**_messages(previous), **_messages(latest)}

        def change(pair: Pair) -> RunChange:
            person, rule, subject = pair
            title = RULES_BY_ID[rule].title if rule in RULES_BY_ID else rule
            return RunChange(
                person, names.get(person, person), rule, title, subject, messages.get(pair, "")
            )

        new = [change(p) for p in sorted(now - before)]
        resolved = [change(p) for p in sorted(before - now)]
    return Trends(
        as_of=as_of,
        months=month_keys,
        runs_by_month=by_month,
        table=table,
        totals=totals,
        latest=latest,
        previous=previous,
        new=tuple(new),
        resolved=tuple(resolved),
    )


def _month_start(day: dt.date, *, back: int) -> dt.date:
    index = day.year * 12 + (day.month - 1) - back
    return dt.date(index // 12, index % 12 + 1, 1)


def months_of(trends: Trends) -> list[tuple[str, str]]:
    """(YYYY-MM, "March 2026") for the table's columns."""
    out = []
    for key in trends.months:
        year, month = key.split("-")
        out.append((key, dt.date(int(year), int(month), 1).strftime("%B %Y")))
    return out


def people_by_pk(*, service: Service) -> dict[int, Person]:
    return {p.pk: p for p in Person.objects.filter(service=service, superseded_at__isnull=True)}


def group_by_person(rows: list[WorkRow]) -> dict[int | None, list[WorkRow]]:
    grouped: dict[int | None, list[WorkRow]] = defaultdict(list)
    for row in rows:
        grouped[row.person_pk].append(row)
    return grouped


def audit_run_scope(
    *, service: str | None, person: str | None, organisation: str | None = None
) -> tuple[Service | None, Person | None]:
    """The scope an audit run of ``kinwise audit --service/--person`` is saved under: the
    person (and their service) when a person is named, else the one named service."""
    if person is not None:
        found = person_for_export(person=person, service=service, organisation=organisation)
        return found.service, found
    if service is None:
        return None, None
    services = Service.objects.filter(external_id=service)
    if organisation is not None:
        services = services.filter(organisation__slug=organisation)
    matches = list(services[:2])
    if len(matches) != 1:
        return None, None
    return matches[0], None


def demo_being_filled(*, service: Service) -> bool:
    """Whether ``service`` is the demo's synthetic service while the worker is still
    filling it in (docs/adr/0240): no one in it yet, or fewer saved nightly runs as
    recorded than the year it gets. Two queries, for that service only."""
    from kinwise.synth.demo import SYNTH_DEMO_SERVICE
    from kinwise.synth.generate import YEAR_DAYS

    if service.external_id != SYNTH_DEMO_SERVICE[0] or not service.organisation.is_demo:
        return False
    if not Person.objects.filter(service=service, superseded_at__isnull=True).exists():
        return True
    saved = AuditRun.objects.filter(service=service, person__isnull=True, as_recorded=True)
    return saved.count() < YEAR_DAYS
