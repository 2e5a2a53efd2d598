"""Tests for tidings.reconcile.sources: per-outlet agreement with the consensus and copies."""

from __future__ import annotations

from reconcile_factories import make_report, trade

from tidings.reconcile import compute_source_stats, reconcile
from tidings.reconcile.sources import judge_fact

ARTICLE = (
    "Dushanbe and Beijing agreed on Monday to widen the mountain road that links the two capitals, the "
    "transport ministry said. Engineers will add a second lane along ninety kilometres of the route and "
    "rebuild four bridges that were damaged by spring floods last year, officials said at a briefing."
)


def test_compute_source_stats_scores_outlets_against_consensus() -> None:
    first = make_report("a", text=ARTICLE, outlet="Valley Post", published="2021-01-05")
    copy = make_report("b", text="(Wire) " + ARTICLE, outlet="Wire Digest", published="2021-01-06")
    other = make_report("c", outlet="East Times")
    odd = make_report("d", outlet="Capital Wire")
    lone = make_report("e")
    facts = [
        trade(first, 5e8, period="2020"),
        trade(copy, 5e8, period="2020"),
        trade(other, 5e8, period="2020"),
        trade(odd, 8e8, period="2020"),
        trade(lone, 1e6, period="2011"),
    ]
    result = reconcile([first, copy, other, odd, lone], facts)
    stats = {each.outlet: each for each in compute_source_stats(result)}
    assert (stats["Valley Post"].agreed, stats["Valley Post"].compared, stats["Valley Post"].copies) == (1, 1, 0)
    assert (stats["Wire Digest"].agreement, stats["Wire Digest"].copies) == (1.0, 1)
    assert (stats["Capital Wire"].agreed, stats["Capital Wire"].agreement) == (0, 0.0)
    assert (stats[None].facts, stats[None].compared, stats[None].agreement) == (1, 0, None)


def test_judge_fact_is_none_without_another_report() -> None:
    report = make_report("a")
    fact = trade(report, 5e8, period="2020")
    assert judge_fact(fact, reconcile([report], [fact])) is None
