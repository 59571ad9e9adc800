"""The shapes the API answers with. The records and the case file are the case file's own
pydantic models (kinwise.casefile.schema): the OpenAPI document is generated from them,
as the published JSON Schema is."""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, Field, create_model

from kinwise.casefile.kinds import RecordKind


class ServiceOut(BaseModel):
    id: int = Field(description="the service's opaque id")
    casefile_id: str = Field(description="the service's id in case files")
    name: str


class ServicesPage(BaseModel):
    items: list[ServiceOut]
    next: str | None = Field(description="the cursor of the next page; none: the last page")


class PersonOut(BaseModel):
    id: int = Field(description="the person's opaque id")
    service: int = Field(description="the opaque id of their service")
    casefile_id: str = Field(description="the person's id in their case file")
    name: str
    support_ended: dt.date | None


class PeoplePage(BaseModel):
    items: list[PersonOut]
    next: str | None


class FindingOut(BaseModel):
    rule: str
    severity: Literal["high", "medium", "low"]
    subject: str
    message: str
    evidence: list[str]


class AuditOut(BaseModel):
    """A person's audit: the object of rules.md (``kinwise audit --format json``)."""

    person: str
    as_of: dt.date
    since: dt.date
    rules_version: int
    findings: list[FindingOut]
    summary: dict[str, int]
    view: Literal["as_recorded", "corrected"]
    nothing_recorded: bool = Field(
        description="as recorded: nothing about the person had been recorded by that day"
    )


class WorkItemOut(BaseModel):
    key: str
    kind: str
    person: int | None = Field(description="the opaque id of the person it is about")
    title: str
    subject: str
    opened: dt.date
    due: dt.date
    state: str
    days_overdue: int
    owner: str
    resolution: str | None
    resolution_date: dt.date | None


class WorkItemsPage(BaseModel):
    as_of: dt.date
    items: list[WorkItemOut]
    next: str | None


class RatioOut(BaseModel):
    numerator: int
    denominator: int


class MeasureOut(BaseModel):
    key: str
    title: str
    kind: str
    overall: RatioOut
    lower_is_better: bool


class ServiceReportOut(BaseModel):
    service: int
    start: dt.date
    end: dt.date
    view: Literal["as_recorded", "corrected"]
    measures: list[MeasureOut]


class Reason(BaseModel):
    reason: str = Field(min_length=1, max_length=2000, description="why it was entered in error")


@cache
def record_out(spec: RecordKind) -> type[BaseModel]:
    """The answer about one record of ``spec``: its opaque id, kind, key, version and the
    record as the case file holds it."""
    name = "".join(part.capitalize() for part in spec.name.split("_"))
    fields: dict[str, Any] = {
        "id": (int, Field(description="the record's opaque id")),
        "kind": (Literal[spec.name], ...),
        "key": (str, Field(description="its case-file id or natural key")),
        "version": (int, Field(description="its version: the ETag names it")),
        "record": (spec.schema, ...),
    }
    model: type[BaseModel] = create_model(f"{name}RecordOut", **fields)
    return model


@cache
def records_page(spec: RecordKind) -> type[BaseModel]:
    name = "".join(part.capitalize() for part in spec.name.split("_"))
    fields: dict[str, Any] = {
        "items": (list[record_out(spec)], ...),  # type: ignore[misc]
        "next": (str | None, ...),
    }
    model: type[BaseModel] = create_model(f"{name}RecordsPage", **fields)
    return model
