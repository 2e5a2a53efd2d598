"""Load `tidings serve`: concurrent readers over the API and the pages while two writers ingest.

Builds a SQLite store from the bundled demo corpus (`tidings demo`), serves it with
`tidings serve` in a child process on a free loopback port, then for --duration
seconds (at most --requests requests) runs --readers threads, each on one keep-alive
connection, over a weighted mix of GET endpoints. Meanwhile one writer posts new
reports to POST /api/ingest and another runs `tidings ingest FOLDER` on the same
database file. Afterwards it checks, through the API and directly in the SQLite file,
that every written report is stored exactly once with its facts and that readers see
it (the app's cached reconciliation was refreshed). Prints the machine, the command
and a Markdown table for BENCHMARKS.md; exits 1 on any server error, unexpected
status, lost or duplicated report. Loopback only: any other --host is refused.

Usage:
  python bench/load.py [--readers 8] [--duration 60] [--requests 200000] [--api-writes 12] [--cli-writes 8]
  python bench/load.py --short          # CI: 4 readers, 8 s, 3 + 3 writes
"""

from __future__ import annotations

import argparse
import http.client
import math
import os
import random
import secrets
import shlex
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from machine import describe_machine

LOOPBACK_HOSTS = ("127.0.0.1", "::1", "localhost")
# Server start: the store is opened and migrated; 120 s leaves room on a loaded CI runner.
START_TIMEOUT_S = 120
# One request may wait this long: a page behind a fresh reconciliation of the store takes
# well under a second here, so 30 s only trips on a hung server.
REQUEST_TIMEOUT_S = 30.0
# After --duration, readers keep reading while the writers finish (each loads spaCy, a few
# seconds), at most this much longer: every write then happens under concurrent reads.
WRITER_GRACE_S = 180.0
# How long readers may take to see every new report once the writers are done.
SEE_TIMEOUT_S = 30.0
# Short mode for CI: about a thousand requests on a busy two-core machine (enough for a p99)
# and a few writes of each kind; readers go on while both writers load spaCy (10-15 s).
SHORT = {"readers": 4, "duration": 8.0, "api_writes": 3, "cli_writes": 3}
# The readers' mix: endpoint group, weight, paths ({report} and {fact}: ids listed by the app).
# Weights follow how a browsing person and an API client would split their requests.
MIX = (
    ("api lists", 4, ("/api/reports?limit=5", "/api/reports?limit=3&offset=3", "/api/facts?kind=trade&limit=10",
                      "/api/facts?country=TJ&partner=AF&limit=20&offset=5", "/api/facts?since=2025-03&until=2025-06",
                      "/api/groups?kind=designation", "/api/sources", "/api/facts?q=embassy")),
    ("api by id", 4, ("/api/facts/{fact}", "/api/reports/{report}", "/api/reports/{report}/facts?limit=10")),
    ("api state", 2, ("/api/state?as_of=2025-05-01", "/api/state?as_of=2025-12-31&country=TJ&known_by=2025-07-01")),
    ("api timeline", 2, ("/api/timeline?country=TJ&partner=AF", "/api/timeline?country=AF&limit=10&offset=2")),
    ("api conflicts", 2, ("/api/conflicts", "/api/conflicts?kind=trade&country=AF")),
    ("api search", 2, ("/api/search?q=Taliban", "/api/search?q=trade+turnover&limit=5&offset=1")),
    ("pages", 4, ("/", "/?as_of=2025-05-01&country=TJ", "/timeline?country=TJ&partner=AF", "/trade", "/conflicts",
                  "/reports", "/search?q=embassy", "/facts/{fact}", "/reports/{report}")),
    ("health", 1, ("/api/health",)),
)  # fmt: skip
# Statuses a reader may get: every path is built from ids the running app listed.
EXPECTED_STATUSES = frozenset({200})


@dataclass
class Sample:
    """One request: its endpoint group, client-side latency and outcome ("ok" or an error kind)."""

    group: str
    ms: float
    outcome: str


@dataclass
class Written:
    """A report a writer sent: its marker (a word only it contains), channel, and what the API answered."""

    marker: str
    channel: str
    report_id: str | None = None
    facts: int | None = None


@dataclass
class Run:
    """Everything the readers and writers recorded, shared between threads."""

    samples: list[Sample] = field(default_factory=list)
    writes: list[Written] = field(default_factory=list)
    ingest_ms: list[float] = field(default_factory=list)
    cli_ms: float | None = None
    problems: list[str] = field(default_factory=list)
    budget: int = 0
    children: list[subprocess.Popen[bytes]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def take_request(self) -> bool:
        """Claim one request from the --requests budget; False when it is spent."""
        with self.lock:
            self.budget -= 1
            return self.budget >= 0

    def note(self, problem: str) -> None:
        """Record a problem (kept for the report and the exit status)."""
        with self.lock:
            self.problems.append(problem)


def main() -> int:
    args = parse_args()
    if args.host not in LOOPBACK_HOSTS:
        print(f"refusing --host {args.host}: this load test runs on loopback only {LOOPBACK_HOSTS}", file=sys.stderr)
        return 2
    print(describe_machine())
    print(f"command: {shlex.join(['python', 'bench/load.py', *sys.argv[1:]])}")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    with tempfile.TemporaryDirectory(prefix="tidings-load-") as tmp:
        folder = Path(tmp)
        db_url = f"sqlite:///{folder / 'load.db'}"
        run_cli(db_url, "demo")
        token = secrets.token_hex(16)
        port = find_free_port(args.host)
        with serving(db_url, args.host, port, token, folder / "server.log") as base:
            run = Run(budget=args.requests)
            wall = drive(base, token, db_url, folder, args, run)
            seen_after = verify(base, folder / "load.db", run)
        server_log = (folder / "server.log").read_text(encoding="utf-8", errors="replace")
    if "Traceback" in server_log:
        run.note("the server logged a traceback:\n" + server_log[server_log.index("Traceback") :][:2000])
    return report(run, wall=wall, seen_after=seen_after, args=args)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to serve on")
    parser.add_argument("--readers", type=int, default=8, help="concurrent reader threads")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of reading (plus writer grace)")
    parser.add_argument("--requests", type=int, default=200_000, help="at most this many reader requests")
    parser.add_argument("--api-writes", type=int, default=12, help="reports posted to /api/ingest")
    parser.add_argument("--cli-writes", type=int, default=8, help="reports written by `tidings ingest FOLDER`")
    parser.add_argument("--seed", type=int, default=7, help="seed of the readers' endpoint choice")
    parser.add_argument("--short", action="store_true", help="the CI mode: " + str(SHORT))
    args = parser.parse_args()
    if args.short:
        vars(args).update(SHORT)
    if min(args.readers, args.requests, args.api_writes + args.cli_writes) < 1 or args.duration <= 0:
        parser.error("--readers, --requests, --duration and the writes must be positive")
    return args


def run_cli(db_url: str, *args: str) -> str:
    """Run `tidings --db URL ARGS` to completion; its output. RuntimeError when it fails."""
    command = [sys.executable, "-m", "tidings", "--db", db_url, *args]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, start_new_session=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{shlex.join(command)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def find_free_port(host: str) -> int:
    """A port nobody listens on right now at `host`."""
    family, kind, _, _, address = socket.getaddrinfo(host, 0, type=socket.SOCK_STREAM)[0]
    with socket.socket(family, kind) as sock:
        sock.bind(address)
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def serving(db_url: str, host: str, port: int, token: str, log: Path) -> Iterator[str]:
    """`tidings serve` in its own process group until the block ends; yields the base URL."""
    environment = {**os.environ, "TIDINGS_TOKEN": token}
    command = [sys.executable, "-m", "tidings", "--db", db_url, "serve", "--host", host, "--port", str(port)]
    with log.open("wb") as sink:
        server = subprocess.Popen(command, env=environment, stdout=sink, stderr=sink, start_new_session=True)
        try:
            base = f"http://{'[::1]' if host == '::1' else host}:{port}"
            wait_until_up(base, server)
            yield base
        finally:
            stop_group(server)


def stop_group(process: subprocess.Popen[Any]) -> None:
    """Terminate a child's whole process group, killing it if it does not stop within 10 s."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def wait_until_up(base: str, server: subprocess.Popen[bytes]) -> None:
    """Poll /api/health until it answers 200; RuntimeError when the server dies or never answers."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited with status {server.returncode}")
        try:
            if httpx.get(f"{base}/api/health", timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise RuntimeError(f"the server did not answer within {START_TIMEOUT_S} s")


def build_mix(client: httpx.Client) -> list[tuple[str, int, list[str]]]:
    """MIX with {report} and {fact} filled in with ids the running app lists (one path per id)."""
    reports = [each["id"] for each in client.get("/api/reports", params={"limit": 4}).json()["items"]]
    facts = [each["id"] for each in client.get("/api/facts", params={"limit": 100}).json()["items"]]
    ids = {"{report}": reports, "{fact}": facts[:: max(1, len(facts) // 4)][:4]}
    mix = []
    for group, weight, templates in MIX:
        paths = []
        for template in templates:
            found = [key for key in ids if key in template]
            paths += [template.replace(found[0], ident) for ident in ids[found[0]]] if found else [template]
        mix.append((group, weight, paths))
    return mix


def drive(base: str, token: str, db_url: str, folder: Path, args: argparse.Namespace, run: Run) -> float:
    """Readers and both writers at once; the seconds the readers ran."""
    host, port = base.removeprefix("http://").rsplit(":", 1)
    with httpx.Client(base_url=base, timeout=REQUEST_TIMEOUT_S) as client:
        mix = build_mix(client)
        for _, _, paths in mix:  # every path answers before the clock starts (and warms the cache)
            for path in paths:
                if (status := client.get(path).status_code) not in EXPECTED_STATUSES:
                    run.note(f"warm-up: GET {path} answered {status}")
    stop = threading.Event()
    deadline = time.monotonic() + args.duration
    nonce = secrets.token_hex(3)
    writers = [
        threading.Thread(target=write_via_api, args=(base, token, nonce, args, run), name="api-writer", daemon=True),
        threading.Thread(target=write_via_cli, args=(db_url, folder, nonce, args, run), name="cli-writer", daemon=True),
    ]
    readers = [
        threading.Thread(
            target=read, args=(host.strip("[]"), int(port), mix, random.Random(args.seed + i), stop, run), daemon=True
        )
        for i in range(args.readers)
    ]
    started = time.monotonic()
    try:
        for thread in readers + writers:
            thread.start()
        while time.monotonic() < deadline or any(w.is_alive() for w in writers):
            if time.monotonic() > deadline + WRITER_GRACE_S or all(not r.is_alive() for r in readers):
                break
            time.sleep(0.05)
        stop.set()
        for thread in readers + writers:
            thread.join(timeout=REQUEST_TIMEOUT_S + WRITER_GRACE_S)
    finally:  # interrupted or not, no reader or `tidings ingest` outlives the run
        stop.set()
        for child in run.children:
            stop_group(child)
    if any(w.is_alive() for w in writers):
        run.note(f"a writer was still running {WRITER_GRACE_S:.0f} s after --duration")
    return time.monotonic() - started


def read(
    host: str, port: int, mix: list[tuple[str, int, list[str]]], rng: random.Random, stop: threading.Event, run: Run
) -> None:
    """One reader: weighted random GETs on one keep-alive connection until stopped or the budget is spent."""
    groups, weights = [group for group, _, _ in mix], [weight for _, weight, _ in mix]
    paths = {group: group_paths for group, _, group_paths in mix}
    connection = http.client.HTTPConnection(host, port, timeout=REQUEST_TIMEOUT_S)
    mine: list[Sample] = []
    while not stop.is_set() and run.take_request():
        group = rng.choices(groups, weights)[0]
        path = rng.choice(paths[group])
        started = time.perf_counter()
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            outcome = "ok" if response.status in EXPECTED_STATUSES else f"HTTP {response.status}"
        except TimeoutError:
            outcome = "timeout"
        except (OSError, http.client.HTTPException) as error:
            outcome = f"connection ({type(error).__name__})"
        if outcome != "ok":
            run.note(f"GET {path}: {outcome}")
            connection.close()  # a fresh connection for the next request
        mine.append(Sample(group, (time.perf_counter() - started) * 1000, outcome))
    connection.close()
    with run.lock:
        run.samples.extend(mine)


def make_report(marker: str, index: int, *, channel: str) -> str:
    """A short invented trade report, different for every (marker, index), that the pipeline reads facts from."""
    hosts = (
        ("Kazakhstan", "Kazakh", "ASTANA"),
        ("Uzbekistan", "Uzbek", "TASHKENT"),
        ("Tajikistan", "Tajik", "DUSHANBE"),
    )
    state, adjective, capital = hosts[index % len(hosts)]
    months = ("January-April", "January-May", "January-June", "January-July")
    period = months[index % len(months)]
    total = 120 + 17.3 * index + (7.1 if channel == "cli" else 0.0)
    goods = ("flour and cement", "rolled steel and fuel", "electricity and cotton yarn")[index % 3]
    return (
        f"{state} reports brisk trade with Afghanistan in {period} 2025\n\n"
        f"{capital}, August {4 + index % 20}, 2025 (Meridian Trade Bulletin) - Trade between {state} and "
        f"Afghanistan came to ${total:.1f} million in {period} 2025, the national statistics office said "
        f"on Monday in a customs digest filed as {marker}.\n\n"
        f"{adjective} exports, mostly {goods}, made up ${total * 0.7:.1f} million of that total.\n"
    )


def write_via_api(base: str, token: str, nonce: str, args: argparse.Namespace, run: Run) -> None:
    """POST --api-writes new reports to /api/ingest, spread over the first two thirds of --duration."""
    spacing = args.duration * 2 / 3 / args.api_writes
    with httpx.Client(base_url=base, timeout=REQUEST_TIMEOUT_S * 4) as client:
        refused = client.post("/api/ingest", content=b"no token", headers={"Content-Type": "text/plain"})
        if refused.status_code != 401:  # the one 4xx expected: a write without the token
            run.note(f"POST /api/ingest without a token answered {refused.status_code}, not 401")
        for index in range(args.api_writes):
            written = Written(f"LD{nonce}A{index:03d}", "api")
            started = time.perf_counter()
            try:
                response = client.post(
                    "/api/ingest",
                    content=make_report(written.marker, index, channel="api").encode("utf-8"),
                    headers={"Content-Type": "text/plain; charset=utf-8", "Authorization": f"Bearer {token}"},
                )
            except httpx.HTTPError as error:
                run.note(f"POST /api/ingest {written.marker}: {type(error).__name__}: {error}")
                continue
            finally:
                run.ingest_ms.append((time.perf_counter() - started) * 1000)
                run.writes.append(written)
            if response.status_code != 200 or len(response.json()["report_ids"]) != 1:
                run.note(f"POST /api/ingest {written.marker}: {response.status_code} {response.text[:300]}")
                continue
            written.report_id, written.facts = response.json()["report_ids"][0], response.json()["facts"]
            time.sleep(spacing)


def write_via_cli(db_url: str, folder: Path, nonce: str, args: argparse.Namespace, run: Run) -> None:
    """Write --cli-writes new reports into a folder and run `tidings ingest FOLDER` on the same database."""
    inbox = folder / "inbox"
    inbox.mkdir()
    for index in range(args.cli_writes):
        written = Written(f"LD{nonce}C{index:03d}", "cli")
        (inbox / f"{written.marker}.txt").write_text(make_report(written.marker, index, channel="cli"), "utf-8")
        run.writes.append(written)
    command = [sys.executable, "-m", "tidings", "--db", db_url, "ingest", str(inbox)]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    run.children.append(child)
    started = time.perf_counter()
    try:
        output, _ = child.communicate(timeout=args.duration + WRITER_GRACE_S)
        run.cli_ms = (time.perf_counter() - started) * 1000
    except subprocess.TimeoutExpired:
        run.note(f"{shlex.join(command)} did not finish in time")
        return
    if child.returncode != 0:
        run.note(f"{shlex.join(command)} exited {child.returncode}: {output.decode('utf-8', 'replace')[-1000:]}")


def verify(base: str, db_path: Path, run: Run) -> float | None:
    """Check every write in the SQLite file and through the API; seconds until readers saw all, None if never."""
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as db:
        for written in run.writes:
            check_stored(db, written, run)
        stored = (
            db.execute("SELECT count(*) FROM reports").fetchone()[0],
            db.execute("SELECT count(*) FROM facts").fetchone()[0],
        )
        if (integrity := db.execute("PRAGMA integrity_check").fetchone()[0]) != "ok":
            run.note(f"integrity_check: {integrity}")
    started = time.monotonic()
    with httpx.Client(base_url=base, timeout=REQUEST_TIMEOUT_S) as client:
        while True:
            unseen = list_unseen(client, run.writes, stored)
            if not unseen:
                return time.monotonic() - started
            if time.monotonic() - started > SEE_TIMEOUT_S:
                run.note(f"readers still miss after {SEE_TIMEOUT_S:.0f} s: {'; '.join(unseen[:5])}")
                return None
            time.sleep(0.5)


def check_stored(db: sqlite3.Connection, written: Written, run: Run) -> None:
    """The report holding `written.marker` is stored exactly once, with facts that each have their evidence."""
    found = [row[0] for row in db.execute("SELECT id FROM reports WHERE text LIKE ?", (f"%{written.marker}%",))]
    if len(found) != 1:
        run.note(
            f"{'lost' if not found else 'duplicated'}: {written.channel} report {written.marker} "
            f"stored {len(found)} times"
        )
        return
    if written.report_id not in (None, found[0]):
        run.note(f"{written.marker}: the API said {written.report_id}, the file holds {found[0]}")
    written.report_id = found[0]
    facts = db.execute("SELECT count(*) FROM facts WHERE report_id = ?", found).fetchone()[0]
    evidence = db.execute("SELECT count(*) FROM evidence WHERE report_id = ?", found).fetchone()[0]
    if facts == 0 or facts != evidence or written.facts not in (None, facts):
        run.note(f"{written.marker}: {facts} facts, {evidence} evidence rows stored, the API said {written.facts}")
    written.facts = facts


def list_unseen(client: httpx.Client, writes: list[Written], stored: tuple[int, int]) -> list[str]:
    """What readers do not see yet: counts, new reports in search and listings, new facts' groups."""
    health = client.get("/api/health").json()
    unseen = [] if (health["reports"], health["facts"]) == stored else [f"health {health} vs the file {stored}"]
    listing = client.get("/reports").text  # the page lists the cached reconciliation's reports
    for written in (w for w in writes if w.report_id):
        hits = client.get("/api/search", params={"q": written.marker}).json()
        page = client.get(f"/api/reports/{written.report_id}/facts", params={"limit": 1}).json()
        if [hit["report"]["id"] for hit in hits["items"]] != [written.report_id]:
            unseen.append(f"search {written.marker}")
        if page["total"] != written.facts or not page["items"] or page["items"][0]["group_id"] is None:
            unseen.append(f"facts of {written.report_id} (total {page['total']}, groups not refreshed?)")
        if f"/reports/{written.report_id}" not in listing:
            unseen.append(f"/reports lacks {written.report_id}")
    return unseen


def percentile(sorted_ms: list[float], fraction: float) -> float:
    """The nearest-rank percentile of sorted values (0 for none)."""
    return sorted_ms[max(0, math.ceil(fraction * len(sorted_ms)) - 1)] if sorted_ms else 0.0


def report(run: Run, *, wall: float, seen_after: float | None, args: argparse.Namespace) -> int:
    """Print the Markdown table and the verdict; the exit status."""
    groups: dict[str, list[Sample]] = {}
    for sample in run.samples:
        groups.setdefault(sample.group, []).append(sample)
    errors = [s for s in run.samples if s.outcome != "ok"]
    print(f"\n{args.readers} readers, {wall:.1f} s, {len(run.samples)} requests; times in ms, client side, keep-alive.")
    print("| endpoint group | requests | req/s | p50 | p99 | max | errors |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    rows: list[tuple[str, list[Sample]]] = sorted(groups.items())
    for name, samples in [*rows, ("**all reads**", run.samples)]:
        times = sorted(s.ms for s in samples)
        bad = sum(s.outcome != "ok" for s in samples)
        print(
            f"| {name} | {len(samples)} | {len(samples) / wall:.1f} | {percentile(times, 0.5):.1f} | "
            f"{percentile(times, 0.99):.1f} | {max(times, default=0):.1f} | {bad} |"
        )
    ingest = sorted(run.ingest_ms)
    print(
        f"| POST /api/ingest (writer, first loads spaCy) | {len(ingest)} | - | {percentile(ingest, 0.5):.1f} | "
        f"{percentile(ingest, 0.99):.1f} | {max(ingest, default=0):.1f} | - |"
    )
    if run.cli_ms is not None:
        cli = f"`tidings ingest` of {args.cli_writes} files (writer, spaCy load included)"
        print(f"| {cli} | 1 | - | {run.cli_ms:.1f} | {run.cli_ms:.1f} | {run.cli_ms:.1f} | - |")
    kinds = {kind: sum(s.outcome.startswith(kind) for s in errors) for kind in ("HTTP 5", "HTTP 4", "timeout", "conn")}
    lost = sum(p.startswith("lost") for p in run.problems)
    duplicated = sum(p.startswith("duplicated") for p in run.problems)
    api_writes = sum(w.channel == "api" for w in run.writes)
    print(
        f"\nwrites: {api_writes} via POST /api/ingest + {len(run.writes) - api_writes} via `tidings ingest` "
        f"({sum(w.facts or 0 for w in run.writes)} facts); readers saw them all "
        + (f"{seen_after:.1f} s after the writers finished" if seen_after is not None else "NEVER")
    )
    for problem in run.problems[:20]:
        print(f"problem: {problem}")
    print(
        f"result: errors={len(errors)} server_errors={kinds['HTTP 5']} unexpected_4xx={kinds['HTTP 4']} "
        f"timeouts={kinds['timeout']} connection_errors={kinds['conn']} lost={lost} duplicated={duplicated} "
        f"problems={len(run.problems)}"
    )
    return 1 if run.problems or errors else 0


if __name__ == "__main__":
    sys.exit(main())
