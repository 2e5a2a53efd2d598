"""Score the pipeline on shared/eval/dev (or another set in the same layout) and print the scorer's table.

Usage: python bench/score_dev.py [--docs DIR --gold FILE --conflicts-gold FILE] [--show-misses]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from tidings.batch.evaluation import find_shared, predict
from tidings.batch.exports import write_conflicts


def main() -> int:
    shared = find_shared(Path(__file__))
    dev = shared / "eval" / "dev" if shared else None
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=Path, default=dev / "docs" if dev else None)
    parser.add_argument("--gold", type=Path, default=dev / "gold.jsonl" if dev else None)
    parser.add_argument("--conflicts-gold", type=Path, default=dev / "conflicts.jsonl" if dev else None)
    parser.add_argument("--show-misses", action="store_true")
    parser.add_argument("--keep", type=Path, help="copy the exported predictions into this folder")
    args = parser.parse_args()
    if shared is None or args.docs is None:
        print("../shared/eval not found beside the repository", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        facts, conflicts = predict(args.docs, Path(tmp), write_conflicts=write_conflicts)
        command = [sys.executable, str(shared / "eval" / "score.py"), "--gold", str(args.gold), "--pred", str(facts)]
        if conflicts and args.conflicts_gold and args.conflicts_gold.exists():
            command += ["--conflicts-gold", str(args.conflicts_gold), "--conflicts-pred", str(conflicts)]
        if args.show_misses:
            command.append("--show-misses")
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            (args.keep / "facts.jsonl").write_text(facts.read_text())
            if conflicts:
                (args.keep / "conflicts.jsonl").write_text(conflicts.read_text())
        return subprocess.call(command)


if __name__ == "__main__":
    sys.exit(main())
