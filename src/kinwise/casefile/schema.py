"""The case file (format version 1) as pydantic models: the single definition of its shape.

Structure (types, required fields, enumerations, ranges) lives here; the rules that
relate one record to another (references, kinds of member, uniqueness, the capacity
test) live in :mod:`kinwise.casefile.checks`, so that every error in a file can be
reported in one pass.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    StrictBool,
    StrictInt,
    StrictStr,
    WithJsonSchema,
)

from kinwise.casefile.vocab import (
    AgreedPosition,
    Area,
    AuthorityKind,
    CapacityOutcome,
    ConsentKind,
    EventKind,
    MeetingKind,
    MemberKind,
    Method,
    Route,
    SessionOutcome,
    Severity,
    StageSupport,
    TaskKind,
    VoiceSetting,
)

FORMAT_VERSION = 1
ID_PATTERN = re.compile(r"[A-Za-z0-9._-]+")
DATE_PATTERN = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
"""A date written YYYY-MM-DD (ASCII digits only)."""

UNICODE_WHITE_SPACE = frozenset(
    "\u0009\u000a\u000b\u000c\u000d\u0020\u0085\u00a0\u1680\u2000\u2001\u2002\u2003"
    "\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
"""The characters with the Unicode White_Space property (Python's ``str.isspace`` also
counts U+001C..U+001F, which are not white space)."""


def is_blank(text: str) -> bool:
    """Text that is empty or only (Unicode) white space."""
    return all(ch in UNICODE_WHITE_SPACE for ch in text)


@dataclass(frozen=True, slots=True, repr=False)
class YamlDate:
    """An unquoted YAML scalar that YAML reads as a date or date-time, kept as written.

    A date field reads it like a string of the same text; a text or id field rejects it,
    since it is not a string (it must be quoted to be text).
    """

    text: str

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:  # as written, so a path through a date key reads naturally
        return self.text


def parse_date_text(value: str) -> dt.date | None:
    """The date a string writes as YYYY-MM-DD, or None when it is not one."""
    if not DATE_PATTERN.fullmatch(value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _parse_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        raise ValueError("a date-time is not a date; write YYYY-MM-DD")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, YamlDate):
        value = value.text
    if not isinstance(value, str):
        raise ValueError("expected a date written YYYY-MM-DD")
    if not DATE_PATTERN.fullmatch(value):
        raise ValueError(f"'{value}' is not a date written YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"'{value}' is not a real date") from None


def _check_id(value: str) -> str:
    if not ID_PATTERN.fullmatch(value):
        raise ValueError(f"'{value}' is not a valid id (letters, digits, '.', '_' and '-' only)")
    return value


def _check_text(value: str) -> str:
    if is_blank(value):
        raise ValueError("must not be empty")
    return value


def _none_to_list(value: Any) -> Any:
    return [] if value is None else value


def _none_to_false(value: Any) -> Any:
    return False if value is None else value


def _check_number(value: Any) -> float | int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("expected a number")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{value!r} is not a finite number")
    return value


def _check_version(value: Any) -> Any:
    """``kinwise`` is the whole number 1: true or 1.0 is a value of the wrong type."""
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        raise ValueError("expected the whole number 1")
    return value


Date = Annotated[
    dt.date,
    BeforeValidator(_parse_date),
    PlainSerializer(lambda d: d.isoformat(), return_type=str),
    WithJsonSchema({"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}),
]
Id = Annotated[
    StrictStr,
    AfterValidator(_check_id),
    WithJsonSchema({"type": "string", "pattern": r"^[A-Za-z0-9._-]+$"}),
]
Text = Annotated[StrictStr, AfterValidator(_check_text), Field(min_length=1)]
Number = Annotated[
    float | int,
    BeforeValidator(_check_number),
    Field(ge=0),
    WithJsonSchema({"type": "number", "minimum": 0}),
]
Flag = Annotated[StrictBool, BeforeValidator(_none_to_false)]
Score = Annotated[StrictInt, Field(ge=1, le=5)]


# An optional list: absent or null means empty.
NoneAsEmpty = BeforeValidator(_none_to_list)
IdList = Annotated[list[Id], NoneAsEmpty]
AreaList = Annotated[list[Area], NoneAsEmpty]
TextList = Annotated[list[Text], NoneAsEmpty]


class Record(BaseModel):
    """Base of every case-file record: strict types, no unknown fields, immutable."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class Service(Record):
    id: Id
    name: Text


class Communication(Record):
    methods: Annotated[list[Method], Field(min_length=1)]
    notes: StrictStr | None = None


class Person(Record):
    id: Id
    name: Text
    date_of_birth: Date | None = None
    communication: Communication


class Member(Record):
    id: Id
    name: Text
    kind: MemberKind
    relationship: StrictStr | None = None
    informal_carer: Flag = False
    job: StrictStr | None = None
    trained: Annotated[dict[TaskKind, Date], BeforeValidator(lambda v: {} if v is None else v)] = (
        Field(default_factory=dict)
    )


class Authority(Record):
    id: Id
    holder: Id
    kind: AuthorityKind
    registered: Date | None = None
    reference: StrictStr | None = None
    areas: list[Area] | None = None
    revoked: Date | None = None


class Assessment(Record):
    id: Id
    area: Area
    decision: Text
    date: Date
    assessor: Id
    impairment: StrictBool
    understand: StrictBool
    retain: StrictBool
    weigh: StrictBool
    communicate: StrictBool
    outcome: CapacityOutcome
    support_given: StrictStr | None = None
    review_by: Date | None = None


class BestInterests(Record):
    id: Id
    area: Area
    decision: Text
    date: Date
    decision_maker: Id
    capacity_assessment: Id
    consulted: IdList = []
    persons_wishes: StrictStr | None = None
    less_restrictive_options: StrictStr | None = None


class Consent(Record):
    id: Id
    kind: ConsentKind
    given_by: Id
    to: IdList = []
    areas: AreaList = []
    date: Date
    withdrawn: Date | None = None


class Role(Record):
    area: Area
    decides: Id | None = None
    supported_by: IdList = []
    contributes: IdList = []
    informed: IdList = []
    reviewed: Date | None = None


class Task(Record):
    id: Id
    task: TaskKind
    area: Area
    holder: Id
    since: Date
    agreed: Date | None = None
    reviewed: Date | None = None
    ended: Date | None = None


class Plan(Record):
    version_date: Date
    required_areas: list[Area] | None = None
    roles: Annotated[list[Role], NoneAsEmpty] = []
    tasks: Annotated[list[Task], NoneAsEmpty] = []
    emotional_support: IdList = []


class Voice(Record):
    id: Id
    date: Date
    area: Area | None = None
    method: Method
    setting: VoiceSetting
    captured_by: Id
    present: IdList = []
    direct: StrictBool
    summary: Text


class Contribution(Record):
    by: Id
    on_behalf_of: Id | None = None
    area: Area | None = None
    text: Text


class Decision(Record):
    area: Area
    outcome: Text
    persons_view: Id | None = None
    disagreement: Flag = False
    rationale: StrictStr | None = None
    evidence: IdList = []


class Meeting(Record):
    id: Id
    date: Date
    kind: MeetingKind
    facilitator: Id | None = None
    attendees: Annotated[list[Id], Field(min_length=1)]
    contributions: Annotated[list[Contribution], NoneAsEmpty] = []
    decisions: Annotated[list[Decision], NoneAsEmpty] = []
    reviews_tasks: IdList = []


class Hazard(Record):
    hazard: Text
    likelihood: Score
    severity: Score
    controls: TextList = []
    residual_likelihood: Score
    residual_severity: Score


class Risk(Record):
    id: Id
    area: Area
    activity: Text
    date: Date
    participants: Annotated[list[Id], Field(min_length=1)]
    hazards: Annotated[list[Hazard], Field(min_length=1)]
    persons_view: StrictStr | None = None
    family_view: StrictStr | None = None
    person_agrees: StrictBool
    agreed_position: AgreedPosition
    review_by: Date


class Stage(Record):
    id: Id
    description: Text
    support: StageSupport
    advance_after: Annotated[StrictInt, Field(ge=1)]


class Session(Record):
    date: Date
    stage: Id
    outcome: SessionOutcome
    notes: StrictStr | None = None


class Trial(Record):
    id: Id
    risk_assessment: Id
    stages: Annotated[list[Stage], Field(min_length=1)]
    sessions: Annotated[list[Session], NoneAsEmpty] = []


class Incident(Record):
    id: Id
    date: Date
    area: Area
    severity: Severity
    trial: Id | None = None
    safeguarding: Flag = False
    description: Text


class Event(Record):
    id: Id
    date: Date
    kind: EventKind
    areas: Annotated[list[Area], Field(min_length=1)]
    description: Text


class Medicine(Record):
    name: Text
    doses_per_day: Number
    time_critical: Flag = False
    controlled: Flag = False
    prn: Flag = False
    route: Route
    started: Date | None = None
    stopped: Date | None = None


class MedAudit(Record):
    id: Id
    date: Date
    auditor: Id
    doses_checked: Annotated[StrictInt, Field(gt=0)]
    errors: Annotated[StrictInt, Field(ge=0)]


class Medication(Record):
    regimen: Annotated[list[Medicine], NoneAsEmpty] = []
    audits: Annotated[list[MedAudit], NoneAsEmpty] = []


class CaseFile(Record):
    """One supported person and everything the service records about them."""

    kinwise: Annotated[Literal[1], BeforeValidator(_check_version)]
    as_of: Date | None = None
    service: Service | None = None
    person: Person
    circle: Annotated[list[Member], NoneAsEmpty] = []
    legal_authorities: Annotated[list[Authority], NoneAsEmpty] = []
    capacity_assessments: Annotated[list[Assessment], NoneAsEmpty] = []
    best_interests: Annotated[list[BestInterests], NoneAsEmpty] = []
    consents: Annotated[list[Consent], NoneAsEmpty] = []
    plan: Plan
    voice: Annotated[list[Voice], NoneAsEmpty] = []
    meetings: Annotated[list[Meeting], NoneAsEmpty] = []
    risk_assessments: Annotated[list[Risk], NoneAsEmpty] = []
    graded_trials: Annotated[list[Trial], NoneAsEmpty] = []
    incidents: Annotated[list[Incident], NoneAsEmpty] = []
    events: Annotated[list[Event], NoneAsEmpty] = []
    medication: Annotated[Medication, BeforeValidator(lambda v: {} if v is None else v)] = Field(
        default_factory=Medication
    )


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the case file, as published by `kinwise schema`."""
    schema = CaseFile.model_json_schema(mode="validation")
    schema["$id"] = "https://kinwise.example/schema/casefile-v1.json"
    schema["title"] = "Kinwise case file, format version 1"
    return schema
