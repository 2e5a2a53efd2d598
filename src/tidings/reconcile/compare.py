"""Reconcile stage: compare two reported values of one field, with their meaning.

In come field values as facts state them (an amount with its hedge word, an ISO
date at the precision the report gives, an action); out comes whether they agree
and, when they do not, a short reason. Amounts are read as ranges ("almost $1
billion" covers $0.9-1.0 billion) and compared with a small tolerance; dates and
periods are compared at their common precision ("2023-12" agrees with
"2023-12-29"). Everything here is pure and never raises on odd input: a value we
cannot read compares as missing.
"""

from __future__ import annotations

import calendar
import functools
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

# Two stated amounts agree when the gap between their ranges is at most this share
# of the larger one. 2% is the scorer's own tolerance (shared/eval/score.py) and
# covers rounding ("$190.8 million" vs "$190 million" is 0.4%), while the closest
# real disagreement in the dev set ($567.5M vs $545.2M for one year) is 4%.
AMOUNT_TOLERANCE: Final = 0.02
# "almost/nearly/approaching X" is read as [X * (1 - APPROACH_SPAN), X]: writers round up
# to the next round figure ("almost $1 billion" for $987.9 million is 1.2% below, "nearly
# $5 billion" for $4.8 billion 4%); "nearly $1.3 billion" is not $1.16 billion (11%).
APPROACH_SPAN: Final = 0.05
# "about/approximately X" is read as X plus or minus this share, the usual
# rounding of a figure to one significant digit in news copy.
ABOUT_SPAN: Final = 0.10

APPROACH_HEDGES: Final = frozenset(
    {"almost", "nearly", "approaching", "close to", "just under", "just below", "nearing", "short of", "just shy of"}
)
ABOUT_HEDGES: Final = frozenset(
    {"about", "approximately", "approx", "around", "roughly", "some", "circa", "an estimated", "estimated", "~"}
)
FLOOR_HEDGES: Final = frozenset(
    {
        "at least",
        "more than",
        "over",
        "above",
        "exceeding",
        "exceeded",
        "barely exceeded",
        "in excess of",
        "upwards of",
        "no less than",
        "topped",
        "surpassing",
    }
)
CEILING_HEDGES: Final = frozenset({"up to", "less than", "under", "below", "no more than", "at most", "as much as"})

# An act announced on day D (a fact whose `date_role` is "announced") may take
# effect up to this many days after D: states announce decisions shortly ahead
# ("the decree enters into force ten days after publication"), never a season
# ahead without saying so. An effective date that starts later than this is a
# different account of when the act happened (dev: "has removed ..., a spokesperson
# said on Friday" against "In June 2024, Kazakhstan removed"). Two months covers a
# ten- or thirty-day entry into force with room to spare.
ANNOUNCED_LEAD_DAYS: Final = 62

# Distinct date strings kept parsed; a large run has a few thousand.
DATE_CACHE_SIZE: Final = 8192

# How an announcement bound is shown beside plain dates ("announced 2023-12-29").
ANNOUNCED_HEDGE: Final = "announced"

REASON_AMOUNT: Final = "amounts differ beyond hedges"
REASON_DATE: Final = "dates differ"
REASON_ANNOUNCED: Final = "announcement dates differ"
REASON_ACTION: Final = "action differs"
REASON_VALUE: Final = "values differ"

_DATE_RE: Final = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True)
class AmountRange:
    """The span of US dollar amounts a hedged figure admits; `high` may be infinite."""

    low: float
    high: float
    stated: float
    hedge: str | None = None

    @property
    def width(self) -> float:
        """How loose the figure is, relative to the stated number (0 for an exact one)."""
        if math.isinf(self.high):
            return math.inf
        return (self.high - self.low) / self.stated if self.stated else 0.0


@dataclass(frozen=True)
class AnnouncedDate:
    """The day an act was announced, read as a bound on when it took effect (see ANNOUNCED_LEAD_DAYS)."""

    value: str


def to_amount_range(amount: Any, hedge: Any = None) -> AmountRange | None:
    """Read a stated amount and its hedge word as a range; None when the amount is not a number.

    An unknown hedge word is read like "about", the loosest two-sided reading.
    """
    if isinstance(amount, bool) or not isinstance(amount, int | float) or math.isnan(amount) or amount < 0:
        return None
    value = float(amount)
    word = " ".join(str(hedge).lower().split()) if isinstance(hedge, str) and hedge.strip() else None
    if word is None:
        return AmountRange(value, value, value)
    if word in APPROACH_HEDGES:
        return AmountRange(value * (1 - APPROACH_SPAN), value, value, word)
    if word in FLOOR_HEDGES:
        return AmountRange(value, math.inf, value, word)
    if word in CEILING_HEDGES:
        return AmountRange(0.0, value, value, word)
    return AmountRange(value * (1 - ABOUT_SPAN), value * (1 + ABOUT_SPAN), value, word)


def amounts_agree(first: AmountRange, second: AmountRange) -> bool:
    """True when two hedged amounts can describe the same number."""
    gap = max(0.0, second.low - first.high, first.low - second.high)
    return gap <= AMOUNT_TOLERANCE * max(first.stated, second.stated)


def format_usd(amount: float) -> str:
    """A short human spelling of a dollar amount ("$987.9 million")."""
    for size, word in ((1e9, "billion"), (1e6, "million"), (1e3, "thousand")):
        if amount >= size:
            return f"${amount / size:.4g} {word}"
    return f"${amount:.0f}"


def is_iso_date(value: Any) -> bool:
    """True for "2023", "2023-12" or "2023-12-29" with a real month and day."""
    return isinstance(value, str) and to_day_span(value) is not None


def to_day_span(value: str) -> tuple[date, date] | None:
    """First and last day an ISO date at any precision covers; None when it is not one.

    Used only to order and compare: the days are never stored as facts.
    """
    return _read_day_span(value) if isinstance(value, str) else None


@functools.lru_cache(maxsize=DATE_CACHE_SIZE)
def _read_day_span(value: str) -> tuple[date, date] | None:
    """`to_day_span` for a string, cached: the same few dates are compared again and again."""
    match = _DATE_RE.match(value.strip())
    if match is None:
        return None
    year, month, day = (int(part) if part else None for part in match.groups())
    assert year is not None  # the pattern requires it
    try:
        if month is None:
            return date(year, 1, 1), date(year, 12, 31)
        if day is None:
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        return date(year, month, day), date(year, month, day)
    except ValueError:
        return None


def to_month_span(value: Any) -> tuple[int, int] | None:
    """First and last month (as year * 12 + month - 1) of a date or "START/END" period."""
    return _read_month_span(value) if isinstance(value, str) else None


@functools.lru_cache(maxsize=DATE_CACHE_SIZE)
def _read_month_span(value: str) -> tuple[int, int] | None:
    """`to_month_span` for a string, cached: every group's anchor is read when groups are sorted."""
    parts = [part.strip() for part in value.split("/")]
    if len(parts) > 2:
        return None
    spans = [to_day_span(part) for part in parts]
    if any(span is None for span in spans):
        return None
    first, last = spans[0], spans[-1]
    assert first is not None and last is not None
    start, end = first[0], last[1]
    if end < start:
        return None
    return start.year * 12 + start.month - 1, end.year * 12 + end.month - 1


def dates_agree(first: str, second: str) -> bool:
    """True when two ISO dates (or periods) are equal at their common precision."""
    first_parts, second_parts = first.split("/"), second.split("/")
    if len(first_parts) != len(second_parts):
        return False
    for one, other in zip(first_parts, second_parts, strict=True):
        one, other = one.strip(), other.strip()
        common = min(len(one), len(other))
        if one[:common] != other[:common]:
            return False
    return True


def is_reported_by(value: str, published: str | None) -> bool:
    """False only when a date certainly starts after the report's publication date."""
    span = to_day_span(value.split("/")[0]) if value else None
    limit = to_day_span(published) if published else None
    if span is None or limit is None:
        return True
    return span[0] <= limit[1]


def fits_announcement(effective: str, announced: AnnouncedDate) -> bool:
    """True when an act dated `effective` can be the one announced on `announced.value`.

    The act may lie from the first day of the announcement's month up to
    ANNOUNCED_LEAD_DAYS after it; a date that cannot be read fits.
    """
    span, said = to_day_span(effective), to_day_span(announced.value)
    if span is None or said is None:
        return True
    # A report that an act "has" happened, "a spokesperson said on Friday", dates it to the
    # announcement's month (the dev set's annotation convention): an act that ended before
    # that month began is another account of when it happened.
    month_start = said[0].replace(day=1)
    return span[1] >= month_start and (span[0] - said[1]).days <= ANNOUNCED_LEAD_DAYS


def compare_values(first: Any, second: Any, *, field: str) -> str | None:
    """Compare two readable values of one field: None when they agree, else the reason.

    `first` and `second` are what `read_value` or `read_side_value` return for
    that field. Two announcement bounds always agree here (their own field,
    `announced_date`, compares them as dates).
    """
    if isinstance(first, AmountRange) and isinstance(second, AmountRange):
        return None if amounts_agree(first, second) else REASON_AMOUNT
    if isinstance(first, AnnouncedDate) or isinstance(second, AnnouncedDate):
        return _compare_announced(first, second)
    if field in ("date", "announced_date", "period") and isinstance(first, str) and isinstance(second, str):
        if dates_agree(first, second):
            return None
        return REASON_ANNOUNCED if field == "announced_date" else REASON_DATE
    if first == second:
        return None
    return REASON_ACTION if field == "action" else REASON_VALUE


def read_value(field: str, fields: Mapping[str, Any]) -> Any:
    """The comparable value a fact states for a compared field; None when it states none.

    `amount_usd` becomes an `AmountRange` (with the fact's hedge); `date` is the
    act's date unless the fact marks it as the day the act was announced, in which
    case it is read as `announced_date` instead, so the two are never compared.
    """
    if field == "amount_usd":
        return to_amount_range(fields.get("amount_usd"), fields.get("hedge"))
    if field in ("date", "announced_date"):
        value = fields.get("date")
        if not is_iso_date(value):
            return None
        announced = fields.get("date_role") == "announced"
        return value if announced == (field == "announced_date") else None
    value = fields.get(field)
    return value if isinstance(value, str) and value else None


def read_side_value(field: str, fields: Mapping[str, Any]) -> Any:
    """Like `read_value`, except that an announced act's date also speaks to `date`, as an `AnnouncedDate`.

    Used to split a group's facts into sides: "announced on Friday that it has
    removed X" agrees with an effective date that week and disagrees with one half
    a year later, though the announcement day itself is not the act's date.
    """
    if field == "date" and fields.get("date_role") == "announced" and is_iso_date(fields.get("date")):
        return AnnouncedDate(str(fields["date"]))
    return read_value(field, fields)


def rank_specific(value: Any) -> tuple[float, float, float]:
    """Sort key putting the most specific value first.

    Exact amounts before hedged ones, and among those the one with more significant
    digits ("$987.9 million" is more precise than "$1 billion"); day-precise dates
    before months and years; announcement bounds after every date.
    """
    if isinstance(value, AnnouncedDate):
        return (1.0, -float(len(value.value)), 0.0)
    if isinstance(value, AmountRange):
        return (value.width, -float(count_significant_digits(value.stated)), -value.stated)
    if isinstance(value, str):
        return (-float(len(value)), 0.0, 0.0)
    return (0.0, 0.0, 0.0)


def count_significant_digits(amount: float) -> int:
    """How many significant digits a stated number has (1_962_400_000 -> 5, 2e9 -> 1)."""
    digits = f"{abs(amount):.15g}".split("e")[0].replace(".", "").strip("0")
    return max(len(digits), 1)


def describe_value(value: Any) -> str:
    """A short human rendering of a comparable value ("almost $1 billion", "2023-12")."""
    if isinstance(value, AmountRange):
        return f"{value.hedge} {format_usd(value.stated)}" if value.hedge else format_usd(value.stated)
    if isinstance(value, AnnouncedDate):
        return f"{ANNOUNCED_HEDGE} {value.value}"
    return str(value)


def _compare_announced(first: Any, second: Any) -> str | None:
    """Compare where at least one side is an announcement bound: None when they can be one act."""
    if isinstance(first, AnnouncedDate) and isinstance(second, AnnouncedDate):
        return None
    bound, other = (first, second) if isinstance(first, AnnouncedDate) else (second, first)
    if not isinstance(other, str):
        return REASON_VALUE
    return None if fits_announcement(other, bound) else REASON_DATE
