"""The rule catalogue (catalogue 2, docs/spec/rules-v2.md): catalogue 1 (rules.md)
unchanged, then the rules that judge only format version 2's records; every rule, in order.

Reports and the inspector view read the rules' metadata from here: id, severity,
title, the seed pressure point it serves and the CQC quality statements it evidences.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from kinwise.rules import (
    capacity_consent,
    carers,
    concerns,
    outcomes,
    partnership,
    risk,
    role_clarity,
    voice,
)
from kinwise.rules.base import Rule

RULES_VERSION = 2


def rules_version_for(format_version: int) -> int:
    """The catalogue that judges a case file of ``format_version``: catalogue 1 (rules.md)
    for a version-1 file, whose output says ``"rules_version": 1`` exactly as before;
    catalogue 2 (docs/spec/rules-v2.md) for a version-2 file. Catalogue 2 judges a
    version-1 file exactly as catalogue 1 does, since its new rules read only version-2
    records."""
    return 1 if format_version == 1 else RULES_VERSION


RULES: tuple[Rule, ...] = (
    role_clarity.rc01_decision_maker_named,
    role_clarity.rc02_family_decides_with_basis,
    role_clarity.rc03_provider_decides_lawfully,
    role_clarity.rc04_best_interests_complete,
    capacity_consent.ca01_capacity_reviewed,
    capacity_consent.ca02_support_recorded,
    capacity_consent.ic01_informed_with_consent,
    capacity_consent.ic02_plan_consented,
    voice.vo01_review_hears_person,
    voice.vo02_not_spoken_for,
    voice.vo03_decision_has_persons_view,
    voice.vo04_accessible_method,
    voice.vo05_facilitated,
    risk.rk01_disagreement_evidenced,
    risk.rk02_capacity_respected,
    risk.rk03_persons_view_recorded,
    risk.rk04_incident_followed_up,
    risk.rk05_trial_advances_on_evidence,
    risk.rk06_risk_reviewed,
    partnership.pa01_family_task_reviewed,
    partnership.pa02_reviewed_after_change,
    partnership.pa03_family_medication_trained,
    partnership.pa04_family_task_agreed,
    partnership.pa05_safeguarding_reviewed,
    partnership.pa06_staff_medication_trained,
    concerns.cn01_acknowledged,
    concerns.cn02_responded,
    concerns.cn03_imca_referred,
    concerns.cn04_closed_properly,
    concerns.cn05_no_retaliation,
    carers.cp01_contingency,
    carers.cp02_willing_asked,
    carers.cp03_carer_unwell_covered,
    outcomes.go01_persons_agreement,
    outcomes.go02_goal_reviewed,
    outcomes.rs01_capacity_respected,
    outcomes.rs02_legal_basis,
    outcomes.rs03_restriction_reviewed,
)

CATALOGUE_ONE: tuple[str, ...] = tuple(r.id for r in RULES[:25])
"""The rules of catalogue 1 (rules.md), which catalogue 2 keeps unchanged."""

RULES_BY_ID: Mapping[str, Rule] = MappingProxyType({r.id: r for r in RULES})

FAMILIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Role clarity and authority", ("RC01", "RC02", "RC03", "RC04")),
    ("Capacity and consent", ("CA01", "CA02", "IC01", "IC02")),
    ("Voice", ("VO01", "VO02", "VO03", "VO04", "VO05")),
    ("Risk and independence", ("RK01", "RK02", "RK03", "RK04", "RK05", "RK06")),
    ("Partnership arrangements", ("PA01", "PA02", "PA03", "PA04", "PA05", "PA06")),
    ("Concerns and disagreements", ("CN01", "CN02", "CN03", "CN04", "CN05")),
    ("Family carers", ("CP01", "CP02", "CP03")),
    ("Goals and restrictions", ("GO01", "GO02", "RS01", "RS02", "RS03")),
)


def rules_for_quality_statement(statement: str) -> tuple[Rule, ...]:
    """The rules that evidence a CQC quality statement, in catalogue order."""
    return tuple(r for r in RULES if statement in r.quality_statements)
