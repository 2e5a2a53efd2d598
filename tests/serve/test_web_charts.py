"""Tests for the SVG chart geometry: tidings.serve.web.scales, timeline_chart and trade_chart."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tidings.serve.web.scales import format_money, make_money_scale, make_time_scale, to_month_range
from tidings.serve.web.timeline_chart import PLOT_LEFT, PLOT_RIGHT, TimelineItem, build_timeline_chart
from tidings.serve.web.trade_chart import ConsensusSpan, TradePoint, build_trade_panels

YEAR_2023 = 2023 * 12


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2023", (YEAR_2023, YEAR_2023 + 12)),
        ("2023-12", (YEAR_2023 + 11, YEAR_2023 + 12)),
        ("2023-01/2023-06", (YEAR_2023, YEAR_2023 + 6)),
        ("2024/2025", (YEAR_2023 + 12, YEAR_2023 + 36)),
        ("2023-12-29", (YEAR_2023 + 11 + 28 / 31, YEAR_2023 + 11 + 29 / 31)),
        ("2024/2023", None),
        ("last year", None),
        (None, None),
    ],
)
def test_to_month_range_keeps_the_precision(value: str | None, expected: tuple[float, float] | None) -> None:
    assert to_month_range(value) == expected


@pytest.mark.parametrize(
    ("amount", "expected"),
    [(0.0, "$0"), (950.0, "$950"), (20_000.0, "$20K"), (316_600_000.0, "$316.6M"), (1.5e9, "$1.5B")],
)
def test_format_money_is_compact(amount: float, expected: str) -> None:
    assert format_money(amount) == expected


@given(st.lists(st.floats(min_value=1, max_value=1e13), min_size=1, max_size=10))
def test_make_money_scale_covers_every_amount_in_few_ticks(amounts: list[float]) -> None:
    scale = make_money_scale(amounts, top=0, bottom=100)
    assert scale.maximum >= max(amounts)
    assert 2 <= len(scale.list_ticks()) <= 7
    assert scale.to_y(0) == 100


def test_make_money_scale_ignores_open_ranges() -> None:
    assert make_money_scale([math.inf, 2e9], top=0, bottom=100).maximum == 2e9


def test_make_time_scale_snaps_to_whole_years() -> None:
    scale = make_time_scale([(YEAR_2023 + 3, YEAR_2023 + 5)], left=0, right=120)
    assert (scale.start, scale.end) == (YEAR_2023, YEAR_2023 + 12)
    assert [tick.label for tick in scale.list_ticks() if tick.major] == ["2023", "2024"]


def _item(when: str, kind: str = "designation", *, label: str = "KZ delisted Taliban") -> TimelineItem:
    return TimelineItem(when=when, kind=kind, label=label, href="/facts/x", tooltip=label)


def test_build_timeline_chart_draws_a_day_as_a_dot_and_a_year_as_a_bar() -> None:
    chart = build_timeline_chart([_item("2023-12-29"), _item("2022")])
    day, year = sorted(chart.marks, key=lambda mark: -mark.x0)
    assert day.is_point and day.x0 == day.x1
    assert not year.is_point and year.x1 - year.x0 > 30


def test_build_timeline_chart_gives_each_kind_a_lane() -> None:
    chart = build_timeline_chart([_item("2023", "trade"), _item("2022", "designation"), _item("2021", "deal")])
    assert [lane.kind for lane in chart.lanes] == ["designation", "deal", "trade"]


def test_build_timeline_chart_stacks_overlapping_marks() -> None:
    chart = build_timeline_chart([_item("2023-05-01"), _item("2023-05-02"), _item("2019")])
    crowded = [mark for mark in chart.marks if mark.is_point]
    assert crowded[0].y != crowded[1].y


def test_build_timeline_chart_keeps_labels_inside_the_plot() -> None:
    chart = build_timeline_chart([_item("2015"), _item("2024-12-30", label="a long label near the right edge")])
    late = max(chart.marks, key=lambda mark: mark.x0)
    assert late.label_anchor == "end"
    assert PLOT_LEFT <= late.label_x <= PLOT_RIGHT


def test_build_timeline_chart_leaves_out_undated_items() -> None:
    assert build_timeline_chart([_item("soon")]).marks == ()


def _point(fact_id: str, *, group: str = "g", time: tuple[float, float] | None, low: float, high: float) -> TradePoint:
    return TradePoint(
        fact_id=fact_id,
        group_id=group,
        series="total",
        status="actual",
        time=time,
        placed_by="period" if time else "unknown",
        stated=high if not math.isinf(high) else low,
        low=low,
        high=high,
        hedge=None if low == high else "almost",
        href=f"/facts/{fact_id}",
        tooltip=fact_id,
    )


def test_build_trade_panels_spreads_reports_of_one_period() -> None:
    year = (float(YEAR_2023), float(YEAR_2023 + 12))
    points = [_point("a", time=year, low=1e9, high=1e9), _point("b", time=year, low=0.95e9, high=1e9)]
    (panel,) = build_trade_panels(points, [], titles={"total": "Total"})
    first, second = panel.marks
    assert first.x != second.x
    assert first.y == second.y
    assert second.is_hedged and second.y_low > second.y_high


def test_build_trade_panels_draws_an_open_range_to_the_top() -> None:
    year = (float(YEAR_2023), float(YEAR_2023 + 12))
    (panel,) = build_trade_panels([_point("a", time=year, low=1e9, high=math.inf)], [], titles={"total": "Total"})
    assert panel.marks[0].open_top
    assert panel.marks[0].y_high == panel.plot_top


def test_build_trade_panels_puts_undated_figures_in_their_band() -> None:
    year = (float(YEAR_2023), float(YEAR_2023 + 12))
    points = [_point("a", time=year, low=1e9, high=1e9), _point("b", group="h", time=None, low=2e9, high=2e9)]
    spans = [
        ConsensusSpan("g", "total", "actual", year, 1e9, "consensus"),
        ConsensusSpan("h", "total", "actual", None, 2e9, "c"),
    ]
    (panel,) = build_trade_panels(points, spans, titles={"total": "Total"})
    assert panel.undated is not None
    undated = next(mark for mark in panel.marks if mark.placed_by == "unknown")
    assert panel.undated[0] <= undated.x <= panel.undated[1]
    assert len(panel.lines) == 2


def test_build_trade_panels_skips_series_without_points() -> None:
    year = (float(YEAR_2023), float(YEAR_2023 + 12))
    panels = build_trade_panels([_point("a", time=year, low=1, high=1)], [], titles={"total": "T", "export:A>B": "E"})
    assert [panel.series for panel in panels] == ["total"]
