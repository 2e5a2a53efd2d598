"""Tests for `tidings export conflicts`: the SCHEMA.md conflict lines, on stdout or in a file."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_reconcile_support import read_lines, run_cli


@pytest.mark.model
def test_cli_export_conflicts_writes_the_schema_shape(reconcile_db: str) -> None:
    result = run_cli(reconcile_db, "export", "conflicts", "--format", "jsonl")
    assert result.exit_code == 0
    rows = read_lines(result)
    assert [list(row) for row in rows] == [["kind", "key", "field", "docs"]] * 2
    assert [(row["kind"], row["key"], row["field"], sorted(row["docs"])) for row in rows] == [
        ("designation", {"country": "TJ", "organization": "Taliban", "action": "delisted"}, "date", ["dd2", "pc1"]),
        (
            "trade",
            {"country": "PK", "partner": "TJ", "flow": "total", "period": "2023", "status": "actual"},
            "amount_usd",
            ["dd2", "pc1"],
        ),
    ]


@pytest.mark.model
def test_cli_export_conflicts_to_a_file_matches_stdout(reconcile_db: str, tmp_path: Path) -> None:
    target = tmp_path / "conflicts.jsonl"
    result = run_cli(reconcile_db, "export", "conflicts", "-o", str(target))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert target.read_text(encoding="utf-8") == run_cli(reconcile_db, "export", "conflicts").stdout


def test_cli_export_conflicts_of_an_empty_store_is_empty(blank_db: str) -> None:
    result = run_cli(blank_db, "export", "conflicts")
    assert (result.exit_code, result.stdout) == (0, "")


def test_cli_export_conflicts_knows_only_jsonl(blank_db: str) -> None:
    result = run_cli(blank_db, "export", "conflicts", "--format", "table")
    assert result.exit_code == 2
    assert "Invalid value for '--format': 'table' is not 'jsonl'." in result.stderr
