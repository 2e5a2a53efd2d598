"""Time fact queries and `state --as-of` on a store of many facts (default 1,000,000), SQLite and PostgreSQL.

Builds the store quickly: the real schema (tidings.store.open_store migrates it),
then synthetic reports with short texts, facts and evidence rows bulk-inserted with
SQLAlchemy Core executemany in large transactions (the full-text index over
reports is left empty: search is not timed here). Facts have realistic keys: about
150 states with a Zipf-like skew (a few are named far more often), four kinds,
organizations, dates 2000-2025 at year, month or day precision, trade periods and
amounts. Then it times, with many repetitions and random parameters, the listings
the CLI and the API make (SqlStore.facts(FactQuery(...)) with limit 50, offset
paging, count_facts) and `state --as-of D --country XX` two ways: as the CLI
runs it (cold: tidings.serve.context.Context.state opens the store and
reconciles the country's facts on every call) and as the web server answers
/api/state (warm: Services.reconciliation() checks its count stamp and returns
the whole-store reconciliation it cached, then state_as_of cuts the snapshot).
The warm path first reconciles the whole store once and prints how long that
took (minutes on 1,000,000 facts). It prints, per query, the backend, the
number of facts, the median and 95th percentile in ms and PASS/FAIL against
--limit-ms, then a Markdown table for BENCHMARKS.md. Not a test: the figures
depend on the machine.

Usage:
  python bench/query_latency.py [--facts 1000000] [--runs 200] [--sqlite PATH] [--postgres URL]
                                [--state-runs 20] [--warm-state-runs 200] [--no-busiest-state] [--keep]
                                [--reuse-postgres] [--no-sqlite]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pycountry
from machine import describe_machine
from sqlalchemy import create_engine, text

from tidings.reconcile import state_as_of
from tidings.serve.app import Services
from tidings.serve.context import Context
from tidings.store import FactQuery, open_store
from tidings.store.dialects import to_engine_url
from tidings.store.rows import to_organization_key
from tidings.store.schema import evidence, facts, metadata, reports

# Facts per synthetic report: wire stories carry one to a few dozen; ten keeps
# 1,000,000 facts at 100,000 reports, as the brief asks.
FACTS_PER_REPORT = 10
# Rows per executemany call and per transaction: large enough that the insert is not
# dominated by round trips, small enough to keep the batch in memory.
INSERT_BATCH = 20_000
STATES = 150
# Zipf exponent of how often a state is named: the busiest one takes about 7% of
# mentions, the median one about 0.3%.
SKEW = 0.9
KIND_WEIGHTS = {"trade": 0.45, "designation": 0.25, "deal": 0.15, "diplomatic": 0.15}
GROUPS = ["Taliban", "Hamas", "Hezbollah", "Muslim Brotherhood", "Hizb ut-Tahrir", "Houthis", "Wagner Group"]
OUTLETS = [f"Bench Outlet {n}" for n in range(60)]
PAGE = 50
# Default cold `state` runs: each one reconciles a country's facts, seconds on a large store.
STATE_RUNS = 20
# Default warm `state` runs: a dictionary lookup and the country's groups, milliseconds.
WARM_STATE_RUNS = 200


def make_codes() -> list[str]:
    """STATES ISO alpha-2 codes, in a fixed order (their rank sets how often they are named)."""
    return sorted(country.alpha_2 for country in pycountry.countries)[:STATES]


def build_store(url: str, n_facts: int, *, seed: int = 0) -> float:
    """Create the schema at `url` and bulk-insert `n_facts` synthetic facts; seconds taken."""
    rng = random.Random(seed)
    codes = make_codes()
    weights = [1 / (rank + 1) ** SKEW for rank in range(len(codes))]
    started = time.perf_counter()
    engine = create_engine(to_engine_url(url))
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            metadata.drop_all(connection)
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    with open_store(url) as store:
        store.close()
    n_reports = max(1, n_facts // FACTS_PER_REPORT)
    report_rows: list[dict[str, Any]] = []
    fact_rows: list[dict[str, Any]] = []
    evidence_rows: list[dict[str, Any]] = []
    made = 0
    for index in range(n_reports):
        report_rows.append(_make_report(rng, index))
        for number in range(FACTS_PER_REPORT if index < n_reports - 1 else n_facts - made):
            fact, quote = _make_fact(rng, codes, weights, report_rows[-1], number)
            fact_rows.append(fact)
            evidence_rows.append({"fact_id": fact["id"], "report_id": fact["report_id"], **quote})
            made += 1
        if len(fact_rows) >= INSERT_BATCH or index == n_reports - 1:
            with engine.begin() as connection:
                connection.execute(reports.insert(), report_rows)
                connection.execute(facts.insert(), fact_rows)
                connection.execute(evidence.insert(), evidence_rows)
            report_rows, fact_rows, evidence_rows = [], [], []
            print(f"\r  {made:,} facts", end="", file=sys.stderr, flush=True)
    # VACUUM on PostgreSQL also sets the visibility map, without which no scan is index-only;
    # autovacuum does the same on a live database a while after a bulk load.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"))
    engine.dispose()
    print(file=sys.stderr)
    return time.perf_counter() - started


def _make_report(rng: random.Random, index: int) -> dict[str, Any]:
    year, month, day = rng.randint(2000, 2025), rng.randint(1, 12), rng.randint(1, 28)
    body = " ".join(f"w{rng.randint(0, 50_000)}" for _ in range(40))
    return {
        "id": hashlib.blake2b(f"report-{index}".encode(), digest_size=12).hexdigest(),
        "external_id": f"bench-{index}",
        "url": None,
        "outlet": rng.choice(OUTLETS),
        "published": f"{year:04d}-{month:02d}-{day:02d}",
        "title": f"Bench report {index} {body[:30]}",
        "text": f"Report {index} states figures and steps between states. {body}.",
        "source_path": None,
        "fetched_at": None,
        "language": "en",
        "ingested_at": "2026-11-24T00:00:00+00:00",
    }


def _make_fact(
    rng: random.Random, codes: list[str], weights: list[float], report: dict[str, Any], number: int
) -> tuple[dict[str, Any], dict[str, Any]]:
    kind = rng.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()))[0]
    country, partner = rng.choices(codes, weights=weights, k=2)
    while partner == country:
        partner = rng.choices(codes, weights=weights)[0]
    year = rng.randint(2000, 2025)
    day = rng.choice(
        [f"{year}", f"{year}-{rng.randint(1, 12):02d}", f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"]
    )
    fields: dict[str, Any]
    if kind == "designation":
        action = rng.choice(["listed", "delisted", "listed", "suspended"])
        fields = {"country": country, "organization": rng.choice(GROUPS), "action": action, "date": day}
    elif kind == "diplomatic":
        action = rng.choice(["accredit_envoy", "hand_over_embassy", "recognize"])
        fields = {"country": country, "partner": partner, "action": action, "date": day}
    elif kind == "deal":
        fields = {"country": country, "partner": partner, "amount_usd": rng.randint(1, 900) * 1e6, "date": day}
    else:
        fields = {
            "country": country,
            "partner": partner,
            "flow": rng.choice(["total", "export", "import"]),
            "period": None if rng.random() < 0.1 else str(year),
            "amount_usd": rng.randint(1, 5000) * 1e6,
            "status": "target" if rng.random() < 0.1 else "actual",
            "according_to": None,
        }
    quote = report["text"][: 30 + number]
    fact = {
        "id": hashlib.blake2b(f"{report['id']}-{number}".encode(), digest_size=12).hexdigest(),
        "report_id": report["id"],
        "kind": kind,
        "country": fields.get("country"),
        "partner": fields.get("partner"),
        "organization": fields.get("organization"),
        "organization_key": to_organization_key(fields.get("organization")),
        "action": fields.get("action"),
        "flow": fields.get("flow"),
        "status": fields.get("status"),
        "date": fields.get("date"),
        "period": fields.get("period"),
        "amount_usd": fields.get("amount_usd"),
        "date_key": fields.get("date") or fields.get("period"),
        "fields": json.dumps(fields, sort_keys=True),
        "extractor": f"tidings_{kind}",
        "extractor_version": "1",
        "confidence": 0.9,
    }
    return fact, {"start": 0, "end": len(quote), "quote": quote}


def make_queries(url: str, rng: random.Random, *, busiest: bool) -> dict[str, Callable[[], object]]:
    """The timed operations, each drawing its own random parameters per call."""
    store = open_store(url, migrate=False)
    codes = make_codes()
    weights = [1 / (rank + 1) ** SKEW for rank in range(len(codes))]

    def state(code: str | None = None) -> Callable[[], object]:
        def run() -> object:
            context = Context(db=url, debug=False)
            try:
                return context.state(_random_day(rng), known_by=None, country=code or rng.choice(codes))
            finally:
                context.close()

        return run

    def draw() -> str:
        return rng.choices(codes, weights=weights)[0]

    def since() -> str:
        return str(rng.randint(2000, 2025))

    timed: dict[str, Callable[[], object]] = {
        "facts kind+country": lambda: store.facts(
            FactQuery(kind=rng.choice(list(KIND_WEIGHTS)), country=draw(), limit=PAGE)
        ),
        "facts country+partner": lambda: store.facts(FactQuery(country=draw(), partner=draw(), limit=PAGE)),
        "facts country since/until": lambda: store.facts(
            FactQuery(country=draw(), since=since(), until=str(rng.randint(2015, 2025)), limit=PAGE)
        ),
        "facts organization": lambda: store.facts(FactQuery(organization=rng.choice(GROUPS).lower(), limit=PAGE)),
        "facts country, offset paging": lambda: store.facts(
            FactQuery(country=draw(), limit=PAGE, offset=PAGE * rng.randint(0, 20))
        ),
        "facts all, offset paging": lambda: store.facts(FactQuery(limit=PAGE, offset=PAGE * rng.randint(0, 20))),
        "count_facts kind+country": lambda: store.count_facts(
            FactQuery(kind=rng.choice(list(KIND_WEIGHTS)), country=draw())
        ),
        "count_facts country+partner": lambda: store.count_facts(FactQuery(country=draw(), partner=draw())),
        "count_facts organization": lambda: store.count_facts(FactQuery(organization=rng.choice(GROUPS))),
        "count_facts country since/until": lambda: store.count_facts(
            FactQuery(country=draw(), since=since(), until=str(rng.randint(2015, 2025)))
        ),
        "count_facts all": lambda: store.count_facts(),
        "state --as-of D --country (random state), CLI cold": state(),
    }
    if busiest:
        timed[f"state --as-of D --country {codes[0]} (busiest), CLI cold"] = state(codes[0])
    return timed


def _random_day(rng: random.Random) -> str:
    return f"{rng.randint(2000, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def time_queries(url: str, *, runs: int, state_runs: int, busiest: bool, seed: int) -> list[tuple[str, float, float]]:
    """(name, median ms, p95 ms) per query, after one warm-up call each (state runs only when state_runs > 0)."""
    rng = random.Random(seed)
    results = []
    for name, run in make_queries(url, rng, busiest=busiest).items():
        count = state_runs if name.startswith("state") else runs
        if count == 0:
            continue
        run()
        times = []
        for _ in range(count):
            started = time.perf_counter()
            run()
            times.append((time.perf_counter() - started) * 1000)
        results.append((name, statistics.median(times), _percentile(times, 95)))
        print(f"  {name}: median {results[-1][1]:.1f} ms, p95 {results[-1][2]:.1f} ms ({count} runs)", file=sys.stderr)
    return results


def time_warm_state(url: str, *, runs: int, busiest: bool, seed: int) -> list[tuple[str, float, float]]:
    """(name, median ms, p95 ms) of the server's /api/state path on its cached whole-store reconciliation.

    The first call reconciles everything stored, and one snapshot per state builds its
    index; both times are printed once, apart. The timed runs are with and without the
    count stamp the server checks on every request.
    """
    rng = random.Random(seed)
    codes = make_codes()
    with open_store(url, migrate=False) as store:
        services = Services(store=store, token=None)
        started = time.perf_counter()
        services.reconciliation()
        reconciled = time.perf_counter() - started
        started = time.perf_counter()
        cached = services.reconciliation()
        for code in codes:
            state_as_of(cached, _random_day(rng), country=code)
        indexed = time.perf_counter() - started
        print(f"  whole-store reconciliation (read + reconcile) {reconciled:.1f} s")
        print(f"  first snapshot of each state (builds its index) {indexed:.1f} s")
        timed = {"state --as-of D --country (random state), server warm": (rng.choice, True)}
        timed["state --as-of D --country (random state), state_as_of on the cached result"] = (rng.choice, False)
        if busiest:
            timed[f"state --as-of D --country {codes[0]} (busiest), server warm"] = (lambda _codes: codes[0], True)
        results = []
        for name, (draw, stamped) in timed.items():
            times = []
            for _ in range(runs):
                day, country = _random_day(rng), draw(codes)
                started = time.perf_counter()
                # The server first counts reports and facts to see whether its cached result is stale.
                state_as_of(services.reconciliation() if stamped else cached, day, country=country)
                times.append((time.perf_counter() - started) * 1000)
            results.append((name, statistics.median(times), _percentile(times, 95)))
            print(
                f"  {name}: median {results[-1][1]:.1f} ms, p95 {results[-1][2]:.1f} ms ({runs} runs)", file=sys.stderr
            )
        return results


def _percentile(values: list[float], percent: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(percent / 100 * len(ordered) + 0.5) - 1))]


def print_table(rows: list[tuple[str, str, int, str, float, float]], *, limit_ms: float) -> None:
    """The Markdown table for BENCHMARKS.md."""
    print(f"\n| backend | facts | query | median ms | p95 ms | p95 < {limit_ms:g} ms |")
    print("| --- | ---: | --- | ---: | ---: | --- |")
    for backend, _url, n, name, median, p95 in rows:
        print(f"| {backend} | {n:,} | {name} | {median:.1f} | {p95:.1f} | {'PASS' if p95 < limit_ms else 'FAIL'} |")


def main() -> None:
    """Build the stores, time the queries, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=200, help="repetitions per fact query")
    parser.add_argument(
        "--state-runs", type=int, default=STATE_RUNS, help="repetitions of the CLI's cold state (0: skip)"
    )
    parser.add_argument(
        "--warm-state-runs",
        type=int,
        default=WARM_STATE_RUNS,
        help="repetitions of the server's warm state, after one whole-store reconciliation (0: skip)",
    )
    parser.add_argument("--no-busiest-state", action="store_true", help="skip state for the busiest country")
    parser.add_argument("--limit-ms", type=float, default=50.0)
    parser.add_argument("--sqlite", type=Path, help="SQLite file to build (or reuse, if it exists)")
    parser.add_argument(
        "--postgres",
        help="PostgreSQL URL of a throwaway database or schema (?options=-csearch_path%%3DNAME): its tidings tables "
        "are dropped and rebuilt",
    )
    parser.add_argument("--reuse-postgres", action="store_true", help="time the store --postgres holds, unrebuilt")
    parser.add_argument("--no-sqlite", action="store_true", help="time PostgreSQL only")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", action="store_true", help="keep the SQLite file")
    args = parser.parse_args()
    print(describe_machine())
    folder = Path(tempfile.mkdtemp(prefix="tidings-bench-"))
    sqlite_path = args.sqlite or folder / "bench.db"
    targets = [] if args.no_sqlite else [("SQLite", f"sqlite:///{sqlite_path}", not sqlite_path.exists())]
    if args.postgres:
        targets.append(("PostgreSQL", args.postgres, not args.reuse_postgres))
    rows = []
    for backend, url, fresh in targets:
        if fresh:
            print(f"{backend}: building {args.facts:,} facts ...", file=sys.stderr)
            print(f"{backend}: built {args.facts:,} facts in {build_store(url, args.facts, seed=args.seed):.0f} s")
        timings = time_queries(
            url, runs=args.runs, state_runs=args.state_runs, busiest=not args.no_busiest_state, seed=args.seed
        )
        if args.warm_state_runs > 0:
            print(f"{backend}: reconciling the whole store once for the warm state path ...", file=sys.stderr)
            timings += time_warm_state(
                url, runs=args.warm_state_runs, busiest=not args.no_busiest_state, seed=args.seed
            )
        for name, median, p95 in timings:
            verdict = "PASS" if p95 < args.limit_ms else "FAIL"
            print(f"{backend:10} {args.facts:>9,} {name:60} median {median:8.1f} ms  p95 {p95:8.1f} ms  {verdict}")
            rows.append((backend, url, args.facts, name, median, p95))
    print_table(rows, limit_ms=args.limit_ms)
    if not args.keep and not args.sqlite:
        sqlite_path.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
