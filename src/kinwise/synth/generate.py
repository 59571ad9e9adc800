"""A synthetic provider: realistic case files for load, benchmarks and demonstrations.

Each person is built from two random streams seeded by text derived from the seed and
the person's index, so a population is the same for the same seed on every machine,
and a person keeps their identity, circle, capacity and legal authorities whatever the
length of history asked for (only the history itself differs). Nothing reads the
clock: every date is counted back from ``as_of``.

A person's history runs from ``as_of - years x 365 days`` to ``as_of``: yearly care
plan reviews with the person's voice gathered before them, partnership reviews of the
tasks family members hold, risk assessments with hazards and graded trials, incidents
and their follow-up, changes in need, capacity assessments and best-interests decisions,
consents given and withdrawn, medicines started and stopped, and medication audits.

The weaknesses that the co-production article names occur at the rates in
:class:`ProblemRates` (each a probability, per person or per record as stated), so an
audit of a synthetic service finds what an audit of a real one would.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, TypeVar

from kinwise.casefile.kinds import RECORD_KINDS, casefile_data
from kinwise.casefile.schema import CaseFile
from kinwise.casefile.vocab import (
    AREA_CATEGORY,
    AREAS,
    AUTHORITY_CATEGORY,
    DEFAULT_REQUIRED_AREAS,
    METHODS,
)
from kinwise.synth import vocab as words

DEFAULT_AS_OF = dt.date(2026, 11, 30)
"""The audit date of synthetic files unless another is given (a fixed date, never today)."""

DEFAULT_SERVICE = ("synth", "Synthetic Supported Living")
YEAR_DAYS = 365

T = TypeVar("T")


@dataclass(frozen=True)
class ProblemRates:
    """How often each weakness occurs: a probability, per person unless stated.

    Each field names the audit rule that finds it.
    """

    relative_decides_without_authority: float = 0.12  # RC02: a family member decides an area
    decider_missing: float = 0.03  # RC01: a role names nobody as deciding
    best_interests_without_wishes: float = 0.03  # RC04, per best-interests record
    support_not_recorded: float = 0.06  # CA02, per lacks-capacity assessment
    informed_without_consent: float = 0.08  # IC01: a relative informed beyond their consent
    plan_without_consent: float = 0.08  # IC02: no care-plan consent since the last review
    review_without_voice: float = 0.15  # VO01 and VO03, per care plan review
    vocal_relative: float = 0.10  # VO02: a relative speaks for the person at meetings
    method_not_theirs: float = 0.005  # VO04, per direct voice record
    unfacilitated_meeting: float = 0.015  # VO05, per meeting with the person and family
    disagreement_without_evidence: float = 0.25  # RK01, per decision with a disagreement
    unwise_choice_overruled: float = 0.4  # RK02, per not_proceed where the person has capacity
    risk_without_persons_view: float = 0.07  # RK03, per risk assessment
    incident_not_followed_up: float = 0.15  # RK04, per moderate or worse incident
    trial_advanced_early: float = 0.12  # RK05, per graded trial
    safeguarding_not_reviewed: float = 0.12  # PA05, per safeguarding incident or concern
    family_tasks_unreviewed: float = 0.06  # PA01: no partnership review of family tasks
    stale_family_task: float = 0.10  # PA02: a family task not reviewed after needs changed
    family_task_not_agreed: float = 0.08  # PA04, per task a family member holds
    untrained_staff_medicating: float = 0.05  # PA06: staff without training give medication


@dataclass(frozen=True)
class SynthSpec:
    """What to generate: ``people`` people with ``years`` years of history each."""

    people: int
    years: int
    seed: int
    as_of: dt.date = DEFAULT_AS_OF
    service_id: str = DEFAULT_SERVICE[0]
    service_name: str = DEFAULT_SERVICE[1]
    rates: ProblemRates = field(default_factory=ProblemRates)
    version_two: float = 0.0
    """The share of people who also have format version 2's records (drawn apart, so the
    version-1 part of every file is the same whatever this is)."""

    def __post_init__(self) -> None:
        if self.people < 0:
            raise ValueError("people must not be negative")
        if self.years < 1:
            raise ValueError("years must be at least 1")


def person_id(index: int) -> str:
    """The case-file id of the ``index``-th synthetic person (from 1)."""
    return f"p{index:05d}"


def synth_casefile(spec: SynthSpec, index: int) -> CaseFile:
    """The ``index``-th person (from 1) of the population ``spec`` describes."""
    return CaseFile.model_validate(synth_data(spec, index))


def synth_population(spec: SynthSpec) -> Iterator[CaseFile]:
    """Every person of the population, in order of id (built one at a time)."""
    for index in range(1, spec.people + 1):
        yield synth_casefile(spec, index)


def synth_data(spec: SynthSpec, index: int) -> dict[str, Any]:
    """The ``index``-th person's case file as plain data (dates as ``datetime.date``)."""
    return _Builder(spec, index).build()


# --- the staff ------------------------------------------------------------------------

PEOPLE_PER_TEAM = 24
"""People are supported in teams of this many (by index: 1-24, 25-48, ...)."""
TEAM_WORKERS = 4
"""Each team's trained support workers; with its team leader and a new starter, one
member of staff per four people in a full team."""


@dataclass(frozen=True)
class Team:
    """The staff of one team: drawn once, the same in the file of everyone it supports
    (each member of staff is one identity of the organisation's staff directory)."""

    leader: dict[str, Any]
    workers: tuple[dict[str, Any], ...]
    new_starter: dict[str, Any]
    """Not yet assessed competent in anything."""

    @property
    def members(self) -> tuple[dict[str, Any], ...]:
        return (self.leader, *self.workers, self.new_starter)


def team_of(index: int) -> int:
    """The team (from 0) of the ``index``-th person (from 1)."""
    return (index - 1) // PEOPLE_PER_TEAM


@cache
def team_staff(seed: int, team: int, as_of: dt.date) -> Team:
    """The staff of ``team``: a team leader, :data:`TEAM_WORKERS` support workers and a
    new starter, named and trained from their own random stream (training dates counted
    back from ``as_of``), whatever the size of the population."""
    rng = random.Random(f"kinwise-synth/{seed}/team/{team}")
    names: set[str] = set()

    def member(k: int, job: str, trained: bool) -> dict[str, Any]:
        name = ""
        while not name or name in names:
            name = f"{rng.choice(words.FIRST_NAMES)} {rng.choice(words.SURNAMES)}"
        names.add(name)
        out: dict[str, Any] = {
            "id": f"staff{team + 1}-{k}",
            "name": name,
            "kind": "staff",
            "job": job,
        }
        if trained:
            out["trained"] = {
                "administer_medication": as_of - dt.timedelta(days=rng.randint(30, 2500))
            }
            if rng.random() < 0.6:
                out["trained"]["personal_care_support"] = as_of - dt.timedelta(
                    days=rng.randint(30, 2500)
                )
        return out

    leader = member(1, "team leader", True)
    workers = tuple(
        member(
            k + 2,
            rng.choice(("support worker", "senior support worker", "night support worker")),
            True,
        )
        for k in range(TEAM_WORKERS)
    )
    return Team(leader, workers, member(TEAM_WORKERS + 2, "support worker", False))


def _copy(member: dict[str, Any]) -> dict[str, Any]:
    out = dict(member)
    if "trained" in out:
        out["trained"] = dict(out["trained"])
    return out


# --- one person ----------------------------------------------------------------------

_PROFILE_WEIGHTS = (("capable", 55), ("partial", 30), ("substantial", 15))
_SEVERITY_WEIGHTS = (("none", 18), ("low", 45), ("moderate", 25), ("high", 9), ("severe", 3))
_EVENT_WEIGHTS = (
    ("needs_change", 30),
    ("diagnosis", 12),
    ("hospital_discharge", 12),
    ("medication_change", 22),
    ("capacity_change", 6),
    ("complaint", 12),
    ("safeguarding_concern", 6),
)
_POSITION_WEIGHTS = (
    ("proceed_with_controls", 45),
    ("graded_trial", 22),
    ("proceed", 23),
    ("not_proceed", 10),
)
_STAGE_SUPPORT = ("accompanied", "shadowed", "remote", "independent")
_INCIDENT_AREAS = (
    ("mobility_outdoors", 25),
    ("daily_living", 20),
    ("personal_care", 15),
    ("medication", 15),
    ("relationships", 10),
    ("health_treatment", 8),
    ("finances_daily", 7),
)
_EXTRA_ROLE_AREAS = ("mobility_outdoors", "daily_living", "relationships", "accommodation")


def _weighted(rng: random.Random, options: Sequence[tuple[T, int]]) -> T:
    total = sum(weight for _, weight in options)
    pick = rng.randrange(total)
    for value, weight in options:
        if pick < weight:
            return value
        pick -= weight
    raise AssertionError("unreachable")


@dataclass
class _Task:
    record: dict[str, Any]
    reviews: list[dt.date]
    family: bool

    @property
    def id(self) -> str:
        value: str = self.record["id"]
        return value

    @property
    def area(self) -> str:
        value: str = self.record["area"]
        return value

    def current_at(self, day: dt.date) -> bool:
        ended = self.record.get("ended")
        return bool(self.record["since"] <= day and (ended is None or ended > day))


class _Builder:
    """Builds one person's case file: identity first, then history, then the plan."""

    def __init__(self, spec: SynthSpec, index: int) -> None:
        self.spec = spec
        self.rates = spec.rates
        self.as_of = spec.as_of
        self.start = spec.as_of - dt.timedelta(days=YEAR_DAYS * spec.years)
        # who the person is does not depend on the length of history; what happened does
        self.who = random.Random(f"kinwise-synth/{spec.seed}/{index}/who")
        self.rng = random.Random(f"kinwise-synth/{spec.seed}/{index}/{spec.years}")
        self.pid = person_id(index)
        self.index = index
        self.counters: dict[str, int] = {}
        self.circle: list[dict[str, Any]] = []
        self.authorities: list[dict[str, Any]] = []
        self.assessments: list[dict[str, Any]] = []
        self.best_interests: list[dict[str, Any]] = []
        self.consents: list[dict[str, Any]] = []
        self.tasks: list[_Task] = []
        self.voice: list[dict[str, Any]] = []
        self.meetings: list[dict[str, Any]] = []
        self.risks: list[dict[str, Any]] = []
        self.trials: list[dict[str, Any]] = []
        self.incidents: list[dict[str, Any]] = []
        self.events: list[dict[str, Any]] = []
        self.regimen: list[dict[str, Any]] = []
        self.med_audits: list[dict[str, Any]] = []
        self.roles: list[dict[str, Any]] = []
        self.v2: dict[str, list[dict[str, Any]]] = {}

    # -- small helpers ----------------------------------------------------------------

    def next_id(self, prefix: str) -> str:
        self.counters[prefix] = self.counters.get(prefix, 0) + 1
        return f"{prefix}{self.counters[prefix]}"

    def day(self, offset: int) -> dt.date:
        """The date ``offset`` days into the history."""
        return self.start + dt.timedelta(days=offset)

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def later(self, day: dt.date, low: int, high: int) -> dt.date | None:
        """A date ``low``..``high`` days after ``day``, or None when it would be after as_of."""
        result = day + dt.timedelta(days=self.rng.randint(low, high))
        return result if result <= self.as_of else None

    def name(self, surname: str | None = None) -> str:
        return f"{self.who.choice(words.FIRST_NAMES)} {surname or self.who.choice(words.SURNAMES)}"

    def members(self, *kinds: str) -> list[dict[str, Any]]:
        return [m for m in self.circle if m["kind"] in kinds]

    @property
    def family(self) -> list[dict[str, Any]]:
        return self.members("family", "friend")

    @property
    def staff(self) -> list[dict[str, Any]]:
        return self.members("staff")

    def team_leader(self) -> str:
        value: str = self.staff[0]["id"]
        return value

    def keyworker(self) -> str:
        value: str = self.staff[1]["id"]
        return value

    def direct_method(self) -> str:
        if self.chance(self.rates.method_not_theirs):
            others = [m for m in METHODS if m not in self.methods]
            return self.rng.choice(others)
        value: str = self.methods[0] if self.chance(0.7) else self.rng.choice(self.methods)
        return value

    # -- the whole file ----------------------------------------------------------------

    def build(self) -> dict[str, Any]:
        self.identity()
        self.capacity_and_authority()
        self.plan_tasks()
        self.medication()
        self.history()
        self.plan_roles_and_consents()
        two = random.Random(f"kinwise-synth/{self.spec.seed}/{self.index}/v2")
        if two.random() < self.spec.version_two:
            self.version_two(two)
        return self.assemble()

    # -- format version 2's records (docs/spec/casefile-v2.md) -------------------------

    def version_two(self, rng: random.Random) -> None:
        """A family view, a concern (with a role change), a carer's plan, a goal and a
        restriction, each mostly as the rules of catalogue 2 want them."""
        v2 = self.v2
        family = [m["id"] for m in self.family]
        staff = [m["id"] for m in self.staff]

        def back(low: int, high: int) -> dt.date:
            return max(self.start, self.as_of - dt.timedelta(days=rng.randint(low, high)))

        def step(day: dt.date, days: int) -> dt.date:
            return min(self.as_of, day + dt.timedelta(days=days))

        area = rng.choice(self.roles)["area"] if self.roles else "daily_living"
        if family:
            view: dict[str, Any] = {
                "id": self.next_id("fview"),
                "author": rng.choice(family),
                "date": back(5, 200),
                "area": area,
                "text": rng.choice(words.FAMILY_VIEWS),
            }
            if self.meetings and rng.random() < 0.5:
                view["meeting"] = rng.choice(self.meetings)["id"]
            v2["family_view"] = [view]
        raised_by = rng.choice(family) if family else self.pid
        raised = back(40, 300)
        concern: dict[str, Any] = {
            "id": self.next_id("concern"),
            "kind": rng.choice(("complaint", "concern", "disagreement")),
            "raised_by": raised_by,
            "date": raised,
            "area": area,
            "acknowledged": step(raised, 1),
            "response": {"date": step(raised, 10), "by": staff[0], "text": "Reply in writing."},
            "stages": [{"stage": "local_resolution", "date": step(raised, 2)}],
        }
        if rng.random() < 0.7:
            concern |= {
                "closed": step(raised, 25),
                "outcome": "Resolved locally.",
                "next_stage_told": True,
            }
        v2["concern"] = [concern]
        if raised_by != self.pid and rng.random() < 0.5:
            v2["role_change"] = [
                {
                    "id": self.next_id("rchange"),
                    "date": step(raised, rng.randint(1, 120)),
                    "area": area,
                    "member": raised_by,
                    "role": "informed",
                    "change": "removed",
                    "reason": "Asked to stop receiving updates.",
                    "recorded_by": staff[0],
                }
            ]
        family_tasks = [t for t in self.tasks if t.family and t.current_at(self.as_of)]
        if family_tasks:
            carer = family_tasks[0].record["holder"]
            held = [t for t in family_tasks if t.record["holder"] == carer]
            made = max(t.record["since"] for t in held)
            v2["carer_plan"] = [
                {
                    "id": self.next_id("cplan"),
                    "carer": carer,
                    "date": made,
                    "asked": max(made, back(10, 300)),
                    "willing": True,
                    "able": True,
                    "assessment": rng.choice(("offered", "referred", "declined")),
                    "contingencies": [
                        {"task": t.id, "steps_in": staff[-1], "contact": "Team leader on shift"}
                        for t in held
                    ],
                }
            ]
        goal_day = back(20, 80)
        v2["goal"] = [
            {
                "id": self.next_id("goal"),
                "date": goal_day,
                "area": area,
                "words": rng.choice(words.GOALS),
                "set_by": self.pid,
                "baseline": rng.randint(1, 5),
                "reviews": [{"date": step(goal_day, 14), "score": rng.randint(3, 8)}],
            }
        ]
        if rng.random() < 0.4:
            begun = back(30, 200)
            consent = next(
                (c for c in self.consents if c["given_by"] == self.pid and not c.get("withdrawn")),
                None,
            )
            restriction: dict[str, Any] = {
                "id": self.next_id("restr"),
                "date": begun,
                "area": area,
                "what": "Kitchen knives kept locked away",
                "proposed_by": staff[0],
                "alternatives": "Supervised cooking sessions",
                "review_by": step(begun, 180) if rng.random() < 0.8 else step(begun, 20),
            }
            if consent is not None:
                restriction |= {"basis": "consent", "basis_record": consent["id"]}
            else:
                restriction |= {"basis": "court_order"}
            v2["restriction"] = [restriction]

    # -- who the person is -------------------------------------------------------------

    def identity(self) -> None:
        who = self.who
        surname = who.choice(words.SURNAMES)
        self.person_name = self.name(surname)
        self.dob = self.as_of - dt.timedelta(days=who.randint(18 * 365, 75 * 365))
        methods, notes, _ = words.COMMUNICATION_PROFILES[
            _weighted(who, [(i, w) for i, (_, _, w) in enumerate(words.COMMUNICATION_PROFILES)])
        ]
        self.methods: tuple[str, ...] = methods
        self.communication_notes = notes

        family_count = _weighted(who, [(0, 6), (1, 38), (2, 40), (3, 16)])
        for k in range(family_count):
            relationship = _weighted(who, words.FAMILY_RELATIONSHIPS)
            same_name = (
                relationship in ("mother", "father", "sister", "brother") or who.random() < 0.5
            )
            self.circle.append(
                {
                    "id": f"fam{k + 1}",
                    "name": self.name(surname if same_name else None),
                    "kind": "family",
                    "relationship": relationship,
                    "informal_carer": k == 0 and who.random() < 0.6,
                }
            )
        if who.random() < 0.25:
            self.circle.append(
                {"id": "friend1", "name": self.name(), "kind": "friend", "relationship": "friend"}
            )
        # staff: a team leader, a keyworker, others, drawn from the person's team (the
        # draws of ``who`` are made as they always were, so the rest of the person is
        # the same whatever the team holds)
        team = team_staff(self.spec.seed, team_of(self.index), self.as_of)
        workers = random.Random(f"kinwise-synth/{self.spec.seed}/{self.index}/staff").sample(
            team.workers, len(team.workers)
        )
        jobs = ["team leader", "support worker"] + [
            who.choice(("support worker", "senior support worker", "night support worker"))
            for _ in range(who.randint(1, 2))
        ]
        self.new_starter: str | None = None
        for k, _job in enumerate(jobs):
            self.name()
            who.randint(30, 2500)
            if k >= 2 and self.new_starter is None and who.random() < 0.35:
                self.new_starter = team.new_starter["id"]  # not yet assessed competent
                self.circle.append(_copy(team.new_starter))
                continue
            if who.random() < 0.6:
                who.randint(30, 2500)
            self.circle.append(_copy(team.leader if k == 0 else workers[k - 1]))
        if who.random() < (0.8 if family_count == 0 else 0.2):
            self.circle.append(
                {
                    "id": "adv1",
                    "name": self.name(),
                    "kind": "advocate",
                    "job": "independent advocate",
                }
            )
        for k, job in enumerate(who.sample(words.PROFESSIONAL_JOBS, who.randint(1, 2))):
            self.circle.append(
                {"id": f"pro{k + 1}", "name": self.name(), "kind": "professional", "job": job}
            )

        rates = self.rates
        self.flag_rc02 = (
            bool(self.family) and who.random() < rates.relative_decides_without_authority
        )
        self.flag_rc01 = who.random() < rates.decider_missing
        self.flag_ic01 = who.random() < rates.informed_without_consent
        self.flag_ic02 = who.random() < rates.plan_without_consent
        self.flag_vocal = bool(self.family) and who.random() < rates.vocal_relative
        self.flag_pa01 = who.random() < rates.family_tasks_unreviewed
        self.flag_stale = who.random() < rates.stale_family_task
        self.flag_pa06 = who.random() < rates.untrained_staff_medicating
        if self.flag_pa06 and self.new_starter is None:
            # the team's new starter, without training, joins the person's staff
            self.name()
            self.new_starter = team.new_starter["id"]
            self.circle.append(_copy(team.new_starter))

    def capacity_and_authority(self) -> None:
        who = self.who
        profile = _weighted(who, _PROFILE_WEIGHTS)
        lacks: set[str] = set()
        if profile == "partial":
            lacks.add("finances_major")
            for area, p in (
                ("finances_daily", 0.7),
                ("medication", 0.3),
                ("health_treatment", 0.3),
            ):
                if who.random() < p:
                    lacks.add(area)
        elif profile == "substantial":
            lacks.update(
                (
                    "medication",
                    "health_treatment",
                    "personal_care",
                    "accommodation",
                    "information_sharing",
                    "finances_daily",
                    "finances_major",
                )
            )
            if who.random() < 0.5:
                lacks.add("mobility_outdoors")
        self.lacks = lacks

        family = [m for m in self.circle if m["kind"] == "family"]
        welfare_lacking = sorted(a for a in lacks if AREA_CATEGORY[a] == "welfare")
        property_lacking = sorted(a for a in lacks if AREA_CATEGORY[a] == "property")
        if family and welfare_lacking and who.random() < 0.4:
            kind = "lpa_health_welfare" if who.random() < 0.55 else "deputy_personal_welfare"
            self.add_authority(family[0]["id"], kind, welfare_lacking)
        if family and property_lacking and who.random() < 0.5:
            kind = "lpa_property_finance" if who.random() < 0.5 else "deputy_property_affairs"
            self.add_authority(family[-1]["id"], kind, property_lacking)
        elif family and not property_lacking and who.random() < 0.08:
            # a property and financial affairs LPA made in advance, usable with consent
            self.add_authority(family[0]["id"], "lpa_property_finance", None)

    def add_authority(self, holder: str, kind: str, areas: list[str] | None) -> None:
        who = self.who
        record: dict[str, Any] = {"id": self.next_id("a"), "holder": holder, "kind": kind}
        status = _weighted(who, [("registered", 80), ("unregistered", 10), ("revoked", 10)])
        registered = self.as_of - dt.timedelta(days=who.randint(200, 4000))
        if status != "unregistered":
            record["registered"] = registered
            record["reference"] = (
                f"{'OPG' if kind.startswith('lpa') else 'COP'}-{who.randint(10**6, 10**7 - 1)}"
            )
        if status == "revoked":
            record["revoked"] = registered + dt.timedelta(
                days=who.randint(1, (self.as_of - registered).days)
            )
        if kind.startswith("deputy_") or (areas is not None and who.random() < 0.3):
            record["areas"] = list(areas or ())
            if not record["areas"]:
                record["areas"] = ["finances_daily", "finances_major"]
        self.authorities.append(record)

    # -- legal position at as_of -------------------------------------------------------

    def usable(self, authority: dict[str, Any], area: str) -> bool:
        registered = authority.get("registered")
        revoked = authority.get("revoked")
        if registered is None or registered > self.as_of:
            return False
        if revoked is not None and revoked <= self.as_of:
            return False
        category = AREA_CATEGORY[area]
        kind = authority["kind"]
        areas = authority.get("areas")
        covers = area in areas if areas is not None else AUTHORITY_CATEGORY[kind] == category
        if not covers:
            return False
        return kind == "lpa_property_finance" or area in self.lacks

    def usable_holder(self, area: str) -> str | None:
        for authority in self.authorities:
            if self.usable(authority, area):
                value: str = authority["holder"]
                return value
        return None

    # -- tasks -------------------------------------------------------------------------

    def plan_tasks(self) -> None:
        family = self.family
        carers = [m for m in family if m.get("informal_carer")] or family
        staff_ids = [m["id"] for m in self.staff if m["id"] != self.new_starter]
        specs: list[tuple[str, str, str]] = []  # task, area, holder

        def family_or_staff(p: float) -> str:
            if carers and self.who.random() < p:
                value: str = self.who.choice(carers)["id"]
                return value
            return self.who.choice(staff_ids)

        meds_holder = family_or_staff(0.18)
        if self.flag_pa06 and self.new_starter is not None:
            meds_holder = self.new_starter
        specs.append(("administer_medication", "medication", meds_holder))
        specs.append(("order_medication", "medication", family_or_staff(0.3)))
        money_holder = self.usable_holder("finances_daily")
        specs.append(("manage_money", "finances_daily", money_holder or family_or_staff(0.45)))
        specs.append(("arrange_appointments", "health_treatment", family_or_staff(0.35)))
        if family and self.who.random() < 0.4:
            specs.append(("transport", "mobility_outdoors", self.who.choice(family)["id"]))
        if self.who.random() < 0.8:
            specs.append(("personal_care_support", "personal_care", self.who.choice(staff_ids)))

        family_ids = {m["id"] for m in family}
        span = (self.as_of - self.start).days
        for task, area, holder in specs:
            # earlier holders of the same task, handed over during the history
            handovers = sum(self.rng.random() < 0.1 for _ in range(self.spec.years))
            cuts = sorted(self.rng.sample(range(30, span - 30), handovers)) if handovers else []
            since = self.start - dt.timedelta(days=self.rng.randint(0, 3000))
            holders = [self.rng.choice(staff_ids + sorted(family_ids)) for _ in cuts] + [holder]
            for k, who in enumerate(holders):
                ended = self.day(cuts[k]) if k < len(cuts) else None
                record: dict[str, Any] = {
                    "id": self.next_id("t"),
                    "task": task,
                    "area": area,
                    "holder": who,
                    "since": since,
                }
                is_family = who in family_ids
                if is_family and self.rng.random() < self.rates.family_task_not_agreed:
                    pass  # a family arrangement nobody formally agreed
                else:
                    agreed = since + dt.timedelta(days=self.rng.randint(0, 45) if is_family else 0)
                    if agreed <= self.as_of and (ended is None or agreed <= ended):
                        record["agreed"] = agreed
                if ended is not None:
                    record["ended"] = ended
                reviews = [record["agreed"]] if "agreed" in record else []
                self.tasks.append(_Task(record, reviews, is_family))
                if ended is not None:
                    since = ended

    def current_tasks(self, day: dt.date) -> list[_Task]:
        return [t for t in self.tasks if t.current_at(day)]

    # -- medication --------------------------------------------------------------------

    def medication(self) -> None:
        rng = self.rng
        count = _weighted(rng, [(1, 20), (2, 25), (3, 25), (4, 15), (5, 10), (6, 5)])
        span = (self.as_of - self.start).days
        for index in rng.sample(range(len(words.MEDICINES)), count):
            name, doses, critical, controlled, prn, route = words.MEDICINES[index]
            if rng.random() < 0.6:
                started = self.start - dt.timedelta(days=rng.randint(1, 4000))
            else:
                started = self.day(rng.randint(0, span))
                self.add_event("medication_change", ["medication"], started, follow=True)
            medicine: dict[str, Any] = {
                "name": name,
                "doses_per_day": int(doses) if float(doses).is_integer() else doses,
                "time_critical": critical,
                "controlled": controlled,
                "prn": prn,
                "route": route,
                "started": started,
            }
            if rng.random() < 0.2:
                stopped = self.later(max(started, self.start), 20, span)
                if stopped is not None:
                    medicine["stopped"] = stopped
            self.regimen.append(medicine)
        first = self.rng.randint(0, 90)
        auditor = self.team_leader()
        pharmacists = [m["id"] for m in self.members("professional") if "pharmacist" in m["job"]]
        for offset in range(first, span + 1, 91):
            checked = self.rng.choice((28, 56, 84))
            errors = _weighted(self.rng, [(0, 70), (1, 15), (2, 8), (3, 4), (6, 3)])
            self.med_audits.append(
                {
                    "id": self.next_id("ma"),
                    "date": self.day(offset),
                    "auditor": self.rng.choice(pharmacists) if pharmacists else auditor,
                    "doses_checked": checked,
                    "errors": min(errors, checked),
                }
            )

    # -- the history -------------------------------------------------------------------

    def history(self) -> None:
        self.assessments_and_best_interests()
        self.everyday_voice()
        self.risk_and_trials()
        self.incidents_over_time()
        self.events_over_time()
        self.care_plan_reviews()
        self.partnership_reviews()
        self.stale_task()

    def assessments_and_best_interests(self) -> None:
        rng = self.rng
        assessors = [m["id"] for m in self.members("professional")] + [self.team_leader()]
        for area in sorted(self.lacks):
            date = self.day(rng.randint(0, 90))
            while date <= self.as_of:
                abilities = [True, True, True, True]
                for k in rng.sample(range(4), rng.randint(1, 3)):
                    abilities[k] = False
                understand, retain, weigh, communicate = abilities
                record: dict[str, Any] = {
                    "id": self.next_id("ca"),
                    "area": area,
                    "decision": words.DECISION_WORDING[area],
                    "date": date,
                    "assessor": rng.choice(assessors),
                    "impairment": True,
                    "understand": understand,
                    "retain": retain,
                    "weigh": weigh,
                    "communicate": communicate,
                    "outcome": "lacks_capacity",
                }
                if not self.chance(self.rates.support_not_recorded):
                    record["support_given"] = (
                        f"Explained with {self.methods[0].replace('_', ' ')} over two visits; "
                        "a quiet room and a familiar member of staff."
                    )
                if rng.random() < 0.85:
                    record["review_by"] = date + dt.timedelta(days=365)
                self.assessments.append(record)
                bi_date = min(self.as_of, date + dt.timedelta(days=rng.randint(0, 21)))
                self.add_best_interests(area, bi_date, record["id"])
                date += dt.timedelta(days=rng.randint(300, 430))
        # some people are assessed and found to have capacity for a big decision
        capable = [
            a for a in ("accommodation", "finances_major", "relationships") if a not in self.lacks
        ]
        if capable and rng.random() < 0.3:
            area = rng.choice(capable)
            self.assessments.append(
                {
                    "id": self.next_id("ca"),
                    "area": area,
                    "decision": words.DECISION_WORDING[area],
                    "date": self.day(rng.randint(0, (self.as_of - self.start).days)),
                    "assessor": rng.choice(assessors),
                    "impairment": rng.random() < 0.7,
                    "understand": True,
                    "retain": True,
                    "weigh": True,
                    "communicate": True,
                    "outcome": "has_capacity",
                    "support_given": "Easy-read information and time to think it over.",
                }
            )

    def add_best_interests(self, area: str, date: dt.date, assessment: str) -> None:
        rng = self.rng
        makers = [self.team_leader()] + [m["id"] for m in self.members("professional")]
        consulted = [m["id"] for m in self.family if rng.random() < 0.8]
        consulted += [m["id"] for m in self.members("advocate")]
        if not consulted and self.family:
            consulted = [self.family[0]["id"]]
        record: dict[str, Any] = {
            "id": self.next_id("bi"),
            "area": area,
            "decision": words.DECISION_WORDING[area],
            "date": date,
            "decision_maker": rng.choice(makers),
            "capacity_assessment": assessment,
            "consulted": consulted,
            "less_restrictive_options": "Considered support at home before anything more restrictive.",
        }
        if self.chance(self.rates.best_interests_without_wishes):
            record["consulted"] = [] if rng.random() < 0.5 else consulted
        else:
            record["persons_wishes"] = rng.choice(words.PERSON_SAYS)
        self.best_interests.append(record)
        if rng.random() < 0.4:
            self.add_meeting(
                "best_interests", date, [area], evidence={area: [assessment, record["id"]]}
            )

    def everyday_voice(self) -> None:
        rng = self.rng
        date = self.day(rng.randint(0, 40))
        staff_ids = [m["id"] for m in self.staff]
        while date <= self.as_of:
            self.add_voice(date, direct=rng.random() < 0.85, captured_by=rng.choice(staff_ids))
            date += dt.timedelta(days=rng.randint(30, 80))

    def add_voice(
        self,
        date: dt.date,
        *,
        direct: bool,
        captured_by: str,
        area: str | None = None,
        setting: str | None = None,
    ) -> str:
        rng = self.rng
        record: dict[str, Any] = {"id": self.next_id("v"), "date": date}
        if area is None and rng.random() < 0.6:
            area = rng.choice(AREAS)
        if area is not None:
            record["area"] = area
        if direct or not self.family:
            record.update(
                method=self.direct_method(),
                setting=setting or rng.choice(("everyday", "separate")),
                captured_by=captured_by,
                present=[captured_by],
                direct=True,
                summary=rng.choice(words.VOICE_SUMMARIES),
            )
        else:
            relative = rng.choice(self.family)
            record.update(
                method="verbal",
                setting="joint_meeting",
                captured_by=captured_by,
                present=[relative["id"], captured_by],
                direct=False,
                summary=f"Their {relative['relationship']} said: {rng.choice(words.FAMILY_SAYS_FOR_PERSON)}",
            )
        self.voice.append(record)
        value: str = record["id"]
        return value

    def latest_direct_voice(self, before: dt.date) -> str | None:
        found = [v for v in self.voice if v["direct"] and v["date"] <= before]
        if not found:
            return None
        value: str = max(found, key=lambda v: v["date"])["id"]
        return value

    def add_meeting(
        self,
        kind: str,
        date: dt.date,
        areas: Sequence[str],
        *,
        evidence: dict[str, list[str]] | None = None,
        without_voice: bool = False,
        reviews_tasks: Sequence[str] = (),
        family_present: Sequence[str] = (),
    ) -> dict[str, Any]:
        """A meeting with its attendees, contributions and decisions (one per area)."""
        rng = self.rng
        family_ids = [m["id"] for m in self.family]
        present_family = list(family_present) or [
            f for f in family_ids if rng.random() < (0.9 if self.flag_vocal else 0.6)
        ]
        person_attends = rng.random() < 0.9 and not (without_voice and rng.random() < 0.5)
        attendees: list[str] = []
        if person_attends:
            attendees.append(self.pid)
        attendees += [f for f in family_ids if f in present_family]
        staff = [self.team_leader(), self.keyworker()]
        attendees += staff
        if kind in ("best_interests", "risk_review") and self.members("professional"):
            attendees.append(self.members("professional")[0]["id"])
        if kind == "best_interests":
            attendees += [m["id"] for m in self.members("advocate")]
        record: dict[str, Any] = {
            "id": self.next_id("m"),
            "date": date,
            "kind": kind,
            "attendees": attendees,
        }
        has_family = any(a in family_ids for a in attendees)
        if not (person_attends and has_family and self.chance(self.rates.unfacilitated_meeting)):
            record["facilitator"] = self.team_leader()
        contributions: list[dict[str, Any]] = []
        person_speaks = person_attends and not without_voice
        spoken_areas: set[str] = set()
        if person_speaks:
            for area in areas[: rng.randint(1, max(1, len(areas)))]:
                contributions.append(
                    {"by": self.pid, "area": area, "text": rng.choice(words.PERSON_SAYS)}
                )
                spoken_areas.add(area)
        relatives = [a for a in attendees if a in family_ids]
        for relative in relatives:
            topic = rng.choice(list(areas)) if areas else None
            item: dict[str, Any] = {"by": relative, "text": rng.choice(words.FAMILY_SAYS)}
            if topic is not None:
                item["area"] = topic
            contributions.append(item)
        if relatives and person_attends:
            on_behalf = 0
            if self.flag_vocal:
                on_behalf = sum(c["by"] == self.pid for c in contributions) + 1
            elif spoken_areas and rng.random() < 0.2:
                on_behalf = 1
            for _ in range(on_behalf):
                contributions.append(
                    {
                        "by": relatives[0],
                        "on_behalf_of": self.pid,
                        "text": rng.choice(words.FAMILY_SAYS_FOR_PERSON),
                    }
                )
        contributions.append({"by": self.keyworker(), "text": rng.choice(words.STAFF_SAYS)})
        record["contributions"] = contributions

        decisions: list[dict[str, Any]] = []
        view = None if without_voice else self.latest_direct_voice(date)
        for area in areas:
            decision: dict[str, Any] = {
                "area": area,
                "outcome": rng.choice(words.DECISION_OUTCOMES[area]),
            }
            if view is not None:
                decision["persons_view"] = view
            elif not without_voice and area not in spoken_areas:
                if person_attends:
                    contributions.insert(
                        0, {"by": self.pid, "area": area, "text": rng.choice(words.PERSON_SAYS)}
                    )
                    spoken_areas.add(area)
                else:
                    decision["persons_view"] = self.add_voice(
                        date, direct=True, captured_by=self.keyworker(), area=area
                    )
            backing = (evidence or {}).get(area, [])
            if has_family and rng.random() < 0.12 and (backing or self.evidence_for(area, date)):
                decision["disagreement"] = True
                backing = backing or self.evidence_for(area, date)
                if self.chance(self.rates.disagreement_without_evidence):
                    if rng.random() < 0.5:
                        backing = []
                        decision["rationale"] = "The family's view was noted."
                else:
                    decision["rationale"] = (
                        "The records show the agreed controls are working; the person's "
                        "wishes lead where they have capacity."
                    )
            elif backing:
                decision["rationale"] = "Based on the records listed."
            if backing:
                decision["evidence"] = backing
            decisions.append(decision)
        record["decisions"] = decisions
        if reviews_tasks:
            record["reviews_tasks"] = list(reviews_tasks)
        self.meetings.append(record)
        return record

    def evidence_for(self, area: str, date: dt.date) -> list[str]:
        for pool in (self.risks, self.incidents, self.voice):
            found = [r["id"] for r in pool if r.get("area") == area and r["date"] <= date]
            if found:
                return [found[-1]]
        found = [v["id"] for v in self.voice if v["date"] <= date]
        return found[-1:]

    def risk_and_trials(self) -> None:
        rng = self.rng
        areas = [a for a in words.ACTIVITIES if rng.random() < 0.5] or ["mobility_outdoors"]
        self.risk_areas = areas
        span = (self.as_of - self.start).days
        for area in areas:
            activity = rng.choice(words.ACTIVITIES[area])
            date: dt.date | None = self.day(rng.randint(0, min(span, 200)))
            while date is not None and date <= self.as_of:
                self.add_risk(area, activity, date)
                if rng.random() < 0.015:
                    break  # the reassessment lapses
                date = self.later(date, 330, 380)

    def add_risk(self, area: str, activity: str, date: dt.date) -> str:
        rng = self.rng
        family = self.family
        hazards = []
        pool = _hazards_for(area)
        for hazard, controls in rng.sample(pool, rng.randint(1, len(pool))):
            likelihood, severity = rng.randint(2, 4), rng.randint(2, 5)
            hazards.append(
                {
                    "hazard": hazard,
                    "likelihood": likelihood,
                    "severity": severity,
                    "controls": list(controls),
                    "residual_likelihood": max(1, likelihood - rng.randint(1, 2)),
                    "residual_severity": max(1, severity - rng.randint(0, 1)),
                }
            )
        position = _weighted(rng, _POSITION_WEIGHTS)
        person_agrees = rng.random() < 0.85
        if position == "not_proceed":
            # overriding an unwise choice of someone with capacity is the weakness
            overruled = area not in self.lacks and self.chance(self.rates.unwise_choice_overruled)
            person_agrees = not overruled
        record: dict[str, Any] = {
            "id": self.next_id("ra"),
            "area": area,
            "activity": activity,
            "date": date,
            "participants": [self.pid, self.keyworker()] + [m["id"] for m in family[:1]],
            "hazards": hazards,
            "person_agrees": person_agrees,
            "agreed_position": position,
            "review_by": date + dt.timedelta(days=365),
        }
        if not self.chance(self.rates.risk_without_persons_view):
            record["persons_view"] = rng.choice(words.PERSON_SAYS)
        if family:
            record["family_view"] = rng.choice(words.FAMILY_SAYS)
        self.risks.append(record)
        if position == "graded_trial":
            self.add_trial(record["id"], area, date)
        meeting_day = self.later(date, 0, 10)
        if meeting_day is not None and rng.random() < 0.6:
            self.add_meeting("risk_review", meeting_day, [area], evidence={area: [record["id"]]})
        value: str = record["id"]
        return value

    def add_trial(self, risk: str, area: str, date: dt.date) -> None:
        rng = self.rng
        trial_id = self.next_id("gt")
        stage_count = rng.randint(2, 4)
        stages: list[dict[str, Any]] = [
            {
                "id": f"{trial_id}-s{k + 1}",
                "description": f"Stage {k + 1}: {_STAGE_SUPPORT[k]} support",
                "support": _STAGE_SUPPORT[k],
                "advance_after": rng.randint(2, 4),
            }
            for k in range(stage_count)
        ]
        early = self.chance(self.rates.trial_advanced_early)
        early_stage = rng.randrange(stage_count - 1) if early else -1
        sessions: list[dict[str, Any]] = []
        day = date + dt.timedelta(days=7)
        for k, stage in enumerate(stages):
            needed = stage["advance_after"] - (1 if k == early_stage else 0)
            run = 0
            while run < needed or k == stage_count - 1:
                if day > self.as_of or len(sessions) > 60:
                    break
                stopped = rng.random() < 0.08
                session: dict[str, Any] = {"date": day, "stage": stage["id"]}
                session["outcome"] = "stopped" if stopped else "completed"
                if stopped:
                    session["notes"] = "Stopped early; went home with staff."
                    self.add_incident(day, area, "low", trial=trial_id, follow=False)
                    run = 0
                else:
                    run += 1
                sessions.append(session)
                day += dt.timedelta(days=7)
                if k == stage_count - 1 and run >= stage["advance_after"]:
                    break
        record = {"id": trial_id, "risk_assessment": risk, "stages": stages, "sessions": sessions}
        self.trials.append(record)

    def add_incident(
        self,
        date: dt.date,
        area: str,
        severity: str,
        *,
        trial: str | None = None,
        follow: bool = True,
        safeguarding: bool = False,
    ) -> None:
        rng = self.rng
        record: dict[str, Any] = {
            "id": self.next_id("i"),
            "date": date,
            "area": area,
            "severity": severity,
            "description": rng.choice(words.INCIDENT_TEXTS[area]),
        }
        if trial is not None:
            record["trial"] = trial
        if safeguarding:
            record["safeguarding"] = True
        self.incidents.append(record)
        if not follow:
            return
        if severity in ("moderate", "high", "severe") and not self.chance(
            self.rates.incident_not_followed_up
        ):
            follow_day = self.later(date, 1, 12)
            if follow_day is not None:
                if area in self.risk_areas and rng.random() < 0.5:
                    self.add_risk(area, rng.choice(words.ACTIVITIES[area]), follow_day)
                else:
                    self.add_meeting(
                        "risk_review", follow_day, [area], evidence={area: [record["id"]]}
                    )
        if safeguarding:
            self.safeguarding_follow_up(date)

    def safeguarding_follow_up(self, date: dt.date) -> None:
        if self.chance(self.rates.safeguarding_not_reviewed):
            return
        day = self.later(date, 2, 13)
        if day is not None:
            tasks = [t.id for t in self.current_tasks(day)]
            self.add_meeting("partnership_review", day, [], reviews_tasks=tasks)
            for task in self.current_tasks(day):
                task.reviews.append(day)

    def incidents_over_time(self) -> None:
        rng = self.rng
        span = (self.as_of - self.start).days
        count = sum(rng.random() < 0.5 for _ in range(4 * self.spec.years))
        for offset in sorted(rng.randint(0, span) for _ in range(count)):
            area = _weighted(rng, _INCIDENT_AREAS)
            severity = _weighted(rng, _SEVERITY_WEIGHTS)
            safeguarding = rng.random() < (0.25 if severity in ("high", "severe") else 0.03)
            self.add_incident(self.day(offset), area, severity, safeguarding=safeguarding)

    def events_over_time(self) -> None:
        rng = self.rng
        span = (self.as_of - self.start).days
        count = sum(rng.random() < 0.5 for _ in range(3 * self.spec.years))
        for offset in sorted(rng.randint(0, span) for _ in range(count)):
            kind = _weighted(rng, _EVENT_WEIGHTS)
            if kind == "needs_change":
                areas = rng.sample(
                    ["personal_care", "mobility_outdoors", "daily_living", "medication"],
                    rng.randint(1, 2),
                )
            elif kind == "diagnosis":
                areas = ["health_treatment", "medication"]
            elif kind == "hospital_discharge":
                areas = ["health_treatment", "personal_care"]
            elif kind == "medication_change":
                areas = ["medication"]
            elif kind == "capacity_change":
                areas = [rng.choice(sorted(self.lacks) or list(AREAS))]
            elif kind == "complaint":
                areas = [rng.choice(("information_sharing", "daily_living", "personal_care"))]
            else:
                areas = [rng.choice(("finances_daily", "relationships"))]
            day = self.day(offset)
            self.add_event(kind, areas, day, follow=True)
            if kind == "safeguarding_concern":
                self.safeguarding_follow_up(day)

    def add_event(self, kind: str, areas: list[str], date: dt.date, *, follow: bool) -> None:
        self.events.append(
            {
                "id": self.next_id("e"),
                "date": date,
                "kind": kind,
                "areas": areas,
                "description": words.EVENT_TEXTS[kind],
            }
        )
        if not follow:
            return
        # the tasks in the areas that changed are looked at again within days
        for task in self.current_tasks(date):
            if task.area in areas:
                day = self.later(date, 0, 10) or self.as_of
                task.reviews.append(day)

    def care_plan_reviews(self) -> None:
        rng = self.rng
        date: dt.date | None = self.day(rng.randint(20, 120))
        self.reviews: list[dt.date] = []
        while date is not None and date <= self.as_of:
            without_voice = self.chance(self.rates.review_without_voice)
            if not without_voice:
                voice_day = date - dt.timedelta(days=rng.randint(2, 25))
                self.add_voice(
                    voice_day,
                    direct=True,
                    captured_by=(self.members("advocate") or self.staff[1:2])[0]["id"],
                    setting="separate" if rng.random() < 0.7 else "with_advocate",
                )
            areas = rng.sample(
                [a for a in DEFAULT_REQUIRED_AREAS] + ["daily_living", "mobility_outdoors"],
                rng.randint(1, 3),
            )
            self.add_meeting("care_plan_review", date, areas, without_voice=without_voice)
            self.reviews.append(date)
            for task in self.current_tasks(date):
                if not task.family:
                    task.reviews.append(date)
            date = self.later(date, 330, 380)

    def partnership_reviews(self) -> None:
        rng = self.rng
        date: dt.date | None = self.day(rng.randint(100, 300))
        while date is not None and date <= self.as_of:
            family_tasks = [t for t in self.current_tasks(date) if t.family]
            if family_tasks and not self.flag_pa01 and rng.random() < 0.92:
                holders = sorted({t.record["holder"] for t in family_tasks})
                self.add_meeting(
                    "partnership_review",
                    date,
                    sorted({t.area for t in family_tasks})[:1],
                    reviews_tasks=[t.id for t in family_tasks],
                    family_present=holders,
                )
                for task in family_tasks:
                    task.reviews.append(date)
            date = self.later(date, 330, 400)

    def stale_task(self) -> None:
        """A change in need in the area of a family member's task, and no review since."""
        if not self.flag_stale:
            return
        candidates = [t for t in self.current_tasks(self.as_of) if t.family]
        if not candidates:
            return
        task = self.rng.choice(candidates)
        first = max(task.record["since"], task.record.get("agreed") or task.record["since"])
        earliest = max(first + dt.timedelta(days=1), self.as_of - dt.timedelta(days=300))
        if earliest > self.as_of - dt.timedelta(days=20):
            return
        day = earliest + dt.timedelta(days=self.rng.randint(0, (self.as_of - earliest).days - 20))
        self.add_event("needs_change", [task.area], day, follow=False)
        task.reviews = [r for r in task.reviews if r < day]
        for meeting in self.meetings:
            if meeting["date"] >= day and task.id in meeting.get("reviews_tasks", ()):
                meeting["reviews_tasks"].remove(task.id)
                if not meeting["reviews_tasks"]:
                    del meeting["reviews_tasks"]

    # -- the current plan, roles and consents -------------------------------------------

    def plan_roles_and_consents(self) -> None:
        rng = self.who
        family_ids = [m["id"] for m in self.family]
        current = self.current_tasks(self.as_of)
        required = list(DEFAULT_REQUIRED_AREAS)
        self.required_explicit = rng.random() < 0.15
        if self.required_explicit:
            required.append("mobility_outdoors")
        areas = list(required)
        for area in (
            [t.area for t in current]
            + sorted(self.lacks)
            + [a for a in _EXTRA_ROLE_AREAS if rng.random() < 0.4]
        ):
            if area not in areas:
                areas.append(area)
        self.required = required

        # who decides each area, on what basis
        deciders: dict[str, str | None] = {}
        delegated: dict[str, str] = {}
        for area in areas:
            holder = self.usable_holder(area)
            if area in self.lacks:
                if holder is not None:
                    deciders[area] = holder
                else:
                    gp = [m["id"] for m in self.members("professional") if m["job"] == "GP"]
                    deciders[area] = (
                        gp[0] if gp and area == "health_treatment" else self.team_leader()
                    )
                    self.ensure_best_interests(area)
            elif holder is not None and rng.random() < 0.5:
                deciders[area] = holder
            elif family_ids and area in ("finances_daily", "accommodation") and rng.random() < 0.12:
                deciders[area] = family_ids[0]
                delegated[area] = family_ids[0]
            else:
                deciders[area] = self.pid
        if self.flag_rc02:
            open_areas = [a for a in areas if self.usable_holder(a) is None and a not in delegated]
            if open_areas:
                area = rng.choice(open_areas)
                holders = [a["holder"] for a in self.authorities if not self.usable(a, area)]
                deciders[area] = holders[0] if holders else rng.choice(family_ids)
        if self.flag_rc01:
            deciders[rng.choice(areas)] = None

        version_date = self.reviews[-1] if self.reviews else self.start
        informed_pairs: dict[str, list[str]] = {}
        for area in areas:
            role: dict[str, Any] = {"area": area}
            if deciders[area] is not None:
                role["decides"] = deciders[area]
            role["supported_by"] = [self.keyworker()] + [m["id"] for m in self.members("advocate")]
            contributes = [f for f in family_ids if rng.random() < 0.6]
            if contributes:
                role["contributes"] = contributes
            informed = [f for f in family_ids if rng.random() < 0.5 and f != deciders[area]]
            if informed:
                role["informed"] = informed
                for f in informed:
                    informed_pairs.setdefault(f, []).append(area)
            if rng.random() < 0.85:
                role["reviewed"] = version_date
            self.roles.append(role)

        # consents: to share information with those informed, to delegate, to the plan
        sharer = (
            self.pid
            if "information_sharing" not in self.lacks
            else self.usable_holder("information_sharing")
        )
        leak = rng.choice(sorted(informed_pairs)) if self.flag_ic01 and informed_pairs else None
        for relative, relative_areas in sorted(informed_pairs.items()):
            covered = list(relative_areas)
            if relative == leak:
                covered = covered[1:]
            if sharer is None or not covered:
                if relative != leak:
                    # nobody can consent: the relative is not informed after all
                    for role in self.roles:
                        if relative in role.get("informed", []):
                            role["informed"].remove(relative)
                            if not role["informed"]:
                                del role["informed"]
                continue
            self.add_consent_history("share_information", sharer, [relative], covered)
        for area, relative in sorted(delegated.items()):
            self.add_consent_history("delegate_decision", self.pid, [relative], [area])
        plan_giver = self.pid
        if "personal_care" in self.lacks and self.usable_holder("personal_care"):
            plan_giver = self.usable_holder("personal_care") or self.pid
        for k, review in enumerate(self.reviews):
            if k == len(self.reviews) - 1 and self.flag_ic02:
                break
            self.consents.append(
                {
                    "id": self.next_id("c"),
                    "kind": "care_plan",
                    "given_by": plan_giver,
                    "date": review,
                }
            )
        self.version_date = version_date
        self.emotional_support = [m["id"] for m in self.family if m.get("informal_carer")]

    def ensure_best_interests(self, area: str) -> None:
        """The latest assessment in ``area`` has a best-interests decision on or after it."""
        latest = max((a for a in self.assessments if a["area"] == area), key=lambda a: a["date"])
        if not any(b["area"] == area and b["date"] >= latest["date"] for b in self.best_interests):
            self.add_best_interests(area, min(self.as_of, latest["date"]), latest["id"])

    def add_consent_history(
        self, kind: str, given_by: str, to: list[str], areas: list[str]
    ) -> None:
        """A current consent, sometimes after an earlier one that was withdrawn."""
        span = (self.as_of - self.start).days
        date = self.day(self.rng.randint(0, max(0, span - 10)))
        if self.rng.random() < 0.2:
            withdrawn = self.later(date, 1, 200)
            if withdrawn is not None:
                self.consents.append(
                    {
                        "id": self.next_id("c"),
                        "kind": kind,
                        "given_by": given_by,
                        "to": to,
                        "areas": areas,
                        "date": date,
                        "withdrawn": withdrawn,
                    }
                )
                date = self.later(withdrawn, 1, 120) or withdrawn
        self.consents.append(
            {
                "id": self.next_id("c"),
                "kind": kind,
                "given_by": given_by,
                "to": to,
                "areas": areas,
                "date": date,
            }
        )

    # -- the file ----------------------------------------------------------------------

    def assemble(self) -> dict[str, Any]:
        def by_date(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
            return sorted(records, key=lambda r: r["date"])

        person: dict[str, Any] = {
            "id": self.pid,
            "name": self.person_name,
            "date_of_birth": self.dob,
            "communication": {"methods": list(self.methods)},
        }
        if self.communication_notes:
            person["communication"]["notes"] = self.communication_notes
        tasks = []
        for task in self.tasks:
            record = dict(task.record)
            reviews = [r for r in task.reviews if r <= self.as_of]
            last = max(reviews) if reviews else None
            if last is not None and last != record.get("agreed"):
                record["reviewed"] = last
            tasks.append(record)
        plan: dict[str, Any] = {"version_date": self.version_date}
        if self.required_explicit:
            plan["required_areas"] = self.required
        if self.emotional_support:
            plan["emotional_support"] = self.emotional_support
        # Each kind's records by the registry's name of the kind, each put at its place.
        records: dict[str, list[dict[str, Any]]] = {
            "member": self.circle,
            "authority": self.authorities,
            "capacity_assessment": by_date(self.assessments),
            "best_interests": by_date(self.best_interests),
            "consent": by_date(self.consents),
            "plan": [plan],
            "role": self.roles,
            "task": tasks,
            "voice": by_date(self.voice),
            "meeting": by_date(self.meetings),
            "risk_assessment": by_date(self.risks),
            "graded_trial": self.trials,
            "incident": by_date(self.incidents),
            "event": by_date(self.events),
            "medicine": self.regimen,
            "medication_audit": self.med_audits,
            **self.v2,
        }
        data = casefile_data(
            service=(self.spec.service_id, self.spec.service_name),
            person=person,
            documents={spec.name: records.get(spec.name, []) for spec in RECORD_KINDS},
        )
        return {"kinwise": data.pop("kinwise"), "as_of": self.as_of, **data}


def _hazards_for(area: str) -> list[tuple[str, tuple[str, ...]]]:
    return list(words.HAZARDS.get(area, (("Harm during the activity", ("Staff nearby",)),)))
