"""Serve: the FastAPI application — the JSON API and the web pages over one store.

A database URL (and the operator's ingest token) in; an ASGI app out, served by
`tidings serve` through uvicorn. `Services` holds what every route needs: the
open store, the extractor (loaded on the first ingest) and the reconciliation of
everything stored, recomputed only when the store has changed, so pages answer
fast. Routes live in `serve.api` (JSON, under /api) and `serve.web` (HTML); both
reach `Services` through `get_services`.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from fastapi import FastAPI, Request

from tidings.batch.runner import ingest_items
from tidings.extract.pipeline import Extractor
from tidings.ingest import read_bytes
from tidings.model import IngestSummary, Report
from tidings.reconcile import Reconciliation, reconcile
from tidings.store.sql import SqlStore, open_store

# How uploads are named in rejections and in a stored report's source_path.
UPLOAD_SOURCE = "api-upload"


@dataclass
class Services:
    """The store, the extractor and a cached reconciliation, shared by all routes."""

    store: SqlStore
    token: str | None
    max_body_bytes: int = 5_000_000
    _extractor: Extractor | None = None
    _reconciliation: Reconciliation | None = None
    _stamp: int | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    # One ingest at a time: the spaCy pipeline is not shared between threads.
    _ingest_lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def extractor(self) -> Extractor:
        """The extraction pipeline, loaded on first use (the first ingest)."""
        with self._lock:
            if self._extractor is None:
                self._extractor = Extractor()
            return self._extractor

    def reconciliation(self) -> Reconciliation:
        """Every stored report and fact reconciled; recomputed when the store's change version moves."""
        # The stamp is read before the data, so the cached data is never older than its stamp:
        # a write landing in between only makes the next request recompute once more. One
        # primary-key read: counting the rows cost 35 ms per request at 1M facts (bench/query_latency.py).
        stamp = self.store.change_version()
        with self._lock:
            if self._reconciliation is None or stamp != self._stamp:
                # Facts first: a report is stored with its facts in one transaction, so every fact read
                # here has its report in the later read. Reports first, a write landing between the
                # two reads (POST /api/ingest, or `tidings ingest` on the same file) left facts whose
                # report was missing, and reconcile's ValueError became a 500 (bench/load.py).
                facts = self.store.facts()
                self._reconciliation = reconcile(self.store.list_reports(), facts)
                self._stamp = stamp
            return self._reconciliation

    def ingest(
        self, data: bytes, *, fmt: str, published: str | None, outlet: str | None, url: str | None
    ) -> tuple[IngestSummary, list[str]]:
        """Read an upload of format `fmt`, extract and store it; the summary and the ids of reports it added.

        `published`, `outlet` and `url` fill only what the upload itself lacks.
        A report already stored is skipped, so the same upload twice adds nothing.
        """
        items = read_bytes(data, source=UPLOAD_SOURCE, fmt=fmt, published=published, outlet=outlet, url=url)
        reports = list(dict.fromkeys(item.id for item in items if isinstance(item, Report)))
        with self._ingest_lock:
            fresh = [report_id for report_id in reports if not self.store.has_report(report_id)]
            summary = ingest_items(items, self.store, self.extractor)
        return summary, [report_id for report_id in fresh if self.store.has_report(report_id)]


def get_services(request: Request) -> Services:
    """The app's `Services` (a FastAPI dependency)."""
    services: Services = request.app.state.services
    return services


@asynccontextmanager
async def _close_store_at_shutdown(app: FastAPI) -> AsyncIterator[None]:
    """Release the store's pooled connections when the server stops (PostgreSQL keeps them open)."""
    yield
    app.state.services.store.close()


def create_app(
    db_url: str, *, token: str | None = None, max_body_bytes: int = 5_000_000, extractor: Extractor | None = None
) -> FastAPI:
    """The tidings web app over the database at `db_url`; `token` guards the write endpoints.

    `extractor` (default: the built-in pipeline) reads what POST /api/ingest receives;
    it loads spaCy only on the first ingest.
    """
    from tidings.serve import api, web

    app = FastAPI(
        title="tidings",
        summary="Sourced, time-aware facts about relations between states and organizations",
        version="1",
        openapi_url="/api/openapi.json",
        # FastAPI's interactive docs load scripts from a CDN and inline: neither is allowed here.
        docs_url=None,
        redoc_url=None,
        lifespan=_close_store_at_shutdown,
    )
    app.state.services = Services(open_store(db_url), token, max_body_bytes, _extractor=extractor)
    api.install(app)
    web.install(app)
    return app
