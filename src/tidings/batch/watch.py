"""Batch: poll RSS and Atom feeds and ingest each new entry once, on an interval, until stopped.

Feed URLs come in; the store fills with the reports of their new entries and
an `IngestSummary` comes out per poll. A poll is a conditional GET (the ETag
and Last-Modified saved by the previous poll go back as If-None-Match and
If-Modified-Since), so an unchanged feed costs one 304 and nothing else. Each
entry not yet taken has its page fetched with the same SSRF-guarded fetcher and
read like any URL, with the feed's title as the outlet and the entry's date as
the publication date when the page has none. When the page cannot be used the
entry's own text (content or summary) is ingested instead, and the page's
rejection is recorded with a note saying so. An entry is marked as taken only
once its report is stored or its rejection recorded, so a crash mid-poll takes
it again next time; the validators are saved after the entries, for the same
reason. A feed that cannot be fetched or parsed is recorded as a rejection of
the feed's URL, and `watch_feeds` goes on with the other feeds.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from types import FrameType

from tidings.batch.runner import Progress, ingest_items
from tidings.errors import RejectedReportError
from tidings.extract.pipeline import Extractor
from tidings.ingest.base import Fallbacks
from tidings.ingest.feeds import Feed, FeedEntry, parse_feed, report_from_entry
from tidings.ingest.fetch import Fetcher, read_url
from tidings.model import FeedState, IngestSummary, Rejection, Report
from tidings.store.sql import SqlStore

log = logging.getLogger(__name__)

PollCallback = Callable[[str, IngestSummary], None]
Item = Report | Rejection

_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def poll_feed(
    url: str,
    store: SqlStore,
    extractor: Extractor,
    *,
    fetcher: Fetcher,
    strict: bool = False,
    progress: Progress | None = None,
) -> IngestSummary:
    """Poll one feed once and ingest its entries not taken by an earlier poll.

    A feed that cannot be fetched or parsed is recorded as one rejection (its
    source is `url`) and returned in the summary; nothing here raises for a
    bad feed or page. StoreError and, under `strict`, extraction errors do raise.
    """
    state = store.get_feed(url)
    try:
        response = fetcher.fetch(url, headers=_make_conditional_headers(state))
        if response.status == 304:
            etag = response.headers.get("etag") or (state.etag if state else None)
            modified = response.headers.get("last-modified") or (state.last_modified if state else None)
            store.save_feed(FeedState(url, etag=etag, last_modified=modified, checked_at=_now()))
            return IngestSummary()
        feed = parse_feed(response.content, source=url, base_url=response.url)
    except RejectedReportError as error:
        return ingest_items([Rejection(error.source, error.stage, error.reason)], store, extractor)
    summaries = []
    for entry in feed.entries:
        if store.has_feed_entry(url, entry.key):
            continue
        items = read_entry(entry, feed, feed_url=url, fetcher=fetcher)
        summaries.append(ingest_items(items, store, extractor, strict=strict, progress=progress))
        stored = next((item.id for item in items if isinstance(item, Report) and store.has_report(item.id)), None)
        store.mark_feed_entry(url, entry.key, report_id=stored)
    etag, modified = response.headers.get("etag"), response.headers.get("last-modified")
    store.save_feed(FeedState(url, etag=etag, last_modified=modified, checked_at=_now()))
    return combine_summaries(summaries)


def read_entry(entry: FeedEntry, feed: Feed, *, feed_url: str, fetcher: Fetcher) -> list[Item]:
    """The reports of an entry's page, else of its own text; with the rejection that explains the fallback."""
    own_source = entry.link or f"{feed_url}#{entry.key}"
    if entry.link is None:
        return [_read_own_text(entry, feed, source=own_source)]
    items = read_url(entry.link, fetcher=fetcher, published=entry.published)
    if any(isinstance(item, Report) for item in items):
        return [replace(item, outlet=feed.title or item.outlet) if isinstance(item, Report) else item for item in items]
    own = _read_own_text(entry, feed, source=own_source)
    note = (
        "ingested the feed entry's own text instead"
        if isinstance(own, Report)
        else "the feed entry's own text is too short to use instead"
    )
    noted: list[Item] = [
        replace(item, reason=f"{item.reason}; {note}") for item in items if isinstance(item, Rejection)
    ]
    return [*noted, own] if isinstance(own, Report) else noted


def _read_own_text(entry: FeedEntry, feed: Feed, *, source: str) -> Item:
    try:
        return report_from_entry(entry, source=source, outlet=feed.title, fallbacks=Fallbacks())
    except RejectedReportError as error:
        return Rejection(error.source, error.stage, error.reason)


def watch_feeds(
    urls: Sequence[str],
    store: SqlStore,
    extractor: Extractor,
    *,
    fetcher: Fetcher,
    interval: float,
    stop: threading.Event | None = None,
    max_polls: int | None = None,
    on_poll: PollCallback | None = None,
    strict: bool = False,
) -> IngestSummary:
    """Poll every feed, wait `interval` seconds, and again, until `stop` is set or `max_polls` rounds are done.

    Without a `stop` event, SIGINT and SIGTERM (when called from the main
    thread) end the watch cleanly: the feed being polled is finished, and the
    previous handlers come back at once, so a second Ctrl-C interrupts at
    once. `on_poll(url, summary)` is called after each feed's poll. Returns the
    totals of every poll. Raises ValueError for a negative interval or a
    `max_polls` below 1.
    """
    if interval < 0:
        raise ValueError(f"interval must be zero or more seconds, got {interval}")
    if max_polls is not None and max_polls < 1:
        raise ValueError(f"max_polls must be at least 1, got {max_polls}")
    summaries: list[IngestSummary] = []
    with _stop_event(stop) as stopping:
        rounds = 0
        while not stopping.is_set():
            for url in urls:
                if stopping.is_set():
                    break
                summary = poll_feed(url, store, extractor, fetcher=fetcher, strict=strict)
                log.info("polled %s: %d new reports, %d rejected", url, summary.read, summary.rejected)
                summaries.append(summary)
                if on_poll is not None:
                    on_poll(url, summary)
            rounds += 1
            if max_polls is not None and rounds >= max_polls:
                break
            stopping.wait(interval)
    return combine_summaries(summaries)


@contextmanager
def _stop_event(stop: threading.Event | None) -> Iterator[threading.Event]:
    """`stop`, or a new event that SIGINT/SIGTERM set (handlers restored on the first signal and on exit)."""
    if stop is not None or threading.current_thread() is not threading.main_thread():
        yield stop or threading.Event()
        return
    event = threading.Event()
    previous = {number: signal.getsignal(number) for number in _STOP_SIGNALS}

    def restore() -> None:
        for number, handler in previous.items():
            signal.signal(number, handler)

    def on_signal(number: int, _frame: FrameType | None) -> None:
        log.info("%s received: stopping after the current poll", signal.Signals(number).name)
        event.set()
        restore()

    for number in _STOP_SIGNALS:
        signal.signal(number, on_signal)
    try:
        yield event
    finally:
        restore()


def combine_summaries(summaries: Sequence[IngestSummary]) -> IngestSummary:
    """The totals of several runs."""
    return IngestSummary(
        read=sum(s.read for s in summaries),
        skipped=sum(s.skipped for s in summaries),
        rejected=sum(s.rejected for s in summaries),
        facts=sum(s.facts for s in summaries),
        not_extracted=sum(s.not_extracted for s in summaries),
        rejections=tuple(r for s in summaries for r in s.rejections),
    )


def _make_conditional_headers(state: FeedState | None) -> dict[str, str]:
    headers: dict[str, str] = {}
    if state is not None and state.etag:
        headers["If-None-Match"] = state.etag
    if state is not None and state.last_modified:
        headers["If-Modified-Since"] = state.last_modified
    return headers


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
