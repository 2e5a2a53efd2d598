"""Reconcile the dev set's gold facts and score the conflicts with shared/eval/score.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from reconcile_gold_facts import DEV_DIR, reconcile_dev, score

from tidings.reconcile import Reconciliation, state_as_of

pytestmark = [
    pytest.mark.quality,
    pytest.mark.skipif(not (DEV_DIR / "gold.jsonl").exists(), reason="shared/eval/dev is not next to the repo"),
]

# Conflict F1 on gold facts; real extracted facts are noisier, so the quality gate for the
# whole pipeline pins its own floor.
CONFLICT_F1_FLOOR = 0.9


@pytest.fixture(scope="module")
def dev() -> Reconciliation:
    return reconcile_dev()


def test_reconcile_gold_conflicts_score(dev: Reconciliation, tmp_path: Path) -> None:
    scores = score(dev, DEV_DIR / "gold.jsonl", conflicts_gold=DEV_DIR / "conflicts.jsonl", workdir=tmp_path)
    assert scores["conflicts"]["f1"] >= CONFLICT_F1_FLOOR
    # The facts are the gold itself; one gold line appears twice (d14) and is one Fact here.
    assert scores["facts"]["overall"]["f1"] >= 0.99


def test_reconcile_gold_kz_designations_change_with_the_delisting(dev: Reconciliation) -> None:
    before = state_as_of(dev, "2023-12-01", country="KZ")
    after = state_as_of(dev, "2024-02-01", country="KZ")
    assert [(e.key["organization"], e.status, e.date) for e in before.designations] == [("Taliban", "listed", "2005")]
    assert [(e.key["organization"], e.status, e.date) for e in after.designations] == [
        ("Taliban", "delisted", "2023-12-29")
    ]


def test_reconcile_gold_kz_diplomacy_and_targets_do_not_change(dev: Reconciliation) -> None:
    before = state_as_of(dev, "2023-12-01", country="KZ")
    after = state_as_of(dev, "2024-02-01", country="KZ")
    assert before.diplomatic == after.diplomatic
    assert before.targets == after.targets


def test_reconcile_gold_kz_trade_moves_on_once_2023_was_counted(dev: Reconciliation) -> None:
    before = state_as_of(dev, "2023-12-01", country="KZ")
    february = state_as_of(dev, "2024-02-01", country="KZ")
    march = state_as_of(dev, "2024-03-01", country="KZ")
    assert {entry.date for entry in before.trade} == {"2022"}
    assert {entry.date for entry in february.trade} == {"2022"}
    assert {entry.date for entry in march.trade} == {"2023"}
    known = state_as_of(dev, "2024-03-01", country="KZ", known_by="2024-03-01")
    assert {entry.date for entry in known.trade} == {"2022"}
