"""Tests for `tidings conflicts` (tidings.serve.cli) on a store filled from invented reports."""

from __future__ import annotations

import pytest
from cli_reconcile_support import read_lines, run_cli


@pytest.mark.model
@pytest.mark.usefixtures("wide_tables")
def test_cli_conflicts_table_shows_every_side(reconcile_db: str) -> None:
    result = run_cli(reconcile_db, "conflicts")
    assert result.exit_code == 0
    for text in (
        "2 conflicts",
        "date: dates differ",
        "amount_usd: amounts differ beyond hedges",
        "2024-02-12",
        "2024-04",
        "$120 million",
        "$150 million",
        "Pamir Courier",
        "Dushanbe Daily",
        "2024-05-10",
        "Trade between Tajikistan and Pakistan reached $150 million in 2023.",
    ):
        assert text in result.stdout, text


@pytest.mark.model
def test_cli_conflicts_jsonl_gives_values_quotes_outlets_dates_and_reason(reconcile_db: str) -> None:
    rows = read_lines(run_cli(reconcile_db, "conflicts", "--kind", "trade", "--format", "jsonl"))
    (row,) = rows
    assert row["reason"] == "amounts differ beyond hedges"
    sides = {side["value"]: side for side in row["sides"]}
    assert set(sides) == {120_000_000, 150_000_000}
    assert sides[150_000_000]["reports"] == [{"doc": "dd2", "outlet": "Dushanbe Daily", "published": "2024-05-10"}]
    assert sides[120_000_000]["quotes"] == ["Trade between Tajikistan and Pakistan reached $120 million in 2023."]


@pytest.mark.model
@pytest.mark.parametrize(
    ("flags", "kinds"),
    [
        (["--kind", "designation"], ["designation"]),
        (["--kind", "deal"], []),
        (["--country", "PK"], ["trade"]),
        (["--country", "pakistan"], ["trade"]),
        (["--country", "tj"], ["designation", "trade"]),
        (["--country", "CN"], []),
    ],
)
def test_cli_conflicts_filters_by_kind_and_country(reconcile_db: str, flags: list[str], kinds: list[str]) -> None:
    result = run_cli(reconcile_db, "conflicts", *flags, "--format", "jsonl")
    assert result.exit_code == 0
    assert [row["kind"] for row in read_lines(result)] == kinds


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (
            ["--country", "XQ"],
            "Invalid value for '--country': expected a two-letter ISO 3166-1 code such as KZ (or a country name), "
            "not 'XQ'",
        ),
        (["--kind", "treaty"], "Invalid value for '--kind': 'treaty' is not one of"),
        (["--format", "csv"], "Invalid value for '--format': 'csv' is not one of"),
    ],
)
def test_cli_conflicts_rejects_bad_flags_with_exit_2(blank_db: str, flags: list[str], message: str) -> None:
    result = run_cli(blank_db, "conflicts", *flags)
    assert result.exit_code == 2
    assert message in result.stderr


def test_cli_conflicts_on_an_empty_store_prints_an_empty_table(blank_db: str) -> None:
    result = run_cli(blank_db, "conflicts")
    assert result.exit_code == 0
    assert "0 conflicts" in result.stdout
