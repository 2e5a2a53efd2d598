"""Serve stage (web): the geometry of a timeline chart — dated facts as marks on a time axis.

In come `TimelineItem`s (a date or period, a kind, a label, a link); out comes a
`TimelineChart` of lanes (one per fact kind), marks and axis ticks in SVG user
units, which templates/_charts.html draws. A date at day precision becomes a dot;
a month, a year or a period becomes a bar over the time it covers, so an
imprecise date looks imprecise. Marks that would overlap (with their labels) in a
lane go to the next row of that lane.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from tidings.serve.web.scales import Tick, make_time_scale, to_month_range

CHART_WIDTH: Final = 960
# Room on the left for the lane titles ("Designations", the longest, at 12px).
PLOT_LEFT: Final = 110
PLOT_RIGHT: Final = CHART_WIDTH - 16
TOP: Final = 8
ROW_HEIGHT: Final = 24
LANE_PADDING: Final = 8
AXIS_HEIGHT: Final = 28
# Average advance of one character of an 11px sans-serif label, measured on
# Chromium's default sans font with the dev set's labels (a little generous, so
# packed labels do not touch).
LABEL_CHAR_WIDTH: Final = 6.3
LABEL_GAP: Final = 6
# Horizontal room kept free between two marks (and their labels) in one row.
PACK_GAP: Final = 10
# A span narrower than this many months (about five days) is drawn as a dot, not a bar.
POINT_MONTHS: Final = 0.2
# Labels longer than this are cut; the full text stays in the tooltip and the table.
LABEL_CHARS: Final = 34
KIND_ORDER: Final = ("designation", "diplomatic", "deal", "trade")
KIND_TITLES: Final = {"designation": "Designations", "diplomatic": "Diplomatic", "deal": "Deals", "trade": "Trade"}


@dataclass(frozen=True)
class TimelineItem:
    """One dated fact to draw: when, what kind, a short label, where it links, and a tooltip."""

    when: str
    kind: str
    label: str
    href: str
    tooltip: str
    disputed: bool = False


@dataclass(frozen=True)
class TimelineMark:
    """A drawn item: a dot at (x0, y) when `is_point`, else a bar from x0 to x1; its label at label_x."""

    x0: float
    x1: float
    y: float
    kind: str
    label: str
    label_x: float
    label_anchor: str
    href: str
    tooltip: str
    disputed: bool
    is_point: bool


@dataclass(frozen=True)
class Lane:
    """The horizontal band of one kind, from y0 to y1, titled at its middle."""

    kind: str
    title: str
    y0: float
    y1: float

    @property
    def middle(self) -> float:
        """The y of the lane's title."""
        return (self.y0 + self.y1) / 2


@dataclass(frozen=True)
class TimelineChart:
    """Everything the template needs to draw one timeline."""

    width: float
    height: float
    plot_left: float
    plot_right: float
    axis_y: float
    lanes: tuple[Lane, ...]
    marks: tuple[TimelineMark, ...]
    ticks: tuple[Tick, ...]


def build_timeline_chart(items: Sequence[TimelineItem]) -> TimelineChart:
    """Lay out dated items in kind lanes over a shared time axis; undatable items are left out."""
    timed = [(item, span) for item in items if (span := to_month_range(item.when)) is not None]
    scale = make_time_scale([span for _, span in timed], left=PLOT_LEFT, right=PLOT_RIGHT)
    lanes: list[Lane] = []
    marks: list[TimelineMark] = []
    top = float(TOP)
    kinds = [kind for kind in KIND_ORDER if any(item.kind == kind for item, _ in timed)]
    kinds += sorted({item.kind for item, _ in timed} - set(kinds))
    for kind in kinds:
        placed = _pack_lane(
            [
                (item, scale.to_x(span[0]), scale.to_x(span[1]), span[1] - span[0])
                for item, span in timed
                if item.kind == kind
            ]
        )
        rows = max((row for _, row in placed), default=0) + 1
        height = rows * ROW_HEIGHT + 2 * LANE_PADDING
        lanes.append(Lane(kind, KIND_TITLES.get(kind, kind.title()), top, top + height))
        marks += [mark.at_row(top + LANE_PADDING + (row + 0.5) * ROW_HEIGHT) for mark, row in placed]
        top += height
    return TimelineChart(
        width=CHART_WIDTH,
        height=top + AXIS_HEIGHT,
        plot_left=PLOT_LEFT,
        plot_right=PLOT_RIGHT,
        axis_y=top,
        lanes=tuple(lanes),
        marks=tuple(marks),
        ticks=tuple(scale.list_ticks()),
    )


@dataclass(frozen=True)
class _Draft:
    """A mark before its row (and so its y) is known."""

    item: TimelineItem
    x0: float
    x1: float
    label: str
    label_x: float
    label_anchor: str
    is_point: bool

    def at_row(self, y: float) -> TimelineMark:
        """The finished mark at height y."""
        return TimelineMark(
            x0=self.x0,
            x1=self.x1,
            y=y,
            kind=self.item.kind,
            label=self.label,
            label_x=self.label_x,
            label_anchor=self.label_anchor,
            href=self.item.href,
            tooltip=self.item.tooltip,
            disputed=self.item.disputed,
            is_point=self.is_point,
        )


def _pack_lane(spans: list[tuple[TimelineItem, float, float, float]]) -> list[tuple[_Draft, int]]:
    """Give each mark the first row where it and its label clear the marks already there."""
    row_ends: list[float] = []
    placed = []
    for item, x0, x1, months in sorted(spans, key=lambda each: (each[1], each[2])):
        draft = _draft_mark(item, x0=x0, x1=x1, is_point=months < POINT_MONTHS)
        left, right = _measure_extent(draft)
        row = next((index for index, end in enumerate(row_ends) if end + PACK_GAP <= left), len(row_ends))
        if row == len(row_ends):
            row_ends.append(right)
        else:
            row_ends[row] = right
        placed.append((draft, row))
    return placed


def _draft_mark(item: TimelineItem, *, x0: float, x1: float, is_point: bool) -> _Draft:
    """A mark with its label to the right, or to the left when the right edge is too near."""
    if is_point:
        x0 = x1 = (x0 + x1) / 2
    label = item.label if len(item.label) <= LABEL_CHARS else item.label[: LABEL_CHARS - 1] + "…"
    width = len(label) * LABEL_CHAR_WIDTH
    if x1 + LABEL_GAP + width <= PLOT_RIGHT:
        return _Draft(item, x0, x1, label, x1 + LABEL_GAP, "start", is_point)
    return _Draft(item, x0, x1, label, x0 - LABEL_GAP, "end", is_point)


def _measure_extent(draft: _Draft) -> tuple[float, float]:
    """The horizontal room a mark and its label take."""
    width = len(draft.label) * LABEL_CHAR_WIDTH + LABEL_GAP
    if draft.label_anchor == "start":
        return draft.x0, draft.x1 + width
    return draft.x0 - width, draft.x1
