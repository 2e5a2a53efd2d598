"""Tests for tidings.batch.exports: the conflict export read from a store."""

from __future__ import annotations

import io
import json

from tidings.batch.exports import write_conflicts
from tidings.model import Evidence, Fact, Report, make_fact_id, make_report_id
from tidings.store.sql import open_store


def _report(doc: str, text: str) -> Report:
    return Report(make_report_id(text), text, external_id=doc, outlet=f"Outlet {doc}", published="2022-05-01")


def _figure(report: Report, amount: float) -> Fact:
    fields = {"country": "MN", "partner": "KG", "flow": "total", "period": "2021", "amount_usd": amount}
    fields["status"] = "actual"
    fact_id = make_fact_id(report.id, "trade", fields, 0, len(report.text))
    return Fact(fact_id, report.id, "trade", fields, Evidence(report.id, 0, len(report.text), report.text), "t", "1")


def test_write_conflicts_writes_one_schema_line_per_conflict() -> None:
    first = _report("x1", "Mongolia and Kyrgyzstan traded goods worth $12 million in 2021.")
    second = _report("x2", "Goods worth $19 million crossed between Mongolia and Kyrgyzstan in 2021.")
    handle = io.StringIO()
    with open_store("sqlite://") as store:
        store.add_report(first, [_figure(first, 12e6)])
        store.add_report(second, [_figure(second, 19e6)])
        write_conflicts(store, handle)
    (line,) = handle.getvalue().splitlines()
    row = json.loads(line)
    assert list(row) == ["kind", "key", "field", "docs"]
    assert (row["kind"], row["field"], sorted(row["docs"])) == ("trade", "amount_usd", ["x1", "x2"])


def test_write_conflicts_writes_nothing_for_an_empty_store() -> None:
    handle = io.StringIO()
    with open_store("sqlite://") as store:
        write_conflicts(store, handle)
    assert handle.getvalue() == ""
