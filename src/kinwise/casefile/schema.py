"""The case file (format versions 1 and 2) as pydantic models: the single definition of
its shape.

The models are version 2's, a superset of version 1's: a version-1 file is read through
:mod:`kinwise.casefile.versions`, which reports every field and value of version 2 in it
exactly as version 1 always has (docs/spec/casefile-v2.md, "Versions").

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
    SerializerFunctionWrapHandler,
    StrictBool,
    StrictInt,
    StrictStr,
    WithJsonSchema,
    model_serializer,
)

from kinwise.casefile.vocab import (
    V2_EVENT_KINDS,
    AgreedPosition,
    Area,
    AuthorityKind,
    CapacityOutcome,
    CarerAssessment,
    ConcernKind,
    ConcernStage,
    ConsentKind,
    EventKind,
    MeetingKind,
    MemberKind,
    Method,
    RestrictionBasis,
    RoleChangeKind,
    RoleLine,
    Route,
    SessionOutcome,
    Severity,
    StageSupport,
    TaskKind,
    VoiceSetting,
)

FORMAT_VERSION = 1
"""The first format version: what an export writes for a person with no record of version 2."""
LATEST_FORMAT_VERSION = 2
FORMAT_VERSIONS = (1, 2)
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
    """``kinwise`` is a whole number (1 or 2): true or 1.0 is a value of the wrong type."""
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
Scale = Annotated[StrictInt, Field(ge=0, le=10)]


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
    carer: Id | None = None
    """Format version 2: the family carer a carer_unwell event is about."""

    @model_serializer(mode="wrap")
    def _without_absent_carer(self, handler: SerializerFunctionWrapHandler) -> Any:
        # an event without a carer dumps as version 1 wrote it
        data = handler(self)
        if self.carer is None and isinstance(data, dict):
            data.pop("carer", None)
        return data


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


# --- format version 2 (docs/spec/casefile-v2.md) ------------------------------------------


class FamilyView(Record):
    """A relative's own view, kept apart from the person's voice."""

    id: Id
    author: Id
    date: Date
    area: Area
    meeting: Id | None = None
    risk_assessment: Id | None = None
    text: Text


class ConcernResponse(Record):
    date: Date
    by: Id
    text: Text


class ConcernDelay(Record):
    date: Date
    reason: Text


class ConcernStep(Record):
    stage: ConcernStage
    date: Date
    notes: StrictStr | None = None


class Concern(Record):
    """A complaint, concern or disagreement, and the route it takes to be resolved."""

    id: Id
    kind: ConcernKind
    raised_by: Id
    date: Date
    area: Area
    about: Id | None = None
    decision: Flag = False
    acknowledged: Date | None = None
    response: ConcernResponse | None = None
    delay: ConcernDelay | None = None
    imca_referral: Date | None = None
    stages: Annotated[list[ConcernStep], NoneAsEmpty] = []
    closed: Date | None = None
    outcome: StrictStr | None = None
    next_stage_told: Flag = False


class RoleChange(Record):
    """One dated change of who decides, supports, contributes or is informed in an area."""

    id: Id
    date: Date
    area: Area
    member: Id
    role: RoleLine
    change: RoleChangeKind
    reason: StrictStr | None = None
    recorded_by: Id | None = None


class Contingency(Record):
    task: Id
    steps_in: Id
    contact: Text


class ContingencyUse(Record):
    date: Date
    task: Id
    notes: StrictStr | None = None


class CarerPlan(Record):
    """A family carer's plan: willing and able, their assessment, a contingency per task."""

    id: Id
    carer: Id
    date: Date
    asked: Date | None = None
    willing: StrictBool | None = None
    able: StrictBool | None = None
    assessment: CarerAssessment = "not_offered"
    assessment_date: Date | None = None
    contingencies: Annotated[list[Contingency], NoneAsEmpty] = []
    used: Annotated[list[ContingencyUse], NoneAsEmpty] = []
    reviewed: Date | None = None


class GoalReview(Record):
    date: Date
    score: Scale
    evidence: IdList = []
    notes: StrictStr | None = None


class Goal(Record):
    """A goal in the person's own words, with its reviews."""

    id: Id
    date: Date
    area: Area
    words: Text
    set_by: Id
    person_agrees: StrictBool | None = None
    baseline: Scale
    review_every: Annotated[StrictInt, Field(ge=1)] = 90
    reviews: Annotated[list[GoalReview], NoneAsEmpty] = []
    ended: Date | None = None


class Restriction(Record):
    """A restriction on the person, its legal basis and its review."""

    id: Id
    date: Date
    area: Area
    what: Text
    proposed_by: Id
    basis: RestrictionBasis | None = None
    basis_record: Id | None = None
    alternatives: StrictStr | None = None
    review_by: Date
    ended: Date | None = None
    replaced_by: Id | None = None


class ExportedPerson(Record):
    id: Id
    version: Annotated[StrictInt, Field(ge=0)]


class Exported(Record):
    """The versions of the records at the file's export (the comment stamp's content)."""

    person: ExportedPerson
    records: dict[StrictStr, dict[StrictStr, Annotated[StrictInt, Field(ge=1)]]] = Field(
        default_factory=dict
    )


class CaseFile(Record):
    """One supported person and everything the service records about them."""

    kinwise: Annotated[Literal[1, 2], BeforeValidator(_check_version)]
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
    family_views: Annotated[list[FamilyView], NoneAsEmpty] = []
    concerns: Annotated[list[Concern], NoneAsEmpty] = []
    role_changes: Annotated[list[RoleChange], NoneAsEmpty] = []
    carer_plans: Annotated[list[CarerPlan], NoneAsEmpty] = []
    goals: Annotated[list[Goal], NoneAsEmpty] = []
    restrictions: Annotated[list[Restriction], NoneAsEmpty] = []
    exported: Exported | None = None

    @model_serializer(mode="wrap")
    def _version_one_shape(self, handler: SerializerFunctionWrapHandler) -> Any:
        # a version-1 file dumps without the (empty) sections version 1 does not have
        data = handler(self)
        if self.kinwise == 1 and isinstance(data, dict):
            for name in V2_SECTIONS:
                if name in data and not data[name]:
                    del data[name]
        return data


# The top-level fields and the event's field that version 1 does not have.
V2_SECTIONS: tuple[str, ...] = (
    "family_views",
    "concerns",
    "role_changes",
    "carer_plans",
    "goals",
    "restrictions",
    "exported",
)
V2_EVENT_FIELDS: tuple[str, ...] = ("carer",)
_V2_MODELS = (
    "FamilyView",
    "Concern",
    "ConcernResponse",
    "ConcernDelay",
    "ConcernStep",
    "RoleChange",
    "Contingency",
    "ContingencyUse",
    "CarerPlan",
    "GoalReview",
    "Goal",
    "Restriction",
    "Exported",
    "ExportedPerson",
)


def json_schema(version: int = FORMAT_VERSION) -> dict[str, Any]:
    """The JSON Schema of the case file of ``version``, as published by `kinwise schema`
    (version 1's exactly as it was before version 2 existed)."""
    if version not in FORMAT_VERSIONS:
        raise ValueError(f"no format version {version}")
    schema = CaseFile.model_json_schema(mode="validation")
    if version == 1:
        defs = schema["$defs"]
        for name in _V2_MODELS:
            defs.pop(name, None)
        for name in V2_SECTIONS:
            del schema["properties"][name]
        event = defs["Event"]["properties"]
        for name in V2_EVENT_FIELDS:
            del event[name]
        event["kind"]["enum"] = [k for k in event["kind"]["enum"] if k not in V2_EVENT_KINDS]
        schema["properties"]["kinwise"] = {"const": 1, "title": "Kinwise", "type": "integer"}
    schema["$id"] = f"https://kinwise.example/schema/casefile-v{version}.json"
    schema["title"] = f"Kinwise case file, format version {version}"
    return schema
