"""Score the pipeline on an evaluation set (default ../shared/eval/dev) and print the scorer's table.

Usage:
  python bench/score_dev.py [--set dev|heldout|heldout2|heldout3] [--show-misses] [--keep DIR]
  python bench/score_dev.py --docs DIR --gold FILE [--conflicts-gold FILE]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from tidings.batch.evaluation import eval_sets, find_shared, predict


def main() -> int:
    shared = find_shared(Path(__file__))
    sets = eval_sets(Path(__file__).resolve().parents[1])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=sorted(sets), default="dev", help="a named evaluation set")
    parser.add_argument("--docs", type=Path, help="a folder of report records (instead of --set)")
    parser.add_argument("--gold", type=Path)
    parser.add_argument("--conflicts-gold", type=Path)
    parser.add_argument("--show-misses", action="store_true")
    parser.add_argument("--keep", type=Path, help="copy the exported predictions into this folder")
    args = parser.parse_args()
    if shared is None:
        print("../shared/eval/score.py not found beside the repository", file=sys.stderr)
        return 2
    if args.docs:
        docs, gold, conflicts_gold = args.docs, args.gold, args.conflicts_gold
    else:
        docs, gold, conflicts_gold = sets[args.set].docs, sets[args.set].gold, sets[args.set].conflicts
    with tempfile.TemporaryDirectory() as tmp:
        prediction = predict(docs, Path(tmp))
        for rejection in prediction.summary.rejections:
            print(f"rejected {rejection.source}: {rejection.reason}", file=sys.stderr)
        command = [
            sys.executable,
            str(shared / "eval" / "score.py"),
            "--gold",
            str(gold),
            "--pred",
            str(prediction.facts),
        ]
        if prediction.conflicts and conflicts_gold and conflicts_gold.exists():
            command += ["--conflicts-gold", str(conflicts_gold), "--conflicts-pred", str(prediction.conflicts)]
        if args.show_misses:
            command.append("--show-misses")
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            shutil.copy(prediction.facts, args.keep / "facts.jsonl")
            if prediction.conflicts:
                shutil.copy(prediction.conflicts, args.keep / "conflicts.jsonl")
        return subprocess.call(command)


if __name__ == "__main__":
    sys.exit(main())
