"""Quality gate: the whole pipeline on each evaluation set, scored by shared/eval's own scorer.

Sets: `dev` (../shared/eval/dev, real reports) and the repository's own held-out sets
(tests/fixtures/heldout, heldout2, heldout3: reports written for this project, annotated by the
same conventions). Floors are pinned per set and kind in floors.json.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tidings.batch.evaluation import eval_sets, find_shared, predict, score

REPO = Path(__file__).resolve().parents[2]
SHARED = find_shared(Path(__file__))
SETS = eval_sets(REPO)
FLOORS: dict[str, dict[str, float]] = json.loads((Path(__file__).parent / "floors.json").read_text())["floors"]
KINDS = ("overall", "designation", "trade", "deal", "diplomatic")

pytestmark = [
    pytest.mark.quality,
    pytest.mark.model,
    pytest.mark.skipif(
        SHARED is None, reason="../shared/eval/score.py is not beside the repository: nothing to score with"
    ),
]


@pytest.fixture(scope="module", params=sorted(FLOORS))
def scored(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, Any], Any]:
    name = request.param
    if name not in SETS:
        pytest.skip(f"evaluation set {name!r} is not here (dev needs ../shared/eval/dev)")
    assert SHARED is not None
    chosen = SETS[name]
    prediction = predict(chosen.docs, tmp_path_factory.mktemp(name))
    result = score(
        SHARED / "eval" / "score.py",
        chosen.gold,
        prediction.facts,
        conflicts_gold=chosen.conflicts if chosen.conflicts.exists() else None,
        conflicts=prediction.conflicts,
    )
    return name, result, prediction.summary


def test_quality_pipeline_rejects_no_evaluation_report(scored: tuple[str, dict[str, Any], Any]) -> None:
    name, _result, summary = scored
    assert summary.rejected == 0, f"{name}: {[r.reason for r in summary.rejections]}"


@pytest.mark.parametrize("kind", KINDS)
def test_quality_f1_at_or_above_floor(scored: tuple[str, dict[str, Any], Any], kind: str) -> None:
    name, result, _summary = scored
    f1, floor = result["facts"][kind]["f1"], FLOORS[name][kind]
    assert f1 >= floor, f"{name} {kind} F1 {f1} fell below its floor {floor}: {result['facts'][kind]}"


def test_quality_conflicts_at_or_above_floor(scored: tuple[str, dict[str, Any], Any]) -> None:
    name, result, _summary = scored
    floor = FLOORS[name].get("conflicts")
    if floor is None or "conflicts" not in result:
        pytest.skip(f"{name}: no conflict floor pinned or no gold conflicts")
    assert result["conflicts"]["f1"] >= floor, f"{name}: {result['conflicts']}"
