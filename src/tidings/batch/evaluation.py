"""Batch: score the whole pipeline on an evaluation set (shared/eval's layout).

A folder of JSON report records, a gold file and the scorer in; the scorer's
JSON out. Reports are ingested into a fresh store exactly as `tidings ingest`
would, exported as `tidings export facts` would, and scored by the evaluation's
own score.py, so the figures are the ones a user would see.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from tidings.batch.runner import ingest_paths
from tidings.extract.pipeline import Extractor
from tidings.model import is_schema_fact, to_schema_row
from tidings.store.sql import SqlStore, open_store

ConflictWriter = Callable[[SqlStore, IO[str]], None]


def find_shared(start: Path | None = None) -> Path | None:
    """The `shared` folder beside the repository, if present."""
    here = (start or Path(__file__)).resolve()
    for parent in here.parents:
        candidate = parent.parent / "shared"
        if (candidate / "eval" / "score.py").is_file() and (parent / "pyproject.toml").is_file():
            return candidate
    return None


def predict(
    docs: Path,
    workdir: Path,
    *,
    extractor: Extractor | None = None,
    write_conflicts: ConflictWriter | None = None,
) -> tuple[Path, Path | None]:
    """Ingest `docs` into a store in `workdir` and export facts (and conflicts) as JSON Lines."""
    facts_path, conflicts_path = workdir / "facts.jsonl", workdir / "conflicts.jsonl"
    with open_store(f"sqlite:///{workdir / 'eval.db'}") as store:
        ingest_paths([str(docs)], store, extractor or Extractor())
        with facts_path.open("w", encoding="utf-8") as handle:
            for fact, report in store.iter_fact_report_pairs():
                if is_schema_fact(fact):
                    handle.write(json.dumps(to_schema_row(fact, report), ensure_ascii=False) + "\n")
        if write_conflicts is None:
            return facts_path, None
        with conflicts_path.open("w", encoding="utf-8") as handle:
            write_conflicts(store, handle)
    return facts_path, conflicts_path


def score(
    scorer: Path, gold: Path, facts: Path, *, conflicts_gold: Path | None = None, conflicts: Path | None = None
) -> dict[str, Any]:
    """Run score.py --json and return its result."""
    command = [sys.executable, str(scorer), "--gold", str(gold), "--pred", str(facts), "--json"]
    if conflicts_gold and conflicts:
        command += ["--conflicts-gold", str(conflicts_gold), "--conflicts-pred", str(conflicts)]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    parsed: dict[str, Any] = json.loads(result.stdout)
    return parsed
