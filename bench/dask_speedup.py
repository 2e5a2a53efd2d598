"""Measure the speed-up of distributed ingest on 2 Dask workers over 1, in one run.

Builds a corpus of at least --count reports (bench/corpus.py's generated wire
stories; with --source fixtures, the held-out fixture reports and the dev reports
copied with small changes so that every copy is a new report), reads it into
memory once, then ingests it with a local cluster of 1 worker and of 2 workers,
each time into a fresh temporary SQLite store. Cluster start-up and the model load
on every worker happen before the clock starts (the workers are warmed); the time
including them is printed too. Prints reports/s for each run, the speed-up, the
machine, and a Markdown table for BENCHMARKS.md. Not a test: the figures depend on
the machine and on what else it runs (the load average is printed).

Usage:
  python bench/dask_speedup.py [FOLDER] [--count 600] [--source generated|fixtures] [--serial]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from machine import describe_machine

from tidings.batch.distributed import ExtractSettings, ingest_on_client, open_client, warm_workers
from tidings.batch.evaluation import find_shared
from tidings.batch.runner import ingest_items
from tidings.extract.pipeline import Extractor
from tidings.ingest import iter_inputs
from tidings.model import Rejection, Report
from tidings.settings import load_settings
from tidings.store.sql import open_store

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_FOLDERS = [ROOT / "tests" / "fixtures" / "heldout" / "docs", ROOT / "tests" / "fixtures" / "heldout2" / "docs"]
# Sentence openers added to a copy so that its text (and so its report id) differs from the original's.
VARIATIONS = ["Update: ", "Earlier report: ", "From our correspondent: ", "Wire copy: ", "Follow-up: "]


@dataclass(frozen=True)
class Timing:
    """One ingest run: how many reports, the timed seconds and the seconds including start-up."""

    label: str
    reports: int
    facts: int
    seconds: float
    with_startup: float

    @property
    def rate(self) -> float:
        """Reports per second in the timed part."""
        return self.reports / self.seconds


def main() -> int:
    """Build the corpus, time 1 and 2 workers (and optionally the serial runner), print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, help="a folder of reports to ingest instead of a built corpus")
    parser.add_argument("--count", type=int, default=600, help="reports in the built corpus (default 600)")
    parser.add_argument("--source", choices=["generated", "fixtures"], default="generated")
    parser.add_argument("--serial", action="store_true", help="also time the serial runner in this process")
    args = parser.parse_args()
    settings = load_settings({})
    extract_settings = ExtractSettings.from_settings(settings)
    print(describe_machine(), flush=True)
    with tempfile.TemporaryDirectory(prefix="tidings-dask-bench-") as scratch:
        folder = args.folder or build_corpus(Path(scratch) / "corpus", args.count, source=args.source)
        items = [item for item in iter_inputs([str(folder)]) if isinstance(item, Report)]
        print(f"corpus: {len(items)} reports from {folder}", flush=True)
        timings = []
        if args.serial:
            timings.append(time_serial(items, Path(scratch), extract_settings))
        for workers in (1, 2):
            timings.append(time_workers(items, Path(scratch), extract_settings, workers=workers))
    print_results(timings)
    return 0


def build_corpus(folder: Path, count: int, *, source: str) -> Path:
    """Write at least `count` reports into `folder`: generated wire stories, or varied fixture copies."""
    if source == "generated":
        sys.path.insert(0, str(Path(__file__).parent))
        from corpus import write_corpus  # bench/corpus.py, beside this script

        write_corpus(folder, count)
        return folder
    originals = list_fixture_reports()
    folder.mkdir(parents=True)
    written = 0
    while written < count:
        for path in originals:
            copy = folder / f"{written:05d}-{path.name}"
            shutil.copy(path, copy)
            if written >= len(originals):
                vary_text(copy, written)
            written += 1
            if written >= count:
                break
    return folder


def list_fixture_reports() -> list[Path]:
    """The held-out fixture reports and, when ../shared is present, the dev reports."""
    folders = list(FIXTURE_FOLDERS)
    shared = find_shared(Path(__file__))
    if shared is not None:
        folders.append(shared / "eval" / "dev" / "docs")
    return sorted(path for folder in folders if folder.is_dir() for path in folder.glob("*.json"))


def vary_text(path: Path, index: int) -> None:
    """Make the copy's text new: prefix it with an opener and a copy number (the facts stay the same)."""
    record = json.loads(path.read_text(encoding="utf-8"))
    record["text"] = f"{VARIATIONS[index % len(VARIATIONS)]}(copy {index}) {record['text']}"
    record["id"] = f"{record.get('id', path.stem)}-{index}"
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")


def time_workers(items: list[Report], scratch: Path, settings: ExtractSettings, *, workers: int) -> Timing:
    """Ingest `items` on a fresh local cluster of `workers` processes into a fresh store."""
    store_path = scratch / f"workers-{workers}.db"
    started = time.perf_counter()
    with open_client(workers=workers) as client, open_store(f"sqlite:///{store_path}") as store:
        warm_workers(client, settings)
        warmed = time.perf_counter()
        summary = ingest_on_client(items, store, client, settings)
        finished = time.perf_counter()
    check_summary(summary.rejections, summary.read, len(items))
    timing = Timing(
        f"{workers} Dask worker{'s' if workers > 1 else ''}",
        summary.read,
        summary.facts,
        finished - warmed,
        finished - started,
    )
    print(format_timing(timing), flush=True)
    return timing


def time_serial(items: list[Report], scratch: Path, settings: ExtractSettings) -> Timing:
    """Ingest `items` with the serial runner in this process, after loading the model."""
    started = time.perf_counter()
    extractor = Extractor(model=settings.model)
    _ = extractor.nlp
    loaded = time.perf_counter()
    with open_store(f"sqlite:///{scratch / 'serial.db'}") as store:
        summary = ingest_items(items, store, extractor)
    finished = time.perf_counter()
    check_summary(summary.rejections, summary.read, len(items))
    timing = Timing("serial (no Dask)", summary.read, summary.facts, finished - loaded, finished - started)
    print(format_timing(timing), flush=True)
    return timing


def check_summary(rejections: tuple[Rejection, ...], read: int, expected: int) -> None:
    """Stop when a run did not store every report: its rate would mean nothing."""
    if rejections or read != expected:
        reasons = "; ".join(f"{r.source}: {r.reason}" for r in rejections[:3])
        raise SystemExit(f"the run stored {read} of {expected} reports ({len(rejections)} rejected: {reasons})")


def format_timing(timing: Timing) -> str:
    """One line per run."""
    return (
        f"{timing.label}: {timing.reports} reports, {timing.facts} facts in {timing.seconds:.1f} s "
        f"= {timing.rate:.1f} reports/s ({timing.with_startup:.1f} s including start-up)"
    )


def print_results(timings: list[Timing]) -> None:
    """The speed-up of 2 workers over 1 and the Markdown table."""
    by_label = {t.label: t for t in timings}
    one, two = by_label["1 Dask worker"], by_label["2 Dask workers"]
    if one.facts != two.facts:
        print(f"warning: 1 worker found {one.facts} facts, 2 workers {two.facts}")
    print(
        f"speed-up of 2 workers over 1: {two.rate / one.rate:.2f}x (with start-up: "
        f"{one.with_startup / two.with_startup:.2f}x)"
    )
    print()
    print("| run | reports | facts | seconds | reports/s | seconds with start-up |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for t in timings:
        print(f"| {t.label} | {t.reports} | {t.facts} | {t.seconds:.1f} | {t.rate:.1f} | {t.with_startup:.1f} |")
    print(
        f"\nSpeed-up of 2 workers over 1: **{two.rate / one.rate:.2f}x** ({one.with_startup / two.with_startup:.2f}x "
        "counting cluster start-up and model load)."
    )


if __name__ == "__main__":
    sys.exit(main())
