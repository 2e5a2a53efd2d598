"""Batch: the ingest loop with extraction spread over a Dask cluster (`tidings ingest --workers/--scheduler`).

Reports and rejections in (read lazily, as `runner.ingest_items` reads them), an
`IngestSummary` out, the store filled. The driver keeps the store: it records
rejections as they are read, skips reports already stored, and sends the others
in small batches to `extract_batch`, a top-level function that builds the
`Extractor` once per worker process and returns plain values. Only a bounded
number of batches is in flight, so memory stays flat however long the input.
Each result is written as it arrives with `store.add_report`, one transaction
per report, so a report is never half-written; `add_report` ignores an id
already stored and the driver drops duplicates within a run, so none is
written twice. Distributed re-runs a task whose worker died; a task that still
fails becomes one rejection per report (a failed batch of several is first
retried one report per task, so one poisonous report does not take its
neighbours with it) and the run goes on. The driver loop is one of the places a
broad `except` is allowed: it records what it caught as rejections.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import CancelledError
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from functools import partial
from queue import Empty, Queue
from typing import Any, Protocol

from tidings.batch.runner import Progress, _Counts
from tidings.errors import ConfigError, MissingExtraError, TidingsError
from tidings.extract.pipeline import Extractor, UnsupportedLanguageError
from tidings.model import Fact, IngestSummary, Rejection, Report
from tidings.normalize.orgs import OrgTable
from tidings.store.sql import SqlStore

log = logging.getLogger(__name__)

# Reports per task. Extraction takes about 50 ms a report (the held-out fixtures on a
# 2-core machine), so 8 make a task of ~0.4 s: long next to distributed's few ms of
# overhead per task, short enough that two workers finish together at the end of a run.
BATCH_SIZE = 8
# Batches in flight per worker thread: two keep a worker busy while the driver writes
# the result of its previous batch; more would only hold more report texts in memory.
IN_FLIGHT_PER_THREAD = 2
# Seconds to wait for an existing scheduler (`--scheduler`): a reachable scheduler on a
# LAN answers in well under a second, so 10 s only fails on a wrong or dead address.
CONNECT_TIMEOUT_S = 10.0
# Seconds between checks, while waiting for a result, that the cluster still has a worker.
WAIT_POLL_S = 5.0
# Seconds without any worker before the run stops with an error instead of waiting forever:
# a local cluster whose processes were killed never gets them back (seen when a test run's
# workers were killed from outside), and a minute covers a remote worker's restart.
NO_WORKERS_TIMEOUT_S = 60.0
# distributed logs every worker start and stop at INFO; tidings shows its warnings only.
QUIET_LOGGERS = ("distributed", "dask")


@dataclass(frozen=True)
class ExtractSettings:
    """What a worker needs to build the same `Extractor` as the driver (hashable: the per-worker cache key).

    `org_aliases` is a path; with `--scheduler` it must be readable on every worker.
    """

    model: str
    org_aliases: str = ""

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> ExtractSettings:
        """The extraction settings of a `load_settings` table."""
        return cls(model=str(settings["model"]), org_aliases=str(settings["org_aliases"] or ""))


@dataclass(frozen=True)
class Extracted:
    """What a worker returns for one report: its facts, or why extraction failed."""

    report_id: str
    facts: tuple[Fact, ...] = ()
    error: str | None = None
    unsupported: bool = False


# One Extractor per worker process and settings: loading spaCy takes seconds, a batch less.
_EXTRACTORS: dict[ExtractSettings, Extractor] = {}


class Task(Protocol):
    """A top-level function the workers run on a batch of reports (`extract_batch`, or a test's stand-in)."""

    def __call__(self, reports: list[Report], settings: ExtractSettings, /, *, strict: bool) -> list[Extracted]:
        """The outcome of each report of `reports`, in any order."""
        ...


class DaskFuture(Protocol):
    """The part of a `distributed.Future` the driver uses."""

    def result(self) -> list[Extracted]:
        """The task's value; raises what the task raised."""
        ...

    def add_done_callback(self, fn: Callable[[DaskFuture], None]) -> None:
        """Call `fn` (in another thread) once the task finished, failed or was cancelled."""
        ...

    def release(self) -> None:
        """Let the cluster forget the result."""
        ...


class DaskClient(Protocol):
    """The part of a `distributed.Client` the driver uses (distributed is only partly annotated)."""

    def submit(self, func: Task, /, *args: Any, pure: bool = ..., **kwargs: Any) -> DaskFuture:
        """Run `func(*args, **kwargs)` on a worker."""
        ...

    def nthreads(self) -> Mapping[str, int]:
        """The threads of each worker, by address."""
        ...

    def run(self, function: Callable[..., object], /, *args: Any) -> object:
        """Run `function(*args)` once on every worker, outside the task graph."""
        ...


def load_extractor(settings: ExtractSettings) -> Extractor:
    """The extractor for `settings`, built and its spaCy pipeline loaded once per process.

    Raises:
        ConfigError: the model is not installed or the alias file cannot be read.
    """
    extractor = _EXTRACTORS.get(settings)
    if extractor is None:
        orgs = OrgTable.default()
        if settings.org_aliases:
            orgs = orgs.extended(settings.org_aliases)
        extractor = Extractor(orgs=orgs, model=settings.model)
        _ = extractor.nlp
        _EXTRACTORS[settings] = extractor
    return extractor


def extract_batch(reports: list[Report], settings: ExtractSettings, *, strict: bool = False) -> list[Extracted]:
    """Extract the facts of `reports` on a worker; an error becomes that report's `error` unless `strict`.

    A report in a language the pipeline does not read comes back `unsupported`, without facts.

    Raises:
        ConfigError: the extractor cannot be built (the whole task fails; the driver stops).
    """
    extractor = load_extractor(settings)
    results = []
    for report in reports:
        try:
            results.append(Extracted(report.id, tuple(extractor.extract(report))))
        except UnsupportedLanguageError:
            results.append(Extracted(report.id, unsupported=True))
        except Exception as error:  # the per-report batch loop: the driver records it as a rejection
            if strict:
                raise
            log.exception("extraction failed", extra={"report_id": report.id})
            results.append(Extracted(report.id, error=f"extraction failed: {type(error).__name__}: {error}"))
    return results


def warm_workers(client: DaskClient, settings: ExtractSettings) -> None:
    """Load the extractor on every worker of `client` now rather than on its first batch."""
    client.run(_warm, settings)


def _warm(settings: ExtractSettings) -> None:
    load_extractor(settings)


@contextmanager
def open_client(
    *, workers: int | None = None, scheduler: str | None = None, debug: bool = False
) -> Iterator[DaskClient]:
    """A Dask client: on a local cluster of `workers` processes (started and closed here) or on `scheduler`.

    Raises:
        MissingExtraError: dask[distributed] is not installed.
        ConfigError: the scheduler cannot be reached, or its workers cannot import tidings.
        ValueError: neither or both of `workers` and `scheduler` given.
    """
    if (workers is None) == (scheduler is None):
        raise ValueError("give exactly one of workers and scheduler")
    try:
        from distributed import Client, LocalCluster
    except ImportError as error:
        raise MissingExtraError(
            f"distributed ingest needs Dask ({error}); install it with: pip install 'tidings[dask]'"
        ) from error
    # distributed's constructors are not annotated: call them through typed views.
    make_client: Callable[..., AbstractContextManager[DaskClient]] = Client
    make_cluster: Callable[..., AbstractContextManager[object]] = LocalCluster
    _quiet_logs(debug=debug)
    if scheduler is not None:
        with _connect(make_client, scheduler) as client:
            _check_workers(client, scheduler)
            yield client
        return
    # The scheduler serves HTTP (health, metrics, the dashboard when bokeh is installed) even with
    # dashboard_address=None, then on port 8787, which a second cluster on the machine finds taken:
    # ":0" takes a free port instead.
    with (
        make_cluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster,
        make_client(cluster) as client,
    ):
        yield client


@contextmanager
def _connect(make_client: Callable[..., AbstractContextManager[DaskClient]], address: str) -> Iterator[DaskClient]:
    try:
        connection = make_client(address, timeout=CONNECT_TIMEOUT_S)
    except (OSError, ValueError, TypeError) as error:
        raise ConfigError(
            f"cannot connect to the Dask scheduler at {address!r} within {CONNECT_TIMEOUT_S:g} s ({error}); "
            "check --scheduler (tcp://HOST:PORT) and that `dask scheduler` runs there"
        ) from error
    with connection as client:
        yield client


def _check_workers(client: DaskClient, address: str) -> None:
    try:
        client.run(_describe_worker)
    except ImportError as error:
        raise ConfigError(
            f"the Dask workers of {address!r} cannot import tidings ({error}); install tidings on every worker"
        ) from error


def _describe_worker() -> str:
    return __name__


def _quiet_logs(*, debug: bool) -> None:
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.DEBUG if debug else logging.WARNING)


def ingest_distributed(
    items: Iterable[Report | Rejection],
    store: SqlStore,
    settings: ExtractSettings,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    strict: bool = False,
    progress: Progress | None = None,
    debug: bool = False,
) -> IngestSummary:
    """Ingest `items` into `store`, extracting on a local cluster of `workers` processes or on `scheduler`.

    The summary counts as `runner.ingest_items` counts. Raises what `open_client` raises.
    """
    with open_client(workers=workers, scheduler=scheduler, debug=debug) as client:
        return ingest_on_client(items, store, client, settings, strict=strict, progress=progress)


def ingest_on_client(
    items: Iterable[Report | Rejection],
    store: SqlStore,
    client: DaskClient,
    settings: ExtractSettings,
    *,
    strict: bool = False,
    progress: Progress | None = None,
    batch_size: int = BATCH_SIZE,
    task: Task = extract_batch,
) -> IngestSummary:
    """Ingest `items` into `store`, extracting on the workers of `client` with `task` (a top-level function).

    Under `strict` the first extraction error is raised here; a `TidingsError` from a worker
    (the model is not installed there, say) always is.
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    run = _Run(store, client, settings, strict=strict, progress=progress, task=task)
    limit = max(sum(client.nthreads().values()), 1) * IN_FLIGHT_PER_THREAD
    source = iter(items)
    batch: list[Report] = []
    exhausted = False
    while True:
        while not exhausted and run.in_flight < limit:
            item = next(source, None)
            if item is None:
                exhausted = True
            elif isinstance(item, Rejection):
                run.reject(item)
                run.tick(item)
            elif item.id in run.pending or store.has_report(item.id):
                run.counts.skipped += 1
                run.tick(item)
            else:
                batch.append(item)
                run.pending[item.id] = item
            if batch and (exhausted or len(batch) >= batch_size):
                run.submit(batch)
                batch = []
        if not run.in_flight:
            break
        run.finish_next()
    return run.counts.freeze()


class _Run:
    """The driver's state: the counts, the reports in flight and the finished tasks not yet written."""

    def __init__(
        self,
        store: SqlStore,
        client: DaskClient,
        settings: ExtractSettings,
        *,
        strict: bool,
        progress: Progress | None,
        task: Task,
    ) -> None:
        self.store = store
        self.client = client
        self.settings = settings
        self.strict = strict
        self.progress = progress
        self.task = task
        self.counts = _Counts()
        self.pending: dict[str, Report] = {}
        self.in_flight = 0
        # Filled by distributed's callback thread as tasks finish, in any order.
        self.done: Queue[tuple[DaskFuture, list[Report]]] = Queue()

    def tick(self, item: Report | Rejection) -> None:
        if self.progress:
            self.progress(item)

    def submit(self, batch: list[Report]) -> None:
        # pure=False: a batch is not worth hashing for a key, and each submission is new work.
        future = self.client.submit(self.task, batch, self.settings, strict=self.strict, pure=False)
        future.add_done_callback(partial(self._arrive, batch=batch))
        self.in_flight += 1

    def _arrive(self, future: DaskFuture, *, batch: list[Report]) -> None:
        self.done.put((future, batch))

    def finish_next(self) -> None:
        future, batch = self._wait()
        self.in_flight -= 1
        try:
            results = future.result()
        except TidingsError:
            raise
        except CancelledError as error:
            raise ConfigError(f"the Dask cluster cancelled an extraction task ({error}); was it shut down?") from error
        except Exception as error:  # the per-report batch loop: a task that finally failed
            if self.strict:
                raise
            self.fail(batch, error)
            return
        finally:
            future.release()
        for result in results:
            self.write(self.pending.pop(result.report_id), result)

    def _wait(self) -> tuple[DaskFuture, list[Report]]:
        without_workers = 0.0
        while True:
            try:
                return self.done.get(timeout=WAIT_POLL_S)
            except Empty:
                without_workers = 0.0 if self.client.nthreads() else without_workers + WAIT_POLL_S
                if without_workers >= NO_WORKERS_TIMEOUT_S:
                    raise ConfigError(
                        f"the Dask cluster has had no workers for {NO_WORKERS_TIMEOUT_S:g} s "
                        f"with {len(self.pending)} reports waiting; were its worker processes stopped?"
                    ) from None

    def fail(self, batch: Sequence[Report], error: Exception) -> None:
        log.warning("an extraction task failed: %s: %s", type(error).__name__, error)
        if len(batch) > 1:
            for report in batch:
                self.submit([report])
            return
        for report in batch:
            del self.pending[report.id]
            self.reject_report(report, f"extraction task failed: {type(error).__name__}: {error}")

    def write(self, report: Report, result: Extracted) -> None:
        if result.error is not None:
            self.reject_report(report, result.error)
            return
        if result.unsupported:
            self.counts.not_extracted += 1
        if self.store.add_report(report, result.facts):
            self.counts.read += 1
            self.counts.facts += len(result.facts)
        else:
            self.counts.skipped += 1
        self.tick(report)

    def reject_report(self, report: Report, reason: str) -> None:
        source = report.source_path or report.url or report.id
        self.reject(Rejection(source, "extract", reason, report.id))
        self.tick(report)

    def reject(self, rejection: Rejection) -> None:
        log.info("rejected %s: %s", rejection.source, rejection.reason, extra={"stage": rejection.stage})
        self.store.add_rejection(rejection)
        self.counts.rejected += 1
        self.counts.rejections.append(rejection)
