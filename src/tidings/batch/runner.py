"""Batch: the per-report loop — read inputs, extract facts, write each report in one transaction.

Paths in, an `IngestSummary` out, the store filled. A bad input becomes a
`Rejection` row and the run goes on; a report already stored (same text hash)
is skipped, so re-running an ingest adds nothing; a report in a language the
pipeline does not read is stored without facts and counted as not extracted.
This is one of the three places a broad `except` is allowed: an unexpected
failure while extracting one report is recorded as that report's rejection.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import BinaryIO

from tidings.errors import RejectedReportError
from tidings.extract.pipeline import Extractor, UnsupportedLanguageError
from tidings.ingest import iter_inputs
from tidings.model import Fact, IngestSummary, Rejection, Report
from tidings.store.sql import SqlStore

log = logging.getLogger(__name__)

Progress = Callable[[Report | Rejection], None]


@dataclass
class _Counts:
    read: int = 0
    skipped: int = 0
    rejected: int = 0
    facts: int = 0
    not_extracted: int = 0
    rejections: list[Rejection] = field(default_factory=list)

    def freeze(self) -> IngestSummary:
        return IngestSummary(
            self.read, self.skipped, self.rejected, self.facts, self.not_extracted, tuple(self.rejections)
        )


def ingest_paths(
    paths: Sequence[str],
    store: SqlStore,
    extractor: Extractor,
    *,
    published: str | None = None,
    outlet: str | None = None,
    max_bytes: int = 20_000_000,
    stdin: BinaryIO | None = None,
    strict: bool = False,
    progress: Progress | None = None,
) -> IngestSummary:
    """Ingest files, folders or "-" (standard input) into `store`."""
    items = iter_inputs(list(paths), published=published, outlet=outlet, max_bytes=max_bytes, stdin=stdin)
    return ingest_items(items, store, extractor, strict=strict, progress=progress)


def ingest_items(
    items: Iterable[Report | Rejection],
    store: SqlStore,
    extractor: Extractor,
    *,
    strict: bool = False,
    progress: Progress | None = None,
) -> IngestSummary:
    """Ingest already-read reports and rejections (from files, URLs, feeds or the API)."""
    counts = _Counts()
    for item in items:
        if isinstance(item, Rejection):
            _reject(store, counts, item)
        else:
            _ingest_one(item, store, extractor, counts, strict=strict)
        if progress:
            progress(item)
    return counts.freeze()


def _reject(store: SqlStore, counts: _Counts, rejection: Rejection) -> None:
    log.info("rejected %s: %s", rejection.source, rejection.reason, extra={"stage": rejection.stage})
    store.add_rejection(rejection)
    counts.rejected += 1
    counts.rejections.append(rejection)


def _ingest_one(report: Report, store: SqlStore, extractor: Extractor, counts: _Counts, *, strict: bool) -> None:
    if store.has_report(report.id):
        counts.skipped += 1
        return
    facts: list[Fact] = []
    try:
        facts = extractor.extract(report)
    except UnsupportedLanguageError:
        counts.not_extracted += 1
    except RejectedReportError as error:
        # A bad input the extractor found (a paragraph too long to split), not a failure: recorded even when strict.
        _reject(store, counts, Rejection(error.source, error.stage, error.reason, report.id))
        return
    except Exception as error:  # the per-report batch loop: record, go on
        if strict:
            raise
        log.exception("extraction failed", extra={"report_id": report.id})
        source = report.source_path or report.url or report.id
        _reject(
            store,
            counts,
            Rejection(source, "extract", f"extraction failed: {type(error).__name__}: {error}", report.id),
        )
        return
    if store.add_report(report, facts):
        counts.read += 1
        counts.facts += len(facts)
    else:
        counts.skipped += 1
