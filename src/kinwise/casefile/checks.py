"""The cross-record rules of the case file (casefile.md): ids, references and constraints.

These checks read the parsed data as it is, tolerating any shape, so that a file with
structural errors still has every reference and constraint error reported in the same
pass. A value of the wrong type is left to the schema, which reports it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from kinwise.casefile.kinds import RECORD_KINDS
from kinwise.casefile.schema import YamlDate, parse_date_text
from kinwise.casefile.vocab import AREA_CATEGORY, AUTHORITY_CATEGORY, FAMILY_KINDS
from kinwise.errors import FieldError, FieldErrorCode

# What a reference may name. Members are named by their kind; records by their kind.
PERSON = "person"
FAMILY = frozenset({"family", "friend"})
ANY_MEMBER = frozenset({"family", "friend", "staff", "advocate", "professional"})
STAFF_OR_PRO = frozenset({"staff", "professional"})

# How a message names what an id refers to: the person, a member by the member's kind, a
# record by its kind (the registry's words), a trial's stage.
_KIND_WORDS: dict[str, str] = {
    "person": "the person",
    "family": "a family member",
    "friend": "a friend",
    "staff": "a staff member",
    "advocate": "an advocate",
    "professional": "a professional",
    "stage": "a trial stage",
}


def _kind_word(kind: str) -> str:
    spec = RECORD_KINDS.get(kind)
    return spec.referred_as if spec is not None else _KIND_WORDS.get(kind, kind)


_ANY = "any"  # a record whose own kind is invalid: references to it are not judged


def evidence_kinds() -> frozenset[str]:
    """The kinds a meeting's decision may cite as evidence."""
    return frozenset(k.name for k in RECORD_KINDS if k.evidence)


@dataclass
class _Entry:
    kind: str
    path: str
    record: dict[str, Any]


@dataclass
class _Checker:
    data: dict[str, Any]
    errors: list[FieldError] = field(default_factory=list)
    ids: dict[str, _Entry] = field(default_factory=dict)
    authority_holders: set[str] = field(default_factory=set)

    # -- helpers -------------------------------------------------------------------------

    def error(
        self, path: str, message: str, code: FieldErrorCode = FieldErrorCode.CONSTRAINT
    ) -> None:
        self.errors.append(FieldError(path, message, code))

    def items(self, container: Any, key: str, path: str) -> Iterator[tuple[str, dict[str, Any]]]:
        value = container.get(key) if isinstance(container, dict) else None
        if isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, dict):
                    yield f"{path}{key}[{index}]", item

    def register(self, kind: str, path: str, record: dict[str, Any]) -> None:
        ident = record.get("id")
        if not isinstance(ident, str) or not ident:
            return
        earlier = self.ids.get(ident)
        if earlier is not None:
            self.error(
                f"{path}.id",
                f"duplicate id '{ident}': already used at {earlier.path}",
                FieldErrorCode.DUPLICATE,
            )
            return
        self.ids[ident] = _Entry(kind, path, record)

    def kind_of(self, ident: str) -> str | None:
        entry = self.ids.get(ident)
        if entry is None:
            return None
        if entry.kind == "member":
            kind = entry.record.get("kind")
            # a member of an unknown kind is reported by the schema; accept it here
            return kind if kind in ANY_MEMBER else _ANY
        return entry.kind

    def ref(
        self, path: str, value: Any, accept: frozenset[str] | set[str], what: str
    ) -> str | None:
        """Check one reference; return the kind it names when acceptable."""
        if not isinstance(value, str) or not value:
            return None
        kind = self.kind_of(value)
        if kind is None:
            self.error(
                path,
                f"unknown id '{value}': no record in this file has it",
                FieldErrorCode.UNKNOWN_REFERENCE,
            )
            return None
        if kind is not _ANY and kind not in accept:
            self.error(
                path,
                f"'{value}' is {_kind_word(kind)}; this field accepts {what}",
                FieldErrorCode.WRONG_REFERENCE,
            )
            return None
        return kind

    def ref_list(
        self, path: str, values: Any, accept: frozenset[str] | set[str], what: str
    ) -> list[str]:
        good: list[str] = []
        if not isinstance(values, list):
            return good
        seen: set[str] = set()
        for index, value in enumerate(values):
            item_path = f"{path}[{index}]"
            if isinstance(value, str) and value in seen:
                self.error(
                    item_path, f"'{value}' is named twice in this list", FieldErrorCode.DUPLICATE
                )
                continue
            if isinstance(value, str):
                seen.add(value)
            if self.ref(item_path, value, accept, what) is not None:
                good.append(value)
        return good

    def not_before(self, record: dict[str, Any], path: str, later: str, earlier: str) -> None:
        first, second = _date(record.get(earlier)), _date(record.get(later))
        if first is not None and second is not None and second < first:
            self.error(
                f"{path}.{later}",
                f"must not be before {earlier} ({first.isoformat()})",
                FieldErrorCode.ORDER,
            )

    # -- the checks ----------------------------------------------------------------------

    def run(self) -> list[FieldError]:
        self.collect_ids()
        self.check_authorities()
        self.check_assessments()
        self.check_best_interests()
        self.check_consents()
        self.check_plan()
        self.check_voice()
        self.check_meetings()
        self.check_risks_and_trials()
        self.check_incidents()
        self.check_medication()
        if self.data.get("kinwise") == 2 and type(self.data.get("kinwise")) is int:
            self.check_version_two()
        return self.errors

    def collect_ids(self) -> None:
        """Register every id in the order the file gives them, so a duplicate is its later use."""
        data = self.data
        sections = RECORD_KINDS.by_section()
        for key in data:
            if key == "person" and isinstance(data.get("person"), dict):
                self.register(PERSON, "person", data["person"])
            for spec in sections.get(key, ()):
                if not spec.has_id:
                    continue
                for path, record in spec.raw_items(data):
                    if not isinstance(record, dict):
                        continue
                    self.register(spec.name, path, record)
                    if spec.name == "graded_trial":
                        for stage_path, stage in self.items(record, "stages", f"{path}."):
                            self.register("stage", stage_path, stage)
        for _, authority in self.items(data, "legal_authorities", ""):
            holder = authority.get("holder")
            if isinstance(holder, str):
                self.authority_holders.add(holder)

    def check_authorities(self) -> None:
        for path, auth in self.items(self.data, "legal_authorities", ""):
            self.ref(f"{path}.holder", auth.get("holder"), FAMILY, "a family member")
            kind = auth.get("kind")
            category = AUTHORITY_CATEGORY.get(kind) if isinstance(kind, str) else None
            areas = auth.get("areas")
            is_deputy = (
                category is not None and isinstance(kind, str) and kind.startswith("deputy_")
            )
            if is_deputy and areas is None:
                self.error(
                    f"{path}.areas", "required field is missing: a deputyship names its areas"
                )
            if isinstance(areas, list):
                if not areas:
                    self.error(
                        f"{path}.areas",
                        "must not be empty (leave it out for an LPA covering every area of its kind)",
                    )
                for index, area in enumerate(areas):
                    if (
                        category
                        and isinstance(area, str)
                        and AREA_CATEGORY.get(area) not in (None, category)
                    ):
                        self.error(
                            f"{path}.areas[{index}]",
                            f"'{area}' is a {AREA_CATEGORY[area]} area; a {kind} covers {category} areas only",
                        )
            self.not_before(auth, path, "revoked", "registered")

    def check_assessments(self) -> None:
        seen: dict[tuple[str, str], str] = {}
        for path, ca in self.items(self.data, "capacity_assessments", ""):
            self.ref(
                f"{path}.assessor",
                ca.get("assessor"),
                STAFF_OR_PRO,
                "a staff member or a professional",
            )
            flags = [
                ca.get(k) for k in ("impairment", "understand", "retain", "weigh", "communicate")
            ]
            outcome = ca.get("outcome")
            if all(isinstance(f, bool) for f in flags) and outcome in (
                "has_capacity",
                "lacks_capacity",
            ):
                impairment, *abilities = flags
                expected = "lacks_capacity" if impairment and not all(abilities) else "has_capacity"
                if outcome != expected:
                    reason = (
                        "an impairment and at least one functional ability missing mean lacks_capacity"
                        if expected == "lacks_capacity"
                        else "lacks_capacity needs both an impairment and at least one functional ability missing"
                    )
                    self.error(f"{path}.outcome", f"must be {expected}: {reason}")
            area, date = ca.get("area"), _date(ca.get("date"))
            if isinstance(area, str) and date is not None:
                key = (area, date.isoformat())
                if key in seen:
                    self.error(
                        f"{path}.date",
                        f"another assessment for area '{area}' has the same date ({seen[key]})",
                    )
                else:
                    seen[key] = path

    def check_best_interests(self) -> None:
        for path, bi in self.items(self.data, "best_interests", ""):
            self.ref(
                f"{path}.decision_maker",
                bi.get("decision_maker"),
                STAFF_OR_PRO,
                "a staff member or a professional",
            )
            ident = bi.get("capacity_assessment")
            if isinstance(ident, str) and self.ref(
                f"{path}.capacity_assessment",
                ident,
                {"capacity_assessment"},
                "a capacity assessment",
            ):
                other_area = self.ids[ident].record.get("area")
                if isinstance(bi.get("area"), str) and other_area != bi.get("area"):
                    self.error(
                        f"{path}.capacity_assessment",
                        f"assessment '{ident}' is about area '{other_area}', not '{bi.get('area')}'",
                    )
            self.ref_list(
                f"{path}.consulted", bi.get("consulted"), ANY_MEMBER, "circle members only"
            )

    def check_consents(self) -> None:
        for path, consent in self.items(self.data, "consents", ""):
            given_by = consent.get("given_by")
            kind = self.ref(
                f"{path}.given_by",
                given_by,
                FAMILY | {PERSON},
                "the person or a family member holding a legal authority",
            )
            if kind in FAMILY_KINDS and given_by not in self.authority_holders:
                self.error(
                    f"{path}.given_by",
                    f"'{given_by}' holds no legal authority in this file; consent is given by the person or by an attorney or deputy",
                )
            self.ref_list(f"{path}.to", consent.get("to"), FAMILY, "family members only")
            ckind = consent.get("kind")
            for key in ("to", "areas"):
                value = consent.get(key)
                if ckind in ("share_information", "delegate_decision") and (
                    value is None or value == []
                ):
                    self.error(
                        f"{path}.{key}", f"required and must not be empty for a {ckind} consent"
                    )
                if ckind == "care_plan" and isinstance(value, list) and value:
                    self.error(f"{path}.{key}", "must be absent or empty for a care_plan consent")
            self.not_before(consent, path, "withdrawn", "date")

    def check_plan(self) -> None:
        plan = self.data.get("plan")
        if not isinstance(plan, dict):
            return
        areas: dict[str, str] = {}
        for path, role in self.items(plan, "roles", "plan."):
            area = role.get("area")
            if isinstance(area, str):
                if area in areas:
                    self.error(
                        f"{path}.area", f"a role for area '{area}' is already at {areas[area]}"
                    )
                else:
                    areas[area] = path
            self.ref(
                f"{path}.decides",
                role.get("decides"),
                FAMILY | STAFF_OR_PRO | {PERSON},
                "the person, a family member, staff or a professional (an advocate supports but never decides)",
            )
            for key in ("supported_by", "contributes", "informed"):
                self.ref_list(f"{path}.{key}", role.get(key), ANY_MEMBER, "circle members only")
        for path, task in self.items(plan, "tasks", "plan."):
            self.ref(
                f"{path}.holder",
                task.get("holder"),
                FAMILY | STAFF_OR_PRO,
                "a family member, staff or a professional",
            )
            self.not_before(task, path, "ended", "since")
        self.ref_list(
            "plan.emotional_support", plan.get("emotional_support"), FAMILY, "family members only"
        )

    def check_voice(self) -> None:
        for path, voice in self.items(self.data, "voice", ""):
            self.ref(
                f"{path}.captured_by",
                voice.get("captured_by"),
                STAFF_OR_PRO | {"advocate"},
                "staff, an advocate or a professional",
            )
            present = self.ref_list(
                f"{path}.present",
                voice.get("present"),
                ANY_MEMBER | {PERSON},
                "the person or circle members",
            )
            if voice.get("setting") == "separate":
                for index, ident in enumerate(voice.get("present") or []):
                    if ident in present and self.kind_of(ident) in FAMILY_KINDS:
                        self.error(
                            f"{path}.present[{index}]",
                            f"'{ident}' is family; a view gathered separately has no family present",
                        )

    def check_meetings(self) -> None:
        for path, meeting in self.items(self.data, "meetings", ""):
            attendees = set(
                self.ref_list(
                    f"{path}.attendees",
                    meeting.get("attendees"),
                    ANY_MEMBER | {PERSON},
                    "the person or circle members",
                )
            )
            facilitator = meeting.get("facilitator")
            if (
                self.ref(f"{path}.facilitator", facilitator, ANY_MEMBER, "a circle member")
                and facilitator not in attendees
            ):
                self.error(f"{path}.facilitator", f"'{facilitator}' is not among the attendees")
            for cpath, contribution in self.items(meeting, "contributions", f"{path}."):
                by = contribution.get("by")
                if (
                    self.ref(f"{cpath}.by", by, ANY_MEMBER | {PERSON}, "an attendee")
                    and by not in attendees
                ):
                    self.error(f"{cpath}.by", f"'{by}' is not among the attendees")
                behalf = contribution.get("on_behalf_of")
                if (
                    self.ref(f"{cpath}.on_behalf_of", behalf, {PERSON}, "only the person")
                    and by == behalf
                ):
                    self.error(
                        f"{cpath}.on_behalf_of",
                        "the person speaks for themselves: leave on_behalf_of out",
                    )
            decided: dict[str, str] = {}
            for dpath, decision in self.items(meeting, "decisions", f"{path}."):
                area = decision.get("area")
                if isinstance(area, str):
                    if area in decided:
                        self.error(
                            f"{dpath}.area",
                            f"this meeting already has a decision on area '{area}' ({decided[area]})",
                        )
                    else:
                        decided[area] = dpath
                self.ref(
                    f"{dpath}.persons_view",
                    decision.get("persons_view"),
                    {"voice"},
                    "a voice record",
                )
                self.ref_list(
                    f"{dpath}.evidence",
                    decision.get("evidence"),
                    evidence_kinds(),
                    "risk assessments, trials, incidents, events, voice records, capacity assessments, "
                    "best-interests decisions or medication audits",
                )
            reviews = meeting.get("reviews_tasks")
            self.ref_list(f"{path}.reviews_tasks", reviews, {"task"}, "tasks")
            if (
                isinstance(reviews, list)
                and reviews
                and meeting.get("kind") != "partnership_review"
            ):
                self.error(
                    f"{path}.reviews_tasks", "only a partnership_review meeting reviews tasks"
                )

    def check_risks_and_trials(self) -> None:
        for path, risk in self.items(self.data, "risk_assessments", ""):
            self.ref_list(
                f"{path}.participants",
                risk.get("participants"),
                ANY_MEMBER | {PERSON},
                "the person or circle members",
            )
        for path, trial in self.items(self.data, "graded_trials", ""):
            self.ref(
                f"{path}.risk_assessment",
                trial.get("risk_assessment"),
                {"risk_assessment"},
                "a risk assessment",
            )
            stages = {
                stage.get("id")
                for _, stage in self.items(trial, "stages", f"{path}.")
                if isinstance(stage.get("id"), str)
            }
            for spath, session in self.items(trial, "sessions", f"{path}."):
                stage = session.get("stage")
                if isinstance(stage, str) and stage not in stages:
                    if self.kind_of(stage) is None:
                        self.error(
                            f"{spath}.stage",
                            f"unknown id '{stage}': no record in this file has it",
                            FieldErrorCode.UNKNOWN_REFERENCE,
                        )
                    else:
                        self.error(f"{spath}.stage", f"'{stage}' is not a stage of this trial")

    def check_incidents(self) -> None:
        for path, incident in self.items(self.data, "incidents", ""):
            self.ref(f"{path}.trial", incident.get("trial"), {"graded_trial"}, "a graded trial")

    def check_medication(self) -> None:
        medication = self.data.get("medication")
        for path, medicine in self.items(medication, "regimen", "medication."):
            self.not_before(medicine, path, "stopped", "started")
        for path, audit in self.items(medication, "audits", "medication."):
            self.ref(
                f"{path}.auditor",
                audit.get("auditor"),
                STAFF_OR_PRO,
                "a staff member or a professional",
            )
            checked, errors = audit.get("doses_checked"), audit.get("errors")
            if (
                isinstance(checked, int)
                and isinstance(errors, int)
                and not isinstance(checked, bool)
                and not isinstance(errors, bool)
                and errors > checked
            ):
                self.error(f"{path}.errors", f"{errors} is more than the {checked} doses checked")

    # -- format version 2 (docs/spec/casefile-v2.md) -------------------------------------

    def check_version_two(self) -> None:
        self.check_events_carer()
        self.check_family_views()
        self.check_concerns()
        self.check_role_changes()
        self.check_carer_plans()
        self.check_goals()
        self.check_restrictions()

    def not_before_date(self, path: str, value: Any, record: dict[str, Any]) -> None:
        """``value`` (at ``path``) is not before the record's ``date``."""
        first, second = _date(record.get("date")), _date(value)
        if first is not None and second is not None and second < first:
            self.error(path, f"must not be before date ({first.isoformat()})", FieldErrorCode.ORDER)

    def check_events_carer(self) -> None:
        for path, event in self.items(self.data, "events", ""):
            carer, kind = event.get("carer"), event.get("kind")
            if kind == "carer_unwell" and carer is None:
                self.error(
                    f"{path}.carer",
                    "required field is missing: a carer_unwell event names the carer",
                    FieldErrorCode.MISSING,
                )
            elif carer is not None and isinstance(kind, str) and kind != "carer_unwell":
                self.error(f"{path}.carer", "only a carer_unwell event names a carer")
            self.ref(f"{path}.carer", carer, FAMILY, "a family member")

    def check_family_views(self) -> None:
        for path, view in self.items(self.data, "family_views", ""):
            self.ref(f"{path}.author", view.get("author"), FAMILY, "a family member")
            self.ref(f"{path}.meeting", view.get("meeting"), {"meeting"}, "a meeting")
            self.ref(
                f"{path}.risk_assessment",
                view.get("risk_assessment"),
                {"risk_assessment"},
                "a risk assessment",
            )
            if view.get("meeting") is not None and view.get("risk_assessment") is not None:
                self.error(
                    f"{path}.risk_assessment",
                    "a family view is about one meeting or one risk assessment, not both",
                )

    def check_concerns(self) -> None:
        for path, concern in self.items(self.data, "concerns", ""):
            self.ref(
                f"{path}.raised_by",
                concern.get("raised_by"),
                ANY_MEMBER | {PERSON},
                "the person or circle members",
            )
            about = concern.get("about")
            about_kind = self.ref(
                f"{path}.about",
                about,
                {"meeting", "risk_assessment", "task"},
                "a meeting, a risk assessment or a task",
            )
            if concern.get("decision") is True:
                area = concern.get("area")
                if about is None:
                    self.error(
                        f"{path}.about",
                        "required field is missing: a concern about a decision names its meeting",
                        FieldErrorCode.MISSING,
                    )
                elif about_kind == "meeting" and isinstance(area, str):
                    decisions = self.ids[about].record.get("decisions")
                    areas = (
                        {d.get("area") for d in decisions or [] if isinstance(d, dict)}
                        if isinstance(decisions, list)
                        else set()
                    )
                    if area not in areas:
                        self.error(
                            f"{path}.decision",
                            f"meeting '{about}' has no decision on area '{area}'",
                        )
                elif about_kind is not None and about_kind != "meeting":
                    self.error(f"{path}.decision", "only a meeting has decisions")
            response = concern.get("response")
            if isinstance(response, dict):
                self.ref(
                    f"{path}.response.by",
                    response.get("by"),
                    STAFF_OR_PRO,
                    "a staff member or a professional",
                )
                self.not_before_date(f"{path}.response.date", response.get("date"), concern)
            delay = concern.get("delay")
            if isinstance(delay, dict):
                self.not_before_date(f"{path}.delay.date", delay.get("date"), concern)
            for key in ("acknowledged", "imca_referral", "closed"):
                self.not_before_date(f"{path}.{key}", concern.get(key), concern)
            for spath, step in self.items(concern, "stages", f"{path}."):
                self.not_before_date(f"{spath}.date", step.get("date"), concern)

    def check_role_changes(self) -> None:
        for path, change in self.items(self.data, "role_changes", ""):
            if change.get("role") == "decides":
                self.ref(
                    f"{path}.member",
                    change.get("member"),
                    FAMILY | STAFF_OR_PRO | {PERSON},
                    "the person, a family member, staff or a professional (an advocate supports but never decides)",
                )
            else:
                self.ref(
                    f"{path}.member",
                    change.get("member"),
                    ANY_MEMBER | {PERSON},
                    "the person or circle members",
                )
            self.ref(f"{path}.recorded_by", change.get("recorded_by"), {"staff"}, "a staff member")

    def _task_holders(self) -> dict[str, Any]:
        plan = self.data.get("plan")
        holders: dict[str, Any] = {}
        for _, task in self.items(plan, "tasks", "plan."):
            ident = task.get("id")
            if isinstance(ident, str):
                holders[ident] = task.get("holder")
        return holders

    def check_carer_plans(self) -> None:
        holders = self._task_holders()
        carers: dict[str, str] = {}
        for path, plan in self.items(self.data, "carer_plans", ""):
            carer = plan.get("carer")
            if self.ref(f"{path}.carer", carer, FAMILY, "a family member") is not None:
                assert isinstance(carer, str)
                if carer in carers:
                    self.error(
                        f"{path}.carer", f"'{carer}' already has a carer's plan ({carers[carer]})"
                    )
                else:
                    carers[carer] = path
                member = self.ids[carer].record
                if carer not in holders.values() and member.get("informal_carer") is not True:
                    self.error(
                        f"{path}.carer",
                        f"'{carer}' holds no task and is not an informal carer; a carer's plan is "
                        "for a family member who holds a task or gives care",
                    )
            covered: dict[str, str] = {}
            for cpath, contingency in self.items(plan, "contingencies", f"{path}."):
                task = contingency.get("task")
                if self.ref(f"{cpath}.task", task, {"task"}, "a task") is not None:
                    assert isinstance(task, str)
                    if task in covered:
                        self.error(
                            f"{cpath}.task",
                            f"task '{task}' already has a contingency ({covered[task]})",
                        )
                    else:
                        covered[task] = cpath
                    holder = holders.get(task)
                    if isinstance(carer, str) and holder != carer:
                        self.error(
                            f"{cpath}.task",
                            f"task '{task}' is held by '{holder}', not by '{carer}'",
                        )
                steps_in = contingency.get("steps_in")
                if isinstance(steps_in, str) and steps_in == carer:
                    self.error(
                        f"{cpath}.steps_in", f"'{steps_in}' is the carer; someone else steps in"
                    )
                else:
                    self.ref(f"{cpath}.steps_in", steps_in, ANY_MEMBER, "a circle member")
            for upath, use in self.items(plan, "used", f"{path}."):
                task = use.get("task")
                if self.ref(f"{upath}.task", task, {"task"}, "a task") is not None and (
                    task not in covered
                ):
                    self.error(f"{upath}.task", f"task '{task}' has no contingency in this plan")
                self.not_before_date(f"{upath}.date", use.get("date"), plan)
            for key in ("asked", "assessment_date", "reviewed"):
                self.not_before_date(f"{path}.{key}", plan.get(key), plan)

    def check_goals(self) -> None:
        for path, goal in self.items(self.data, "goals", ""):
            set_by = goal.get("set_by")
            kind = self.ref(
                f"{path}.set_by", set_by, ANY_MEMBER | {PERSON}, "the person or circle members"
            )
            if kind == PERSON and goal.get("person_agrees") is not None:
                self.error(
                    f"{path}.person_agrees", "the person set this goal: leave person_agrees out"
                )
            for rpath, review in self.items(goal, "reviews", f"{path}."):
                self.not_before_date(f"{rpath}.date", review.get("date"), goal)
                self.ref_list(
                    f"{rpath}.evidence",
                    review.get("evidence"),
                    evidence_kinds(),
                    "risk assessments, trials, incidents, events, voice records, capacity assessments, "
                    "best-interests decisions or medication audits",
                )
            self.not_before_date(f"{path}.ended", goal.get("ended"), goal)

    def check_restrictions(self) -> None:
        for path, restriction in self.items(self.data, "restrictions", ""):
            self.ref(
                f"{path}.proposed_by", restriction.get("proposed_by"), ANY_MEMBER, "a circle member"
            )
            basis, record = restriction.get("basis"), restriction.get("basis_record")
            wanted = (
                {
                    "consent": "consent",
                    "best_interests": "best_interests",
                    "authority": "authority",
                }.get(basis)
                if isinstance(basis, str)
                else None
            )
            if wanted is not None and record is None:
                self.error(
                    f"{path}.basis_record",
                    f"required field is missing: a basis of {basis} names its record",
                    FieldErrorCode.MISSING,
                )
            elif wanted is None and record is not None and basis in (None, "court_order"):
                self.error(
                    f"{path}.basis_record",
                    "must be absent unless the basis is consent, best_interests or authority",
                )
            elif (
                wanted is not None
                and isinstance(record, str)
                and self.ref(f"{path}.basis_record", record, {wanted}, _kind_word(wanted))
            ):
                given_by = self.ids[record].record.get("given_by")
                if wanted == "consent" and (
                    not isinstance(given_by, str) or self.kind_of(given_by) != PERSON
                ):
                    self.error(
                        f"{path}.basis_record",
                        f"'{record}' is a consent given by '{given_by}'; a restriction rests on "
                        "the person's own consent",
                    )
            self.ref(
                f"{path}.replaced_by",
                restriction.get("replaced_by"),
                {"graded_trial"},
                "a graded trial",
            )
            self.not_before(restriction, path, "review_by", "date")
            self.not_before(restriction, path, "ended", "date")


def _date(value: Any) -> dt.date | None:
    """The date a field holds when it is a good date (a bad one is the schema's error)."""
    if isinstance(value, dt.datetime):
        return None
    if isinstance(value, dt.date):
        return value
    if isinstance(value, YamlDate):
        value = value.text
    if isinstance(value, str):
        return parse_date_text(value)
    return None


def check_references(data: dict[str, Any]) -> list[FieldError]:
    """Every id, reference and cross-record constraint error in ``data``."""
    return _Checker(data).run()
