"""The operations of ``/api/v1/`` (docs/api.md). Thin: each asks ``kinwise.access.tokens``
(as the token's login, within its scope), reads through selectors and writes through
the record services; the problem handlers are in :mod:`kinwise.api.handlers`."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Path, Query
from ninja.responses import Status

from kinwise import clock
from kinwise.access import KIND_ACTIONS, MANAGER_ROLES, correction_action
from kinwise.access.tokens import person_for_token, service_for_token, services_for_token
from kinwise.api import schemas as s
from kinwise.api.auth import caller_of
from kinwise.api.paging import DEFAULT_LIMIT, MAX_LIMIT, decode_cursor, encode_cursor, page_of
from kinwise.api.problems import COMMON, WRITE, Problem
from kinwise.api.selectors import people_page, record_of, records_page
from kinwise.casefile.kinds import RECORD_KINDS, RecordKind
from kinwise.casefile.limits import check_json
from kinwise.casefile.schema import CaseFile
from kinwise.casefile.vocab import AREAS
from kinwise.clock import end_of_day
from kinwise.dates import parse_user_date
from kinwise.errors import ErrorCode, FieldError, KinwiseError
from kinwise.records.models import Person, Record
from kinwise.records.selectors import casefile_export, casefile_recorded
from kinwise.records.services import edits
from kinwise.records.services.edits import record_correct, record_save
from kinwise.rules.audit import PersonAudit, audit_casefile, default_since

MAX_INT = 2**31 - 1
MAX_BODY = 1024 * 1024
Id = Path(..., ge=1, le=MAX_INT)
Cursor = Query(None, max_length=64, description="the cursor of the page (from `next`)")
Limit = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
DateQuery = Query(None, max_length=10, description="YYYY-MM-DD")
View = Query(
    "as_recorded",
    description="a past day as recorded then (the default), or with the corrections made since",
    pattern="^(as_recorded|corrected)$",
)


def problems(*codes: int) -> dict[int, Any]:
    return dict.fromkeys(codes, Problem)


def _date(value: str | None, name: str) -> dt.date | None:
    return None if value is None else parse_user_date(value, label=name)


def _caller(request: HttpRequest) -> Any:
    return caller_of(request)


# --- services and people -----------------------------------------------------------------


def add_services(api: NinjaAPI) -> None:
    @api.get(
        "/services",
        response={200: s.ServicesPage, **problems(*COMMON)},
        url_name="services",
        operation_id="services",
        summary="The services the token may see",
    )
    def services(
        request: HttpRequest, cursor: str | None = Cursor, limit: int = Limit
    ) -> dict[str, Any]:
        caller = _caller(request)
        found = services_for_token(user=request.user, scope=caller.scope)  # type: ignore[arg-type]
        items, following = page_of(found, cursor=cursor, limit=limit)
        return {
            "items": [{"id": x.pk, "casefile_id": x.external_id, "name": x.name} for x in items],
            "next": following,
        }

    @api.get(
        "/services/{service_id}",
        response={200: s.ServiceOut, **problems(*COMMON)},
        url_name="service",
        operation_id="service",
        summary="One service",
    )
    def service(request: HttpRequest, service_id: int = Id) -> dict[str, Any]:
        found = service_for_token(
            user=request.user,  # type: ignore[arg-type]
            scope=_caller(request).scope,
            service_pk=service_id,
        )
        return {"id": found.pk, "casefile_id": found.external_id, "name": found.name}

    @api.get(
        "/services/{service_id}/people",
        response={200: s.PeoplePage, **problems(*COMMON)},
        url_name="people",
        operation_id="people",
        summary="The service's people",
    )
    def people(
        request: HttpRequest,
        service_id: int = Id,
        cursor: str | None = Cursor,
        limit: int = Limit,
    ) -> dict[str, Any]:
        found = service_for_token(
            user=request.user,  # type: ignore[arg-type]
            scope=_caller(request).scope,
            service_pk=service_id,
        )
        rows, more = people_page(service=found, after=decode_cursor(cursor), limit=limit)
        return {
            "items": [_person(p) for p in rows],
            "next": encode_cursor(rows[-1].pk) if more and rows else None,
        }

    @api.get(
        "/services/{service_id}/work-items",
        response={200: s.WorkItemsPage, **problems(*COMMON)},
        url_name="work_items",
        operation_id="work_items",
        summary="The service's worklist (team leaders, registered managers, quality leads)",
    )
    def work_items(
        request: HttpRequest,
        service_id: int = Id,
        as_of: str | None = DateQuery,
        cursor: str | None = Cursor,
        limit: int = Limit,
    ) -> dict[str, Any]:
        from kinwise.governance.selectors import service_worklist

        found = service_for_token(
            user=request.user,  # type: ignore[arg-type]
            scope=_caller(request).scope,
            service_pk=service_id,
            roles=MANAGER_ROLES,
        )
        day = _date(as_of, "as_of") or clock.today()
        worklist = service_worklist(service=found, as_of=day)
        rows, following = page_of(worklist.rows, cursor=cursor, limit=limit)
        return {
            "as_of": day,
            "items": [
                {
                    "key": r.key,
                    "kind": r.kind,
                    "person": r.person_pk,
                    "title": r.title,
                    "subject": r.subject,
                    "opened": r.opened,
                    "due": r.due,
                    "state": r.state,
                    "days_overdue": r.days_overdue,
                    "owner": r.owner_key,
                    "resolution": r.resolution,
                    "resolution_date": r.resolution_date,
                }
                for r in rows
            ],
            "next": following,
        }

    @api.get(
        "/services/{service_id}/reports/service",
        response={200: s.ServiceReportOut, **problems(*COMMON)},
        url_name="service_report",
        operation_id="service_report",
        summary="The service report's measures over a period",
    )
    def service_report(
        request: HttpRequest,
        service_id: int = Id,
        start: str = Query(..., alias="from", max_length=10, description="YYYY-MM-DD"),
        end: str = Query(..., alias="to", max_length=10, description="YYYY-MM-DD"),
        view: str = View,
    ) -> dict[str, Any]:
        from kinwise.reports.measures import Period, report_period_problem
        from kinwise.reports.views import build_service_report

        found = service_for_token(
            user=request.user,  # type: ignore[arg-type]
            scope=_caller(request).scope,
            service_pk=service_id,
            action="read_service_report",
        )
        first, last = parse_user_date(start, label="from"), parse_user_date(end, label="to")
        too_long = report_period_problem(first, last) if first <= last else None
        if first > last or too_long:
            message = too_long or "The period must start on or before its end"
            raise KinwiseError(ErrorCode.INVALID_INPUT, message, [FieldError("from", message)])
        report, _ = build_service_report(
            service=found,
            period=Period(first, last),
            as_recorded=view != "corrected",
            today=clock.today(),
        )
        return {
            "service": found.pk,
            "start": first,
            "end": last,
            "view": view,
            "measures": [
                {
                    "key": m.key,
                    "title": m.title,
                    "kind": m.kind,
                    "overall": {
                        "numerator": m.overall.numerator,
                        "denominator": m.overall.denominator,
                    },
                    "lower_is_better": m.lower_is_better,
                }
                for m in report.measures.ratio_measures()
            ],
        }


def _person(p: Person) -> dict[str, Any]:
    return {
        "id": p.pk,
        "service": p.service_id,
        "casefile_id": p.external_id,
        "name": p.name,
        "support_ended": p.support_ended,
    }


# --- a person: their details, case file, audit and FHIR bundle ---------------------------


def add_person(api: NinjaAPI) -> None:
    def reader(request: HttpRequest, person_id: int) -> Person:
        return person_for_token(
            user=request.user,  # type: ignore[arg-type]
            scope=_caller(request).scope,
            person_pk=person_id,
        )

    @api.get(
        "/people/{person_id}",
        response={200: s.PersonOut, **problems(*COMMON)},
        url_name="person",
        operation_id="person",
        summary="One person",
    )
    def person(request: HttpRequest, person_id: int = Id) -> dict[str, Any]:
        return _person(reader(request, person_id))

    @api.get(
        "/people/{person_id}/casefile",
        response={200: CaseFile, **problems(*COMMON)},
        url_name="casefile",
        operation_id="casefile",
        summary="The person's case file (the case-file JSON)",
    )
    def casefile(request: HttpRequest, person_id: int = Id) -> CaseFile:
        return casefile_export(person=reader(request, person_id))

    @api.get(
        "/people/{person_id}/findings",
        response={200: s.AuditOut, **problems(*COMMON)},
        url_name="findings",
        operation_id="findings",
        summary="The person's audit (rules.md), at as_of over since..as_of",
    )
    def findings(
        request: HttpRequest,
        person_id: int = Id,
        as_of: str | None = DateQuery,
        since: str | None = DateQuery,
        view: str = View,
    ) -> dict[str, Any]:
        found = reader(request, person_id)
        today = clock.today()
        day = _date(as_of, "as_of") or today
        start = _date(since, "since") or default_since(day)
        if start > day:
            message = "The period must start on or before the audit date"
            raise KinwiseError(ErrorCode.INVALID_INPUT, message, [FieldError("since", message)])
        as_recorded = view != "corrected" and day < today
        nothing = False
        if as_recorded:
            recorded = casefile_recorded(person=found, at=end_of_day(day))
            if recorded is None:
                nothing = True
                audit = PersonAudit(found.external_id, found.name, day, start, ())
            else:
                audit = audit_casefile(recorded, as_of=day, since=start)
        else:
            audit = audit_casefile(casefile_export(person=found), as_of=day, since=start)
        return {
            **audit.to_json(),
            "view": "as_recorded" if view != "corrected" else "corrected",
            "nothing_recorded": nothing,
        }

    @api.get(
        "/people/{person_id}/fhir",
        response={200: dict[str, Any], **problems(*COMMON)},
        url_name="fhir",
        operation_id="fhir",
        summary="The person's records as a FHIR R4 collection Bundle",
        openapi_extra={
            "responses": {
                200: {
                    "description": "a FHIR R4 Bundle",
                    "content": {"application/fhir+json": {"schema": {"type": "object"}}},
                }
            }
        },
    )
    def fhir(request: HttpRequest, person_id: int = Id) -> HttpResponse:
        from kinwise.reports.fhir import person_bundle

        bundle = person_bundle(casefile_export(person=reader(request, person_id)))
        return HttpResponse(json.dumps(bundle), content_type="application/fhir+json")


# --- each kind of record ------------------------------------------------------------------


def _etag(row: Record) -> str:
    return f'"{row.pk}.{row.version}"'


def _out(spec: RecordKind, row: Record) -> dict[str, Any]:
    return {
        "id": row.pk,
        "kind": spec.name,
        "key": row.key,
        "version": row.version,
        "record": spec.from_data(row.data),
    }


def _body(request: HttpRequest) -> Any:
    if len(request.body) > MAX_BODY:
        raise KinwiseError(
            ErrorCode.RESOURCE_LIMIT,
            "the request is too big",
            [FieldError("", f"Send at most {MAX_BODY} bytes")],
        )
    try:
        text = request.body.decode("utf-8")
        check_json(text, name="the request")
        return json.loads(text)
    except (UnicodeDecodeError, ValueError):
        raise KinwiseError(
            ErrorCode.UNREADABLE_FILE,
            "the request is not JSON",
            [FieldError("", "Send the record as a JSON object")],
        ) from None


def _record_body(request: HttpRequest, spec: RecordKind) -> dict[str, Any]:
    data = _body(request)
    if not isinstance(data, dict):
        raise KinwiseError(
            ErrorCode.INVALID_INPUT,
            f"the {spec.label} must be a JSON object",
            [FieldError(".".join(spec.place), "Send the record as a JSON object")],
        )
    return data


class Precondition(Exception):
    """If-Match missing (428) or naming another version (412)."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


def _based_on(request: HttpRequest, row: Record) -> int:
    """The version the change is based on, from If-Match: it must name the record's
    current ETag (missing: 428; another version: 412, nothing written)."""
    sent = request.headers.get("If-Match")
    if sent is None or not sent.strip() or sent.strip() == "*":
        raise Precondition(428, "Send the record's ETag in If-Match")
    tags = [t.strip().removeprefix("W/") for t in sent.split(",")]
    if _etag(row) not in tags:
        raise Precondition(412, "The record has changed since that version: read it again")
    return row.version


def add_kind(api: NinjaAPI, spec: RecordKind) -> None:
    """The operations of one kind of record: list and read; for a kind kept as a list,
    create, change and (when it can be) enter in error."""
    base = f"/people/{{person_id}}/records/{spec.name}"
    one = s.record_out(spec)
    schema_ref = {"$ref": f"#/components/schemas/{spec.schema.__name__}"}
    action = KIND_ACTIONS.get(spec.name)
    writable = action is not None and not spec.single

    def person_read(request: HttpRequest, person_id: int) -> Person:
        return person_for_token(
            user=request.user,  # type: ignore[arg-type]
            scope=_caller(request).scope,
            person_pk=person_id,
        )

    def person_change(request: HttpRequest, person_id: int, act: Any) -> Person:
        return person_for_token(
            user=request.user,  # type: ignore[arg-type]
            scope=_caller(request).scope,
            person_pk=person_id,
            purpose="change",
            action=act,
        )

    def current(person: Person, record_id: int) -> Record:
        row = record_of(person=person, kind=spec.name, record_id=record_id)
        if row is None:
            raise KinwiseError(ErrorCode.NOT_FOUND, f"no such {spec.label}")
        return row

    def answer(response: HttpResponse, row: Record) -> dict[str, Any]:
        response["ETag"] = _etag(row)
        return _out(spec, row)

    @api.get(
        base,
        response={200: s.records_page(spec), **problems(*COMMON)},
        url_name=f"{spec.name}_list",
        operation_id=f"{spec.name}_list",
        summary=f"The person's {spec.plural}",
        tags=[spec.name],
    )
    def listing(
        request: HttpRequest,
        person_id: int = Id,
        cursor: str | None = Cursor,
        limit: int = Limit,
    ) -> dict[str, Any]:
        person = person_read(request, person_id)
        rows, more = records_page(
            person=person, kind=spec.name, after=decode_cursor(cursor), limit=limit
        )
        return {
            "items": [_out(spec, r) for r in rows],
            "next": encode_cursor(rows[-1].pk) if more and rows else None,
        }

    @api.get(
        f"{base}/{{record_id}}",
        response={200: one, **problems(*COMMON)},
        url_name=spec.name,
        operation_id=f"{spec.name}_read",
        summary=f"One {spec.label}",
        tags=[spec.name],
    )
    def read(
        request: HttpRequest, response: HttpResponse, person_id: int = Id, record_id: int = Id
    ) -> dict[str, Any]:
        return answer(response, current(person_read(request, person_id), record_id))

    if spec.name == "plan" and action is not None:
        add_plan_change(api, spec, base, action, person_change, current, answer, one)
    if not writable:
        return
    assert action is not None
    body = {
        "requestBody": {"required": True, "content": {"application/json": {"schema": schema_ref}}}
    }

    @api.post(
        base,
        response={201: one, **problems(*WRITE)},
        summary=f"Record a new {spec.label}",
        operation_id=f"{spec.name}_create",
        url_name=f"{spec.name}_create",
        tags=[spec.name],
        openapi_extra=body,
    )
    def create(request: HttpRequest, response: HttpResponse, person_id: int = Id) -> Any:
        person = person_change(request, person_id, action)
        saved = record_save(
            person=person,
            kind=spec.name,
            record=_record_body(request, spec),
            actor=request.user,  # type: ignore[arg-type]
        )
        row = current(person, _row_id(person, spec, saved.key))
        response["Location"] = f"{request.path.rstrip('/')}/{row.pk}"
        return Status(201, answer(response, row))

    @api.put(
        f"{base}/{{record_id}}",
        response={200: one, **problems(*WRITE)},
        summary=f"Change a {spec.label} (If-Match: its ETag)",
        operation_id=f"{spec.name}_change",
        url_name=f"{spec.name}_change",
        tags=[spec.name],
        openapi_extra=body,
    )
    def change(
        request: HttpRequest, response: HttpResponse, person_id: int = Id, record_id: int = Id
    ) -> dict[str, Any]:
        person = person_change(request, person_id, action)
        row = current(person, record_id)
        version = _based_on(request, row)
        saved = record_save(
            person=person,
            kind=spec.name,
            record=_record_body(request, spec),
            actor=request.user,  # type: ignore[arg-type]
            original_key=row.key,
            based_on=version,
        )
        return answer(response, current(person, _row_id(person, spec, saved.key)))

    if not spec.correctable:
        return

    @api.post(
        f"{base}/{{record_id}}/entered-in-error",
        response={204: None, **problems(*WRITE)},
        url_name=f"{spec.name}_entered_in_error",
        operation_id=f"{spec.name}_entered_in_error",
        summary=f"Take a {spec.label} out as entered in error (If-Match: its ETag)",
        tags=[spec.name],
    )
    def correct(
        request: HttpRequest, reason: s.Reason, person_id: int = Id, record_id: int = Id
    ) -> HttpResponse:
        person = person_change(request, person_id, correction_action(spec.name))
        row = current(person, record_id)
        version = _based_on(request, row)
        record_correct(
            person=person,
            kind=spec.name,
            key=row.key,
            reason=reason.reason,
            actor=request.user,  # type: ignore[arg-type]
            based_on=version,
        )
        return HttpResponse(status=204)


# The plan's own fields a call may change: its roles and tasks are records of their own
# kinds (``role``, ``task``), changed through theirs.
PLAN_FIELDS = ("version_date", "required_areas", "emotional_support")
PLAN_BODY = {
    "type": "object",
    "properties": {
        "version_date": {"type": "string", "format": "date", "description": "YYYY-MM-DD"},
        "required_areas": {
            "type": "array",
            "items": {"type": "string", "enum": list(AREAS)},
            "description": "the areas the plan must cover (absent: none required)",
        },
        "emotional_support": {
            "type": "array",
            "items": {"type": "string", "maxLength": 64},
            "description": "the circle members who give emotional support",
        },
    },
    "required": ["version_date"],
    "additionalProperties": False,
}


def add_plan_change(
    api: NinjaAPI,
    spec: RecordKind,
    base: str,
    action: Any,
    person_change: Any,
    current: Any,
    answer: Any,
    one: Any,
) -> None:
    """PUT the care plan's own fields (If-Match: its ETag): the same service as the web's
    plan forms (:func:`kinwise.records.services.edits.plan_update`), the whole case file
    validated, the history kept; a field left out is left out of the plan."""
    body = {
        "requestBody": {"required": True, "content": {"application/json": {"schema": PLAN_BODY}}}
    }

    @api.put(
        f"{base}/{{record_id}}",
        response={200: one, **problems(*WRITE)},
        summary="Change the care plan's own fields (If-Match: its ETag)",
        operation_id="plan_change",
        url_name="plan_change",
        tags=[spec.name],
        openapi_extra=body,
    )
    def plan_change(
        request: HttpRequest, response: HttpResponse, person_id: int = Id, record_id: int = Id
    ) -> dict[str, Any]:
        person = person_change(request, person_id, action)
        row = current(person, record_id)
        version = _based_on(request, row)
        data = _record_body(request, spec)
        unknown = sorted(set(data) - set(PLAN_FIELDS))
        if unknown:
            raise KinwiseError(
                ErrorCode.INVALID_INPUT,
                "the care plan has no such field to change here",
                [
                    FieldError(
                        f"plan.{name}",
                        "change the decision areas and tasks through their own records"
                        if name in ("roles", "tasks")
                        else "unknown field",
                    )
                    for name in unknown
                ],
            )
        saved = edits.plan_update(
            person=person,
            fields={name: data.get(name) for name in PLAN_FIELDS},
            actor=request.user,  # type: ignore[arg-type]
            based_on=version,
        )
        return answer(response, current(person, _row_id(person, spec, saved.key)))


def _row_id(person: Person, spec: RecordKind, key: str) -> int:
    from kinwise.records.selectors import record_current

    row = record_current(person=person, kind=spec.name, key=key)
    assert row is not None  # just written
    return row.pk


def add_all(api: NinjaAPI) -> None:
    add_services(api)
    add_person(api)
    for spec in RECORD_KINDS:
        add_kind(api, spec)
