"""Serve stage (web): the axes shared by the SVG charts — time in months, money in US dollars.

In come ISO dates or periods and dollar amounts; out come positions in SVG user
units and tick marks with labels. Dates keep their precision: a year covers the
whole year on the axis and a day a thirtieth of a month, so a chart never
suggests a day the report did not give. Nothing here writes markup.
"""

from __future__ import annotations

import calendar
import math
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

from tidings.reconcile.compare import to_day_span

# At most this many labelled ticks on an axis: about one per 80 pixels of a 960-unit
# chart, so labels such as "2024" or "$1.5B" never touch.
MAX_TIME_TICKS: Final = 12
MAX_MONEY_TICKS: Final = 6
# Tick steps in years, smallest first; the first that keeps MAX_TIME_TICKS wins.
YEAR_STEPS: Final = (1, 2, 5, 10, 20, 50)
# Mantissas of "nice" money steps (1, 2, 2.5, 5 times a power of ten), the usual chart choice.
MONEY_MANTISSAS: Final = (1.0, 2.0, 2.5, 5.0)
_MONTH_NAMES: Final = ("Jan", "Apr", "Jul", "Oct")


@dataclass(frozen=True)
class Tick:
    """One axis tick: its position, its label and whether it is a major (gridline) tick."""

    position: float
    label: str
    major: bool = True


def to_month_range(value: str | None) -> tuple[float, float] | None:
    """The time a date or "START/END" period covers, in months since year 0 (days as fractions).

    "2023" is (24276.0, 24288.0), a whole year; None when the value is not an ISO date or period.
    """
    if not isinstance(value, str):
        return None
    parts = [part.strip() for part in value.split("/")]
    if len(parts) > 2:
        return None
    spans = [to_day_span(part) for part in parts]
    first, last = spans[0], spans[-1]
    if first is None or last is None or last[1] < first[0]:
        return None
    return _to_months(first[0]), _to_months(last[1] + timedelta(days=1))


def _to_months(day: date) -> float:
    """A day as months since year 0, the day a fraction of its month."""
    length = calendar.monthrange(day.year, day.month)[1]
    return day.year * 12 + day.month - 1 + (day.day - 1) / length


@dataclass(frozen=True)
class TimeScale:
    """Months mapped linearly onto [left, right], over whole years."""

    start: float
    end: float
    left: float
    right: float

    def to_x(self, months: float) -> float:
        """The x position of a time in months."""
        return self.left + (months - self.start) / (self.end - self.start) * (self.right - self.left)

    def list_ticks(self) -> list[Tick]:
        """Year ticks (every 1, 2, 5... years), with unlabelled quarters when the range is short."""
        first_year, last_year = int(self.start // 12), int(self.end // 12)
        step = next((each for each in YEAR_STEPS if (last_year - first_year) / each <= MAX_TIME_TICKS), YEAR_STEPS[-1])
        ticks = [Tick(self.to_x(year * 12), str(year)) for year in range(first_year, last_year + 1) if year % step == 0]
        if last_year - first_year <= 2:
            ticks += [
                Tick(self.to_x(year * 12 + month), _MONTH_NAMES[month // 3], major=False)
                for year in range(first_year, last_year)
                for month in (3, 6, 9)
            ]
        return sorted(ticks, key=lambda tick: tick.position)


def make_time_scale(ranges: list[tuple[float, float]], *, left: float, right: float) -> TimeScale:
    """A scale over whole years covering every range (the current year when there is none)."""
    if not ranges:
        year = date.today().year
        return TimeScale(year * 12, (year + 1) * 12, left, right)
    start = math.floor(min(low for low, _ in ranges) / 12) * 12
    end = max(math.ceil(max(high for _, high in ranges) / 12) * 12, start + 12)
    return TimeScale(float(start), float(end), left, right)


@dataclass(frozen=True)
class MoneyScale:
    """Dollars mapped linearly onto [bottom, top] (SVG y grows downwards), from zero."""

    maximum: float
    step: float
    top: float
    bottom: float

    def to_y(self, amount: float) -> float:
        """The y position of an amount, clamped to the plot."""
        share = min(max(amount / self.maximum, 0.0), 1.0) if self.maximum else 0.0
        return self.bottom - share * (self.bottom - self.top)

    def list_ticks(self) -> list[Tick]:
        """A labelled tick at every step from zero to the maximum."""
        count = round(self.maximum / self.step)
        return [Tick(self.to_y(index * self.step), format_money(index * self.step)) for index in range(count + 1)]


def make_money_scale(amounts: list[float], *, top: float, bottom: float) -> MoneyScale:
    """A scale from zero to a round number above the largest finite amount."""
    finite = [amount for amount in amounts if math.isfinite(amount) and amount > 0]
    largest = max(finite, default=1.0)
    step = _nice_step(largest / MAX_MONEY_TICKS)
    while math.ceil(largest / step) > MAX_MONEY_TICKS:
        step = _nice_step(step * 1.01)
    return MoneyScale(math.ceil(largest / step) * step, step, top, bottom)


def _nice_step(rough: float) -> float:
    """The smallest 1, 2, 2.5 or 5 times a power of ten that is at least `rough`."""
    power = 10.0 ** math.floor(math.log10(rough))
    return next((each * power for each in MONEY_MANTISSAS if each * power >= rough), 10 * power)


def format_money(amount: float) -> str:
    """A compact dollar label for an axis or a mark: "$1.5B", "$316.6M", "$20K", "$0"."""
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if amount >= size:
            return f"${amount / size:.4g}{suffix}"
    return f"${amount:.0f}"
