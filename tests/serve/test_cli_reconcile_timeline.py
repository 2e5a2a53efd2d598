"""Tests for `tidings timeline`: dated facts about a state in order, with their sources."""

from __future__ import annotations

import pytest
from cli_reconcile_support import read_lines, run_cli


@pytest.mark.model
@pytest.mark.parametrize(
    ("flags", "dates"),
    [
        (["--country", "TJ"], ["2006", "2022", "2023", "2024-02-12", "2024-06", "2026"]),
        (["--country", "TJ", "--partner", "PK"], ["2022", "2023", "2024-06", "2026"]),
        (["--country", "CN"], []),
    ],
)
def test_cli_timeline_lists_dated_facts_in_order(reconcile_db: str, flags: list[str], dates: list[str]) -> None:
    result = run_cli(reconcile_db, "timeline", *flags, "--format", "jsonl")
    assert result.exit_code == 0
    assert [row["date"] for row in read_lines(result)] == dates


@pytest.mark.model
def test_cli_timeline_gives_each_source(reconcile_db: str) -> None:
    rows = read_lines(run_cli(reconcile_db, "timeline", "--country", "PK", "--format", "jsonl"))
    (figure,) = [row for row in rows if row["date"] == "2023"]
    assert figure["disputed"] is True
    assert sorted((source["doc_id"], source["outlet"], source["value"]) for source in figure["sources"]) == [
        ("dd2", "Dushanbe Daily", "$150 million"),
        ("pc1", "Pamir Courier", "$120 million"),
    ]


@pytest.mark.model
@pytest.mark.usefixtures("wide_tables")
def test_cli_timeline_table_shows_sources(reconcile_db: str) -> None:
    result = run_cli(reconcile_db, "timeline", "--country", "TJ", "--partner", "PK")
    assert result.exit_code == 0
    for text in ("4 dated facts", "Indus Wire", "iw3", "$95 million"):
        assert text in result.stdout, text


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        ([], "Missing option '--country'"),
        (["--country", "TJ", "--partner", "Atlantis"], "Invalid value for '--partner'"),
    ],
)
def test_cli_timeline_rejects_bad_flags_with_exit_2(blank_db: str, flags: list[str], message: str) -> None:
    result = run_cli(blank_db, "timeline", *flags)
    assert result.exit_code == 2
    assert message in result.stderr
