"""Hypothesis strategies for valid case files (casefile.md, format version 1, and
docs/spec/casefile-v2.md: about half the files drawn hold version 2's records).

``casefiles()`` draws the parsed data of a file (a dict, as YAML or JSON would give it)
that passes ``validate_data``: ids unique across the file, every reference naming a
record of an accepted kind, and every stated constraint kept (the capacity test, one
assessment per area and date, at most one role per area and one decision per area in
a meeting, dates not before the dates they follow, ...). Dates spread around ``AS_OF``
so that some records are dated after it. ``late_records()`` draws records dated after
a given date, to add to a file.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any, TypeVar

from hypothesis import strategies as st

from kinwise.casefile.kinds import RECORD_KINDS
from kinwise.casefile.vocab import (
    AREA_CATEGORY,
    AREAS,
    AUTHORITY_KINDS,
    METHODS,
    TASKS,
)

AS_OF = date(2026, 6, 1)
EARLIEST = -800  # days from AS_OF
LATEST = 60

T = TypeVar("T")
Draw = Callable[[st.SearchStrategy[Any]], Any]

OPTIONAL_TEXT = st.sampled_from([None, "", "  ", "Said clearly what mattered.", "Ja."])
MEETING_KINDS = (
    "care_plan_review",
    "joint_planning",
    "risk_review",
    "best_interests",
    "partnership_review",
)
EVENT_KINDS = (
    "needs_change",
    "diagnosis",
    "hospital_discharge",
    "medication_change",
    "capacity_change",
    "complaint",
    "safeguarding_concern",
)
SEVERITIES = ("none", "low", "moderate", "high", "severe")
POSITIONS = ("proceed", "proceed_with_controls", "graded_trial", "not_proceed")
ROUTES = ("oral", "topical", "inhaled", "injection", "enteral", "other")
SETTINGS = ("separate", "joint_meeting", "with_advocate", "everyday")


def _iso(offset: int, start: date = AS_OF) -> str:
    return (start + timedelta(days=offset)).isoformat()


def _day(draw: Draw, lo: int = EARLIEST, hi: int = LATEST) -> int:
    return int(draw(st.integers(lo, hi)))


def _subset(draw: Draw, items: Sequence[T], *, min_size: int = 0, max_size: int = 4) -> list[T]:
    """Distinct items, in the order drawn."""
    if not items:
        return []
    size = min(max_size, len(items))
    chosen: list[T] = draw(
        st.lists(
            st.sampled_from(list(items)), min_size=min(min_size, size), max_size=size, unique=True
        )
    )
    return chosen


def _maybe(draw: Draw, value: T) -> T | None:
    return value if draw(st.booleans()) else None


def _put(record: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """Set the fields that are not None (an absent optional field)."""
    record.update({k: v for k, v in fields.items() if v is not None})
    return record


class _Ids:
    def __init__(self) -> None:
        self.counts: dict[str, int] = {}

    def new(self, prefix: str) -> str:
        self.counts[prefix] = self.counts.get(prefix, 0) + 1
        return f"{prefix}{self.counts[prefix]}"


@st.composite
def casefiles(draw: Draw, *, max_records: int = 3) -> dict[str, Any]:
    """The data of a valid case file for person ``p``, dates around AS_OF."""
    ids = _Ids()
    n = max_records

    # -- the person and the circle --------------------------------------------------------
    person = {
        "id": "p",
        "name": draw(st.sampled_from(["Pat Doe", "Zoë Ågren", "Li Wei"])),
        "communication": {"methods": _subset(draw, METHODS, min_size=1, max_size=3)},
    }
    circle: list[dict[str, Any]] = []
    for kind, prefix, lo, hi in (
        ("family", "fam", 0, 3),
        ("friend", "fr", 0, 1),
        ("staff", "st", 1, 3),
        ("professional", "pro", 0, 2),
        ("advocate", "adv", 0, 1),
    ):
        for _ in range(draw(st.integers(lo, hi))):
            ident = ids.new(prefix)
            member: dict[str, Any] = {"id": ident, "name": f"Member {ident}", "kind": kind}
            if kind in ("family", "friend", "staff") and draw(st.booleans()):
                member["trained"] = {t: _iso(_day(draw)) for t in _subset(draw, TASKS, max_size=2)}
            if kind in ("family", "friend"):
                member["informal_carer"] = draw(st.booleans())
            circle.append(member)
    family = [m["id"] for m in circle if m["kind"] in ("family", "friend")]
    staff_or_pro = [m["id"] for m in circle if m["kind"] in ("staff", "professional")]
    capturers = [m["id"] for m in circle if m["kind"] in ("staff", "professional", "advocate")]
    members = [m["id"] for m in circle]
    people = ["p", *members]

    # -- legal authorities ----------------------------------------------------------------
    authorities: list[dict[str, Any]] = []
    for holder in family:
        if not draw(st.booleans()):
            continue
        kind = draw(st.sampled_from(AUTHORITY_KINDS))
        category_areas = [
            a
            for a in AREAS
            if AREA_CATEGORY[a] == ("property" if "property" in kind else "welfare")
        ]
        areas = (
            _subset(draw, category_areas, min_size=1, max_size=3)
            if kind.startswith("deputy_") or draw(st.booleans())
            else None
        )
        registered = _maybe(draw, _day(draw))
        revoked = (
            _iso(registered + draw(st.integers(0, 400)))
            if registered is not None and draw(st.booleans())
            else None
        )
        authorities.append(
            _put(
                {"id": ids.new("auth"), "holder": holder, "kind": kind},
                registered=_iso(registered) if registered is not None else None,
                areas=areas,
                revoked=revoked,
            )
        )
    holders = sorted({a["holder"] for a in authorities})

    # -- capacity assessments and best interests --------------------------------------------
    assessments: list[dict[str, Any]] = []
    for area in _subset(draw, AREAS, max_size=3):
        for offset in sorted(set(draw(st.lists(st.integers(EARLIEST, LATEST), max_size=2)))):
            impairment = draw(st.booleans())
            abilities = [draw(st.booleans()) for _ in range(4)]
            assessments.append(
                _put(
                    {
                        "id": ids.new("ca"),
                        "area": area,
                        "decision": f"Decision about {area}",
                        "date": _iso(offset),
                        "assessor": draw(st.sampled_from(staff_or_pro)),
                        "impairment": impairment,
                        "understand": abilities[0],
                        "retain": abilities[1],
                        "weigh": abilities[2],
                        "communicate": abilities[3],
                        "outcome": (
                            "lacks_capacity"
                            if impairment and not all(abilities)
                            else "has_capacity"
                        ),
                    },
                    support_given=draw(OPTIONAL_TEXT),
                    review_by=_maybe(draw, _iso(_day(draw))),
                )
            )
    best_interests: list[dict[str, Any]] = []
    for _ in range(draw(st.integers(0, n if assessments else 0))):
        basis = draw(st.sampled_from(assessments))
        best_interests.append(
            _put(
                {
                    "id": ids.new("bi"),
                    "area": basis["area"],
                    "decision": "In their best interests",
                    "date": _iso(_day(draw)),
                    "decision_maker": draw(st.sampled_from(staff_or_pro)),
                    "capacity_assessment": basis["id"],
                    "consulted": _subset(draw, members),
                },
                persons_wishes=draw(OPTIONAL_TEXT),
            )
        )

    # -- consents -------------------------------------------------------------------------
    consents: list[dict[str, Any]] = []
    for _ in range(draw(st.integers(0, n))):
        kinds = ["care_plan"] + (["share_information", "delegate_decision"] if family else [])
        kind = draw(st.sampled_from(kinds))
        given = _day(draw)
        record: dict[str, Any] = {
            "id": ids.new("c"),
            "kind": kind,
            "given_by": draw(st.sampled_from(["p", "p", *holders])),
            "date": _iso(given),
        }
        if kind != "care_plan":
            record["to"] = _subset(draw, family, min_size=1, max_size=2)
            record["areas"] = _subset(draw, AREAS, min_size=1, max_size=3)
        if draw(st.booleans()):
            record["withdrawn"] = _iso(given + draw(st.integers(0, 300)))
        consents.append(record)

    # -- the plan ---------------------------------------------------------------------------
    tasks: list[dict[str, Any]] = []
    for _ in range(draw(st.integers(0, n))):
        since = _day(draw)
        tasks.append(
            _put(
                {
                    "id": ids.new("t"),
                    "task": draw(st.sampled_from(TASKS)),
                    "area": draw(st.sampled_from(AREAS)),
                    "holder": draw(st.sampled_from([*family, *staff_or_pro])),
                    "since": _iso(since),
                },
                agreed=_maybe(draw, _iso(_day(draw))),
                reviewed=_maybe(draw, _iso(_day(draw))),
                ended=_maybe(draw, _iso(since + draw(st.integers(0, 400)))),
            )
        )
    roles = [
        _put(
            {
                "area": area,
                "supported_by": _subset(draw, members, max_size=2),
                "contributes": _subset(draw, members, max_size=2),
                "informed": _subset(draw, members, max_size=3),
            },
            decides=_maybe(draw, draw(st.sampled_from(["p", "p", *family, *staff_or_pro]))),
            reviewed=_maybe(draw, _iso(_day(draw))),
        )
        for area in _subset(draw, AREAS, max_size=len(AREAS))
    ]
    plan = _put(
        {
            "version_date": _iso(_day(draw)),
            "roles": roles,
            "tasks": tasks,
            "emotional_support": _subset(draw, family),
        },
        required_areas=_maybe(draw, _subset(draw, AREAS, max_size=4)),
    )

    # -- voice ------------------------------------------------------------------------------
    voice: list[dict[str, Any]] = []
    for _ in range(draw(st.integers(0, n))):
        setting = draw(st.sampled_from(SETTINGS))
        may_be_present = [x for x in people if setting != "separate" or x not in family]
        voice.append(
            _put(
                {
                    "id": ids.new("v"),
                    "date": _iso(_day(draw)),
                    "method": draw(st.sampled_from(METHODS)),
                    "setting": setting,
                    "captured_by": draw(st.sampled_from(capturers)),
                    "present": _subset(draw, may_be_present, max_size=3),
                    "direct": draw(st.booleans()),
                    "summary": "What was said.",
                },
                area=_maybe(draw, draw(st.sampled_from(AREAS))),
            )
        )

    # -- risks, trials, incidents, events, medication ---------------------------------------
    risks: list[dict[str, Any]] = []
    for _ in range(draw(st.integers(0, n))):
        risks.append(
            _put(
                {
                    "id": ids.new("ra"),
                    "area": draw(st.sampled_from(AREAS)),
                    "activity": "An activity",
                    "date": _iso(_day(draw)),
                    "participants": _subset(draw, people, min_size=1, max_size=3),
                    "hazards": [
                        {
                            "hazard": "A hazard",
                            "likelihood": draw(st.integers(1, 5)),
                            "severity": draw(st.integers(1, 5)),
                            "controls": ["A control"] if draw(st.booleans()) else [],
                            "residual_likelihood": draw(st.integers(1, 5)),
                            "residual_severity": draw(st.integers(1, 5)),
                        }
                    ],
                    "person_agrees": draw(st.booleans()),
                    "agreed_position": draw(st.sampled_from(POSITIONS)),
                    "review_by": _iso(_day(draw, EARLIEST, LATEST + 300)),
                },
                persons_view=draw(OPTIONAL_TEXT),
                family_view=draw(OPTIONAL_TEXT),
            )
        )
    trials: list[dict[str, Any]] = []
    for risk in risks:
        if not draw(st.booleans()):
            continue
        stages = [
            {
                "id": ids.new("stage"),
                "description": "A stage",
                "support": draw(
                    st.sampled_from(["accompanied", "shadowed", "remote", "independent"])
                ),
                "advance_after": draw(st.integers(1, 3)),
            }
            for _ in range(draw(st.integers(1, 3)))
        ]
        stage_ids = [s["id"] for s in stages]
        sessions = [
            {
                "date": _iso(_day(draw)),
                "stage": draw(st.sampled_from(stage_ids)),
                "outcome": draw(st.sampled_from(["completed", "completed", "stopped"])),
            }
            for _ in range(draw(st.integers(0, 8)))
        ]
        trials.append(
            {
                "id": ids.new("gt"),
                "risk_assessment": risk["id"],
                "stages": stages,
                "sessions": sessions,
            }
        )
    trial_ids = [t["id"] for t in trials]
    incidents = [
        _put(
            {
                "id": ids.new("i"),
                "date": _iso(_day(draw)),
                "area": draw(st.sampled_from(AREAS)),
                "severity": draw(st.sampled_from(SEVERITIES)),
                "safeguarding": draw(st.booleans()),
                "description": "What happened.",
            },
            trial=_maybe(draw, draw(st.sampled_from(trial_ids))) if trial_ids else None,
        )
        for _ in range(draw(st.integers(0, n)))
    ]
    events = [
        {
            "id": ids.new("e"),
            "date": _iso(_day(draw)),
            "kind": draw(st.sampled_from(EVENT_KINDS)),
            "areas": _subset(draw, AREAS, min_size=1, max_size=2),
            "description": "What changed.",
        }
        for _ in range(draw(st.integers(0, n)))
    ]
    regimen = []
    for index in range(draw(st.integers(0, 4))):
        started = _maybe(draw, _day(draw))
        stopped = (
            (started if started is not None else EARLIEST) + draw(st.integers(0, 500))
            if draw(st.booleans())
            else None
        )
        regimen.append(
            _put(
                {
                    "name": f"Medicine {index}",
                    "doses_per_day": draw(
                        st.one_of(st.integers(0, 10), st.sampled_from([0.5, 2.5]))
                    ),
                    "time_critical": draw(st.booleans()),
                    "controlled": draw(st.booleans()),
                    "prn": draw(st.booleans()),
                    "route": draw(st.sampled_from(ROUTES)),
                },
                started=_iso(started) if started is not None else None,
                stopped=_iso(stopped) if stopped is not None else None,
            )
        )
    audits = []
    for _ in range(draw(st.integers(0, 2))):
        checked = draw(st.integers(1, 100))
        audits.append(
            {
                "id": ids.new("ma"),
                "date": _iso(_day(draw)),
                "auditor": draw(st.sampled_from(staff_or_pro)),
                "doses_checked": checked,
                "errors": draw(st.integers(0, checked)),
            }
        )

    # -- meetings -------------------------------------------------------------------------
    evidence_ids = (
        [r["id"] for r in risks]
        + trial_ids
        + [i["id"] for i in incidents]
        + [e["id"] for e in events]
        + [v["id"] for v in voice]
        + [a["id"] for a in assessments]
        + [b["id"] for b in best_interests]
        + [a["id"] for a in audits]
    )
    voice_ids = [v["id"] for v in voice]
    task_ids = [t["id"] for t in tasks]
    meetings = []
    for _ in range(draw(st.integers(0, n))):
        kind = draw(st.sampled_from(MEETING_KINDS))
        attendees = _subset(draw, people, min_size=1, max_size=4)
        facilitators = [a for a in attendees if a != "p"]
        contributions = []
        for _ in range(draw(st.integers(0, 4))):
            by = draw(st.sampled_from(attendees))
            contributions.append(
                _put(
                    {"by": by, "text": "A contribution."},
                    on_behalf_of="p" if by != "p" and draw(st.booleans()) else None,
                    area=_maybe(draw, draw(st.sampled_from(AREAS))),
                )
            )
        decisions = [
            _put(
                {
                    "area": area,
                    "outcome": "An outcome.",
                    "disagreement": draw(st.booleans()),
                    "evidence": _subset(draw, evidence_ids, max_size=2),
                },
                persons_view=(
                    _maybe(draw, draw(st.sampled_from(voice_ids))) if voice_ids else None
                ),
                rationale=draw(OPTIONAL_TEXT),
            )
            for area in _subset(draw, AREAS, max_size=2)
        ]
        meetings.append(
            _put(
                {
                    "id": ids.new("m"),
                    "date": _iso(_day(draw)),
                    "kind": kind,
                    "attendees": attendees,
                    "contributions": contributions,
                    "decisions": decisions,
                    "reviews_tasks": (
                        _subset(draw, task_ids, max_size=2) if kind == "partnership_review" else []
                    ),
                },
                facilitator=(
                    _maybe(draw, draw(st.sampled_from(facilitators))) if facilitators else None
                ),
            )
        )

    v2 = (
        _version_two(
            draw, ids, circle, tasks, meetings, risks, trials, consents, best_interests, authorities
        )
        if draw(st.booleans())
        else {}
    )
    if v2.pop("carer_unwell", None):
        events.extend(v2.pop("events"))
    return placed(
        person,
        {
            **{k: [] for k in _V2_KINDS},
            **v2,
            "member": circle,
            "authority": authorities,
            "capacity_assessment": assessments,
            "best_interests": best_interests,
            "consent": consents,
            "plan": [{k: v for k, v in plan.items() if k not in ("roles", "tasks")}],
            "role": roles,
            "task": tasks,
            "voice": voice,
            "meeting": meetings,
            "risk_assessment": risks,
            "graded_trial": trials,
            "incident": incidents,
            "event": events,
            "medicine": regimen,
            "medication_audit": audits,
        },
    )


_V2_KINDS = tuple(k.name for k in RECORD_KINDS if k.version == 2)


def _version_two(
    draw: Draw,
    ids: _Ids,
    circle: list[dict[str, Any]],
    tasks: list[dict[str, Any]],
    meetings: list[dict[str, Any]],
    risks: list[dict[str, Any]],
    trials: list[dict[str, Any]],
    consents: list[dict[str, Any]],
    best_interests: list[dict[str, Any]],
    authorities: list[dict[str, Any]],
) -> dict[str, Any]:
    """Format version 2's records (docs/spec/casefile-v2.md) for a drawn file, valid."""
    members = [m["id"] for m in circle]
    family = [m["id"] for m in circle if m["kind"] in ("family", "friend")]
    staff_or_pro = [m["id"] for m in circle if m["kind"] in ("staff", "professional")]
    staff = [m["id"] for m in circle if m["kind"] == "staff"]
    people = ["p", *members]
    out: dict[str, Any] = {k: [] for k in _V2_KINDS}

    def after(day: int, most: int = 120) -> tuple[int, str]:
        later = day + int(draw(st.integers(0, most)))
        return later, _iso(later)

    for _ in range(draw(st.integers(0, 2))) if family else ():
        view = {
            "id": ids.new("fv"),
            "author": draw(st.sampled_from(family)),
            "date": _iso(_day(draw)),
            "area": draw(st.sampled_from(AREAS)),
            "text": "What the family thinks.",
        }
        which = draw(st.sampled_from(["none", "meeting", "risk"]))
        if which == "meeting" and meetings:
            view["meeting"] = draw(st.sampled_from(meetings))["id"]
        if which == "risk" and risks:
            view["risk_assessment"] = draw(st.sampled_from(risks))["id"]
        out["family_view"].append(view)
    for _ in range(draw(st.integers(0, 2))):
        day = _day(draw)
        area = draw(st.sampled_from(AREAS))
        raised_by = draw(st.sampled_from(people))
        concern: dict[str, Any] = {
            "id": ids.new("cn"),
            "kind": draw(st.sampled_from(["complaint", "concern", "disagreement"])),
            "raised_by": raised_by,
            "date": _iso(day),
            "area": area,
        }
        with_decision = [m for m in meetings if any(d["area"] == area for d in m["decisions"])]
        if with_decision and draw(st.booleans()):
            concern |= {"about": draw(st.sampled_from(with_decision))["id"], "decision": True}
        elif risks and draw(st.booleans()):
            concern["about"] = draw(st.sampled_from(risks))["id"]
        for key, most in (("acknowledged", 8), ("imca_referral", 30), ("closed", 60)):
            if draw(st.booleans()):
                concern[key] = after(day, most)[1]
        if staff_or_pro and draw(st.booleans()):
            concern["response"] = {
                "date": after(day, 40)[1],
                "by": draw(st.sampled_from(staff_or_pro)),
                "text": "Our reasoned reply.",
            }
        if draw(st.booleans()):
            concern["delay"] = {"date": after(day, 40)[1], "reason": "Waiting for the GP."}
        if draw(st.booleans()):
            concern["stages"] = [{"stage": "local_resolution", "date": after(day, 5)[1]}]
        concern["outcome"] = draw(OPTIONAL_TEXT)
        concern["next_stage_told"] = draw(st.booleans())
        out["concern"].append({k: v for k, v in concern.items() if v is not None})
        if raised_by != "p" and draw(st.booleans()):
            out["role_change"].append(
                _put(
                    {
                        "id": ids.new("rc"),
                        "date": after(day, 100)[1],
                        "area": area,
                        "member": raised_by,
                        "role": draw(st.sampled_from(["contributes", "informed", "supported_by"])),
                        "change": draw(st.sampled_from(["added", "removed"])),
                    },
                    reason=draw(OPTIONAL_TEXT),
                    recorded_by=draw(st.sampled_from(staff)) if staff else None,
                )
            )
    holders = {t["holder"] for t in tasks if t["holder"] in family}
    for carer in sorted(holders):
        if not draw(st.booleans()):
            continue
        day = _day(draw)
        held = [t["id"] for t in tasks if t["holder"] == carer]
        covered = _subset(draw, held, max_size=len(held))
        others = [m for m in members if m != carer]
        plan: dict[str, Any] = {
            "id": ids.new("cp"),
            "carer": carer,
            "date": _iso(day),
            "assessment": draw(st.sampled_from(["not_offered", "offered", "referred", "declined"])),
            "contingencies": [
                {"task": t, "steps_in": draw(st.sampled_from(others)), "contact": "Phone"}
                for t in covered
            ]
            if others
            else [],
        }
        if not others:
            covered = []
        for key in ("asked", "reviewed"):
            if draw(st.booleans()):
                plan[key] = after(day, 400)[1]
        if covered and draw(st.booleans()):
            plan["used"] = [{"date": after(day, 200)[1], "task": draw(st.sampled_from(covered))}]
        out["carer_plan"].append(plan)
        if draw(st.booleans()):
            out["carer_unwell"] = True
            out.setdefault("events", []).append(
                {
                    "id": ids.new("ev2"),
                    "date": _iso(_day(draw)),
                    "kind": "carer_unwell",
                    "areas": [draw(st.sampled_from(AREAS))],
                    "description": "The carer is in hospital.",
                    "carer": carer,
                }
            )
    for _ in range(draw(st.integers(0, 2))):
        day = _day(draw)
        set_by = draw(st.sampled_from(people))
        goal: dict[str, Any] = {
            "id": ids.new("g"),
            "date": _iso(day),
            "area": draw(st.sampled_from(AREAS)),
            "words": "I want to cook.",
            "set_by": set_by,
            "baseline": draw(st.integers(0, 10)),
            "review_every": draw(st.sampled_from([30, 90, 365])),
            "reviews": [
                {"date": after(day, 200)[1], "score": draw(st.integers(0, 10))}
                for _ in range(draw(st.integers(0, 2)))
            ],
        }
        if set_by != "p" and draw(st.booleans()):
            goal["person_agrees"] = draw(st.booleans())
        if draw(st.booleans()):
            goal["ended"] = after(day, 300)[1]
        out["goal"].append(goal)
    own_consents = [c["id"] for c in consents if c["given_by"] == "p"]
    for _ in range(draw(st.integers(0, 2))) if members else ():
        day = _day(draw)
        restriction: dict[str, Any] = {
            "id": ids.new("rs"),
            "date": _iso(day),
            "area": draw(st.sampled_from(AREAS)),
            "what": "Locked kitchen cupboard.",
            "proposed_by": draw(st.sampled_from(members)),
            "review_by": after(day, 200)[1],
        }
        bases = [("court_order", None), (None, None)]
        bases += [("consent", c) for c in own_consents]
        bases += [("best_interests", b["id"]) for b in best_interests]
        bases += [("authority", a["id"]) for a in authorities]
        basis, record = draw(st.sampled_from(bases))
        restriction = _put(restriction, basis=basis, basis_record=record)
        if draw(st.booleans()):
            restriction["ended"] = after(day, 300)[1]
        if trials and draw(st.booleans()):
            restriction["replaced_by"] = draw(st.sampled_from(trials))["id"]
        out["restriction"].append(restriction)
    return out


def placed(person: dict[str, Any], records: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """A file's data from the person and each kind's records by the registry's name of the
    kind, every list at its place (an empty list too, for a kind of format version 1): a
    registered kind that the strategies do not draw fails here with its name. The file is
    of the lowest format version that holds its records."""
    two = any(records[k] for k in _V2_KINDS) or any(
        e.get("kind") == "carer_unwell" for e in records.get("event", [])
    )
    data: dict[str, Any] = {"kinwise": 2 if two else 1, "person": person}
    for spec in RECORD_KINDS:
        got = records[spec.name]
        if spec.version > 1 and not got:
            continue
        if spec.single:
            (data[spec.place[0]],) = got
        else:
            spec.items_in(data).extend(got)
    return data


@st.composite
def late_records(draw: Draw, data: dict[str, Any], *, after: date) -> dict[str, Any]:
    """A copy of ``data`` with one or more records added whose own date is after ``after``
    (the references they hold are valid; nothing existing is changed)."""
    import copy

    out = copy.deepcopy(data)
    members = [m["id"] for m in out["circle"]]
    family = [m["id"] for m in out["circle"] if m["kind"] in ("family", "friend")]
    staff_or_pro = [m["id"] for m in out["circle"] if m["kind"] in ("staff", "professional")]
    people = ["p", *members]

    def later() -> str:
        return _iso(draw(st.integers(1, 200)), after)

    def tag() -> str:
        return f"late{draw(st.integers(0, 10**6))}x{len(out['voice']) + len(out['meetings'])}"

    kinds = draw(
        st.lists(
            st.sampled_from(
                [
                    "voice",
                    "meeting",
                    "capacity_assessment",
                    "consent",
                    "risk_assessment",
                    "incident",
                    "event",
                    "task",
                    "authority",
                    "medicine",
                    "session",
                    "medication_audit",
                ]
            ),
            min_size=1,
            max_size=3,
        )
    )
    for n, kind in enumerate(kinds):
        ident = f"{tag()}n{n}"
        if kind == "voice":
            out["voice"].append(
                {
                    "id": ident,
                    "date": later(),
                    "method": draw(st.sampled_from(METHODS)),
                    "setting": "everyday",
                    "captured_by": draw(st.sampled_from(staff_or_pro)),
                    "direct": True,
                    "summary": "Late view.",
                }
            )
        elif kind == "meeting":
            attendees = _subset(draw, people, min_size=1, max_size=3)
            task_ids = [t["id"] for t in out["plan"].get("tasks", [])]
            voice_ids = [v["id"] for v in out["voice"]]
            out["meetings"].append(
                {
                    "id": ident,
                    "date": later(),
                    "kind": "partnership_review",
                    "attendees": attendees,
                    "contributions": [{"by": attendees[0], "text": "Late.", "area": "medication"}],
                    "decisions": [
                        _put(
                            {"area": draw(st.sampled_from(AREAS)), "outcome": "Late."},
                            persons_view=voice_ids[0] if voice_ids else None,
                        )
                    ],
                    "reviews_tasks": _subset(draw, task_ids, max_size=2),
                }
            )
        elif kind == "capacity_assessment":
            out["capacity_assessments"].append(
                {
                    "id": ident,
                    "area": draw(st.sampled_from(AREAS)),
                    "decision": "Late decision",
                    "date": later(),
                    "assessor": draw(st.sampled_from(staff_or_pro)),
                    "impairment": True,
                    "understand": False,
                    "retain": True,
                    "weigh": True,
                    "communicate": True,
                    "outcome": "lacks_capacity",
                }
            )
        elif kind == "consent":
            record: dict[str, Any] = {"id": ident, "given_by": "p", "date": later()}
            if family and draw(st.booleans()):
                record.update(
                    kind=draw(st.sampled_from(["share_information", "delegate_decision"])),
                    to=family[:1],
                    areas=list(AREAS),
                )
            else:
                record["kind"] = "care_plan"
            out["consents"].append(record)
        elif kind == "risk_assessment":
            out["risk_assessments"].append(
                {
                    "id": ident,
                    "area": draw(st.sampled_from(AREAS)),
                    "activity": "Late activity",
                    "date": later(),
                    "participants": ["p"],
                    "hazards": [
                        {
                            "hazard": "H",
                            "likelihood": 1,
                            "severity": 1,
                            "residual_likelihood": 1,
                            "residual_severity": 1,
                        }
                    ],
                    "person_agrees": False,
                    "agreed_position": "not_proceed",
                    "review_by": _iso(-10, after),
                }
            )
        elif kind == "incident":
            trial_ids = [t["id"] for t in out["graded_trials"]]
            out["incidents"].append(
                _put(
                    {
                        "id": ident,
                        "date": later(),
                        "area": draw(st.sampled_from(AREAS)),
                        "severity": "severe",
                        "safeguarding": True,
                        "description": "Late.",
                    },
                    trial=trial_ids[0] if trial_ids else None,
                )
            )
        elif kind == "event":
            out["events"].append(
                {
                    "id": ident,
                    "date": later(),
                    "kind": draw(st.sampled_from(EVENT_KINDS)),
                    "areas": list(AREAS),
                    "description": "Late.",
                }
            )
        elif kind == "task":
            out["plan"].setdefault("tasks", []).append(
                {
                    "id": ident,
                    "task": "administer_medication",
                    "area": draw(st.sampled_from(AREAS)),
                    "holder": draw(st.sampled_from([*family, *staff_or_pro])),
                    "since": later(),
                }
            )
        elif kind == "authority" and family:
            out["legal_authorities"].append(
                {
                    "id": ident,
                    "holder": family[0],
                    "kind": "lpa_health_welfare",
                    "registered": later(),
                }
            )
        elif kind == "medicine":
            out["medication"]["regimen"].append(
                {
                    "name": "Late medicine",
                    "doses_per_day": 20,
                    "time_critical": True,
                    "route": "injection",
                    "started": later(),
                }
            )
        elif kind == "session" and out["graded_trials"]:
            trial = draw(st.sampled_from(out["graded_trials"]))
            trial["sessions"].append(
                {
                    "date": later(),
                    "stage": draw(st.sampled_from([s["id"] for s in trial["stages"]])),
                    "outcome": "stopped",
                }
            )
        elif kind == "medication_audit":
            out["medication"]["audits"].append(
                {
                    "id": ident,
                    "date": later(),
                    "auditor": draw(st.sampled_from(staff_or_pro)),
                    "doses_checked": 10,
                    "errors": 5,
                }
            )
    return out
