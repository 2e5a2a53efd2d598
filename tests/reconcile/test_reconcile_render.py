"""Tests for tidings.reconcile.render: the SCHEMA export and JSON-ready views."""

from __future__ import annotations

import json

from reconcile_factories import make_fact, make_report, trade

from tidings.reconcile import Reconciliation, build_timeline, compute_source_stats, reconcile, state_as_of
from tidings.reconcile.render import (
    conflict_rows,
    export_conflict,
    render_conflict,
    render_fact_support,
    render_group,
    render_independence,
    render_sources,
    render_state,
    render_timeline,
    state_rows,
    timeline_rows,
)


def _result() -> Reconciliation:
    first = make_report("a", text="It said $5 million.", outlet="Valley Post", published="2020-02-01")
    second = make_report("b", outlet="East Times", published="2020-03-01")
    third = make_report("c")
    facts = [
        trade(first, 5e6, period="2019", flow="import", quote="It said $5 million."),
        trade(second, 9e6, period="2019", flow="import", hedge="about"),
        trade(third, 9e6, flow="import"),
        make_fact(first, "designation", country="TJ", organization="Red Banner", action="delisted", date="2019-05"),
        make_fact(second, "designation", country="TJ", organization="Red Banner", action="delisted", date=None),
    ]
    return reconcile([first, second, third], facts)


def test_export_conflict_has_exactly_the_schema_shape() -> None:
    (conflict,) = _result().conflicts
    assert export_conflict(conflict) == {
        "kind": "trade",
        "key": {"country": "TJ", "partner": "CN", "flow": "import", "period": "2019", "status": "actual"},
        "field": "amount_usd",
        "docs": ["b", "c", "a"],
    }


def test_export_conflict_key_leaves_out_unknown_fields() -> None:
    first, second = make_report("x"), make_report("y")
    facts = [
        make_fact(first, "diplomatic", country="TJ", partner=None, action="recognize", date="2020-01"),
        make_fact(second, "diplomatic", country="TJ", partner=None, action="recognize", date="2020-06"),
    ]
    (conflict,) = reconcile([first, second], facts).conflicts
    assert export_conflict(conflict)["key"] == {"country": "TJ", "action": "recognize"}


def test_render_conflict_shows_quotes_outlets_and_dates() -> None:
    rendered = render_conflict(_result().conflicts[0])
    side = next(side for side in rendered["sides"] if side["docs"] == ["a"])
    assert side["value_text"] == "$5 million"
    assert side["reports"] == [{"doc": "a", "outlet": "Valley Post", "published": "2020-02-01"}]
    assert side["quotes"] == ["It said $5 million."]
    assert rendered["reason"] == "amounts differ beyond hedges"


def test_conflict_rows_give_one_row_per_report_and_side() -> None:
    rows = conflict_rows(_result().conflicts)
    assert [(row["side"], row["doc"], row["value"]) for row in rows] == [
        ("1", "b", "about $9 million"),
        ("1", "c", "$9 million"),
        ("2", "a", "$5 million"),
    ]
    assert rows[2]["quote"] == "It said $5 million."


def test_renderers_return_json_ready_data() -> None:
    result = _result()
    views = [
        [render_group(group) for group in result.groups],
        render_state(state_as_of(result, "2020-06-01")),
        state_rows(state_as_of(result, "2020-06-01")),
        render_timeline(build_timeline(result, "TJ")),
        timeline_rows(build_timeline(result, "TJ")),
        render_sources(compute_source_stats(result)),
        render_independence(result),
        render_fact_support(result),
    ]
    for view in views:
        assert json.loads(json.dumps(view)) == view


def test_render_fact_support_counts_independent_sources_per_value() -> None:
    rows = {row["doc"]: row for row in render_fact_support(_result()) if row["kind"] == "trade"}
    assert rows["b"]["support"] == {"amount_usd": 2}
    assert rows["a"]["support"] == {"amount_usd": 1}
    assert (rows["a"]["agrees_with_consensus"], rows["b"]["agrees_with_consensus"]) == (False, True)
