"""Serve stage (web): the geometry of a trade chart — every report's figure for a pair over time.

In come `TradePoint`s (one per report's figure: its period, stated amount and the
range its hedge admits) and `ConsensusSpan`s (one per fact group: its period and
consensus amount), split into series by flow; out come `TradePanel`s in SVG user
units that templates/_charts.html draws, one panel per series on a shared time
axis. x is the period (its middle; the period itself is a faint bar), y the
amount from zero. A hedged figure is drawn as a range ("almost $1 billion" from
$950 million to $1 billion; "at least" runs off the top). A figure whose period
the report did not state sits at its group's period, else at the day the report
was published, drawn hollow; with neither, it goes to a "period unknown" band
right of the time axis, so every report's figure has its mark.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from tidings.serve.web.scales import MoneyScale, Tick, TimeScale, make_money_scale, make_time_scale

CHART_WIDTH: Final = 960
PANEL_HEIGHT: Final = 280
# Room for the widest y label ("$2.5B" at 11px) on the left and the x labels below.
PLOT_LEFT: Final = 64
PLOT_RIGHT: Final = CHART_WIDTH - 20
PLOT_TOP: Final = 14
PLOT_BOTTOM: Final = PANEL_HEIGHT - 30
# Marks of one period are spread this far apart so that reports giving the same
# figure stay visible as separate marks (wide enough for a 5-unit radius dot).
JITTER_STEP: Final = 8.0
# A consensus line of a group whose period is unknown extends this far beyond its marks.
UNDATED_LINE_PAD: Final = 14.0
# Width of the "period unknown" band: room for about ten spread marks (JITTER_STEP apart).
UNDATED_BAND: Final = 96.0
UNDATED_GAP: Final = 14.0


@dataclass(frozen=True)
class TradePoint:
    """One report's figure: where on the time axis (months), the stated amount and its range.

    `placed_by` says where `time` came from: "period" (the fact's own), "group"
    (its group's period), "published" (the report's date; the period is unknown)
    or "unknown" (`time` is None: nothing dates it). `high` may be infinite ("at least").
    """

    fact_id: str
    group_id: str | None
    series: str
    status: str
    time: tuple[float, float] | None
    placed_by: str
    stated: float
    low: float
    high: float
    hedge: str | None
    href: str
    tooltip: str


@dataclass(frozen=True)
class ConsensusSpan:
    """A group's consensus amount over its period (None: the period is unknown).

    `label` is the tooltip; `short` is written beside the line ("" writes nothing).
    """

    group_id: str
    series: str
    status: str
    time: tuple[float, float] | None
    amount: float
    label: str
    short: str = ""


@dataclass(frozen=True)
class TradeMark:
    """A drawn figure: the dot or diamond at (x, y), its range from y_low to y_high, its period bar."""

    x: float
    y: float
    y_low: float
    y_high: float
    open_top: bool
    period_x0: float
    period_x1: float
    status: str
    placed_by: str
    is_hedged: bool
    href: str
    tooltip: str


@dataclass(frozen=True)
class ConsensusLine:
    """A group's consensus drawn as a dashed line from x0 to x1 at y, `short` written above its end."""

    x0: float
    x1: float
    y: float
    status: str
    label: str
    short: str


@dataclass(frozen=True)
class TradePanel:
    """One series (total trade, or one direction's exports) of a pair; `undated` is the band's x span, if any."""

    series: str
    title: str
    width: float
    height: float
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    marks: tuple[TradeMark, ...]
    lines: tuple[ConsensusLine, ...]
    undated: tuple[float, float] | None


def build_trade_panels(
    points: Sequence[TradePoint], spans: Sequence[ConsensusSpan], *, titles: Mapping[str, str]
) -> list[TradePanel]:
    """One panel per series in `titles` order that has points, all on one time axis."""
    ranges = [point.time for point in points if point.time is not None]
    ranges += [span.time for span in spans if span.time is not None]
    has_undated = any(point.time is None for point in points)
    right = PLOT_RIGHT - UNDATED_BAND - UNDATED_GAP if has_undated else PLOT_RIGHT
    scale = make_time_scale(ranges, left=PLOT_LEFT, right=right)
    undated = (PLOT_RIGHT - UNDATED_BAND, float(PLOT_RIGHT)) if has_undated else None
    panels = []
    for series, title in titles.items():
        own = [point for point in points if point.series == series]
        if own:
            lines = [span for span in spans if span.series == series]
            panels.append(_build_panel(series, title, points=own, spans=lines, scale=scale, undated=undated))
    return panels


def _build_panel(
    series: str,
    title: str,
    *,
    points: list[TradePoint],
    spans: list[ConsensusSpan],
    scale: TimeScale,
    undated: tuple[float, float] | None,
) -> TradePanel:
    """Place one series' marks and consensus lines on its own money scale."""
    amounts = [point.stated for point in points] + [point.high for point in points] + [span.amount for span in spans]
    money = make_money_scale(amounts, top=PLOT_TOP, bottom=PLOT_BOTTOM)
    marks = _place_marks(points, scale=scale, money=money, undated=undated)
    return TradePanel(
        series=series,
        title=title,
        width=CHART_WIDTH,
        height=PANEL_HEIGHT,
        plot_left=PLOT_LEFT,
        plot_right=PLOT_RIGHT,
        plot_top=PLOT_TOP,
        plot_bottom=PLOT_BOTTOM,
        x_ticks=tuple(scale.list_ticks()),
        y_ticks=tuple(money.list_ticks()),
        marks=tuple(mark for _, mark in marks),
        lines=tuple(line for span in spans if (line := _place_line(span, marks, scale=scale, money=money)) is not None),
        undated=undated if any(point.time is None for point in points) else None,
    )


def _place_marks(
    points: list[TradePoint], *, scale: TimeScale, money: MoneyScale, undated: tuple[float, float] | None
) -> list[tuple[TradePoint, TradeMark]]:
    """Each point as a mark; points sharing a group and a place (or all undated ones) spread side by side."""
    crowds: dict[tuple[str | None, float], list[TradePoint]] = {}
    for point in points:
        place = (point.group_id, round(sum(point.time) / 2, 3)) if point.time else (None, -1.0)
        crowds.setdefault(place, []).append(point)
    placed = []
    for crowd in crowds.values():
        for index, point in enumerate(crowd):
            offset = (index - (len(crowd) - 1) / 2) * JITTER_STEP
            if point.time is not None:
                span = (scale.to_x(point.time[0]), scale.to_x(point.time[1]))
            else:
                assert undated is not None  # build_trade_panels makes the band when a point is undated
                middle = sum(undated) / 2
                span = (middle, middle)
            placed.append((point, _make_mark(point, offset, span=span, money=money)))
    return placed


def _make_mark(point: TradePoint, offset: float, *, span: tuple[float, float], money: MoneyScale) -> TradeMark:
    """One figure's mark, `offset` units from the middle of its period's x span."""
    x0, x1 = span
    open_top = math.isinf(point.high)
    return TradeMark(
        x=(x0 + x1) / 2 + offset,
        y=money.to_y(point.stated),
        y_low=money.to_y(point.low),
        y_high=money.top if open_top else money.to_y(point.high),
        open_top=open_top,
        period_x0=x0,
        period_x1=x1,
        status=point.status,
        placed_by=point.placed_by,
        is_hedged=point.low != point.high,
        href=point.href,
        tooltip=point.tooltip,
    )


def _place_line(
    span: ConsensusSpan, marks: list[tuple[TradePoint, TradeMark]], *, scale: TimeScale, money: MoneyScale
) -> ConsensusLine | None:
    """A group's consensus over its period, or across its marks when the period is unknown."""
    if span.time is not None:
        x0, x1 = scale.to_x(span.time[0]), scale.to_x(span.time[1])
    else:
        xs = [mark.x for point, mark in marks if point.group_id == span.group_id]
        if not xs:
            return None
        x0, x1 = min(xs) - UNDATED_LINE_PAD, max(xs) + UNDATED_LINE_PAD
    return ConsensusLine(x0, x1, money.to_y(span.amount), span.status, span.label, span.short)
