"""Serve: the ASGI middleware around every request — security headers, the body limit, the last resort.

An HTTP request comes in; the app's response goes out with the security
headers added (a Content-Security-Policy that allows no inline script, no
sniffing, no referrer), whether it is JSON, an HTML page or an error. A body
longer than the limit is refused with 413 before the app reads it (by its
Content-Length) or while it reads it (a chunked body). An exception that
escapes the app's handlers is rendered here, through the same table as the
rest (`api_errors.render_exception`), so even a 500 has the standard body and
the headers.
"""

from __future__ import annotations

from typing import Final

from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tidings.serve.api_errors import BodyTooLargeError, make_error_response, render_exception

# The policy the issue asks for: only our own scripts, styles and images (plus data:
# images), never framed, no <base>, forms post only to us.
CONTENT_SECURITY_POLICY: Final = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
SECURITY_HEADERS: Final[tuple[tuple[str, str], ...]] = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
)


class GuardMiddleware:
    """Adds SECURITY_HEADERS to every response, limits request bodies, renders escaped exceptions."""

    def __init__(self, app: ASGIApp, *, max_body_bytes: int) -> None:
        if max_body_bytes < 1:
            raise ValueError(f"max_body_bytes must be positive, got {max_body_bytes}")
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_guarded(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS:
                    headers.setdefault(name, value)
            await send(message)

        refusal = self._check_declared_length(scope)
        if refusal is not None:
            await refusal(scope, receive, send_guarded)
            return
        try:
            await self.app(scope, self._limit(receive), send_guarded)
        except Exception as error:  # the API error handler's last resort: rendered and logged there
            if started:
                raise
            await render_exception(Request(scope), error)(scope, receive, send_guarded)

    def _check_declared_length(self, scope: Scope) -> ASGIApp | None:
        """A 413 (or 400) response when the Content-Length header already rules the body out."""
        declared = Headers(scope=scope).get("content-length")
        if declared is None:
            return None
        if not declared.strip().isdigit():
            return make_error_response(400, [f"Content-Length must be a number of bytes, not {declared!r}"])
        if int(declared) > self.max_body_bytes:
            return make_error_response(413, [str(BodyTooLargeError(self.max_body_bytes))])
        return None

    def _limit(self, receive: Receive) -> Receive:
        """`receive` that raises BodyTooLargeError once the body read so far passes the limit."""
        seen = 0

        async def receive_limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body_bytes:
                    raise BodyTooLargeError(self.max_body_bytes)
            return message

        return receive_limited
