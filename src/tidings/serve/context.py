"""Serve: what a command needs, opened lazily — settings, the store, the extractor.

The CLI's callbacks stay thin by asking this object for the library calls they
make. The store is opened (and migrated) on first use and closed when the
command ends; spaCy is loaded only by commands that extract. The reconcile
commands reconcile every stored report and fact once per invocation and filter
the result afterwards, so a filter never changes a group's consensus.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import update_wrapper
from importlib import resources
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

import click

from tidings.ingest import iter_inputs
from tidings.ingest.fetch import FetchPolicy, HttpFetcher, is_url, read_url
from tidings.model import Fact, IngestSummary, Rejection, Report
from tidings.settings import load_settings
from tidings.store.base import FactQuery
from tidings.store.sql import SqlStore, open_store

# spaCy (extraction) and datasketch (reconciliation) take seconds to import: a command
# imports them only when it extracts or reconciles, so `tidings facts` starts fast.
if TYPE_CHECKING:
    from tidings.batch.watch import PollCallback
    from tidings.extract.pipeline import Extractor
    from tidings.reconcile import (
        Conflict,
        FactGroup,
        Reconciliation,
        SourceStats,
        StateSnapshot,
        TimelineEntry,
    )

P = ParamSpec("P")
R = TypeVar("R")


class Context:
    """Per-invocation state of the CLI."""

    def __init__(self, *, db: str | None, debug: bool) -> None:
        self.settings = load_settings({"db": db})
        self.debug = debug
        self._store: SqlStore | None = None
        self._extractor: Extractor | None = None
        self._reconciliation: Reconciliation | None = None

    @property
    def db_url(self) -> str:
        """The database URL in use."""
        return str(self.settings["db"])

    @property
    def store(self) -> SqlStore:
        """The store, opened and migrated on first use."""
        if self._store is None:
            self._store = open_store(self.db_url)
        return self._store

    @property
    def extractor(self) -> Extractor:
        """The extraction pipeline, with the user's organization aliases if configured."""
        if self._extractor is None:
            from tidings.extract.pipeline import Extractor
            from tidings.normalize.orgs import OrgTable

            orgs = OrgTable.default()
            if self.settings["org_aliases"]:
                orgs = orgs.extended(self.settings["org_aliases"])
            self._extractor = Extractor(orgs=orgs, model=self.settings["model"])
        return self._extractor

    def close(self) -> None:
        """Close the store if it was opened."""
        if self._store is not None:
            self._store.close()
            self._store = None

    def ingest(
        self,
        paths: Sequence[str],
        *,
        published: str | None,
        outlet: str | None,
        strict: bool,
        workers: int | None = None,
        scheduler: str | None = None,
    ) -> IngestSummary:
        """Ingest with a progress line on stderr when it is a terminal."""
        items = self.read_inputs(paths, published=published, outlet=outlet)
        return self.run_ingest(items, strict=strict, workers=workers, scheduler=scheduler)

    def read_inputs(
        self, paths: Sequence[str], *, published: str | None, outlet: str | None
    ) -> Iterator[Report | Rejection]:
        """The reports (and rejections) read from files, folders, - (stdin) and http(s) URLs, in order.

        URLs are fetched with the SSRF-guarded fetcher (settings allow_private_urls,
        fetch_timeout, max_input_bytes); a URL that fails is a rejection at stage "fetch".
        """
        max_bytes = int(self.settings["max_input_bytes"])
        has_url = any(is_url(path) for path in paths)
        fetcher = HttpFetcher(FetchPolicy.from_settings(self.settings)) if has_url else None
        try:
            for url_group, group in groupby(paths, key=is_url):
                if url_group and fetcher is not None:
                    for url in group:
                        yield from read_url(url, fetcher=fetcher, published=published, outlet=outlet)
                else:
                    yield from iter_inputs(
                        list(group), published=published, outlet=outlet, max_bytes=max_bytes, stdin=sys.stdin.buffer
                    )
        finally:
            if fetcher is not None:
                fetcher.close()

    def run_ingest(
        self,
        items: Iterable[Report | Rejection],
        *,
        strict: bool,
        workers: int | None = None,
        scheduler: str | None = None,
    ) -> IngestSummary:
        """Extract and store `items` here, or on a Dask cluster with `workers` or `scheduler`; with a progress line."""
        from tidings.serve.output import make_progress

        if workers is not None or scheduler is not None:
            from tidings.batch.distributed import ExtractSettings, ingest_distributed

            with make_progress() as tick:
                return ingest_distributed(
                    items,
                    self.store,
                    ExtractSettings.from_settings(self.settings),
                    workers=workers,
                    scheduler=scheduler,
                    strict=strict or bool(self.settings["strict"]),
                    progress=tick,
                    debug=self.debug,
                )
        from tidings.batch.runner import ingest_items

        with make_progress() as tick:
            return ingest_items(
                items,
                self.store,
                self.extractor,
                strict=strict or bool(self.settings["strict"]),
                progress=tick,
            )

    def watch(self, feeds: Sequence[str], *, interval: float, once: bool, on_poll: PollCallback) -> IngestSummary:
        """Poll `feeds` every `interval` seconds (one round with `once`) until SIGINT/SIGTERM, ingesting new entries."""
        from tidings.batch.watch import watch_feeds

        with HttpFetcher(FetchPolicy.from_settings(self.settings)) as fetcher:
            return watch_feeds(
                list(feeds),
                self.store,
                self.extractor,
                fetcher=fetcher,
                interval=interval,
                max_polls=1 if once else None,
                on_poll=on_poll,
                strict=bool(self.settings["strict"]),
            )

    def serve(self, *, host: str, port: int, token: str | None) -> None:
        """Run the web app over this command's database under uvicorn until interrupted."""
        import uvicorn

        from tidings.serve.app import create_app

        app = create_app(
            self.db_url,
            token=token or None,
            max_body_bytes=int(self.settings["max_input_bytes"]),
            extractor=self.extractor,
        )
        # Everything imported so far (spaCy, the models, the app) lives for the whole process:
        # freezing it keeps Python's full garbage collections from walking it during requests
        # (they cost 150 ms on a page; bench/pages.py).
        gc.freeze()
        uvicorn.run(app, host=host, port=port, log_level="debug" if self.debug else "info")

    def token(self, variable: str) -> str | None:
        """The ingest token from environment `variable` (TIDINGS_TOKEN also from tidings.toml); None when unset."""
        if variable == "TIDINGS_TOKEN":
            return str(self.settings["token"]) or None
        return os.environ.get(variable) or None

    def facts(self, **filters: Any) -> list[Fact]:
        """Stored facts matching the CLI's filters."""
        for name in ("country", "partner"):
            if filters.get(name):
                filters[name] = str(filters[name]).upper()
        return self.store.facts(FactQuery(**filters))

    def report_lookup(self, facts: Sequence[Fact]) -> dict[str, Report]:
        """The reports of `facts`, by id."""
        return {rid: self.store.get_report(rid) for rid in {f.report_id for f in facts}}

    def fact_counts(self) -> dict[str, int]:
        """Number of facts per report id."""
        counts: dict[str, int] = {}
        for fact in self.store.facts():
            counts[fact.report_id] = counts.get(fact.report_id, 0) + 1
        return counts

    def demo(self) -> tuple[IngestSummary, list[Fact], dict[str, Report]]:
        """Ingest the bundled example corpus; return the summary and every stored fact."""
        folder = resources.files("tidings").joinpath("data", "demo")
        with resources.as_file(folder) as path:
            # The folder's README describes the corpus; it is not one of its reports.
            files = sorted(str(p) for p in Path(path).iterdir() if p.is_file() and p.name != "README.md")
            summary = self.ingest(files, published=None, outlet=None, strict=False)
        found = self.store.facts()
        return summary, found, self.report_lookup(found)

    @property
    def reconciliation(self) -> Reconciliation:
        """Every stored report and fact, reconciled once per command."""
        if self._reconciliation is None:
            from tidings.reconcile import reconcile

            self._reconciliation = reconcile(self.store.list_reports(), self.store.facts())
        return self._reconciliation

    def conflicts(self, *, kind: str | None, country: str | None) -> list[Conflict]:
        """The disagreements between stored reports, optionally of one kind or about one state."""
        return [
            conflict
            for conflict in self.reconciliation.conflicts
            if (kind is None or conflict.kind == kind) and (country is None or _involves(conflict.key, country))
        ]

    def groups(self, *, kind: str | None, country: str | None) -> list[FactGroup]:
        """The fact groups, optionally of one kind or about one state."""
        return [
            group
            for group in self.reconciliation.groups
            if (kind is None or group.kind == kind) and (country is None or _involves(group.key, country))
        ]

    def state(self, as_of: str, *, known_by: str | None, country: str | None) -> StateSnapshot:
        """What was true on `as_of`, from the reports published by `known_by` when given.

        With `country`, only the facts involving it and their reports are reconciled: a
        group is keyed by its states, so every group about `country` is whole in that
        subset. Source families are then found among those reports only, so a copy link
        that runs solely through a report about other states is not seen (issue #5).
        """
        from tidings.reconcile import reconcile, state_as_of

        if country is None or self._reconciliation is not None:
            return state_as_of(self.reconciliation, as_of, country=country, known_by=known_by)
        involved = self.store.facts(FactQuery(country=country.upper()))
        scoped = reconcile(self.store.get_reports({fact.report_id for fact in involved}), involved)
        return state_as_of(scoped, as_of, country=country, known_by=known_by)

    def timeline(self, country: str, *, partner: str | None) -> tuple[TimelineEntry, ...]:
        """Dated facts about `country` (and `partner`) in order, with their sources."""
        from tidings.reconcile import build_timeline

        return build_timeline(self.reconciliation, country, partner=partner)

    def sources(self) -> tuple[SourceStats, ...]:
        """Per-outlet agreement with the consensus."""
        from tidings.reconcile import compute_source_stats

        return compute_source_stats(self.reconciliation)


def _involves(key: Mapping[str, Any], country: str) -> bool:
    """True when a group or conflict key names `country` as either state."""
    return country.upper() in (str(key.get("country", "")).upper(), str(key.get("partner", "")).upper())


def pass_context(function: Callable[Concatenate[Context, P], R]) -> Callable[P, R]:
    """Like click.pass_obj, typed for our Context."""

    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        return function(click.get_current_context().find_object(Context) or _missing(), *args, **kwargs)

    return update_wrapper(wrapper, function)


def _missing() -> Context:
    raise click.UsageError("internal: no context")
