"""Quality gate: the whole pipeline on ../shared/eval/dev, scored by the evaluation's own scorer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tidings.batch.evaluation import find_shared, predict, score
from tidings.batch.exports import write_conflicts

SHARED = find_shared(Path(__file__))
FLOORS = json.loads((Path(__file__).parent / "floors.json").read_text())

pytestmark = [
    pytest.mark.quality,
    pytest.mark.model,
    pytest.mark.skipif(SHARED is None, reason="../shared/eval is not beside the repository: no dev set to score"),
]


@pytest.fixture(scope="module")
def dev_scores(tmp_path_factory: pytest.TempPathFactory) -> dict:
    assert SHARED is not None
    dev = SHARED / "eval" / "dev"
    facts, conflicts = predict(dev / "docs", tmp_path_factory.mktemp("dev"), write_conflicts=write_conflicts)
    return score(
        SHARED / "eval" / "score.py",
        dev / "gold.jsonl",
        facts,
        conflicts_gold=dev / "conflicts.jsonl" if conflicts else None,
        conflicts=conflicts,
    )


@pytest.mark.parametrize("kind", ["overall", "designation", "trade", "deal", "diplomatic"])
def test_dev_quality_f1_at_or_above_floor(dev_scores: dict, kind: str) -> None:
    f1 = dev_scores["facts"][kind]["f1"]
    assert f1 >= FLOORS[kind], f"{kind} F1 {f1} fell below its floor {FLOORS[kind]}: {dev_scores['facts'][kind]}"


def test_dev_quality_conflicts_at_or_above_floor(dev_scores: dict) -> None:
    if "conflicts" not in FLOORS:
        pytest.skip("no conflict floor pinned yet")
    assert dev_scores["conflicts"]["f1"] >= FLOORS["conflicts"], dev_scores.get("conflicts")
