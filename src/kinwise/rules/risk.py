"""Risk and independence (RK01–RK06).

Seed pressure point: disagreement about risk tolerance, independence or what is safe.
Evidence (risk assessments, graded trials, incident data) anchors the discussion, and
the person's wishes lead where their capacity is clear.
"""

from __future__ import annotations

from collections.abc import Iterator

from kinwise.rules.base import (
    PP_RISK,
    QS_ASSESSING,
    QS_GOVERNANCE,
    QS_INDEPENDENCE,
    QS_LEARNING,
    QS_PERSON_CENTRED,
    QS_RISK,
    AuditContext,
    Hit,
    area_label,
    rule,
    when,
)
from kinwise.rules.facts import HAS_CAPACITY, is_empty
from kinwise.rules.terms import FOLLOW_UP_DAYS as FOLLOW_UP_DAYS
from kinwise.rules.terms import follow_up_closed, follow_up_due, session_clean

SERIOUS_SEVERITIES = frozenset({"moderate", "high", "severe"})
REVIEW_MEETING_KINDS = frozenset({"risk_review", "partnership_review"})


@rule(
    "RK01",
    severity="high",
    title="Disagreements are settled with a rationale and evidence",
    subject_form="decision:<meeting>/<area>",
    pressure_point=PP_RISK,
    quality_statements=(QS_RISK, QS_GOVERNANCE),
    checks=(
        "Each decision in the audit period that settled a disagreement records its "
        "rationale and points to at least one record as evidence (a risk assessment, "
        "trial, incident, event, voice record, capacity assessment, best-interests "
        "decision or medication audit)."
    ),
    why=(
        "A disagreement settled without evidence is settled by whoever is most insistent; "
        "it cannot be defended to the person, the family or an inspector."
    ),
    fix=(
        "Record why the decision was taken and link the evidence it rests on, or revisit "
        "the decision with a joint risk assessment."
    ),
    period=True,
)
def rk01_disagreement_evidenced(ctx: AuditContext) -> Iterator[Hit]:
    """RK01: a decision with ``disagreement`` and an empty rationale or no evidence record."""
    for meeting in ctx.facts.meetings:
        if not ctx.in_period(meeting.date):
            continue
        for decision in meeting.decisions:
            if not decision.disagreement:
                continue
            missing: list[str] = []
            if is_empty(decision.rationale):
                missing.append("a recorded rationale")
            if not decision.evidence:
                missing.append("linked evidence")
            if not missing:
                continue
            yield Hit(
                f"decision:{meeting.id}/{decision.area}",
                f"The decision about {area_label(decision.area)} at the meeting of "
                f"{when(meeting.date)} settled a disagreement without "
                f"{' and without '.join(missing)}. Record why it was decided and link the "
                "evidence it rests on (for example a joint risk assessment), or revisit it.",
                (meeting.id, *decision.evidence),
            )


@rule(
    "RK02",
    severity="high",
    title="An unwise choice is not overruled when the person has capacity",
    subject_form="risk:<id>",
    pressure_point=PP_RISK,
    quality_statements=(QS_RISK, QS_INDEPENDENCE),
    checks=(
        "No risk assessment in the audit period decides not to proceed against the "
        "person's wishes while the person has capacity for that decision."
    ),
    why=(
        "A person with capacity may make decisions others think unwise; the service "
        "manages the risk with them rather than deciding for them."
    ),
    fix=(
        "Revisit the decision with the person: agree controls or a graded trial that "
        "lets them do what they have chosen as safely as possible."
    ),
    period=True,
)
def rk02_capacity_respected(ctx: AuditContext) -> Iterator[Hit]:
    """RK02: not_proceed against the person's wishes while they have capacity (at the
    risk assessment's own date)."""
    facts = ctx.facts
    for risk in facts.risks:
        if risk.agreed_position != "not_proceed" or risk.person_agrees:
            continue
        if not ctx.in_period(risk.date):
            continue
        if facts.capacity(risk.area, risk.date) != HAS_CAPACITY:
            continue
        current = facts.current_assessment(risk.area, risk.date)
        yield Hit(
            f"risk:{risk.id}",
            f"The risk assessment of {when(risk.date)} decided not to go ahead with "
            f"something {ctx.person} wants to do about {area_label(risk.area)}, although "
            f"{ctx.person} has capacity for this decision. An unwise choice is not a lack "
            f"of capacity: agree controls or a graded trial with {ctx.person} instead.",
            (risk.id,) + ((current.id,) if current is not None else ()),
        )


@rule(
    "RK03",
    severity="medium",
    title="Risk assessments record the person's view",
    subject_form="risk:<id>",
    pressure_point=PP_RISK,
    quality_statements=(QS_RISK, QS_PERSON_CENTRED),
    checks="Each risk assessment in the audit period records the person's own view.",
    why="A joint risk assessment starts from what the person wants to do.",
    fix="Ask the person for their view of the activity and its risks, and record it.",
    period=True,
)
def rk03_persons_view_recorded(ctx: AuditContext) -> Iterator[Hit]:
    """RK03: a risk assessment with empty ``persons_view``."""
    for risk in ctx.facts.risks:
        if is_empty(risk.persons_view) and ctx.in_period(risk.date):
            yield Hit(
                f"risk:{risk.id}",
                f"The risk assessment of {when(risk.date)} about "
                f"{area_label(risk.area)} does not record {ctx.person}'s view. Ask "
                f"{ctx.person} about the activity and its risks, and record the answer.",
                (risk.id,),
            )


@rule(
    "RK04",
    severity="high",
    title="Incidents of moderate harm or worse are followed by a risk review within 14 days",
    subject_form="incident:<id>",
    pressure_point=PP_RISK,
    quality_statements=(QS_RISK, QS_LEARNING),
    checks=(
        "Each incident in the audit period of moderate, high or severe severity is "
        "followed within 14 days by a risk assessment for its area, or by a risk review "
        "or partnership review meeting with a decision on its area. It is judged once "
        "its 14 days have passed."
    ),
    why=(
        "An incident is the moment the family's worries and the person's wishes need "
        "re-examining with evidence, before positions harden."
    ),
    fix=(
        "Review the risk with the person and family: update the risk assessment or hold "
        "a risk review and record the decision."
    ),
    period=True,
)
def rk04_incident_followed_up(ctx: AuditContext) -> Iterator[Hit]:
    """RK04: a serious incident with no risk assessment or review decision on its area
    within 14 days (both ends inclusive), judged once the window has closed."""
    facts = ctx.facts
    for incident in facts.incidents:
        if incident.severity not in SERIOUS_SEVERITIES or not ctx.in_period(incident.date):
            continue
        if not follow_up_closed(incident.date, ctx.as_of):
            continue  # the follow-up is still due, not missing
        end = follow_up_due(incident.date)
        if any(incident.date <= r.date <= end for r in facts.risks_by_area.get(incident.area, ())):
            continue
        if any(
            m.kind in REVIEW_MEETING_KINDS
            and incident.date <= m.date <= end
            and any(d.area == incident.area for d in m.decisions)
            for m in facts.meetings
        ):
            continue
        yield Hit(
            f"incident:{incident.id}",
            f"The {incident.severity} incident of {when(incident.date)} about "
            f"{area_label(incident.area)} was not followed within 14 days by a risk "
            f"assessment or a risk review decision. Review the risk with {ctx.person} and "
            "the family, and record the assessment or the decision.",
            (incident.id,),
        )


@rule(
    "RK05",
    severity="medium",
    title="Graded trials advance only after a run of clean sessions",
    subject_form="trial:<id>/stage:<stage>",
    pressure_point=PP_RISK,
    quality_statements=(QS_RISK, QS_INDEPENDENCE),
    checks=(
        "Each stage of a graded trial after the first starts only when the previous "
        "stage's last sessions (as many as it requires) were all completed with no "
        "incident on the day. Judged for stages whose first session is in the audit "
        "period."
    ),
    why=(
        "Advancing on evidence is what makes a graded trial defensible to a worried "
        "family and safe for the person."
    ),
    fix=(
        "Return to the previous stage until it has its run of clean sessions, or record "
        "a review of the trial's plan."
    ),
    period=True,
)
def rk05_trial_advances_on_evidence(ctx: AuditContext) -> Iterator[Hit]:
    """RK05: a stage's earliest session comes before the previous stage's run of
    ``advance_after`` clean sessions dated strictly before it."""
    facts = ctx.facts
    for trial in facts.trials:
        incident_days = facts.incident_days_by_trial.get(trial.id, frozenset())
        for previous, stage in zip(trial.stages, trial.stages[1:], strict=False):
            first = next((s for s in trial.sessions if s.stage == stage.id), None)
            if first is None or not ctx.in_period(first.date):
                continue
            before = [s for s in trial.sessions if s.stage == previous.id and s.date < first.date]
            run = before[-previous.advance_after :]
            if len(run) == previous.advance_after and all(
                session_clean(s, incident_days) for s in run
            ):
                continue
            clean = sum(1 for s in run if session_clean(s, incident_days))
            yield Hit(
                f"trial:{trial.id}/stage:{stage.id}",
                f"The graded trial moved {ctx.person} to a new stage on {when(first.date)} "
                f"before the previous stage had {previous.advance_after} clean session(s) "
                f"in a row (of its last {len(run)} session(s), {clean} were completed "
                "with no incident). Return to the previous stage until it has its run of "
                "clean sessions, or record a review of the trial.",
                (trial.id, trial.risk_assessment),
            )


@rule(
    "RK06",
    severity="low",
    title="Risk assessments are reviewed by their review date",
    subject_form="risk:<id>",
    pressure_point=PP_RISK,
    quality_statements=(QS_RISK, QS_ASSESSING),
    checks=(
        "No risk assessment is past its review date without a later risk assessment "
        "for the same area."
    ),
    why="Risks and abilities change; an old assessment may now restrict the person needlessly.",
    fix="Review the risk assessment with the person and family and record the new one.",
    period=False,
)
def rk06_risk_reviewed(ctx: AuditContext) -> Iterator[Hit]:
    """RK06: ``review_by`` before as_of and no later risk assessment for the same area."""
    facts = ctx.facts
    for risk in facts.risks:
        if not risk.review_by < ctx.as_of:
            continue
        if any(other.date > risk.date for other in facts.risks_by_area.get(risk.area, ())):
            continue
        yield Hit(
            f"risk:{risk.id}",
            f"The risk assessment of {when(risk.date)} about {area_label(risk.area)} was "
            f"due for review by {when(risk.review_by)} and has not been reviewed. Review "
            f"it with {ctx.person} and the family and record the new assessment.",
            (risk.id,),
        )
