"""The API instance and its answers to errors, each an RFC 9457 problem
(:mod:`kinwise.api.problems`)."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from kinwise.access.tokens import refuse_without_token
from kinwise.api.auth import RateLimited, TokenAuth
from kinwise.api.problems import CONTENT_TYPE, STATUS_OF, problem
from kinwise.api.routes import Precondition, add_all
from kinwise.errors import ErrorCode, FieldError, FieldErrorCode, KinwiseError

logger = logging.getLogger("kinwise.api")


class KinwiseAPI(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        """The document, with every problem answer as ``application/problem+json``."""
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for status, answer in operation.get("responses", {}).items():
                    content = answer.get("content")
                    if int(status) >= 400 and content and "application/json" in content:
                        answer["content"] = {CONTENT_TYPE: content.pop("application/json")}
        return schema

    def create_response(
        self, request: HttpRequest, data: Any, *args: Any, **kwargs: Any
    ) -> HttpResponse:
        response = super().create_response(request, data, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        return response


def _path(loc: Any) -> str:
    """A pydantic location as a path: ``cursor``, ``reason``, ``present[1]``."""
    parts = [p for p in loc if p not in ("query", "path", "body", "header", "reason")] or list(
        loc[-1:]
    )
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _int_or_none(value: Any) -> int | None:
    """An id the address names (as typed in it), or None for anything but one."""
    text = str(value) if value is not None else ""
    if not (text.isascii() and text.isdigit() and len(text) <= 10):
        return None
    number = int(text)
    return number if 0 < number <= 2**31 - 1 else None


def build_api() -> NinjaAPI:
    api = KinwiseAPI(
        title="Kinwise API",
        version="1",
        description="Kinwise's records, audits, work items and reports (docs/api.md).",
        urls_namespace="api",
        openapi_url="/openapi.json",
        docs_url=None,
        auth=TokenAuth(),
    )

    @api.exception_handler(KinwiseError)
    def kinwise_error(request: HttpRequest, exc: KinwiseError) -> HttpResponse:
        return problem(STATUS_OF.get(exc.code, 422), exc.code, exc.message, exc.errors)

    @api.exception_handler(Precondition)
    def precondition(request: HttpRequest, exc: Precondition) -> HttpResponse:
        code = ErrorCode.STALE if exc.status == 412 else "precondition_required"
        return problem(exc.status, code, exc.detail, [FieldError("", exc.detail)])

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return problem(404, ErrorCode.NOT_FOUND, "Nothing here for this token")

    @api.exception_handler(PermissionDenied)
    def denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        detail = str(exc) or "This token may not do that"
        return problem(403, ErrorCode.PERMISSION_DENIED, detail)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        # every 401 (no token sent, or one that names no live token) is a refusal, logged
        named = request.resolver_match.kwargs if request.resolver_match else {}
        refuse_without_token(
            person_pk=_int_or_none(named.get("person_id")),
            service_pk=_int_or_none(named.get("service_id")),
            purpose="read" if request.method in ("GET", "HEAD", "OPTIONS") else "change",
        )
        return problem(
            401,
            "unauthenticated",
            "Send a live API token as Authorization: Bearer <token>",
            headers={"WWW-Authenticate": 'Bearer realm="kinwise"'},
        )

    @api.exception_handler(RateLimited)
    def limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
        return problem(
            429,
            "rate_limited",
            "This token made too many calls this minute",
            headers={"Retry-After": str(exc.retry_after)},
        )

    @api.exception_handler(ValidationError)
    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = [
            FieldError(
                _path(e.get("loc", ())), str(e.get("msg", "invalid")), FieldErrorCode.INVALID
            )
            for e in exc.errors
        ]
        return problem(422, ErrorCode.INVALID_INPUT, "the request does not pass validation", errors)

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return problem(exc.status_code, "http_error", str(exc))

    add_all(api)
    return api
