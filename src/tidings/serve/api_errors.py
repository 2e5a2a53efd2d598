"""Serve: the one table from exceptions to HTTP statuses, and the one JSON error body.

An exception raised anywhere under a request comes in; a JSON response of the
shape `{"ok": false, "error": "...", "errors": ["..."], "status": N}` goes out
(STYLE.md §4). Routes raise domain errors (`NotFoundError`) or `HTTPException`
and never build an error body themselves. 4xx responses are logged at info,
5xx with the traceback; a 5xx body never carries internal detail (a database
URL, a file path), which goes to the log instead. This is the API's one broad
`except` site, with `middleware.GuardMiddleware` as the last resort around it.
"""

from __future__ import annotations

import http
import logging
from collections.abc import Mapping, Sequence
from typing import Any, Final

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from tidings.errors import ConfigError, NotFoundError, StoreError, TidingsError

log = logging.getLogger(__name__)


class BodyTooLargeError(Exception):
    """A request body longer than the server accepts."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"request body over the limit of {limit} bytes; send smaller batches")
        self.limit = limit


# Domain errors -> status, first match wins (so subclasses go before their bases).
# StoreError is 503: the database is unreachable or busy, and the client may retry.
# ConfigError is 500: the operator's set-up is wrong (e.g. the spaCy model is missing).
ERROR_STATUSES: Final[tuple[tuple[type[Exception], int], ...]] = (
    (NotFoundError, 404),
    (BodyTooLargeError, 413),
    (StoreError, 503),
    (ConfigError, 500),
    (TidingsError, 500),
)

# What a client sees for a 5xx; the detail is in the server log.
_SERVER_MESSAGES: Final = {
    500: "internal server error; the server log has the details",
    503: "the database is unavailable; try again later",
}


def make_error_response(
    status: int, errors: Sequence[str], *, headers: Mapping[str, str] | None = None, error: str | None = None
) -> JSONResponse:
    """The standard error body for `status` with each problem in `errors` (`error` defaults to them joined)."""
    problems = list(errors) or [http.HTTPStatus(status).phrase]
    body = {"ok": False, "error": error or "; ".join(problems), "errors": problems, "status": status}
    return JSONResponse(body, status_code=status, headers=headers)


def render_exception(request: Request, error: Exception) -> JSONResponse:
    """The error response for any exception, via ERROR_STATUSES; logs it (5xx with the traceback)."""
    if isinstance(error, StarletteHTTPException):
        return _render_http_exception(request, error)
    if isinstance(error, RequestValidationError):
        return _render_validation_error(request, error)
    status = next((code for kind, code in ERROR_STATUSES if isinstance(error, kind)), 500)
    if status >= 500:
        log.error("%s %s failed: %s", request.method, request.url.path, error, exc_info=error)
        return make_error_response(status, [_SERVER_MESSAGES.get(status, _SERVER_MESSAGES[500])])
    log.info("%s %s: %s %s", request.method, request.url.path, status, error)
    return make_error_response(status, [str(error)])


async def handle_exception(request: Request, error: Exception) -> Response:
    """The exception handler FastAPI calls (an async function of request and exception)."""
    return render_exception(request, error)


def install_error_handlers(app: FastAPI) -> None:
    """Route every exception the app can raise through `render_exception`."""
    for kind in (StarletteHTTPException, RequestValidationError, TidingsError, BodyTooLargeError):
        app.add_exception_handler(kind, handle_exception)


def _render_http_exception(request: Request, error: StarletteHTTPException) -> JSONResponse:
    """404 for an unknown route, 405, and the HTTPExceptions routes raise (401, 415, 503)."""
    message = str(error.detail)
    if error.status_code == 404 and message == http.HTTPStatus.NOT_FOUND.phrase:
        message = f"no such endpoint: {request.url.path}; the API is described at /api/openapi.json"
    elif error.status_code == 405:
        allowed = (error.headers or {}).get("Allow", "")
        message = f"{request.method} is not allowed on {request.url.path}; allowed: {allowed or 'none'}"
    level = logging.ERROR if error.status_code >= 500 else logging.INFO
    log.log(level, "%s %s: %s %s", request.method, request.url.path, error.status_code, message)
    return make_error_response(error.status_code, [message], headers=error.headers)


def _render_validation_error(request: Request, error: RequestValidationError) -> JSONResponse:
    """422 listing every bad parameter as "query.as_of: expected an ISO date ..."."""
    problems = [_describe_problem(problem) for problem in error.errors()]
    log.info("%s %s: 422 %s", request.method, request.url.path, "; ".join(problems))
    return make_error_response(422, problems)


def _describe_problem(problem: Mapping[str, Any]) -> str:
    """One pydantic error as "where: what"."""
    where = ".".join(str(part) for part in problem.get("loc") or ())
    message = str(problem.get("msg", "invalid value")).removeprefix("Value error, ")
    return f"{where}: {message}" if where else message
