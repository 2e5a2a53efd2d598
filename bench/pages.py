"""Time every web page (and every JSON list endpoint) of `tidings` over the dev reports.

Builds a store from ../shared/eval/dev/docs (or --docs), serves it with uvicorn in
a child process on 127.0.0.1, times the very first request (it reconciles the
whole store), requests each page once to warm up (reported as "first"), then
--runs more times one after another, and prints the median, p95 and max latency per page as seen
by an HTTP client, marking pages whose p95 is over --limit-ms. Not a test: the
figures depend on the machine, which is printed with them (see BENCHMARKS.md).

Usage:
  python bench/pages.py [--runs 50] [--limit-ms 200] [--docs DIR] [--db URL]
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from machine import describe_machine

from tidings.batch.evaluation import find_shared
from tidings.batch.runner import ingest_paths
from tidings.extract.pipeline import Extractor
from tidings.store.sql import open_store

# The child process: the app over the store, as `tidings serve` would run it.
SERVE = """
import sys, uvicorn
from tidings.serve.app import create_app
uvicorn.run(create_app(sys.argv[1]), host="127.0.0.1", port=int(sys.argv[2]), log_level="warning", access_log=False)
"""
# How long the server may take to start (the store is opened and migrated first).
START_TIMEOUT_S = 60
# Values for the required query parameters of API list endpoints, by name.
API_PARAMETERS = {"q": "Taliban", "country": "KZ", "partner": "AF", "as_of": "2024-02-01"}


class Client:
    """A keep-alive HTTP/1.1 client from the standard library: nothing between the timer and the socket."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def get(self, path: str) -> tuple[int, str]:
        """GET `path`: the status and the body as text."""
        self.connection.request("GET", path)
        response = self.connection.getresponse()
        return response.status, response.read().decode("utf-8", errors="replace")

    def close(self) -> None:
        """Close the connection."""
        self.connection.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50, help="timed requests per page (after one warm-up)")
    parser.add_argument("--limit-ms", type=float, default=200.0, help="mark pages whose p95 is above this")
    parser.add_argument("--docs", type=Path, help="a folder of report records (default ../shared/eval/dev/docs)")
    parser.add_argument("--db", help="time an existing store instead of building one")
    args = parser.parse_args()
    print(describe_machine())
    with tempfile.TemporaryDirectory() as tmp:
        url = args.db or build_store(args.docs, Path(tmp))
        if url is None:
            print("../shared/eval/dev/docs not found beside the repository; give --docs or --db", file=sys.stderr)
            return 2
        port = find_free_port()
        server = subprocess.Popen([sys.executable, "-c", SERVE, url, str(port)])
        try:
            wait_until_up(port, server)
            client = Client(port)
            started = time.perf_counter()
            client.get("/")
            cold = (time.perf_counter() - started) * 1000
            rows = [time_page(client, page, runs=args.runs) for page in list_pages(client)]
            client.close()
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(f"\nthe very first request (/, which reconciles the whole store): {cold:.1f} ms")
    print_table(rows, limit_ms=args.limit_ms, runs=args.runs)
    return 1 if any(row["p95"] > args.limit_ms or row["status"] != 200 for row in rows) else 0


def build_store(docs: Path | None, folder: Path) -> str | None:
    """A SQLite store in `folder` with the reports of `docs` (default: the shared dev set) ingested."""
    if docs is None:
        shared = find_shared(Path(__file__).resolve().parents[1] / "pyproject.toml")
        if shared is None:
            return None
        docs = shared / "eval" / "dev" / "docs"
    url = f"sqlite:///{folder / 'pages.db'}"
    started = time.perf_counter()
    with open_store(url) as store:
        summary = ingest_paths([str(docs)], store, Extractor())
    print(f"store: {summary.read} reports, {summary.facts} facts from {docs} ({time.perf_counter() - started:.1f} s)")
    return url


def find_free_port() -> int:
    """A port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_until_up(port: int, server: subprocess.Popen[bytes]) -> None:
    """Poll the static stylesheet until the server answers (it does not touch the store)."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited with status {server.returncode}")
        client = Client(port)
        try:
            if client.get("/static/tidings.css")[0] == 200:
                return
        except OSError:
            time.sleep(0.1)
        finally:
            client.close()
    raise RuntimeError(f"the server did not answer within {START_TIMEOUT_S} s")


def list_pages(client: Client) -> list[str]:
    """Every page, with ids taken from the running app, then the API's GET endpoints without a path id."""
    reports = re.findall(r'href="/reports/(\w+)"', client.get("/reports")[1])
    longest = max(reports, key=lambda ident: len(client.get(f"/reports/{ident}")[1])) if reports else "none"
    facts = re.findall(r'href="/facts/(\w+)"', client.get("/?as_of=2024-06-01")[1])
    pages = [
        "/",
        "/?as_of=2023-12-01",
        "/?as_of=2024-02-01&known=true",
        "/?as_of=2024-06-01&country=KZ",
        "/timeline",
        "/timeline?country=KZ&partner=AF",
        "/timeline?country=AF",
        "/trade",
        "/trade?country=KZ&partner=AF",
        "/trade?country=UZ&partner=AF",
        "/conflicts",
        f"/facts/{facts[0] if facts else 'none'}",
        "/reports",
        f"/reports/{longest}",
        "/search?q=Taliban",
        "/search?q=trade+turnover",
    ]
    return pages + list_api_endpoints(client)


def list_api_endpoints(client: Client) -> list[str]:
    """The JSON API's GET paths without a path parameter, required query parameters filled in."""
    status, body = client.get("/api/openapi.json")
    if status != 200:
        return []
    found = []
    for path, operations in sorted(json.loads(body).get("paths", {}).items()):
        operation: dict[str, Any] | None = operations.get("get")
        if operation is None or "{" in path:
            continue
        required = [each["name"] for each in operation.get("parameters", []) if each.get("required")]
        if any(name not in API_PARAMETERS for name in required):
            continue
        query = "&".join(f"{name}={API_PARAMETERS[name]}" for name in required)
        found.append(f"{path}?{query}" if query else path)
    return found


def time_page(client: Client, page: str, *, runs: int) -> dict[str, Any]:
    """One warm-up request, then `runs` timed ones: status, first, median, p95 and max in ms."""
    started = time.perf_counter()
    status = client.get(page)[0]
    first = (time.perf_counter() - started) * 1000
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(page)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, math.ceil(0.95 * len(times)) - 1)] if times else first
    median = statistics.median(times) if times else first
    return {"page": page, "status": status, "first": first, "median": median, "p95": p95, "max": max(times or [first])}


def print_table(rows: list[dict[str, Any]], *, limit_ms: float, runs: int) -> None:
    """A Markdown table, ready for BENCHMARKS.md."""
    print(f"\n{runs} timed requests per page after one warm-up; times in ms, client side, keep-alive HTTP/1.1.\n")
    print("| page | status | first | median | p95 | max | |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
    for row in rows:
        flag = f"over {limit_ms:.0f} ms" if row["p95"] > limit_ms else ("" if row["status"] == 200 else "not 200")
        print(
            f"| `{row['page']}` | {row['status']} | {row['first']:.1f} | {row['median']:.1f} | "
            f"{row['p95']:.1f} | {row['max']:.1f} | {flag} |"
        )


if __name__ == "__main__":
    sys.exit(main())
