"""Tests for tidings.reconcile.export: conflicts in the SCHEMA.md line shape."""

from __future__ import annotations

from reconcile_factories import make_report, trade

from tidings.reconcile.export import iter_conflict_rows


def test_iter_conflict_rows_gives_the_schema_shape() -> None:
    first, second = make_report("n1", published="2021-02-01"), make_report("n2", published="2021-03-01")
    facts = [trade(first, 41e6, period="2020"), trade(second, 58e6, period="2020")]
    assert list(iter_conflict_rows([first, second], facts)) == [
        {
            "kind": "trade",
            "key": {"country": "TJ", "partner": "CN", "flow": "total", "period": "2020", "status": "actual"},
            "field": "amount_usd",
            "docs": ["n1", "n2"],
        }
    ]


def test_iter_conflict_rows_is_empty_when_reports_agree() -> None:
    first, second = make_report("n1"), make_report("n2")
    facts = [trade(first, 41e6, period="2020"), trade(second, 41.2e6, period="2020")]
    assert list(iter_conflict_rows([first, second], facts)) == []
