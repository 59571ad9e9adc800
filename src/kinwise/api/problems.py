"""Errors as RFC 9457 problem details (``application/problem+json``): a status, a title
in plain English, Kinwise's error code (``kinwise.errors.ErrorCode``) and, for
validation, each error with its case-file path. No personal data: the paths and codes
are the caller's own."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.http import HttpResponse
from pydantic import BaseModel, Field

from kinwise.errors import ErrorCode, FieldError

CONTENT_TYPE = "application/problem+json"

TITLES: dict[int, str] = {
    400: "The request could not be read",
    401: "A valid API token is needed",
    403: "This token may not do that",
    404: "Not found",
    405: "Method not allowed",
    409: "The change conflicts with the records",
    412: "The record has changed since you read it",
    422: "The request does not pass validation",
    428: "Send the record's ETag in If-Match",
    429: "Too many requests",
}


class ProblemError(BaseModel):
    path: str = Field(description="where in the case file (``voice[3].method``); empty: the whole")
    message: str
    code: str


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str
    code: str
    errors: list[ProblemError] = Field(default_factory=list)


def problem_type(code: str) -> str:
    return f"urn:kinwise:problem:{code}"


def problem(
    status: int,
    code: ErrorCode | str,
    detail: str,
    errors: Iterable[FieldError] = (),
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": problem_type(str(code)),
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "code": str(code),
        "errors": [{"path": e.path, "message": e.message, "code": str(e.code)} for e in errors],
    }
    response = HttpResponse(json.dumps(body), status=status, content_type=CONTENT_TYPE)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


# the status each error code answers with
STATUS_OF: dict[ErrorCode, int] = {
    ErrorCode.INVALID_CASEFILE: 422,
    ErrorCode.UNREADABLE_FILE: 400,
    ErrorCode.RESOURCE_LIMIT: 422,
    ErrorCode.USAGE: 422,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.PERMISSION_DENIED: 403,
    ErrorCode.CONFLICT: 409,
    ErrorCode.INVALID_INPUT: 422,
    ErrorCode.INVALID_DATE: 422,
    ErrorCode.STALE: 412,
}

# the problem responses every operation may give, documented in the OpenAPI document
COMMON: tuple[int, ...] = (400, 401, 403, 404, 422, 429)
WRITE: tuple[int, ...] = (*COMMON, 409, 412, 428)
