"""Tests for `tidings groups`: fact groups with their consensus and per-value independent support."""

from __future__ import annotations

import pytest
from cli_reconcile_support import read_lines, run_cli


@pytest.mark.model
def test_cli_groups_give_each_value_its_support(reconcile_db: str) -> None:
    rows = read_lines(run_cli(reconcile_db, "groups", "--kind", "trade", "--format", "jsonl"))
    (figure,) = [row for row in rows if row["key"].get("period") == "2023"]
    assert figure["disputed"] is True
    assert sorted((side["value"], side["support"], side["docs"]) for side in figure["sides"]["amount_usd"]) == [
        (120_000_000, 1, ["pc1"]),
        (150_000_000, 1, ["dd2"]),
    ]
    assert figure["support"] == 2


@pytest.mark.model
@pytest.mark.parametrize(
    ("flags", "keys"),
    [
        (["--kind", "diplomatic"], [{"country": "TJ", "partner": "PK", "action": "accredit_envoy"}]),
        (["--kind", "designation", "--country", "PK"], []),
        (["--kind", "deal"], []),
    ],
)
def test_cli_groups_filter_by_kind_and_country(reconcile_db: str, flags: list[str], keys: list[dict[str, str]]) -> None:
    result = run_cli(reconcile_db, "groups", *flags, "--format", "jsonl")
    assert result.exit_code == 0
    assert [row["key"] for row in read_lines(result)] == keys


@pytest.mark.model
@pytest.mark.usefixtures("wide_tables")
def test_cli_groups_table_shows_consensus_and_support(reconcile_db: str) -> None:
    result = run_cli(reconcile_db, "groups", "--country", "TJ")
    assert result.exit_code == 0
    for text in ("6 fact groups", "designation TJ Taliban delisted", "date=2024-02-12", "$150 million x1 (dd2)"):
        assert text in result.stdout, text
