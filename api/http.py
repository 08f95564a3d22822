"""What every route shares: CORS, the request body limit, and errors as JSON `{"error", "detail"}`.

    install(app, limits)   # called once by create_app

A user's mistake is a 4xx with a precise message, never a 5xx: project exceptions (PcsError
subclasses) are mapped to their status below, FastAPI's validation errors become 422.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pcs_graph.accounts.service import AuthError, LockedOut
from pcs_graph.contrib.drafts import CorrectionInvalid
from pcs_graph.contrib.plans import PublishConflict
from pcs_graph.contrib.service import Conflict as ContributionConflict
from pcs_graph.contrib.service import Forbidden as ContributionForbidden
from pcs_graph.contrib.service import NotFound as ContributionNotFound
from pcs_graph.contrib.service import SheetInvalid
from pcs_graph.errors import (
    InputError,
    InvalidCodeError,
    PcsError,
    QueryError,
    StoreError,
    UnknownCommuneError,
)
from pcs_graph.contrib.upload import UploadLimits, UploadRefused
from pcs_graph.search.engine import SearchNotReady

from .errors import (
    BadRequest,
    InvalidParameter,
    NotAcceptable,
    ResourceNotFound,
    UnsupportedMediaType,
)
from .limits import EndpointLimits
from .services import SearchUnavailable
from .sparql.guard import ServiceRefused, UpdateRefused
from .sparql.pool import EndpointBusy, QueryTimeout
from .sparql.results import ResultTooLarge

log = logging.getLogger("pcs.api")
UPLOAD_PATHS = ("/api/contributions", "/espace/publier")  # where a plan's document is uploaded
UPLOAD_MARGIN = 256 * 1024  # the multipart envelope and the form's other fields


# most specific first
STATUS: list[tuple[type[Exception], int, str]] = [
    (ResourceNotFound, 404, "not_found"),
    (UploadRefused, 422, "upload_refused"),  # its own status: 413, 415 or 422
    (CorrectionInvalid, 422, "invalid_correction"),
    (PublishConflict, 409, "conflict"),
    (ContributionForbidden, 403, "forbidden"),
    (ContributionNotFound, 404, "not_found"),
    (ContributionConflict, 409, "conflict"),
    (SheetInvalid, 422, "invalid_sheet"),
    (LockedOut, 429, "too_many_attempts"),
    (AuthError, 401, "unauthorized"),
    (InvalidParameter, 422, "invalid_parameter"),
    (UnknownCommuneError, 404, "unknown_commune"),
    (NotAcceptable, 406, "not_acceptable"),
    (UnsupportedMediaType, 415, "unsupported_media_type"),
    (UpdateRefused, 403, "read_only"),
    (ServiceRefused, 403, "service_refused"),
    (ResultTooLarge, 400, "result_too_large"),
    (QueryTimeout, 504, "query_timeout"),
    (EndpointBusy, 503, "busy"),
    (SearchUnavailable, 503, "search_unavailable"),
    (SearchNotReady, 503, "search_not_ready"),
    (QueryError, 400, "bad_query"),
    (InvalidCodeError, 422, "invalid_code"),
    (InputError, 422, "invalid_input"),
    (BadRequest, 400, "bad_request"),
    (StoreError, 503, "store_unavailable"),
    (PcsError, 400, "bad_request"),
]

HTTP_ERRORS = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 429: "too_many_requests", 503: "unavailable", 404: "not_found", 405: "method_not_allowed",
               406: "not_acceptable", 413: "body_too_large", 415: "unsupported_media_type", 422: "invalid_parameter"}


def error_response(status: int, error: str, detail: object, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": error, "detail": detail}, status_code=status, headers=headers)


def status_of(exc: Exception) -> tuple[int, str]:
    if isinstance(exc, UploadRefused):
        return exc.status, HTTP_ERRORS.get(exc.status, "upload_refused")
    for cls, status, code in STATUS:
        if isinstance(exc, cls):
            return status, code
    return 500, "internal_error"


async def project_error(request: Request, exc: Exception) -> JSONResponse:
    status, code = status_of(exc)
    headers = {"Retry-After": "5"} if status == 503 else None
    if isinstance(exc, LockedOut):
        headers = {"Retry-After": str(exc.retry_after)}
    return error_response(status, code, str(exc), headers)


async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    return error_response(exc.status_code, HTTP_ERRORS.get(exc.status_code, "http_error"), exc.detail,
                          getattr(exc, "headers", None))


async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    problems = [{"where": ".".join(str(p) for p in e.get("loc", ())), "message": e.get("msg", "")}
                for e in exc.errors()]
    text = "; ".join(f"{p['where']}: {p['message']}" for p in problems)
    return error_response(422, "invalid_parameter", f"paramètre invalide — {text}")


async def unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return error_response(500, "internal_error", "erreur interne du serveur (consignée dans le journal)")


class BodyLimit:
    """Refuse request bodies larger than `max_bytes` with 413, by Content-Length or while streaming.
    A POST to one of `upload_paths` (a plan's document) may carry up to `upload_bytes`."""

    def __init__(self, app: ASGIApp, max_bytes: int, upload_bytes: int = 0, upload_paths: tuple[str, ...] = ()) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.upload_bytes = max(upload_bytes, max_bytes)
        self.upload_paths = upload_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        upload = scope.get("method") == "POST" and scope.get("path") in self.upload_paths
        limit = self.upload_bytes if upload else self.max_bytes
        message = (f"fichier trop volumineux : au plus {(limit - UPLOAD_MARGIN) / 1024 / 1024:.0f} Mo" if upload
                   else f"corps de requête trop grand : au plus {limit} octets")
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > limit:
            await self._refuse(scope, receive, send, message)
            return
        seen = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal seen
            message_in = await receive()
            if message_in["type"] == "http.request":
                seen += len(message_in.get("body", b""))
                if seen > limit:
                    raise _TooLarge(413, message)
            return message_in

        async def tracking_send(message_out: Message) -> None:
            nonlocal started
            if message_out["type"] == "http.response.start":
                started = True
            await send(message_out)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _TooLarge:
            if not started:
                await self._refuse(scope, receive, send, message)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, message: str) -> None:
        response = error_response(413, "body_too_large", message)
        await response(scope, receive, send)


class _TooLarge(StarletteHTTPException):
    """Raised while a body streams in: FastAPI re-raises HTTPExceptions, so the handler answers 413."""


def document_errors(app: FastAPI) -> None:
    """OpenAPI: every 4xx/5xx body is `{"error", "detail"}` (FastAPI documents its own 422 shape)."""
    from fastapi.openapi.utils import get_openapi

    def openapi() -> dict:
        if app.openapi_schema:
            return app.openapi_schema
        spec = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        schemas = spec.setdefault("components", {}).setdefault("schemas", {})
        schemas["Error"] = {"type": "object", "required": ["error", "detail"], "title": "Error", "properties": {
            "error": {"type": "string", "title": "Error", "description": "code court de l'erreur"},
            "detail": {"title": "Detail", "description": "message précis"}}}
        error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
        for operations in spec.get("paths", {}).values():
            for operation in operations.values():
                for status, response in operation.get("responses", {}).items():
                    if status[0] in "45":  # a form page may answer its errors as the page again (HTML)
                        html = response.get("content", {}).get("text/html")
                        response["content"] = {**error, **({"text/html": html} if html else {})}
        schemas.pop("HTTPValidationError", None)
        schemas.pop("ValidationError", None)
        app.openapi_schema = spec
        return spec

    app.openapi = openapi  # type: ignore[method-assign]


def install(app: FastAPI, limits: EndpointLimits) -> None:
    document_errors(app)
    app.add_exception_handler(PcsError, project_error)
    app.add_exception_handler(SearchUnavailable, project_error)
    app.add_exception_handler(StarletteHTTPException, http_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, unexpected_error)
    app.add_middleware(BodyLimit, max_bytes=limits.max_body_bytes,
                       upload_bytes=UploadLimits.from_env().max_bytes + UPLOAD_MARGIN, upload_paths=UPLOAD_PATHS)
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "HEAD", "POST", "OPTIONS"],
                       allow_headers=["*"], max_age=86400,
                       expose_headers=["Content-Type", "Content-Disposition", "ETag", "Last-Modified", "Link"])
