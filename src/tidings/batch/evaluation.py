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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tidings.batch.exports import write_conflicts, write_schema_facts
from tidings.batch.runner import ingest_paths
from tidings.extract.pipeline import Extractor
from tidings.model import IngestSummary
from tidings.store.sql import open_store


def find_shared(start: Path | None = None) -> Path | None:
    """The `shared` folder beside the repository, if present."""
    here = (start or Path(__file__)).resolve()
    for parent in here.parents:
        candidate = parent.parent / "shared"
        if (candidate / "eval" / "score.py").is_file() and (parent / "pyproject.toml").is_file():
            return candidate
    return None


@dataclass(frozen=True)
class Prediction:
    """What `predict` wrote, and what the ingest did (rejections mean the pipeline failed somewhere)."""

    facts: Path
    conflicts: Path | None
    summary: IngestSummary


@dataclass(frozen=True)
class EvalSet:
    """An evaluation set in shared/eval's layout: report records, gold facts, gold conflicts."""

    docs: Path
    gold: Path
    conflicts: Path


def eval_sets(repo: Path) -> dict[str, EvalSet]:
    """The evaluation sets at hand: the shared dev set (when beside the repo) and the repo's held-out sets."""
    found: dict[str, EvalSet] = {}
    shared = find_shared(repo / "pyproject.toml")
    roots = {"dev": shared / "eval" / "dev"} if shared else {}
    roots |= {name: repo / "tests" / "fixtures" / name for name in ("heldout", "heldout2", "heldout3")}
    for name, root in roots.items():
        if (root / "gold.jsonl").is_file():
            found[name] = EvalSet(root / "docs", root / "gold.jsonl", root / "conflicts.jsonl")
    return found


def predict(docs: Path, workdir: Path, *, extractor: Extractor | None = None, conflicts: bool = True) -> Prediction:
    """Ingest `docs` into a store in `workdir` and export facts (and conflicts) as JSON Lines."""
    facts_path, conflicts_path = workdir / "facts.jsonl", workdir / "conflicts.jsonl"
    with open_store(f"sqlite:///{workdir / 'eval.db'}") as store:
        summary = ingest_paths([str(docs)], store, extractor or Extractor())
        with facts_path.open("w", encoding="utf-8") as handle:
            write_schema_facts(store.iter_fact_report_pairs(), handle)
        if not conflicts:
            return Prediction(facts_path, None, summary)
        with conflicts_path.open("w", encoding="utf-8") as handle:
            write_conflicts(store, handle)
    return Prediction(facts_path, conflicts_path, summary)


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
