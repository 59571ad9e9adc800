"""A risk assessment's hazards with their scores before and after the controls, in words.
Pure: no Django."""

from __future__ import annotations

from dataclasses import dataclass

from kinwise.casefile import schema as cf


def risk_rating(likelihood: int, severity: int) -> str:
    """A 5x5 risk score in words: 1-3 low, 4-6 moderate, 8-12 high, 15-25 very high."""
    score = likelihood * severity
    if score <= 3:
        return "low"
    if score <= 6:
        return "moderate"
    if score <= 12:
        return "high"
    return "very high"


@dataclass(frozen=True)
class HazardRow:
    hazard: str
    controls: list[str]
    before: int
    before_rating: str
    after: int
    after_rating: str
    likelihood: int
    severity: int
    residual_likelihood: int
    residual_severity: int


def hazard_rows(risk: cf.Risk) -> list[HazardRow]:
    return [
        HazardRow(
            hazard=h.hazard,
            controls=list(h.controls),
            before=h.likelihood * h.severity,
            before_rating=risk_rating(h.likelihood, h.severity),
            after=h.residual_likelihood * h.residual_severity,
            after_rating=risk_rating(h.residual_likelihood, h.residual_severity),
            likelihood=h.likelihood,
            severity=h.severity,
            residual_likelihood=h.residual_likelihood,
            residual_severity=h.residual_severity,
        )
        for h in risk.hazards
    ]
