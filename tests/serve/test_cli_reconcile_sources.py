"""Tests for `tidings sources`: per-outlet facts, agreement with the consensus and copies."""

from __future__ import annotations

import pytest
from cli_reconcile_support import read_lines, run_cli


@pytest.mark.model
def test_cli_sources_counts_per_outlet(reconcile_db: str) -> None:
    result = run_cli(reconcile_db, "sources", "--format", "jsonl")
    assert result.exit_code == 0
    rows = {row["outlet"]: row for row in read_lines(result)}
    assert {name: (row["reports"], row["facts"], row["compared"], row["copies"]) for name, row in rows.items()} == {
        "Pamir Courier": (2, 4, 2, 0),
        "Dushanbe Daily": (1, 2, 2, 0),
        "Indus Wire": (1, 2, 0, 0),
    }
    # Each of the two disputed facts has one consensus side, held by one of the two outlets.
    assert rows["Pamir Courier"]["agreed"] + rows["Dushanbe Daily"]["agreed"] == 2
    assert rows["Indus Wire"]["agreement"] is None
    assert rows["Pamir Courier"]["doc_ids"] == ["pc1", "pc4"]


@pytest.mark.model
@pytest.mark.usefixtures("wide_tables")
def test_cli_sources_table_lists_outlets(reconcile_db: str) -> None:
    result = run_cli(reconcile_db, "sources")
    assert result.exit_code == 0
    for text in ("3 outlets", "Pamir Courier", "Dushanbe Daily", "Indus Wire", "agreement"):
        assert text in result.stdout, text


def test_cli_sources_of_an_empty_store_lists_none(blank_db: str) -> None:
    result = run_cli(blank_db, "sources", "--format", "jsonl")
    assert (result.exit_code, result.stdout) == (0, "")
