"""A web site on 127.0.0.1 for the fetch and feed tests: pages written for the tests, served by http.server.

Each `Page` says what one path answers: status, headers, body, a delay before
answering, an endless body (optionally trickled, a chunk per pause), and the
ETag / Last-Modified that earn a 304. The
site records every request (path and headers) and counts the body bytes sent,
so tests can tell what was asked for and how much was read.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ENDLESS_CHUNK = b"<p>" + b"filler " * 1000 + b"</p>\n"


@dataclass
class Page:
    """What one path answers."""

    body: bytes = b""
    status: int = 200
    content_type: str | None = "text/html; charset=utf-8"
    headers: Mapping[str, str] = field(default_factory=dict)
    delay: float = 0.0
    endless: bool = False
    chunk: bytes = ENDLESS_CHUNK
    pause: float = 0.0
    etag: str | None = None
    last_modified: str | None = None


@dataclass
class Site:
    """The pages by path, the requests seen and the body bytes sent."""

    pages: dict[str, Page]
    port: int = 0
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    sent_bytes: int = 0
    closing: threading.Event = field(default_factory=threading.Event)

    def url(self, path: str) -> str:
        """The full URL of `path` on this site."""
        return f"http://127.0.0.1:{self.port}{path}"

    def paths(self) -> list[str]:
        """The paths requested, in order."""
        return [path for path, _ in self.requests]


class _Handler(BaseHTTPRequestHandler):
    site: Site

    def do_GET(self) -> None:
        site = self.site
        site.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
        page = site.pages.get(self.path, Page(b"<p>no such page</p>", status=404))
        if page.delay and site.closing.wait(page.delay):
            return
        try:
            self._answer(page)
        except (BrokenPipeError, ConnectionResetError):
            return  # the client hung up, as it should on an oversized or endless body

    def _answer(self, page: Page) -> None:
        not_modified = (page.etag is not None and self.headers.get("If-None-Match") == page.etag) or (
            page.last_modified is not None and self.headers.get("If-Modified-Since") == page.last_modified
        )
        self.send_response(304 if not_modified else page.status)
        if page.content_type:
            self.send_header("Content-Type", page.content_type)
        for name, value in {**page.headers, "ETag": page.etag, "Last-Modified": page.last_modified}.items():
            if value is not None:
                self.send_header(name, value)
        if not_modified:
            self.end_headers()
            return
        if not page.endless and "Content-Length" not in page.headers:
            self.send_header("Content-Length", str(len(page.body)))
        self.end_headers()
        self._write(page.body)
        while page.endless and not self.site.closing.is_set():
            self._write(page.chunk)
            if page.pause:
                self.wfile.flush()
                self.site.closing.wait(page.pause)

    def _write(self, data: bytes) -> None:
        self.wfile.write(data)
        self.site.sent_bytes += len(data)

    def log_message(self, format: str, *args: object) -> None:
        """Keep the test output quiet."""


@contextmanager
def serve_site(pages: dict[str, Page]) -> Iterator[Site]:
    """Serve `pages` on 127.0.0.1 (a free port) for the duration of the block."""
    site = Site(pages)
    handler = type("SiteHandler", (_Handler,), {"site": site})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    site.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        site.closing.set()
        server.shutdown()
        server.server_close()
        thread.join()
