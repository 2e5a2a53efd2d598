"""Rules for periods: the span of time a figure covers ("first half of 2024", "2024-25").

Part of the normalize stage. Each rule pairs a compiled pattern with a reader that turns a match
and the anchor (the report's publication date) into an ISO interval "START/END" at the precision
the words support: months for "January-November 2023" ("2023-01/2023-11"), years for "2024-25"
("2024/2025"). Vague spans ("over the past two years", "the last three months") give nothing.
`dates` runs these rules with those of `date_rules`.
"""

from __future__ import annotations

import re
from typing import Final, NamedTuple

from tidings.normalize.date_patterns import (
    NUMBER,
    ORDINAL_VALUES,
    QUALIFIER_BEFORE,
    RANGE_BEFORE,
    SPACE,
    THE_BEFORE,
    YEAR_EXPRESSION,
    Reading,
    Rule,
    any_case,
    day,
    is_count,
    look_back,
    make_rule,
    month,
    read_month,
    read_number,
    read_year_offset,
    year,
)
from tidings.normalize.date_values import (
    PartialDate,
    format_interval,
    make_date,
    pick_nearest_year,
    read_value,
)

# A two-digit end year ("2022-24") more than this many years on is more likely something else
# (a code, a score); fiscal and plan periods in the reports span one to five years.
MAX_SHORT_SPAN = 10
# A four-digit range ("1990-2020") longer than a century is not a period of any report.
MAX_LONG_SPAN = 100
_HALVES: Final = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "latter": 2, "last": 2}
_QUARTERS: Final = {**ORDINAL_VALUES, "final": 4, "last": 4}
_FULL_YEAR = r"(?:19|20)[0-9]{2}"
_CONNECTOR = r"(?:[-–—]|(?P<w>(?i:to|through|thru|until|till|and))(?=\s))"
_FISCAL_BEFORE: Final = re.compile(rf"(?:{any_case('fy', tail=r'[ ]*')})\Z")


class _RangeContext(NamedTuple):
    """The words before a range ("between", which allows "and"; "from"; "FY") and where they start."""

    between: bool
    fiscal: bool
    start: int


def _read_range_context(match: re.Match[str], *, fiscal: bool = False) -> _RangeContext:
    """Return what stands before a range: "FY" (when asked), then "between" or "from"."""
    start = match.start()
    fiscal_match = look_back(_FISCAL_BEFORE, match.string, start) if fiscal else None
    if fiscal_match is not None:
        start = fiscal_match.start()
    words = look_back(RANGE_BEFORE, match.string, start)
    if words is None:
        return _RangeContext(False, fiscal_match is not None, start)
    return _RangeContext(words.group(0).casefold().startswith("between"), fiscal_match is not None, words.start())


def _interval(start: PartialDate | None, end: PartialDate | None) -> str | None:
    """Return "START/END" for two valid dates in order, else None."""
    if start is None or end is None or start.first_day() > end.last_day():
        return None
    return format_interval(start, end)


def _months(year_: int | None, first: int, last: int) -> str | None:
    """Return the interval of months first..last of one year (None without a year)."""
    return None if year_ is None else _interval(make_date(year_, first), make_date(year_, last))


def _resolve_year(match: re.Match[str], anchor: PartialDate | None) -> tuple[int | None, bool] | None:
    """Return (year, relative) from the YEAR_EXPRESSION groups, or None when they did not match."""
    if match["y"]:
        return int(match["y"]), False
    if match["ry"]:
        return (None if anchor is None else anchor.year + read_year_offset(match["ry"])), True
    return None


def _first_group(match: re.Match[str], names: tuple[str, ...]) -> str | None:
    """Return the first of the named groups that matched."""
    return next((match[name] for name in names if match[name] is not None), None)


def _bad_connector(match: re.Match[str], context: _RangeContext) -> bool:
    """Return True for "January and March" without "between": two dates, not a span."""
    return (match["w"] or "").casefold() == "and" and not context.between


def _read_iso_interval(match: re.Match[str], anchor: PartialDate | None) -> Reading | None:
    """Read an interval already written as ISO ("2023-01/2023-11")."""
    ends = read_value(match.group(0))
    return None if ends is None else Reading(format_interval(*ends), "period", False)


def _read_year_range(match: re.Match[str], anchor: PartialDate | None) -> Reading | None:
    """Read "2024-25", "FY2024/25", "2022-2024", "between 2020 and 2023"; "2023-12" is a month.

    A two-digit second part is the next year when it is one more than the first year ("2011-12"
    is the fiscal year), else a month from 01 to 12 when written as ISO ("2023-05"), else a later
    year close by ("2022-24").
    """
    text, first, second_text = match.string, int(match["y1"]), match["y2"]
    context = _read_range_context(match, fiscal=True)
    glued_to_word = match.start() > 0 and text[match.start() - 1].isalpha() and not context.fiscal
    if glued_to_word or _bad_connector(match, context) or is_count(text, match.start("y1"), match.end("y2")):
        return None
    if len(second_text) == 4:
        end = int(second_text)
        return _year_span(first, end, context.start) if 0 < end - first <= MAX_LONG_SPAN else None
    if match["w"]:
        return None
    second, century = int(second_text), first - first % 100
    if second == (first + 1) % 100:
        return _year_span(first, first + 1, context.start)
    is_iso_month = text[match.end("y1") : match.start("y2")] == "-"
    if is_iso_month and context.start == match.start() and 1 <= second <= 12:
        point = make_date(first, second)
        return None if point is None else Reading(point.to_iso(), "date", False)
    if 0 < second - first % 100 <= MAX_SHORT_SPAN:
        return _year_span(first, century + second, context.start)
    return None


def _year_span(first: int, last: int, start: int | None = None) -> Reading | None:
    """Return the period reading of a span of whole years."""
    value = _interval(make_date(first), make_date(last))
    return None if value is None else Reading(value, "period", False, start)


def _read_decade(match: re.Match[str], anchor: PartialDate | None) -> Reading | None:
    """Read "the 2030s" as the ten years it names."""
    return _year_span(int(match["y"]) * 10, int(match["y"]) * 10 + 9)


def _read_by(match: re.Match[str], anchor: PartialDate | None) -> Reading | None:
    """Read "by November" as January to November, "by the end of 2023" and "by 2030" as the year.

    A month without a year takes the year closest to the anchor: a figure "by November" in a
    January 2024 report covers January to November 2023.
    """
    if match["mon"]:
        number = read_month(match["mon"])
        if number is None:
            return None
        if match["my"]:
            return Reading(_months(int(match["my"]), 1, number), "period", False)
        point = None if anchor is None else pick_nearest_year(anchor, number)
        return Reading(_months(None if point is None else point.year, 1, number), "period", True)
    if match["y"] and is_count(match.string, match.start("y"), match.end("y")):
        return None
    resolved = _resolve_year(match, anchor)
    if resolved is None:
        return None
    year_, relative = resolved
    point = None if year_ is None else make_date(year_)
    return Reading(None if point is None else point.to_iso(), "period", relative)


def _read_edge_months(match: re.Match[str], anchor: PartialDate | None) -> Reading | None:
    """Read "the first five months of 2023", "first eight months" (of the anchor's year).

    "The last three months" with no year is the vague recent past, not a calendar span.
    """
    edge = match["edge"].casefold()
    count = read_number(match["n"])
    resolved = _resolve_year(match, anchor)
    if resolved is None:
        if edge != "first" or count is None:
            return None
        resolved = (None if anchor is None else anchor.year), True
    if count is None:
        count = None if match["pl"] else 1
    if count is None or not 1 <= count <= 12:
        return None
    first, last = (1, count) if edge == "first" else (13 - count, 12)
    return Reading(_months(resolved[0], first, last), "period", resolved[1])


def _read_part_of_year(match: re.Match[str], anchor: PartialDate | None, *, part: int, parts: int) -> Reading:
    """Return the reading of the part-th of `parts` equal parts (halves, quarters) of a year."""
    size = 12 // parts
    resolved = _resolve_year(match, anchor) or (None, False)
    return Reading(_months(resolved[0], (part - 1) * size + 1, part * size), "period", resolved[1])


def _read_half(match: re.Match[str], anchor: PartialDate | None) -> Reading | None:
    """Read "the first half of 2024", "second half of last year"."""
    part = _HALVES.get(match["h"].casefold())
    return None if part is None else _read_part_of_year(match, anchor, part=part, parts=2)


def _read_quarter(match: re.Match[str], anchor: PartialDate | None) -> Reading | None:
    """Read "the first quarter of 2023", "the fourth quarter of last year"."""
    part = _QUARTERS.get(match["q"].casefold())
    return None if part is None else _read_part_of_year(match, anchor, part=part, parts=4)


def _compact(letter: str, digits: str) -> str:
    """Return the pattern of compact halves or quarters: "H1 2024", "1H24", "Q3'22", "2023 Q1"."""
    edge = r"(?<![0-9A-Za-z].)"  # after the first character: it may not continue a word or number
    return (
        rf"(?:{letter}{edge}(?P<a1>{digits})\s*[-'/]?\s*(?P<y1>{_FULL_YEAR})"
        rf"|{letter}{edge}(?P<a2>{digits})'?(?P<y2>[0-9]{{2}})"
        rf"|(?P<a3>{digits}{edge}){letter}\s*'?\s*(?P<y3>{_FULL_YEAR})"
        rf"|(?P<a4>{digits}{edge}){letter}'?(?P<y4>[0-9]{{2}})"
        rf"|(?P<y5>(?:19|20)(?<![0-9A-Za-z]..)[0-9]{{2}})\s*[-/]?\s*{letter}(?P<a5>{digits}))(?![0-9A-Za-z])"
    )


def _read_compact(match: re.Match[str], *, size: int) -> Reading | None:
    """Read a compact half or quarter (`size` months long); two-digit years are 20YY."""
    part = _first_group(match, ("a1", "a2", "a3", "a4", "a5"))
    year_text = _first_group(match, ("y1", "y2", "y3", "y4", "y5"))
    if part is None or year_text is None:
        return None
    year_ = int(year_text) + (2000 if len(year_text) == 2 else 0)
    return Reading(_months(year_, (int(part) - 1) * size + 1, int(part) * size), "period", False)


def _read_compact_half(match: re.Match[str], anchor: PartialDate | None) -> Reading | None:
    """Read "H1 2024", "1H24", "2024 H2"."""
    return _read_compact(match, size=6)


def _read_compact_quarter(match: re.Match[str], anchor: PartialDate | None) -> Reading | None:
    """Read "Q3 2022", "3Q22", "Q1'23", "2023 Q4"."""
    return _read_compact(match, size=3)


def _read_month_range(match: re.Match[str], anchor: PartialDate | None) -> Reading | None:
    """Read "January-November 2023", "between January and November 2023", "from May to July".

    A range that wraps the new year ("November-February 2024") starts in the year before. With no
    year, the end month takes the year closest to the anchor.
    """
    first, last = read_month(match["m1"]), read_month(match["m2"])
    context = _read_range_context(match)
    if first is None or last is None or _bad_connector(match, context):
        return None
    resolved = _resolve_year(match, anchor)
    if resolved is None:
        point = None if anchor is None else pick_nearest_year(anchor, last)
        resolved = (None if point is None else point.year), True
    end_year, relative = resolved
    if end_year is None:
        return Reading(None, "period", relative, context.start)
    start_year = end_year if first <= last else end_year - 1
    value = _interval(make_date(start_year, first), make_date(end_year, last))
    return Reading(value, "period", relative, context.start)


def _read_month_year_range(match: re.Match[str], anchor: PartialDate | None) -> Reading | None:
    """Read "January 2022 to March 2023", "between May 2021 and June 2022"."""
    first, last = read_month(match["m1"]), read_month(match["m2"])
    context = _read_range_context(match)
    if first is None or last is None or _bad_connector(match, context):
        return None
    value = _interval(make_date(int(match["y1"]), first), make_date(int(match["y2"]), last))
    return None if value is None else Reading(value, "period", False, context.start)


def _read_day_range(match: re.Match[str], anchor: PartialDate | None) -> Reading | None:
    """Read "December 1-5, 2023" and "1-5 December 2023"; without a year, the anchor decides it."""
    number, first, last = read_month(match["mon"]), int(match["d1"]), int(match["d2"])
    if number is None or first >= last:
        return None
    relative = match["y"] is None
    if not relative:
        year_: int | None = int(match["y"])
    else:
        point = None if anchor is None else pick_nearest_year(anchor, number)
        year_ = None if point is None else point.year
    if year_ is None:
        return Reading(None, "period", relative)
    value = _interval(make_date(year_, number, first), make_date(year_, number, last))
    return None if value is None else Reading(value, "period", relative)


_ISO_PART = rf"{_FULL_YEAR}(?:-[0-9]{{2}}(?:-[0-9]{{2}})?)?"
_YEAR_END = r"(?![0-9]|[.,/–—-][0-9]|[A-Za-z])"
_YEAR_START = r"(?:19|20)(?<![0-9A-Za-z./-]..)[0-9]{2}"
_ORDINAL = rf"(?:{any_case('first', 'second', 'third', 'fourth', 'final', 'last', 'latter')}|1st|2nd|3rd|4th)"

PERIOD_RULES: Final[tuple[Rule, ...]] = (
    make_rule(
        "iso_interval",
        rf"{_YEAR_START}(?:-[0-9]{{2}}(?:-[0-9]{{2}})?)?/{_ISO_PART}{_YEAR_END}",
        _read_iso_interval,
        needs="year",
    ),
    make_rule(
        "year_range",
        # "Y" may touch the year: "FY2024-25"; the reader refuses any other letter before it.
        rf"(?P<y1>(?:19|20)(?<![0-9A-XZa-z$€£¥#№]..)(?<![0-9][.,/-]..)[0-9]{{2}})"
        rf"(?:\s*[-–—/]\s*|\s+(?P<w>(?i:to|through|thru|until|till|and))\s+)(?P<y2>{_FULL_YEAR}|[0-9]{{2}}){_YEAR_END}",
        _read_year_range,
        needs="year",
    ),
    make_rule(
        "decade",
        r"(?P<y>(?:19|20)(?<![0-9A-Za-z$€£¥#№]..)[0-9])0'?s(?![0-9A-Za-z])",
        _read_decade,
        needs="year",
        extend=QUALIFIER_BEFORE,
    ),
    make_rule(
        "by",
        rf"(?:{any_case('by', tail=SPACE)})(?:(?i:the\s+end\s+of)\s+|(?i:end)-)?"
        # Not before "-26": "by 2025-26" is the year span, read by "year_range".
        rf"(?:{month('mon')}(?:[\s,]+(?:(?i:of)\s+)?{year('my')}|(?!\s*[0-9]))|{YEAR_EXPRESSION})(?![-–—/][0-9])",
        _read_by,
        needs="year month word",
        cumulative=True,
    ),
    make_rule(
        "edge_months",
        rf"(?P<edge>{any_case('first', 'last', 'final')})\s+(?:{NUMBER}\s+)?(?i:month(?P<pl>s)?)(?![A-Za-z])"
        rf"(?:\s+(?i:of|in)\s+{YEAR_EXPRESSION})?",
        _read_edge_months,
        needs="word",
        extend=THE_BEFORE,
    ),
    make_rule(
        "half",
        rf"(?P<h>{_ORDINAL})\s+(?i:half)\s+(?:(?i:of)\s+)?{YEAR_EXPRESSION}",
        _read_half,
        needs="year word",
        extend=THE_BEFORE,
    ),
    make_rule(
        "quarter",
        rf"(?P<q>{_ORDINAL})\s+(?i:quarter)\s+(?:(?i:of)\s+)?{YEAR_EXPRESSION}",
        _read_quarter,
        needs="year word",
        extend=THE_BEFORE,
    ),
    make_rule("compact_half", _compact("H", "[12]"), _read_compact_half, needs="compact"),
    make_rule("compact_quarter", _compact("Q", "[1-4]"), _read_compact_quarter, needs="compact"),
    make_rule(
        "month_range",
        rf"{month('m1')}\s*{_CONNECTOR}\s*{month('m2')}(?:[\s,]+(?:(?i:of)\s+)?{YEAR_EXPRESSION})?",
        _read_month_range,
        needs="month",
    ),
    make_rule(
        "month_year_range",
        rf"{month('m1')}[\s,]*{year('y1')}\s*{_CONNECTOR}\s*{month('m2')}[\s,]*{year('y2')}",
        _read_month_year_range,
        needs="month",
    ),
    make_rule(
        "day_range",
        rf"{month('mon')}\s*{day('d1')}\s*[-–—]\s*{day('d2')}(?:(?:\s*,\s*|\s+){year('y')})?",
        _read_day_range,
        needs="month",
    ),
    make_rule(
        "day_range_first",
        rf"{day('d1')}\s*[-–—]\s*{day('d2')}[\s-]*{month('mon')}(?:[\s,]+{year('y')})?",
        _read_day_range,
        needs="month",
    ),
)
