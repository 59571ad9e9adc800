"""The person's voice (VO01–VO05).

Seed pressure point: staff deferring to relatives due to confidence gaps or fear of
complaints; the inspector's expectation that partnership enhances, rather than
overrides, the person's rights and voice.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from kinwise.casefile.vocab import METHOD_LABELS
from kinwise.rules.base import (
    PP_DEFERRING,
    QS_INDEPENDENCE,
    QS_INFORMATION,
    QS_PARTNERSHIPS,
    QS_PERSON_CENTRED,
    AuditContext,
    Hit,
    area_label,
    rule,
    when,
)
from kinwise.rules.terms import VOICE_WINDOW_DAYS, voice_category


@rule(
    "VO01",
    severity="high",
    title="Care plan reviews hear from the person",
    subject_form="meeting:<id>",
    pressure_point=PP_DEFERRING,
    quality_statements=(QS_PERSON_CENTRED, QS_INDEPENDENCE),
    checks=(
        "Each care plan review in the audit period has a contribution from the person, "
        "or a record of the person's own views gathered in the 30 days before it."
    ),
    why="A review of someone's care without their own voice is a review about them, not with them.",
    fix=(
        "Gather the person's views directly, in their own way of communicating, before "
        "the review, or support them to contribute in it."
    ),
    period=True,
)
def vo01_review_hears_person(ctx: AuditContext) -> Iterator[Hit]:
    """VO01: a care_plan_review with no contribution by the person and no direct voice
    record dated from 30 days before the meeting to the meeting."""
    facts = ctx.facts
    person_id = facts.person.id
    for meeting in facts.meetings:
        if meeting.kind != "care_plan_review" or not ctx.in_period(meeting.date):
            continue
        if any(c.by == person_id for c in meeting.contributions):
            continue
        start = meeting.date - timedelta(days=VOICE_WINDOW_DAYS)
        if any(v.direct and start <= v.date <= meeting.date for v in facts.voice):
            continue
        yield Hit(
            f"meeting:{meeting.id}",
            f"The care plan review of {when(meeting.date)} has no contribution from "
            f"{ctx.person}, and none of {ctx.person}'s own views were gathered in the "
            f"30 days before it. Gather {ctx.person}'s views directly, in "
            f"{ctx.person}'s own way of communicating, and bring them to the review.",
            (meeting.id,),
        )


@rule(
    "VO02",
    severity="medium",
    title="Others do not speak for the person more than the person speaks",
    subject_form="meeting:<id>",
    pressure_point=PP_DEFERRING,
    quality_statements=(QS_PERSON_CENTRED, QS_INDEPENDENCE),
    checks=(
        "In each meeting in the audit period, contributions made on the person's behalf "
        "do not outnumber the person's own contributions."
    ),
    why="When others answer for the person, their views can replace the person's own.",
    fix=(
        "Support the person to speak for themselves (time, communication aids, an "
        "advocate) and record their own contributions."
    ),
    period=True,
)
def vo02_not_spoken_for(ctx: AuditContext) -> Iterator[Hit]:
    """VO02: contributions on behalf of the person outnumber contributions by the person."""
    person_id = ctx.facts.person.id
    for meeting in ctx.facts.meetings:
        if not ctx.in_period(meeting.date):
            continue
        voices = [
            voice_category(c.by, c.on_behalf_of, person_id, ctx.facts.kind_of(c.by))
            for c in meeting.contributions
        ]
        own = voices.count("own")
        for_them = [v for v in voices if v == "for"]
        if len(for_them) <= own:
            continue
        yield Hit(
            f"meeting:{meeting.id}",
            f"In the meeting of {when(meeting.date)}, others spoke on {ctx.person}'s "
            f"behalf {len(for_them)} time(s) and {ctx.person} spoke {own} time(s). "
            f"Support {ctx.person} to give their own views (time, communication aids or "
            "an advocate) and record them as their contributions.",
            (meeting.id,),
        )


@rule(
    "VO03",
    severity="high",
    title="Each decision rests on the person's own view",
    subject_form="decision:<meeting>/<area>",
    pressure_point=PP_DEFERRING,
    quality_statements=(QS_PERSON_CENTRED, QS_INDEPENDENCE),
    checks=(
        "Each decision of a meeting in the audit period points to a record of the "
        "person's own view, or the person contributed on that area in the meeting."
    ),
    why="A decision about someone's life should show what they themselves wanted.",
    fix=(
        "Link the decision to a record of the person's own view, or gather that view and "
        "revisit the decision."
    ),
    period=True,
)
def vo03_decision_has_persons_view(ctx: AuditContext) -> Iterator[Hit]:
    """VO03: a decision whose ``persons_view`` is not a direct voice record, in a meeting
    with no contribution by the person on the decision's area."""
    facts = ctx.facts
    person_id = facts.person.id
    for meeting in facts.meetings:
        if not ctx.in_period(meeting.date):
            continue
        spoke_on = {c.area for c in meeting.contributions if c.by == person_id}
        for decision in meeting.decisions:
            view = (
                facts.voice_by_id.get(decision.persons_view)
                if decision.persons_view is not None
                else None
            )
            if view is not None and view.direct:
                continue
            if decision.area in spoke_on:
                continue
            label = area_label(decision.area)
            yield Hit(
                f"decision:{meeting.id}/{decision.area}",
                f"The decision about {label} at the meeting of {when(meeting.date)} does "
                f"not show {ctx.person}'s own view: it links no record of {ctx.person}'s "
                f"own words, and {ctx.person} did not contribute on {label} in the "
                f"meeting. Gather {ctx.person}'s view on {label}, link it to the decision, "
                "and revisit the decision if the view differs.",
                (meeting.id,) + ((view.id,) if view is not None else ()),
            )


@rule(
    "VO04",
    severity="low",
    title="The person's views are gathered in their own way of communicating",
    subject_form="voice:<id>",
    pressure_point=PP_DEFERRING,
    quality_statements=(QS_PERSON_CENTRED, QS_INFORMATION),
    checks=(
        "Each record of the person's own view in the audit period used one of the "
        "person's recorded communication methods."
    ),
    why=("Views gathered in a way the person does not use may be someone else's interpretation."),
    fix=(
        "Gather the view again using the person's communication methods, or update "
        "their communication profile if it has changed."
    ),
    period=True,
)
def vo04_accessible_method(ctx: AuditContext) -> Iterator[Hit]:
    """VO04: a direct voice record gathered by a method the person does not use."""
    methods = ctx.facts.person.methods
    preferred = ", ".join(sorted(METHOD_LABELS.get(m, m) for m in methods))
    for voice in ctx.facts.voice:
        if not voice.direct or voice.method in methods or not ctx.in_period(voice.date):
            continue
        yield Hit(
            f"voice:{voice.id}",
            f"{ctx.person}'s views of {when(voice.date)} were gathered by "
            f"{METHOD_LABELS.get(voice.method, voice.method)}, which is not one of "
            f"{ctx.person}'s ways of communicating ({preferred}). Gather the views again "
            f"using {ctx.person}'s own communication methods, or update the communication "
            "profile if it has changed.",
            (voice.id,),
        )


@rule(
    "VO05",
    severity="medium",
    title="Joint meetings with family have an independent facilitator",
    subject_form="meeting:<id>",
    pressure_point=PP_DEFERRING,
    quality_statements=(QS_PERSON_CENTRED, QS_PARTNERSHIPS),
    checks=(
        "Each meeting in the audit period that the person and a family member or friend "
        "attended was facilitated by someone other than family."
    ),
    why="Clear facilitation keeps the person at the centre when relatives are present.",
    fix=(
        "Name a facilitator who is not family (staff, an advocate or a professional) for "
        "joint meetings."
    ),
    period=True,
)
def vo05_facilitated(ctx: AuditContext) -> Iterator[Hit]:
    """VO05: the person and family attend, and there is no facilitator or a family one."""
    facts = ctx.facts
    person_id = facts.person.id
    for meeting in facts.meetings:
        if not ctx.in_period(meeting.date) or person_id not in meeting.attendees:
            continue
        if not any(facts.is_family(a) for a in meeting.attendees):
            continue
        if meeting.facilitator is not None and not facts.is_family(meeting.facilitator):
            continue
        problem = (
            "had no facilitator"
            if meeting.facilitator is None
            else f"was facilitated by {ctx.name(meeting.facilitator)}, a relative or friend"
        )
        yield Hit(
            f"meeting:{meeting.id}",
            f"The meeting of {when(meeting.date)} with {ctx.person} and family {problem}. "
            "Name a facilitator who is not family (staff, an advocate or a professional) "
            f"so that {ctx.person}'s voice leads.",
            (meeting.id,),
        )
