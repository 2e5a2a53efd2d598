"""Extraction: the spans of time trade figures cover, beyond single date mentions.

A sentence, its date mentions and a year to fall back on in; date mentions with
period values out. Statistics are reported for spans that read as two or more
mentions ("in January and February of this year", "over the twelve months to
June") or that name no year ("In the third quarter alone"); this joins or
completes them into one interval ("2025-01/2025-02", "2024-07/2025-06",
"2025-07/2025-09"), leaving every other mention as it was.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from tidings.normalize.dates import DateMention

_JOINER = re.compile(r"^\s*(?:and|to|through|till|until|-|–|—)\s*$", re.IGNORECASE)
_OF = re.compile(r"^\s*(?:of|in)?\s*$", re.IGNORECASE)
_NUMBERS = {
    "three": 3,
    "six": 6,
    "nine": 9,
    "twelve": 12,
    "3": 3,
    "6": 6,
    "9": 9,
    "12": 12,
    "two": 2,
    "four": 4,
    "five": 5,
    "seven": 7,
    "eight": 8,
    "ten": 10,
    "eleven": 11,
}
_MONTHS_TO = re.compile(
    r"\b(?:(?P<n>" + "|".join(_NUMBERS) + r")\s+months|(?P<year>(?:fiscal\s+|financial\s+)?year))\s+"
    r"(?:to|ending(?:\s+in)?|through|until)\s+$",
    re.IGNORECASE,
)
# "fiscal year 2023-24 (July 2023 to June 2024)": the bracket spells the same period out.
_RESTATED = re.compile(r"^\s*\(\s*$")
_QUARTER = re.compile(
    r"\b(?:the\s+)?(?P<q>first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter\b(?!\s+(?:of\s+)?(?:\d{4}|this|last))",
    re.IGNORECASE,
)
_QUARTER_INDEX = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}


# A year pair written as a fiscal year: "2024-25", "FY2023-24", "FY 2024/25"; a full "2024-2025"
# counts only with fiscal wording around it ("the 2024-2025 fiscal year").
_SHORT_YEAR_PAIR = re.compile(r"^(?:FY\s*)?\d{4}\s*[-–/]\s*\d{2}$|^FY", re.IGNORECASE)
_FISCAL_WORDS = re.compile(r"\b(?:fiscal|financial|budget)\s+year\b|\bFY\b", re.IGNORECASE)
# How many characters either side of a year pair fiscal wording may stand ("the fiscal year 2024-25").
FISCAL_WORD_WINDOW = 20


def find_fiscal_start(texts_and_dates: list[tuple[str, tuple[DateMention, ...]]]) -> int | None:
    """The month a report's fiscal years start in, when it spells one out as a twelve-month span.

    Reports that count in fiscal years ("2024-25") usually spell the months out once
    ("FY2024-25 (July 2024 to June 2025)", "in April 2024–March 2025"); their other
    year pairs follow the same calendar. None when no such span is given, when spans
    disagree, or when they start in January (calendar years need no translation).
    """
    starts: set[int] = set()
    for text, dates in texts_and_dates:
        for mention in _join_month_pairs(text, list(dates)):
            value = mention.value or ""
            parts = value.split("/")
            if len(parts) != 2 or len(parts[0]) != 7 or len(parts[1]) != 7:
                continue
            first = int(parts[0][:4]) * 12 + int(parts[0][5:7])
            last = int(parts[1][:4]) * 12 + int(parts[1][5:7])
            if last - first == 11:
                starts.add(int(parts[0][5:7]))
    if len(starts) != 1:
        return None
    month = starts.pop()
    return None if month == 1 else month


def _fiscal_span(text: str, mention: DateMention, fiscal_start: int | None) -> DateMention:
    """ "2023-24" in a report whose fiscal year runs July-June: "2023-07/2024-06"."""
    value = mention.value or ""
    parts = value.split("/")
    if fiscal_start is None or len(parts) != 2 or len(parts[0]) != 4 or len(parts[1]) != 4:
        return mention
    if int(parts[1]) != int(parts[0]) + 1:
        return mention
    around = text[max(0, mention.start - FISCAL_WORD_WINDOW) : mention.end + FISCAL_WORD_WINDOW]
    if not (_SHORT_YEAR_PAIR.match(mention.text.strip()) or _FISCAL_WORDS.search(around)):
        return mention
    span = f"{parts[0]}-{fiscal_start:02d}/{parts[1]}-{fiscal_start - 1:02d}"
    return DateMention(mention.start, mention.end, mention.text, span, "period", True)


def figure_periods(
    text: str, dates: tuple[DateMention, ...], year: str | None, *, fiscal_start: int | None = None
) -> list[DateMention]:
    """The sentence's date mentions with month pairs joined, months-to-month spans and year-less quarters read.

    With `fiscal_start` (see `find_fiscal_start`), fiscal year pairs become month spans.
    """
    joined = _prefer_restated(text, _join_month_pairs(text, list(dates)))
    result = [_fiscal_span(text, _months_to(text, mention), fiscal_start) for mention in joined]
    if year:
        covered = [(m.start, m.end) for m in result]
        for match in _QUARTER.finditer(text):
            if any(s <= match.start() < e for s, e in covered):
                continue
            quarter = _QUARTER_INDEX[match.group("q").lower()]
            value = f"{year}-{3 * quarter - 2:02d}/{year}-{3 * quarter:02d}"
            result.append(DateMention(match.start(), match.end(), match.group(), value, "period", True))
    return sorted(result, key=lambda m: m.start)


def _prefer_restated(text: str, dates: list[DateMention]) -> list[DateMention]:
    kept: list[DateMention] = []
    for mention in dates:
        previous = kept[-1] if kept else None
        if (
            previous is not None
            and mention.value
            and "/" in mention.value
            and _RESTATED.match(text[previous.end : mention.start])
        ):
            kept[-1] = DateMention(
                previous.start, mention.end, text[previous.start : mention.end], mention.value, "period", True
            )
            continue
        kept.append(mention)
    return kept


def _is_month(mention: DateMention) -> bool:
    return mention.value is not None and len(mention.value) == 7 and mention.kind == "date"


def drop_qualifying_years(text: str, dates: list[DateMention]) -> list[DateMention]:
    """ "January and February of this year": the year qualifies the months, it is not a second period."""
    kept: list[DateMention] = []
    for mention in dates:
        previous = kept[-1] if kept else None
        if (
            previous is not None
            and previous.value
            and mention.value
            and len(mention.value) == 4
            and str(previous.value).startswith(mention.value)
            and _OF.match(text[previous.end : mention.start])
        ):
            kept[-1] = DateMention(
                previous.start, mention.end, text[previous.start : mention.end], previous.value, previous.kind, True
            )
            continue
        kept.append(mention)
    return kept


def _join_month_pairs(text: str, dates: list[DateMention]) -> list[DateMention]:
    joined: list[DateMention] = []
    for mention in dates:
        previous = joined[-1] if joined else None
        if (
            previous is not None
            and _is_month(previous)
            and _is_month(mention)
            and _JOINER.match(text[previous.end : mention.start])
            and str(previous.value) < str(mention.value)
        ):
            span = text[previous.start : mention.end]
            joined[-1] = DateMention(
                previous.start, mention.end, span, f"{previous.value}/{mention.value}", "period", True
            )
            continue
        joined.append(mention)
    return joined


def _months_to(text: str, mention: DateMention) -> DateMention:
    match = _MONTHS_TO.search(text[max(0, mention.start - 40) : mention.start])
    if match is None or not _is_month(mention) or mention.value is None:
        return mention
    count = 12 if match.group("year") else _NUMBERS[match.group("n").lower()]
    year, month = int(mention.value[:4]), int(mention.value[5:7])
    first = year * 12 + (month - 1) - (count - 1)
    start = f"{first // 12:04d}-{first % 12 + 1:02d}"
    begin = max(0, mention.start - 40) + match.start()
    return DateMention(begin, mention.end, text[begin : mention.end], f"{start}/{mention.value}", "period", True)


_WEEK = re.compile(r"\b(?P<which>this|last|past|previous)\s+week\b", re.IGNORECASE)


def week_mentions(text: str, anchor: str | None, found: list[DateMention]) -> list[DateMention]:
    """ "last week", "this week": the month they fall in, when the publication day is known."""
    if anchor is None or len(anchor) < 10:
        return []
    try:
        day = date.fromisoformat(anchor[:10])
    except ValueError:
        return []
    mentions = []
    for match in _WEEK.finditer(text):
        if any(d.start <= match.start() < d.end for d in found):
            continue
        when = day - timedelta(days=7) if match.group("which").lower() != "this" else day
        value = f"{when.year:04d}-{when.month:02d}"
        mentions.append(DateMention(match.start(), match.end(), match.group(), value, "date", True))
    return mentions
