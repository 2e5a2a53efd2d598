"""Tests for `tidings state`: designations, steps, figures and targets as of a date."""

from __future__ import annotations

from typing import Any

import pytest
from cli_reconcile_support import read_lines, run_cli


def _snapshot(db: str, *flags: str) -> dict[str, Any]:
    result = run_cli(db, "state", *flags, "--format", "jsonl")
    assert result.exit_code == 0, result.output
    (snapshot,) = read_lines(result)
    return snapshot


@pytest.mark.model
@pytest.mark.parametrize(
    ("as_of", "designations"),
    [
        ("2005", []),
        ("2024-01-01", [("Taliban", "listed", "2006")]),
        ("2024-06-01", [("Taliban", "delisted", "2024-02-12")]),
    ],
)
def test_cli_state_follows_the_designation(
    reconcile_db: str, as_of: str, designations: list[tuple[str, str, str]]
) -> None:
    snapshot = _snapshot(reconcile_db, "--as-of", as_of, "--country", "TJ")
    assert [
        (row["key"]["organization"], row["status"], row["date"]) for row in snapshot["designations"]
    ] == designations


@pytest.mark.model
def test_cli_state_shows_steps_figures_and_targets(reconcile_db: str) -> None:
    snapshot = _snapshot(reconcile_db, "--as-of", "2024-08-01")
    assert [row["key"]["action"] for row in snapshot["diplomatic"]] == ["accredit_envoy"]
    assert [(row["date"], row["disputed"]) for row in snapshot["trade"]] == [("2023", True)]
    assert [(row["date"], row["value"]) for row in snapshot["targets"]] == [("2026", 500_000_000)]


@pytest.mark.model
def test_cli_state_known_by_keeps_only_what_had_been_reported(reconcile_db: str) -> None:
    # The 2023 figure stands from March 2024 (counted), but was first reported later that March.
    assert [row["date"] for row in _snapshot(reconcile_db, "--as-of", "2024-03-01")["trade"]] == ["2023"]
    known = _snapshot(reconcile_db, "--as-of", "2024-03-01", "--known-by", "2024-03-01")
    assert [row["date"] for row in known["trade"]] == ["2022"]
    assert known["known_by"] == "2024-03-01"


@pytest.mark.model
def test_cli_state_country_filter_leaves_out_other_states(reconcile_db: str) -> None:
    snapshot = _snapshot(reconcile_db, "--as-of", "2024-08-01", "--country", "CN")
    assert [snapshot[name] for name in ("designations", "diplomatic", "trade", "targets")] == [[], [], [], []]


@pytest.mark.model
@pytest.mark.usefixtures("wide_tables")
def test_cli_state_table_names_the_date_and_the_facts(reconcile_db: str) -> None:
    result = run_cli(reconcile_db, "state", "--as-of", "2024-06-01", "--country", "TJ")
    assert result.exit_code == 0
    for text in ("State as of 2024-06-01 for TJ", "TJ Taliban delisted", "2024-02-12", "PK-TJ total 2023 actual"):
        assert text in result.stdout, text


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (
            ["--as-of", "2024-13-01"],
            "Invalid value for '--as-of': expected an ISO date like 2023-12-01, 2023-12 or 2023, not '2024-13-01'",
        ),
        (
            ["--as-of", "yesterday"],
            "Invalid value for '--as-of': expected an ISO date like 2023-12-01, 2023-12 or 2023, not 'yesterday'",
        ),
        (
            ["--as-of", "2024-02-01", "--known-by", "2024-02-30"],
            "Invalid value for '--known-by': expected an ISO date like 2023-12-01, 2023-12 or 2023, not '2024-02-30'",
        ),
        ([], "Missing option '--as-of'"),
    ],
)
def test_cli_state_rejects_bad_dates_with_exit_2(blank_db: str, flags: list[str], message: str) -> None:
    result = run_cli(blank_db, "state", *flags)
    assert result.exit_code == 2
    assert message in result.stderr


def test_cli_state_of_an_empty_store_is_empty(blank_db: str) -> None:
    snapshot = _snapshot(blank_db, "--as-of", "2024")
    assert (snapshot["as_of"], snapshot["designations"], snapshot["trade"]) == ("2024", [], [])
