"""Rules for dates that name a point in time: a day, a month or a year when something happened.

Part of the normalize stage. Each rule pairs a compiled pattern with a reader that turns a match
(and the report's publication date, the anchor) into an ISO value at the precision the words
support: "December 29, 2023" a day, "in May" a month, "late 2023" a year. Dates without a year
("April 26", "on Friday", "last month") are resolved against the anchor only, never against
today; with no anchor they read as None. `dates` runs these rules with those of `date_periods`.
"""

from __future__ import annotations

import re
from typing import Final

from tidings.normalize.date_patterns import (
    MONTH_WORDS,
    NUMBER,
    ONLY_WEEKDAY_BEFORE,
    QUALIFIER,
    QUALIFIER_BEFORE,
    QUALIFIER_LAST_WORDS,
    SPACE,
    THE_BEFORE,
    WEEKDAY,
    WEEKDAY_BEFORE,
    WEEKDAY_NAMES,
    Reading,
    Rule,
    any_case,
    day,
    is_count,
    last_word,
    look_back,
    make_rule,
    month,
    read_month,
    read_number,
    read_year_offset,
    relative_reading,
    year,
)
from tidings.normalize.date_values import (
    PartialDate,
    find_weekday,
    make_date,
    pick_nearest_year,
    shift_days,
    shift_months,
)

_LEAP_YEAR = 2000  # any leap year: a day without a year is a day if it exists in some year
_WEEKDAY_NUMBERS: Final = {name.casefold(): number for number, name in enumerate(WEEKDAY_NAMES)}
_RELATIVE_DAYS: Final = {"yesterday": -1, "today": 0, "tomorrow": 1}
_RELATIONS: Final = ("last", "this", "next")
_CONTEXT_WORDS: Final = (
    *("in", "since", "by", "until", "till", "from", "to", "through", "during"),
    *("before", "after", "of", "and", "or", "between", "for"),
)

# Look-backs: the words before a core token that decide whether, or how, it is a date.
_MONTH_CONTEXT: Final = re.compile(
    rf"(?:{any_case(*_RELATIONS, tail=SPACE)}|{QUALIFIER}|{any_case(*_CONTEXT_WORDS, tail=SPACE)})\Z"
)
_WEEKDAY_RELATION: Final = re.compile(rf"(?P<rel>{any_case('last', 'next', 'this', 'past', tail='')})\s+\Z")
_HOLIDAY_BEFORE: Final = re.compile(rf"(?:{any_case('good', 'black', 'cyber', tail=SPACE)})\Z")  # "Good Friday"
_YEAR_MODIFIERS = any_case(
    "earlier this", "later this", "so far this", *_RELATIONS, "the previous", "the current", tail=""
)
_YEAR_MODIFIER: Final = re.compile(rf"(?P<r>{_YEAR_MODIFIERS})\s+\Z")
_MONTH_MODIFIER: Final = re.compile(
    rf"(?P<r>{any_case('earlier this', 'later this', *_RELATIONS, 'the previous', tail='')})\s+\Z"
)
# "in July, August and September 2023": a list of months shares the year after the last one,
# and a month after another in such a list needs no preposition of its own.
_LIST_SEPARATOR = r"(?:\s*,\s*(?:(?i:and|or)\s+)?|\s+(?i:and|or)\s+)"
_SHARED_YEAR_AFTER: Final = re.compile(rf"(?:{_LIST_SEPARATOR}(?:{MONTH_WORDS}))+[\s,]+{year('y')}")
_MONTH_LIST_BEFORE: Final = re.compile(rf"(?:{MONTH_WORDS}){_LIST_SEPARATOR}\Z")
_AGO_AMOUNT: Final = re.compile(rf"{NUMBER}\s+(?P<unit>(?i:years?|months?|days?))\s+\Z")


def _absolute(point: PartialDate | None, start: int | None = None) -> Reading | None:
    """Return the reading of a date spelled out in full, or None when it is not on the calendar."""
    return None if point is None else Reading(point.to_iso(), "date", False, start)


def _read_full_date(match: re.Match[str], anchor: PartialDate | None) -> Reading | None:
    """Read "2023-12-29", "December 29, 2023", "29 Dec 2023": a weekday beside them is ignored."""
    number = read_month(match["mon"]) if "mon" in match.re.groupindex else int(match["mo"])
    if number is None:
        return None
    return _absolute(make_date(int(match["y"]), number, int(match["d"])))


def _read_numeric_date(match: re.Match[str], anchor: PartialDate | None) -> Reading | None:
    """Read "29.12.2023" (day first) and "12/29/2023" or "29/12/2023" (whichever is possible).

    Dots are the European day.month.year. With slashes or dashes a part above 12 must be the day;
    when both parts could be the month ("03/04/2023") only the year is certain, so only the year
    is given.
    """
    first, second, year_ = int(match["a"]), int(match["b"]), int(match["y"])
    if match["s"] == "." or first > 12:
        orders = [(second, first), (first, second)]
    elif second > 12 or first == second:
        orders = [(first, second)]
    else:
        return _absolute(make_date(year_))
    for month_, day_ in orders:
        point = make_date(year_, month_, day_)
        if point is not None:
            return _absolute(point)
    return None


def _read_day_without_year(match: re.Match[str], anchor: PartialDate | None) -> Reading | None:
    """Read "December 29" or "29 December" in the year that puts it closest to the anchor."""
    number, day_ = read_month(match["mon"]), int(match["d"])
    if number is None or make_date(_LEAP_YEAR, number, day_) is None:
        return None
    return relative_reading(None if anchor is None else pick_nearest_year(anchor, number, day_))


def _read_month_year(match: re.Match[str], anchor: PartialDate | None) -> Reading | None:
    """Read "December 2023", "Dec. 2023" (a qualifier before it is added by the rule's look-back)."""
    number = read_month(match["mon"])
    return None if number is None else _absolute(make_date(int(match["y"]), number))


def _read_month_alone(match: re.Match[str], anchor: PartialDate | None) -> Reading | None:
    """Read "in May", "since early March", "last May": a month whose year the anchor decides.

    A capitalised "May" or "March" with no preposition or qualifier before it is left alone: it
    is too often the verb at the start of a sentence or a name ("Theresa May said").
    """
    number = read_month(match["mon"])
    context = look_back(_MONTH_CONTEXT, match.string, match.start())
    if context is None:
        context = look_back(_MONTH_LIST_BEFORE, match.string, match.start())
    if number is None or context is None:
        return None
    first_word = context.group(0).split()[0].casefold()
    relation = first_word if first_word in _RELATIONS else ""
    # "last" or a qualifier ("early") belongs to the mention; a preposition or a list does not.
    qualified = QUALIFIER_BEFORE.fullmatch(context.group(0)) is not None
    start = context.start() if relation or qualified else None
    shared = _SHARED_YEAR_AFTER.match(match.string, match.end()) if not relation else None
    if shared is not None:
        return _absolute(make_date(int(shared["y"]), number), start)
    if anchor is None:
        point = None
    elif relation in ("last", "next"):
        point = None if anchor.month is None else _step_to_month(anchor.year, anchor.month, number, relation)
    elif relation == "this":
        point = make_date(anchor.year, number)
    else:
        point = pick_nearest_year(anchor, number)
    return Reading(None if point is None else point.to_iso(), "date", True, start)


def _step_to_month(year_: int, month_: int, number: int, relation: str) -> PartialDate | None:
    """Return month `number` strictly after ("next") or before ("last") the anchor's month."""
    if relation == "next":
        return make_date(year_ + (0 if number > month_ else 1), number)
    return make_date(year_ - (0 if number < month_ else 1), number)


def _read_weekday(match: re.Match[str], anchor: PartialDate | None) -> Reading | None:
    """Read "on Friday" as the last Friday on or before the anchor; "next Friday" after it."""
    weekday = _WEEKDAY_NUMBERS.get(match["wd"].casefold())
    if weekday is None or look_back(_HOLIDAY_BEFORE, match.string, match.start()):
        return None
    context = look_back(_WEEKDAY_RELATION, match.string, match.start())
    relation = "" if context is None else context["rel"].casefold()
    start = None if context is None else context.start()
    if anchor is None:
        return Reading(None, "date", True, start)
    if relation == "next":
        point = find_weekday(anchor, weekday, step="after")
    else:
        point = find_weekday(anchor, weekday, step="before" if relation in ("last", "past") else "on_or_before")
    return Reading(None if point is None else point.to_iso(), "date", True, start)


def _read_year(match: re.Match[str], anchor: PartialDate | None) -> Reading | None:
    """Read a four-digit year ("in 2005", "mid-2023"), unless it is a count or an amount."""
    start, end = match.span("y")
    qualified = last_word(match.string, start) in QUALIFIER_LAST_WORDS
    qualifier = look_back(QUALIFIER_BEFORE, match.string, start) if qualified else None
    if qualifier is None and is_count(match.string, start, end):
        return None
    return _absolute(make_date(int(match["y"])), None if qualifier is None else qualifier.start())


def _read_modifier(match: re.Match[str], modifier: re.Pattern[str]) -> re.Match[str] | None:
    """Return the modifier before "year" or "month" ("last", "earlier this"), unless it is vague.

    "The last year" and "the last month" are the past twelve months or thirty days, not a
    calendar year or month.
    """
    found = look_back(modifier, match.string, match.start())
    if found is None:
        return None
    vague = found["r"].casefold() == "last" and look_back(THE_BEFORE, match.string, found.start()) is not None
    return None if vague else found


def _read_relative_year(match: re.Match[str], anchor: PartialDate | None) -> Reading | None:
    """Read "last year", "earlier this year", "at the end of last year", "the previous year"."""
    found = _read_modifier(match, _YEAR_MODIFIER)
    if found is None:
        return None
    point = None if anchor is None else make_date(anchor.year + read_year_offset(found["r"]))
    return Reading(None if point is None else point.to_iso(), "date", True, found.start())


def _read_relative_month(match: re.Match[str], anchor: PartialDate | None) -> Reading | None:
    """Read "last month", "earlier this month": needs an anchor at least month-precise."""
    found = _read_modifier(match, _MONTH_MODIFIER)
    if found is None:
        return None
    point = None if anchor is None else shift_months(anchor, read_year_offset(found["r"]))
    return Reading(None if point is None else point.to_iso(), "date", True, found.start())


def _read_ago(match: re.Match[str], anchor: PartialDate | None) -> Reading | None:
    """Read "two months ago", "three years ago", "5 days ago" at the precision of the unit."""
    found = look_back(_AGO_AMOUNT, match.string, match.start())
    count = None if found is None else read_number(found["n"])
    if found is None or not count:
        return None
    unit = found["unit"].casefold()
    if anchor is None:
        point = None
    elif unit.startswith("year"):
        point = make_date(anchor.year - count)
    elif unit.startswith("month"):
        point = shift_months(anchor, -count)
    else:
        point = shift_days(anchor, -count)
    return Reading(None if point is None else point.to_iso(), "date", True, found.start())


def _read_relative_day(match: re.Match[str], anchor: PartialDate | None) -> Reading | None:
    """Read "yesterday", "today", "tomorrow": needs a day-precise anchor."""
    offset = _RELATIVE_DAYS.get(match.group(0).casefold())
    if offset is None:
        return None
    return relative_reading(None if anchor is None else shift_days(anchor, offset))


_NUMERIC_END = r"(?![0-9]|[-/.][0-9])"
_YEAR_START = r"(?:19|20)(?<![0-9A-Za-z.,/-]..)[0-9]{2}"  # a year that does not continue a number

POINT_RULES: Final[tuple[Rule, ...]] = (
    make_rule(
        "iso_day",
        rf"(?P<y>{_YEAR_START})(?P<s>[-/.])(?P<mo>[0-9]{{2}})(?P=s)(?P<d>[0-9]{{2}}){_NUMERIC_END}",
        _read_full_date,
        needs="year",
    ),
    make_rule(
        "numeric_day",
        r"(?P<a>[0-9](?<![0-9A-Za-z.,/-][0-9])[0-9]?)(?P<s>[-/.])(?P<b>[0-9]{1,2})(?P=s)"
        rf"(?P<y>(?:19|20)[0-9]{{2}}){_NUMERIC_END}",
        _read_numeric_date,
        needs="year",
    ),
    make_rule(
        "month_day_year",
        rf"{month('mon')}\s*{day('d')}(?:\s*,\s*|\s+)(?:(?i:of)\s+)?{year('y')}",
        _read_full_date,
        needs="month",
        extend=ONLY_WEEKDAY_BEFORE,
    ),
    make_rule(
        "day_month_year",
        rf"{day('d')}(?:\s+(?i:of))?[\s-]*{month('mon')}[\s,-]*{year('y')}",
        _read_full_date,
        needs="month",
        extend=WEEKDAY_BEFORE,
    ),
    make_rule(
        "month_day",
        rf"{month('mon')}\s*{day('d')}",
        _read_day_without_year,
        needs="month",
        extend=ONLY_WEEKDAY_BEFORE,
    ),
    make_rule(
        "day_month",
        rf"{day('d')}(?:\s+(?i:of))?[\s-]*{month('mon')}",
        _read_day_without_year,
        needs="month",
        extend=WEEKDAY_BEFORE,
    ),
    make_rule(
        "month_year",
        rf"{month('mon')}[\s,]*(?:(?i:of)\s+)?{year('y')}",
        _read_month_year,
        needs="month",
        extend=QUALIFIER_BEFORE,
    ),
    make_rule("month_alone", month("mon"), _read_month_alone, needs="month"),
    make_rule("weekday", WEEKDAY, _read_weekday, needs="weekday"),
    make_rule(
        "year",
        r"(?P<y>(?:19|20)(?<![0-9A-Za-z$€£¥#№]..)(?<![0-9][.,/–—-]..)[0-9]{2})"
        r"(?![0-9A-Za-z]|[.,][0-9]|[-/–—][0-9]|-(?i:strong|odd|plus))",
        _read_year,
        needs="year",
    ),
    make_rule(
        "relative_year",
        any_case("year", tail=r"(?![A-Za-z-])"),
        _read_relative_year,
        needs="word",
        extend=QUALIFIER_BEFORE,
    ),
    make_rule("relative_month", any_case("month", tail=r"(?![A-Za-z-])"), _read_relative_month, needs="word"),
    make_rule("ago", any_case("ago"), _read_ago, needs="word"),
    make_rule("relative_day", any_case("yesterday", "today", "tomorrow"), _read_relative_day, needs="word"),
)
