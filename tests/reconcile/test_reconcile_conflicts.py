"""Tests for tidings.reconcile.conflicts: both sides, with quotes, outlets, dates and a reason."""

from __future__ import annotations

from reconcile_factories import make_fact, make_report, trade

from tidings.reconcile import reconcile
from tidings.reconcile.compare import REASON_AMOUNT

TEXT_A = "Officials in the east said trade last year came to $410 million, up a third."
TEXT_B = "A ministry statement put last year's turnover at nearly $3 billion."


def test_find_conflicts_carries_both_sides() -> None:
    first = make_report("ca", text=TEXT_A, outlet="East Times", published="2021-02-03")
    second = make_report("cb", text=TEXT_B, outlet="Capital Wire", published="2021-02-05")
    facts = [
        trade(first, 410e6, period="2020", quote="trade last year came to $410 million", according_to="CN"),
        trade(second, 3e9, period="2020", hedge="nearly", quote="turnover at nearly $3 billion"),
    ]
    (conflict,) = reconcile([first, second], facts).conflicts
    assert (conflict.kind, conflict.field, conflict.reason) == ("trade", "amount_usd", REASON_AMOUNT)
    assert conflict.key == {"country": "TJ", "partner": "CN", "flow": "total", "period": "2020", "status": "actual"}
    exact, hedged = conflict.sides
    assert (exact.value, exact.hedge, exact.according_to) == (410e6, None, ("CN",))
    assert (hedged.value, hedged.hedge) == (3e9, "nearly")
    assert exact.outlets == ("East Times",) and hedged.outlets == ("Capital Wire",)
    assert exact.published == ("2021-02-03",) and hedged.published == ("2021-02-05",)
    assert exact.quotes == ("trade last year came to $410 million",)
    assert hedged.fact_doc_ids == ("cb",)
    assert conflict.doc_ids == ("ca", "cb")
    assert conflict.independent is True
    assert conflict.detail == "$410 million according to CN (ca) vs nearly $3 billion (cb)"


def test_find_conflicts_needs_two_reports() -> None:
    report = make_report("solo")
    facts = [
        make_fact(report, "deal", country="TJ", partner="CN", amount_usd=5e6, date="2020-03", quote="a"),
        make_fact(report, "deal", country="TJ", partner="CN", amount_usd=9e6, date="2020-03", quote="b"),
    ]
    assert reconcile([report], facts).conflicts == ()


def test_find_conflicts_lists_a_report_on_two_sides_once_per_side() -> None:
    both, other = make_report("two"), make_report("one")
    facts = [
        make_fact(both, "deal", country="TJ", partner="CN", amount_usd=5e6, date="2020-03", quote="a"),
        make_fact(both, "deal", country="TJ", partner="CN", amount_usd=9e6, date="2020-03", quote="b"),
        make_fact(other, "deal", country="TJ", partner="CN", amount_usd=9e6, date="2020-03"),
    ]
    (conflict,) = reconcile([both, other], facts).conflicts
    assert set(conflict.doc_ids) == {"two", "one"}
    assert [len(side.fact_ids) for side in conflict.sides] == [2, 1]


def test_find_conflicts_ids_are_stable() -> None:
    first, second = make_report("x1"), make_report("x2")
    facts = [trade(first, 1e6, period="2020"), trade(second, 2e6, period="2020")]
    assert reconcile([first, second], facts).conflicts[0].id == reconcile([second, first], facts[::-1]).conflicts[0].id
