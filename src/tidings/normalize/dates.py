"""Find and read dates and periods in report text: the public face of date normalisation.

Part of the normalize stage. In comes a sentence (or a phrase) and, optionally, the report's
publication date as the anchor; out come `DateMention`s (`find_dates`) or one ISO value
(`parse_date`, `parse_period`) at the precision the words support: "2023-12-29", "2023-12",
"2023", or an interval "2023-01/2023-11". Our own rules (`date_rules`, `date_periods`) find the
mentions; dateparser only reads a candidate they leave over, such as a month named in Russian
("29 декабря 2023"). Relative dates resolve against the anchor alone, never against today, so
the same input always gives the same output; without an anchor they read as None.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final, Literal, NamedTuple

from tidings.normalize.date_patterns import (
    LOOK_BACK_CHARS,
    MEASURE_AFTER,
    MONTH_NUMBERS,
    Reading,
    Rule,
    find_features,
    look_back,
)
from tidings.normalize.date_periods import PERIOD_RULES
from tidings.normalize.date_rules import POINT_RULES
from tidings.normalize.date_values import (
    PartialDate,
    date_precision,
    dates_compatible,
    format_interval,
    make_date,
    period_bounds,
    read_anchor,
    read_value,
)

__all__ = [
    "DateMention",
    "date_precision",
    "dates_compatible",
    "find_dates",
    "parse_date",
    "parse_period",
    "period_bounds",
]

# Periods come first so that, on a tie in length, the reading as a span wins.
_RULES: Final[tuple[Rule, ...]] = (*PERIOD_RULES, *POINT_RULES)
_POINT_READING_RULES: Final = tuple(rule for rule in _RULES if not rule.cumulative)
# A month named in another language before a year: "29 декабря 2023", "12 yanvar 2024",
# "décembre 2023". A word in ASCII letters needs a day before it, or "since 2005" would qualify.
_YEAR_TOKEN: Final = re.compile(r"(?:19|20)(?<![0-9]..)[0-9]{2}(?![0-9])")
_FOREIGN_BEFORE: Final = re.compile(r"(?:(?P<d>[0-9]{1,2})[.\-\s]\s*)?(?P<word>[^\W\d_]{3,12})\.?,?\s*\Z")
_FOREIGN_WORD_LENGTHS: Final = range(3, 13)  # month names, abbreviated or inflected ("сентября")
# dateparser takes 1-10 ms a call (200 ms when it first loads a language), so a text gets at most
# this many; real reports have one or two such dates, a junk text could have thousands.
MAX_DATEPARSER_READS = 8
# The languages of the outlets the reports come from (English, Russian, Uzbek, Kazakh, Turkish)
# plus the three most common European ones; a longer list slows every call.
DATEPARSER_LANGUAGES: Final = ("en", "ru", "uz", "kk", "tr", "fr", "de", "es")
# Two relative bases that differ in year, month and day: a part of dateparser's answer that
# changes with the base was filled in from the base, not read from the text ("15 and 2023").
_PROBE_BASES: Final = (datetime(2001, 1, 1), datetime(2002, 7, 15))


@dataclass(frozen=True)
class DateMention:
    """A date or period found in a text, with its character span and ISO value.

    `text[start:end] == mention.text`. `value` is None when the mention needs an anchor that was
    not given ("last year" with no publication date). `kind` is "period" for a span a figure
    covers ("first half of 2024", "2024-25"), "date" otherwise. `relative` is True when the value
    was resolved against the anchor, or would need it.
    """

    start: int
    end: int
    text: str
    value: str | None
    kind: Literal["date", "period"]
    relative: bool


class _Candidate(NamedTuple):
    """A match waiting for the longest-first selection; reading None means dateparser reads it."""

    start: int
    end: int
    order: int
    reading: Reading | None


def find_dates(text: str, anchor: str | None = None) -> list[DateMention]:
    """Return the dates and periods in the text: non-overlapping, longest match first, by start.

    Raises:
        ValueError: the anchor is not an ISO date (the text itself never makes this raise).
    """
    return _scan(text, read_anchor(anchor), cumulative=True)


def parse_date(text: str, anchor: str | None = None) -> str | None:
    """Return the ISO value of the date a phrase names ("in December 2023" -> "2023-12"), or None.

    The longest date in the phrase wins. An ISO value comes back unchanged. "By November" reads as
    the month, not as the span up to it (see `parse_period`). None when the phrase holds no date
    or needs an anchor that is missing.

    Raises:
        ValueError: the anchor is not an ISO date.
    """
    return _read_phrase(text, read_anchor(anchor), cumulative=False)


def parse_period(text: str, anchor: str | None = None) -> str | None:
    """Return the ISO period a phrase gives a figure ("first half of 2024" -> "2024-01/2024-06").

    Like `parse_date`, except that "by November" reads as January to November of the year the
    anchor picks, and "by the end of 2023" as 2023. None when the phrase holds no date.

    Raises:
        ValueError: the anchor is not an ISO date.
    """
    return _read_phrase(text, read_anchor(anchor), cumulative=True)


def _read_phrase(text: str, anchor: PartialDate | None, *, cumulative: bool) -> str | None:
    """Return the value of an ISO phrase as written, else of the longest mention in it."""
    ends = read_value(text.strip())
    if ends is not None:
        return format_interval(*ends)
    mentions = _scan(text, anchor, cumulative=cumulative)
    if not mentions:
        return None
    return max(mentions, key=lambda mention: mention.end - mention.start).value


def _scan(text: str, anchor: PartialDate | None, *, cumulative: bool) -> list[DateMention]:
    """Return the mentions found by the rules whose features (cheap searches) are in the text."""
    features = find_features(text)
    if not features:
        return []
    rules = tuple(rule for rule in (_RULES if cumulative else _POINT_READING_RULES) if rule.needs & features)
    candidates = _iter_candidates(text, anchor, rules, foreign="year" in features)
    return _select(text, candidates)


def _iter_candidates(
    text: str, anchor: PartialDate | None, rules: tuple[Rule, ...], *, foreign: bool
) -> Iterator[_Candidate]:
    """Yield every rule's readable matches, then (if `foreign`) the candidates left for dateparser."""
    for order, rule in enumerate(rules):
        for match in rule.pattern.finditer(text):
            reading = rule.read(match, anchor)
            if reading is None or _is_quantity(text, match.end()):
                continue
            start = match.start() if reading.start is None else reading.start
            extension = None if rule.extend is None else look_back(rule.extend, text, start)
            start = start if extension is None else extension.start()
            yield _Candidate(start, match.end(), order, reading)
    if foreign:
        yield from _iter_foreign_candidates(text, order=len(rules))


def _iter_foreign_candidates(text: str, *, order: int) -> Iterator[_Candidate]:
    """Yield "(day) word year" spans whose word may be a month in another language."""
    for match in _YEAR_TOKEN.finditer(text):
        before = text[max(0, match.start() - LOOK_BACK_CHARS) : match.start()].rstrip(" ,.")
        head, _, word = before.rpartition(" ")
        if len(word) not in _FOREIGN_WORD_LENGTHS or not word.isalpha() or word.casefold() in MONTH_NUMBERS:
            continue
        if word.isascii() and not head.rstrip(" .-")[-1:].isdigit():
            continue
        found = look_back(_FOREIGN_BEFORE, text, match.start())
        if found is not None and (found["d"] or not found["word"].isascii()):
            yield _Candidate(found.start(), match.end(), order, None)


def _is_quantity(text: str, end: int) -> bool:
    """Return True when a mention ending in a number runs into a unit ("May 2 million", "2023 tons")."""
    return text[end - 1].isdigit() and MEASURE_AFTER.match(text, end) is not None


def _select(text: str, candidates: Iterator[_Candidate]) -> list[DateMention]:
    """Return the longest non-overlapping candidates (earlier start, then rule order, on ties)."""
    starts: list[int] = []
    ends: list[int] = []
    mentions: list[DateMention] = []
    dateparser_reads = 0
    for candidate in sorted(candidates, key=lambda c: (c.start - c.end, c.start, c.order)):
        index = bisect.bisect_left(starts, candidate.end)
        if index and ends[index - 1] > candidate.start:
            continue
        reading = candidate.reading
        if reading is None:
            if dateparser_reads >= MAX_DATEPARSER_READS:
                continue
            dateparser_reads += 1
            value = _read_with_dateparser(text[candidate.start : candidate.end])
            if value is None:
                continue
            reading = Reading(value, "date", False)
        starts.insert(index, candidate.start)
        ends.insert(index, candidate.end)
        phrase = text[candidate.start : candidate.end]
        mention = DateMention(candidate.start, candidate.end, phrase, reading.value, reading.kind, reading.relative)
        mentions.insert(index, mention)
    return mentions


@functools.lru_cache(maxsize=4096)
def _read_with_dateparser(candidate: str) -> str | None:
    """Return the ISO date dateparser reads in a candidate, if every part of it is in the text."""
    values = {_probe_dateparser(candidate, base) for base in _PROBE_BASES}
    return values.pop() if len(values) == 1 else None


def _probe_dateparser(candidate: str, base: datetime) -> str | None:
    """Return dateparser's reading of the candidate with a given relative base, at its precision."""
    try:
        data = _get_dateparser(base).get_date_data(candidate)
    except (ValueError, OverflowError):
        return None
    moment, period = data.date_obj, data.period
    if not isinstance(moment, datetime) or f"{moment.year:04d}" not in candidate:
        return None
    point = {
        "year": make_date(moment.year),
        "month": make_date(moment.year, moment.month),
        "day": make_date(moment.year, moment.month, moment.day),
    }.get(str(period))
    return None if point is None else point.to_iso()


@functools.lru_cache(maxsize=len(_PROBE_BASES))
def _get_dateparser(base: datetime) -> Any:
    """Return a dateparser DateDataParser with a fixed relative base (never today)."""
    # Imported here: loading dateparser costs a tenth of a second and most texts never need it.
    from dateparser.date import DateDataParser

    settings = {"RELATIVE_BASE": base, "REQUIRE_PARTS": ["year"], "PREFER_DAY_OF_MONTH": "first"}
    return DateDataParser(languages=list(DATEPARSER_LANGUAGES), settings=settings)
