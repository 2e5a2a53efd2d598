"""ISO date values as tidings stores them: check, measure, compare, and resolve against an anchor.

Part of the normalize stage. In come ISO strings at the precision a report supports ("2023",
"2023-12", "2023-12-29") or intervals "START/END" ("2023-01/2023-11", "2024/2025"); out come
precisions, bounds and compatibility verdicts, plus the small calendar arithmetic the rules in
`date_rules` use to resolve "December 29" or "two months ago" against a publication date (the
anchor). Nothing here looks at today's date, and nothing invents a month or a day.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from typing import Literal, NamedTuple

Precision = Literal["year", "month", "day"]

_ISO_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
# An anchor may carry a time ("2024-01-01T09:30:00Z", "2024-01-01 09:30"); only the date counts.
_ANCHOR = re.compile(r"\s*([0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?)(?:[T ][0-9:.+\-Z]*)?\s*")
_MIN_YEAR = 1
_MAX_YEAR = 9999


class PartialDate(NamedTuple):
    """A calendar date known to year, month or day precision."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> Precision:
        """Return how much of the date is known."""
        if self.day is not None:
            return "day"
        return "year" if self.month is None else "month"

    def to_iso(self) -> str:
        """Return the ISO string at the date's own precision."""
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def first_day(self) -> date:
        """Return the first calendar day the date covers."""
        return date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> date:
        """Return the last calendar day the date covers."""
        month = self.month or 12
        return date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])


# How far past the publication date a year-less date may fall and still be read in the
# anchor's year: a month-only anchor ("2024-08") stands for any day of that month.
FUTURE_WINDOW_DAYS = 31


def make_date(year: int, month: int | None = None, day: int | None = None) -> PartialDate | None:
    """Return the partial date, or None when it is not on the calendar (month 13, February 30)."""
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        return None
    if month is None:
        return None if day is not None else PartialDate(year)
    if not 1 <= month <= 12:
        return None
    if day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return PartialDate(year, month, day)


def read_iso(value: str) -> PartialDate | None:
    """Return the partial date an ISO string ("2023", "2023-12", "2023-12-29") names, or None."""
    match = _ISO_DATE.fullmatch(value)
    if match is None:
        return None
    year, month, day = match.groups()
    return make_date(int(year), None if month is None else int(month), None if day is None else int(day))


def read_anchor(anchor: str | None) -> PartialDate | None:
    """Return the anchor (a publication date at any precision) as a partial date.

    Raises:
        ValueError: the anchor is not an ISO date; a bad anchor is a caller's bug, not report text.
    """
    if anchor is None:
        return None
    match = _ANCHOR.fullmatch(anchor)
    point = None if match is None else read_iso(match.group(1))
    if point is None:
        raise ValueError(f"anchor must be an ISO date like 2024-01-01, 2024-01 or 2024, not {anchor!r}")
    return point


def read_value(value: str) -> tuple[PartialDate, PartialDate] | None:
    """Return the endpoints of an ISO date or interval (a single date is its own two ends), or None."""
    parts = value.split("/")
    if len(parts) > 2:
        return None
    points = [read_iso(part) for part in parts]
    start, end = points[0], points[-1]
    if start is None or end is None or start.first_day() > end.last_day():
        return None
    return start, end


def is_iso_value(value: str) -> bool:
    """Return True when the string is a valid ISO date or interval as tidings writes them."""
    return read_value(value) is not None


def format_interval(start: PartialDate, end: PartialDate) -> str:
    """Return "START/END", or the single date when both ends are the same value."""
    return start.to_iso() if start == end else f"{start.to_iso()}/{end.to_iso()}"


def date_precision(value: str) -> Precision:
    """Return the precision of a single ISO date: "year", "month" or "day".

    Raises:
        ValueError: the value is not a single valid ISO date (intervals have two precisions).
    """
    point = read_iso(value)
    if point is None:
        raise ValueError(f"not a single ISO date: {value!r}")
    return point.precision


def _require_value(value: str) -> tuple[PartialDate, PartialDate]:
    """Return the endpoints of a value, raising ValueError when it is not ISO."""
    ends = read_value(value)
    if ends is None:
        raise ValueError(f"not an ISO date or interval: {value!r}")
    return ends


def dates_compatible(a: str, b: str) -> bool:
    """Return True when two values agree on their common prefix, interval endpoint by endpoint.

    "2023-12" and "2023-12-29" agree; "2023-12" and "2024-06" do not. A single date is compared
    as the interval from itself to itself, so "2023" agrees with "2023-01/2023-11".

    Raises:
        ValueError: either value is not an ISO date or interval.
    """
    pairs = zip(_require_value(a), _require_value(b), strict=True)
    for left, right in pairs:
        left_iso, right_iso = left.to_iso(), right.to_iso()
        common = min(len(left_iso), len(right_iso))
        if left_iso[:common] != right_iso[:common]:
            return False
    return True


def period_bounds(value: str) -> tuple[str, str]:
    """Return the first and last day a date or interval covers, as ISO days.

    "2023" gives ("2023-01-01", "2023-12-31"); "2023-01/2023-11" gives ("2023-01-01", "2023-11-30").

    Raises:
        ValueError: the value is not an ISO date or interval.
    """
    start, end = _require_value(value)
    return start.first_day().isoformat(), end.last_day().isoformat()


def pick_nearest_year(anchor: PartialDate, month: int, day: int | None = None) -> PartialDate | None:
    """Return the month (or month and day) in the latest year that does not lie in the anchor's future.

    Reports mostly look back: "in April" in a November report is this April, not next
    April. A date up to FUTURE_WINDOW_DAYS after the anchor is still taken as meant
    (a month-precise anchor, or an event announced for later in the month). None when
    no nearby year has that day (February 29 far from a leap year).
    """
    limit = anchor.last_day().toordinal() + FUTURE_WINDOW_DAYS
    for year in (anchor.year + 1, anchor.year, anchor.year - 1):
        point = make_date(year, month, day)
        if point is not None and point.first_day().toordinal() <= limit:
            return point
    return None


def shift_months(anchor: PartialDate, months: int) -> PartialDate | None:
    """Return the anchor's month moved by a number of months, or None if the anchor has no month."""
    if anchor.month is None:
        return None
    year, month0 = divmod(anchor.year * 12 + anchor.month - 1 + months, 12)
    return make_date(year, month0 + 1)


def shift_days(anchor: PartialDate, days: int) -> PartialDate | None:
    """Return the anchor's day moved by a number of days, or None if the anchor has no day."""
    if anchor.day is None:
        return None
    try:
        moved = anchor.first_day() + timedelta(days=days)
    except OverflowError:
        return None
    return PartialDate(moved.year, moved.month, moved.day)


def find_weekday(
    anchor: PartialDate, weekday: int, *, step: Literal["on_or_before", "before", "after"]
) -> PartialDate | None:
    """Return the given weekday (0 = Monday) nearest the anchor in the given direction.

    None when the anchor is not day-precise: "on Friday" in a report dated only "2024-08" could be
    any of four Fridays.
    """
    if anchor.day is None:
        return None
    back = (anchor.first_day().weekday() - weekday) % 7
    if step == "after":
        return shift_days(anchor, (weekday - anchor.first_day().weekday()) % 7 or 7)
    if step == "before":
        back = back or 7
    return shift_days(anchor, -back)
