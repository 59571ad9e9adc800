"""A person's records as a FHIR R4 Bundle (JSON), for exchange with health and care systems.

The Bundle is FHIR R4 (4.0.1): the tests validate it with an independent R4 validator
(@medplum/core, tools/fhir-validate.mjs) as well as with the R4B models of
``fhir.resources``, whose resources used here have the same structure as in R4.
``docs/fhir.md`` documents every
mapping and code. The output is deterministic: resource ids are UUIDs derived from the
person's and the record's case-file ids, so exporting the same records twice gives the
same Bundle.

Pure Python: no Django and no clock (statuses are judged at ``as_of``, else the case
file's ``as_of``, else from the recorded dates alone).
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from kinwise.casefile.schema import CaseFile, Goal, Member, Restriction, Risk, Trial
from kinwise.casefile.vocab import AREA_LABELS, TASK_LABELS
from kinwise.rules.terms import is_current, restriction_current, trial_progress

KINWISE = "https://kinwise.example/fhir"
CS_DECISION_ROLE = f"{KINWISE}/CodeSystem/decision-role"
CS_DECISION_AREA = f"{KINWISE}/CodeSystem/decision-area"
CS_TASK = f"{KINWISE}/CodeSystem/governance-task"
CS_CIRCLE = f"{KINWISE}/CodeSystem/circle-kind"
CS_RESTRICTION_BASIS = f"{KINWISE}/CodeSystem/restriction-basis"
EXT_RESTRICTION = f"{KINWISE}/StructureDefinition/restriction"
FLAG_CATEGORY = "http://terminology.hl7.org/CodeSystem/flag-category"
ID_SYSTEM = f"{KINWISE}/id"
V3_ROLE = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"
V3_PARTICIPATION = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"
V3_ACT = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
V3_DATA_OPERATION = "http://terminology.hl7.org/CodeSystem/v3-DataOperation"
CONSENT_SCOPE = "http://terminology.hl7.org/CodeSystem/consentscope"
PROVENANCE_AGENT = "http://terminology.hl7.org/CodeSystem/provenance-participant-type"
RISK_PROBABILITY = "http://terminology.hl7.org/CodeSystem/risk-probability"
LOINC = "http://loinc.org"

_NAMESPACE = uuid.UUID("6f1f7a2e-4b8e-5c1e-9a57-3d0b1e5f2c41")

DECISION_ROLES: dict[str, str] = {
    "decides": "Decides",
    "supported_by": "Supports the decision-maker",
    "contributes": "Contributes views",
    "informed": "Is informed",
    "emotional_support": "Emotional support (no governance responsibility)",
}

# Power of attorney and deputyship as v3 RoleCode (docs/fhir.md explains the choice).
AUTHORITY_CODES: dict[str, tuple[str, str]] = {
    "lpa_health_welfare": ("HPOWATT", "healthcare power of attorney"),
    "lpa_property_finance": ("POWATT", "power of attorney"),
    "deputy_personal_welfare": ("GUARD", "guardian"),
    "deputy_property_affairs": ("GUARD", "guardian"),
}
AUTHORITY_TEXT: dict[str, str] = {
    "lpa_health_welfare": "Lasting power of attorney for health and welfare",
    "lpa_property_finance": "Lasting power of attorney for property and financial affairs",
    "deputy_personal_welfare": "Court of Protection deputy for personal welfare",
    "deputy_property_affairs": "Court of Protection deputy for property and affairs",
}

# The relationship text of a family member, as v3 RoleCode (anything else: FAMMEMB).
RELATIONSHIP_CODES: dict[str, tuple[str, str]] = {
    "mother": ("MTH", "mother"),
    "father": ("FTH", "father"),
    "parent": ("PRN", "parent"),
    "brother": ("BRO", "brother"),
    "sister": ("SIS", "sister"),
    "sibling": ("SIB", "sibling"),
    "son": ("SON", "natural son"),
    "daughter": ("DAU", "natural daughter"),
    "child": ("CHILD", "child"),
    "husband": ("HUSB", "husband"),
    "wife": ("WIFE", "wife"),
    "spouse": ("SPS", "spouse"),
    "partner": ("DOMPART", "domestic partner"),
    "grandmother": ("GRMTH", "grandmother"),
    "grandfather": ("GRFTH", "grandfather"),
    "grandparent": ("GRPRN", "grandparent"),
    "aunt": ("AUNT", "aunt"),
    "uncle": ("UNCLE", "uncle"),
    "cousin": ("COUSN", "cousin"),
    "niece": ("NIECE", "niece"),
    "nephew": ("NEPHEW", "nephew"),
    "friend": ("FRND", "unrelated friend"),
    "neighbour": ("NBOR", "neighbor"),
}

# The FHIR resources that carry each kind of record, by the registry's name of the kind
# (docs/fhir.md); an empty tuple: the kind is not exported. Every registered kind is here
# (tests/reports/test_fhir.py fails naming one that is not), so a new kind is mapped or
# left out on purpose, never forgotten.
FHIR_RESOURCES: dict[str, tuple[str, ...]] = {
    "member": ("RelatedPerson", "Practitioner"),
    "authority": ("RelatedPerson",),  # the holder's relationship codes
    "capacity_assessment": (),
    "best_interests": (),
    "consent": ("Consent",),
    "plan": ("CarePlan",),
    "role": ("CareTeam",),
    "task": ("CarePlan",),  # an activity of the care plan
    "voice": (),
    "meeting": (),
    "risk_assessment": ("RiskAssessment", "Provenance"),
    "graded_trial": ("Goal",),
    "incident": (),
    "event": (),
    "medicine": (),
    "medication_audit": (),
    # Format version 2's kinds (docs/fhir.md, "Format version 2's kinds"; ADR 0269): a
    # relative's view and a concern have no resource of their own (a QuestionnaireResponse
    # or a Communication would lose who it is about); a role change is the CareTeam's
    # history, which R4 keeps as versions, not records; a carer's plan is about the carer,
    # not the patient. A goal is a Goal; a restriction is a Flag (never a Consent: most
    # restrictions are not the person's choice).
    "family_view": (),
    "concern": (),
    "role_change": (),
    "carer_plan": (),
    "goal": ("Goal",),
    "restriction": ("Flag",),
}

# The legal bases of a restriction (docs/spec/casefile-v2.md, "Vocabularies").
RESTRICTION_BASES: dict[str, str] = {
    "consent": "The person's consent",
    "best_interests": "A best-interests decision",
    "authority": "An attorney's or deputy's decision",
    "court_order": "A court order",
}

_LIKELIHOOD_CODES = ("negligible", "low", "moderate", "high", "certain")
_POSITIONS = {
    "proceed": "Proceed",
    "proceed_with_controls": "Proceed with the agreed controls",
    "graded_trial": "Proceed through a graded trial",
    "not_proceed": "Do not proceed",
}


def _coding(system: str, code: str, display: str | None = None) -> dict[str, Any]:
    coding: dict[str, Any] = {"system": system, "code": code}
    if display:
        coding["display"] = display
    return coding


def _concept(
    system: str, code: str, display: str | None = None, text: str | None = None
) -> dict[str, Any]:
    concept: dict[str, Any] = {"coding": [_coding(system, code, display)]}
    if text:
        concept["text"] = text
    return concept


def _area(area: str) -> dict[str, Any]:
    return _concept(CS_DECISION_AREA, area, AREA_LABELS.get(area, area))


def _instant(d: date) -> str:
    return f"{d.isoformat()}T00:00:00Z"


class _Builder:
    def __init__(self, cf: CaseFile, as_of: date | None) -> None:
        self.cf = cf
        self.as_of = as_of
        self.person = cf.person.id
        self.members = {m.id: m for m in cf.circle}
        self.entries: list[dict[str, Any]] = []

    # --- ids and references -----------------------------------------------------------

    def uid(self, kind: str, record: str) -> str:
        return str(uuid.uuid5(_NAMESPACE, f"{self.person}/{kind}/{record}"))

    def identifier(self, kind: str, record: str) -> list[dict[str, Any]]:
        return [{"system": f"{ID_SYSTEM}/{kind}", "value": record}]

    def ref(self, who: str) -> dict[str, Any]:
        """A reference to the person or a member (urn:uuid inside the Bundle)."""
        if who == self.person:
            return {
                "reference": f"urn:uuid:{self.uid('patient', who)}",
                "display": self.cf.person.name,
            }
        member = self.members.get(who)
        kind = "practitioner" if member is not None and _is_practitioner(member) else "related"
        display = member.name if member is not None else who
        return {"reference": f"urn:uuid:{self.uid(kind, who)}", "display": display}

    def record_ref(self, kind: str, record: str) -> dict[str, Any]:
        return {"reference": f"urn:uuid:{self.uid(kind, record)}"}

    def add(self, kind: str, record: str, resource: dict[str, Any]) -> None:
        rid = self.uid(kind, record)
        self.entries.append({"fullUrl": f"urn:uuid:{rid}", "resource": {"id": rid, **resource}})

    # --- judging dates -------------------------------------------------------------------

    def happened(self, when: date | None) -> bool:
        """A recorded date that has happened (with no as_of: any recorded date)."""
        return when is not None and (self.as_of is None or when <= self.as_of)

    def current(self, own: date | None, ended: date | None) -> bool:
        """*Current* at as_of (:func:`kinwise.rules.terms.is_current`); with no as_of,
        recorded and never ended."""
        if self.as_of is None:
            return own is not None and ended is None
        return is_current(own, ended, self.as_of)

    def authority_held(self, holder: str) -> list[str]:
        kinds: list[str] = []
        for a in self.cf.legal_authorities:
            if a.holder != holder or not self.current(a.registered, a.revoked):
                continue
            kinds.append(a.kind)
        return kinds

    # --- resources -----------------------------------------------------------------------

    def patient(self) -> None:
        p = self.cf.person
        resource: dict[str, Any] = {
            "resourceType": "Patient",
            "identifier": self.identifier("person", p.id),
            "active": True,
            "name": [{"text": p.name}],
        }
        if p.date_of_birth is not None:
            resource["birthDate"] = p.date_of_birth.isoformat()
        self.add("patient", p.id, resource)

    def circle(self) -> None:
        for m in self.cf.circle:
            if _is_practitioner(m):
                self.add(
                    "practitioner",
                    m.id,
                    {
                        "resourceType": "Practitioner",
                        "identifier": self.identifier("member", m.id),
                        "active": True,
                        "name": [{"text": m.name}],
                    },
                )
                continue
            relationship: list[dict[str, Any]] = []
            code = RELATIONSHIP_CODES.get((m.relationship or "").strip().lower())
            if code is not None:
                relationship.append(_concept(V3_ROLE, code[0], code[1], m.relationship))
            elif m.kind == "family":
                relationship.append(_concept(V3_ROLE, "FAMMEMB", "family member", m.relationship))
            elif m.kind == "friend":
                relationship.append(_concept(V3_ROLE, "FRND", "unrelated friend", m.relationship))
            else:
                relationship.append(
                    _concept(CS_CIRCLE, m.kind, m.kind, m.relationship or "Advocate")
                )
            for kind in self.authority_held(m.id):
                rc, display = AUTHORITY_CODES[kind]
                relationship.append(_concept(V3_ROLE, rc, display, AUTHORITY_TEXT[kind]))
            self.add(
                "related",
                m.id,
                {
                    "resourceType": "RelatedPerson",
                    "identifier": self.identifier("member", m.id),
                    "active": True,
                    "patient": self.ref(self.person),
                    "relationship": relationship,
                    "name": [{"text": m.name}],
                },
            )

    def care_teams(self) -> list[dict[str, Any]]:
        teams: list[dict[str, Any]] = []
        for role in self.cf.plan.roles:
            participants: list[dict[str, Any]] = []
            if role.decides is not None:
                participants.append(self._participant("decides", role.decides))
            for code, people in (
                ("supported_by", role.supported_by),
                ("contributes", role.contributes),
                ("informed", role.informed),
            ):
                participants.extend(self._participant(code, who) for who in people)
            key = f"area-{role.area}"
            self.add(
                "careteam",
                key,
                {
                    "resourceType": "CareTeam",
                    "identifier": self.identifier("role", role.area),
                    "status": "active",
                    "category": [_area(role.area)],
                    "name": f"Decisions about {AREA_LABELS.get(role.area, role.area)}",
                    "subject": self.ref(self.person),
                    "participant": participants,
                },
            )
            teams.append(self.record_ref("careteam", key))
        if self.cf.plan.emotional_support:
            self.add(
                "careteam",
                "emotional-support",
                {
                    "resourceType": "CareTeam",
                    "identifier": self.identifier("role", "emotional_support"),
                    "status": "active",
                    "name": "Emotional support",
                    "subject": self.ref(self.person),
                    "participant": [
                        self._participant("emotional_support", who)
                        for who in self.cf.plan.emotional_support
                    ],
                },
            )
            teams.append(self.record_ref("careteam", "emotional-support"))
        return teams

    def _participant(self, code: str, who: str) -> dict[str, Any]:
        return {
            "role": [_concept(CS_DECISION_ROLE, code, DECISION_ROLES[code])],
            "member": self.ref(who),
        }

    def goals(self) -> list[dict[str, Any]]:
        risks = {r.id: r for r in self.cf.risk_assessments}
        refs = []
        for trial in self.cf.graded_trials:
            risk = risks.get(trial.risk_assessment)
            achieved = self.trial_achieved(trial)
            resource: dict[str, Any] = {
                "resourceType": "Goal",
                "identifier": self.identifier("trial", trial.id),
                "lifecycleStatus": "completed" if achieved else "active",
                "achievementStatus": {
                    "coding": [
                        _coding(
                            "http://terminology.hl7.org/CodeSystem/goal-achievement",
                            "achieved" if achieved else "in-progress",
                        )
                    ]
                },
                "description": {
                    "text": (risk.activity if risk is not None else "Graded trial")
                    + f": {trial.stages[-1].description}"
                },
                "subject": self.ref(self.person),
                "expressedBy": self.ref(self.person),
                "note": [
                    {"text": f"Stage {i + 1}: {s.description} ({s.support})"}
                    for i, s in enumerate(trial.stages)
                ],
            }
            sessions = [s for s in trial.sessions if self.happened(s.date)]
            if sessions:
                resource["startDate"] = min(s.date for s in sessions).isoformat()
            if risk is not None:
                resource["addresses"] = [self.record_ref("risk", risk.id)]
            self.add("goal", trial.id, resource)
            refs.append(self.record_ref("goal", trial.id))
        return refs

    def persons_goals(self) -> list[dict[str, Any]]:
        """Each goal in the person's own words as a Goal (docs/fhir.md)."""
        refs = []
        for g in self.cf.goals:
            resource = self._goal(g)
            self.add("goal", g.id, resource)
            refs.append(self.record_ref("goal", g.id))
        return refs

    def _goal(self, g: Goal) -> dict[str, Any]:
        ended = self.happened(g.ended) and g.ended is not None
        notes: list[dict[str, Any]] = [
            {"time": g.date.isoformat(), "text": f"Baseline: {g.baseline} of 10."}
        ]
        if g.set_by != self.person:
            agrees = {
                True: "agrees with this goal",
                False: "does not agree with this goal",
                None: "has not been recorded as agreeing with this goal",
            }[g.person_agrees]
            notes.append({"text": f"Set by someone else; {self.cf.person.name} {agrees}."})
        reviews = sorted((r for r in g.reviews if self.happened(r.date)), key=lambda r: r.date)
        for r in reviews:
            text = f"Review: {r.score} of 10."
            if r.notes:
                text += f" {r.notes}"
            notes.append({"time": r.date.isoformat(), "text": text})
        resource: dict[str, Any] = {
            "resourceType": "Goal",
            "identifier": self.identifier("goal", g.id),
            "lifecycleStatus": "completed" if ended else "active",
            "category": [_area(g.area)],
            "description": {"text": g.words},
            "subject": self.ref(self.person),
            "startDate": g.date.isoformat(),
        }
        if ended and g.ended is not None:
            resource["statusDate"] = g.ended.isoformat()
        if g.set_by == self.person or g.set_by in self.members:
            resource["expressedBy"] = self.ref(g.set_by)
        resource["note"] = notes
        return resource

    def flags(self) -> None:
        """Each restriction as a Flag (docs/fhir.md; ADR 0269)."""
        for r in self.cf.restrictions:
            self.add("flag", r.id, self._flag(r))

    def _flag(self, r: Restriction) -> dict[str, Any]:
        trials = {t.id: t for t in self.cf.graded_trials}
        trial = trials.get(r.replaced_by) if r.replaced_by is not None else None
        begun = sorted(s.date for s in trial.sessions) if trial is not None else []
        # it closes when it ends, or when the graded trial replacing it has begun
        closes = [d for d in (r.ended, begun[0] if begun else None) if d is not None]
        closed = min((d for d in closes if self.happened(d)), default=None)
        if self.as_of is None:
            current = closed is None
        else:
            started = any(d <= self.as_of for d in begun)
            current = restriction_current(r.ended, started, r.date, self.as_of)
        period: dict[str, Any] = {"start": r.date.isoformat()}
        if closed is not None and not current:
            period["end"] = closed.isoformat()
        details: list[dict[str, Any]] = [
            {"url": "proposedBy", "valueReference": self.ref(r.proposed_by)}
        ]
        if r.basis is not None:
            details.append(
                {
                    "url": "basis",
                    "valueCoding": _coding(
                        CS_RESTRICTION_BASIS, r.basis, RESTRICTION_BASES[r.basis]
                    ),
                }
            )
        consents = {c.id for c in self.cf.consents}
        if r.basis_record is not None and r.basis_record in consents:
            details.append(
                {"url": "basisRecord", "valueReference": self.record_ref("consent", r.basis_record)}
            )
        if r.alternatives:
            details.append({"url": "alternatives", "valueString": r.alternatives})
        details.append({"url": "reviewBy", "valueDate": r.review_by.isoformat()})
        if trial is not None:
            details.append(
                {"url": "replacedBy", "valueReference": self.record_ref("goal", trial.id)}
            )
        resource: dict[str, Any] = {
            "resourceType": "Flag",
            "extension": [{"url": EXT_RESTRICTION, "extension": details}],
            "identifier": self.identifier("restriction", r.id),
            "status": "active" if current else "inactive",
            "category": [
                _concept(FLAG_CATEGORY, "safety", "Safety", "Restriction"),
                _area(r.area),
            ],
            "code": {"text": r.what},
            "subject": self.ref(self.person),
            "period": period,
        }
        proposer = self.members.get(r.proposed_by)
        if proposer is not None and _is_practitioner(proposer):
            resource["author"] = self.ref(r.proposed_by)
        return resource

    def trial_achieved(self, trial: Trial) -> bool:
        """The trial's goal is met at as_of: its progress is *achieved*
        (:func:`kinwise.rules.terms.trial_progress`, the one definition)."""
        days = {i.date for i in self.cf.incidents if i.trial == trial.id}
        return trial_progress(trial, days, self.as_of).achieved

    def care_plan(self, teams: list[dict[str, Any]], goals: list[dict[str, Any]]) -> None:
        activities = []
        for task in self.cf.plan.tasks:
            ended = self.happened(task.ended)
            period: dict[str, Any] = {"start": task.since.isoformat()}
            if ended and task.ended is not None:
                period["end"] = task.ended.isoformat()
            activities.append(
                {
                    "detail": {
                        "kind": "Task",
                        "code": _concept(CS_TASK, task.task, TASK_LABELS.get(task.task, task.task)),
                        "status": "completed" if ended else "in-progress",
                        "scheduledPeriod": period,
                        "performer": [self.ref(task.holder)],
                        "description": (
                            f"{TASK_LABELS.get(task.task, task.task).capitalize()} "
                            f"({AREA_LABELS.get(task.area, task.area)})"
                        ),
                    }
                }
            )
        resource: dict[str, Any] = {
            "resourceType": "CarePlan",
            "identifier": self.identifier("plan", self.person),
            "status": "active",
            "intent": "plan",
            "title": "Care plan: who decides, who contributes, who is informed",
            "subject": self.ref(self.person),
            "created": self.cf.plan.version_date.isoformat(),
            "careTeam": teams,
        }
        if goals:
            resource["goal"] = goals
        if activities:
            resource["activity"] = activities
        self.add("careplan", self.person, resource)

    def consents(self) -> None:
        for c in self.cf.consents:
            withdrawn = self.happened(c.withdrawn)
            provision: dict[str, Any] = {"type": "permit", "period": {"start": c.date.isoformat()}}
            if withdrawn and c.withdrawn is not None:
                provision["period"]["end"] = c.withdrawn.isoformat()
            if c.kind == "share_information":
                scope = _concept(CONSENT_SCOPE, "patient-privacy", "Privacy Consent")
                actor_role = _concept(V3_PARTICIPATION, "IRCP", "information recipient")
            else:
                scope = _concept(CONSENT_SCOPE, "treatment", "Treatment")
                actor_role = _concept(V3_ROLE, "DELEGATEE", "delegatee")
            if c.to:
                provision["actor"] = [{"role": actor_role, "reference": self.ref(t)} for t in c.to]
            if c.areas:
                provision["code"] = [_area(a) for a in c.areas]
            self.add(
                "consent",
                c.id,
                {
                    "resourceType": "Consent",
                    "identifier": self.identifier("consent", c.id),
                    "status": "inactive" if withdrawn else "active",
                    "scope": scope,
                    "category": [
                        _concept(LOINC, "59284-0", "Consent Document", _CONSENT_TEXT[c.kind])
                    ],
                    "patient": self.ref(self.person),
                    "dateTime": c.date.isoformat(),
                    "performer": [self.ref(c.given_by)],
                    "policyRule": _concept(V3_ACT, "OPTIN", "opt-in"),
                    "provision": provision,
                },
            )

    def risks(self) -> None:
        for r in self.cf.risk_assessments:
            self.add("risk", r.id, self._risk(r))
            if len(r.participants) > 1:
                self.add(
                    "provenance",
                    r.id,
                    {
                        "resourceType": "Provenance",
                        "target": [self.record_ref("risk", r.id)],
                        "occurredDateTime": r.date.isoformat(),
                        "recorded": _instant(r.date),
                        "activity": _concept(V3_DATA_OPERATION, "CREATE", "create"),
                        "agent": [
                            {
                                "type": _concept(PROVENANCE_AGENT, "author", "Author"),
                                "who": self.ref(who),
                            }
                            for who in r.participants
                        ],
                    },
                )

    def _risk(self, r: Risk) -> dict[str, Any]:
        predictions = []
        for h in r.hazards:
            controls = "; ".join(h.controls) if h.controls else "none recorded"
            predictions.append(
                {
                    "outcome": {"text": h.hazard},
                    "qualitativeRisk": _concept(
                        RISK_PROBABILITY,
                        _LIKELIHOOD_CODES[h.residual_likelihood - 1],
                        text=f"Residual likelihood {h.residual_likelihood} of 5",
                    ),
                    "rationale": (
                        f"Before controls: likelihood {h.likelihood}, severity {h.severity}. "
                        f"With controls: likelihood {h.residual_likelihood}, severity "
                        f"{h.residual_severity}. Controls: {controls}."
                    ),
                }
            )
        notes = []
        if r.persons_view:
            notes.append({"authorReference": self.ref(self.person), "text": r.persons_view})
        if r.family_view:
            notes.append({"authorString": "Family", "text": r.family_view})
        agrees = "agrees" if r.person_agrees else "does not agree"
        return {
            "resourceType": "RiskAssessment",
            "identifier": self.identifier("risk", r.id),
            "status": "final",
            "code": {"text": r.activity},
            "subject": self.ref(self.person),
            "occurrenceDateTime": r.date.isoformat(),
            "prediction": predictions,
            "mitigation": (
                f"{_POSITIONS[r.agreed_position]}; the person {agrees}. "
                f"Review by {r.review_by.isoformat()}."
            ),
            **({"note": notes} if notes else {}),
        }


_CONSENT_TEXT = {
    "share_information": "Consent to share information",
    "delegate_decision": "Delegation of a decision",
    "care_plan": "Consent to the care plan",
}


def _is_practitioner(member: Member) -> bool:
    return member.kind in ("staff", "professional")


def person_bundle(cf: CaseFile, *, as_of: date | None = None) -> dict[str, Any]:
    """The person's records as a FHIR R4 ``collection`` Bundle (a JSON-ready dict)."""
    builder = _Builder(cf, as_of if as_of is not None else cf.as_of)
    builder.patient()
    builder.circle()
    teams = builder.care_teams()
    builder.risks()
    goals = builder.goals()
    goals += builder.persons_goals()
    builder.care_plan(teams, goals)
    builder.consents()
    builder.flags()
    return {
        "resourceType": "Bundle",
        "id": builder.uid("bundle", cf.person.id),
        "identifier": {"system": f"{ID_SYSTEM}/bundle", "value": cf.person.id},
        "type": "collection",
        "entry": builder.entries,
    }


def resource_types(bundle: dict[str, Any]) -> list[str]:
    """The resource types of a bundle's entries, in order (for summaries and tests)."""
    return [e["resource"]["resourceType"] for e in bundle.get("entry", [])]
