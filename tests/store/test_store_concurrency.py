"""Readers during writes on a file SQLite store (#6).

A file store runs in WAL mode, so a reader (the web views, `tidings facts`) works
while an ingest writes: readers in other processes list and count facts over and
over while a writer process adds reports, and none of them ever sees "database
is locked" or a report without all its facts; a reader's open snapshot never
makes the writer wait.
"""

from __future__ import annotations

import json
import multiprocessing
import sqlite3
import time
from collections import Counter
from collections.abc import Iterator
from multiprocessing.synchronize import Event
from pathlib import Path
from typing import Any

import pytest

from tidings.model import Evidence, Fact, Report, make_fact_id
from tidings.store import SqlStore, open_store
from tidings.store.dialects import SQLITE_BUSY_TIMEOUT_MS

# Enough reports that the readers see the store grow through many states, few enough
# that the writer is done in a few seconds.
WRITER_REPORTS = 240
READERS = 2
# A commit that waited for a reader would take the busy timeout (5 s); one that did not
# takes milliseconds, even on a busy machine.
UNBLOCKED_COMMIT_S = 1.0
# How long the parent waits for the child processes at most.
JOIN_TIMEOUT_S = 120


def make_report(number: int) -> tuple[Report, list[Fact]]:
    """Report `number` and its facts: (number % 4) + 1 of them, the count also in its title."""
    wanted = number % 4 + 1
    sentences = [
        f"Kazakhstan shipped {number * 10 + i} thousand tonnes of wheat to Uzbekistan in lot {i}."
        for i in range(wanted)
    ]
    report = Report(id=f"report-{number:04d}", text=" ".join(sentences), title=str(wanted))
    facts = []
    for sentence in sentences:
        start = report.text.index(sentence)
        end = start + len(sentence)
        fields = {"country": "KZ", "partner": "UZ", "flow": "export", "amount_usd": float(number * 1000 + start)}
        facts.append(
            Fact(
                id=make_fact_id(report.id, "trade", fields, start, end),
                report_id=report.id,
                kind="trade",
                fields=fields,
                evidence=Evidence(report.id, start, end, sentence),
                extractor="test_rules",
                extractor_version="1",
            )
        )
    return report, facts


def write_reports(url: str, count: int, result_path: str) -> None:
    """Child process: add `count` reports one transaction each; write the slowest commit's time."""
    slowest = 0.0
    with open_store(url, migrate=False) as store:
        for number in range(count):
            report, facts = make_report(number)
            started = time.monotonic()
            assert store.add_report(report, facts)
            slowest = max(slowest, time.monotonic() - started)
    Path(result_path).write_text(json.dumps({"slowest": slowest}))


def read_until(url: str, db_path: str, ready: Event, done: Event, result_path: str) -> None:
    """Child process: list and count facts until `done`, recording errors and partial reports seen."""
    errors: list[str] = []
    partial: list[str] = []
    counts_seen: set[int] = set()
    rounds = 0
    with open_store(url, migrate=False) as store:
        ready.set()
        while not done.is_set() or rounds == 0:
            rounds += 1
            try:
                counts_seen.add(store.count_reports())
                store.count_facts()
                partial += find_partial_in_listing(store)
                partial += find_partial_in_sql(db_path)
            except Exception as error:  # record every failure: the test asserts there are none
                errors.append(f"{type(error).__name__}: {error}")
    Path(result_path).write_text(
        json.dumps({"errors": errors, "partial": partial, "counts": sorted(counts_seen), "rounds": rounds})
    )


def find_partial_in_listing(store: SqlStore) -> list[str]:
    """Reports whose facts in one store.facts() listing are fewer than the report has."""
    per_report = Counter(fact.report_id for fact in store.facts())
    return [rid for rid, found in per_report.items() if found != int(rid.rsplit("-", 1)[1]) % 4 + 1]


def find_partial_in_sql(db_path: str) -> list[str]:
    """Reports whose facts or evidence in one plain-SQL snapshot are fewer than their title says."""
    connection = sqlite3.connect(db_path, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)
    try:
        rows = connection.execute(
            "SELECT r.id, r.title, count(f.id), count(e.fact_id) FROM reports r "
            "LEFT JOIN facts f ON f.report_id = r.id LEFT JOIN evidence e ON e.fact_id = f.id GROUP BY r.id"
        ).fetchall()
    finally:
        connection.close()
    return [rid for rid, title, facts, evidence in rows if not int(title) == facts == evidence]


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A migrated, empty file store's path."""
    path = tmp_path / "tidings.db"
    open_store(f"sqlite:///{path}").close()
    return path


@pytest.fixture
def store(db_path: Path) -> Iterator[SqlStore]:
    """The open file store at `db_path`."""
    with open_store(f"sqlite:///{db_path}") as opened:
        yield opened


def test_store_file_sqlite_runs_in_wal_mode(db_path: Path) -> None:
    connection = sqlite3.connect(db_path)
    try:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        connection.close()


def test_store_writer_commits_while_a_reader_holds_a_snapshot(store: SqlStore, db_path: Path) -> None:
    reader = sqlite3.connect(db_path, isolation_level=None)
    try:
        reader.execute("BEGIN")
        assert reader.execute("SELECT count(*) FROM reports").fetchone()[0] == 0
        started = time.monotonic()
        assert store.add_report(*make_report(1))
        assert time.monotonic() - started < UNBLOCKED_COMMIT_S
        # The reader keeps its snapshot until it ends its transaction, then sees the report whole.
        assert reader.execute("SELECT count(*) FROM reports").fetchone()[0] == 0
        reader.execute("COMMIT")
        assert reader.execute("SELECT count(*) FROM facts").fetchone()[0] == 2
    finally:
        reader.close()


def test_store_reads_answer_while_a_write_transaction_is_open(store: SqlStore, db_path: Path) -> None:
    store.add_report(*make_report(3))
    writer = sqlite3.connect(db_path, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("DELETE FROM evidence")
        started = time.monotonic()
        assert (store.count_reports(), store.count_facts(), len(store.facts())) == (1, 4, 4)
        assert time.monotonic() - started < UNBLOCKED_COMMIT_S
    finally:
        writer.execute("ROLLBACK")
        writer.close()


@pytest.mark.slow
def test_store_readers_never_fail_nor_see_partial_reports_during_writes(db_path: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{db_path}"
    spawn = multiprocessing.get_context("spawn")
    done = spawn.Event()
    readers: list[tuple[Any, Event, Path]] = []
    for n in range(READERS):
        ready, result = spawn.Event(), tmp_path / f"reader-{n}.json"
        process = spawn.Process(target=read_until, args=(url, str(db_path), ready, done, str(result)))
        process.start()
        readers.append((process, ready, result))
    for _process, ready, _result in readers:
        assert ready.wait(JOIN_TIMEOUT_S)
    writer_result = tmp_path / "writer.json"
    writer = spawn.Process(target=write_reports, args=(url, WRITER_REPORTS, str(writer_result)))
    writer.start()
    writer.join(JOIN_TIMEOUT_S)
    done.set()
    for process, _ready, _result in readers:
        process.join(JOIN_TIMEOUT_S)
    assert writer.exitcode == 0
    assert json.loads(writer_result.read_text())["slowest"] < UNBLOCKED_COMMIT_S
    for process, _ready, result in readers:
        assert process.exitcode == 0
        seen = json.loads(result.read_text())
        assert (seen["errors"], seen["partial"]) == ([], [])
        # The reader really read during the writes: it saw the store part-way filled.
        assert any(0 < count < WRITER_REPORTS for count in seen["counts"]), seen["counts"]
    with open_store(url, migrate=False) as store:
        assert store.count_reports() == WRITER_REPORTS
        assert find_partial_in_listing(store) == []
