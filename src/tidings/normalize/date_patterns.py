"""Building blocks shared by the date and period rules: regex pieces, word tables, guards.

Part of the normalize stage. Nothing here finds a date by itself: `date_rules` and
`date_periods` assemble these pieces into rules, and `dates` runs the rules over text. Month and
weekday names are matched case-sensitively (Title or UPPER case), so the verbs "may" and
"march" never read as months; function words ("last", "first", "between") match in any case.

Speed: Python's regex engine scans fast for a pattern that starts with a literal or a character
class, and 3-15 times slower (measured on a 200-character sentence) for one that starts with an
optional group, a case-insensitive group or a lookbehind. So every rule's pattern starts at its
core token ("2023", "December", "year"), a word boundary is checked by a lookbehind placed after
the first characters, and the words before the core that matter ("in May", "between January and
March", "last year") are found afterwards by a short look-back pattern ending in \\Z, searched
only in the few characters before the match.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Final, Literal, NamedTuple

from tidings.normalize.date_values import PartialDate

MONTH_NAMES: Final = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_MONTH_ABBREVIATIONS: Final = {
    "Jan": 1,
    "Feb": 2,
    "Mar": 3,
    "Apr": 4,
    "May": 5,  # only as "May." in a list of abbreviated months; bare "May" is the full name
    "Jun": 6,
    "Jul": 7,
    "Aug": 8,
    "Sep": 9,
    "Sept": 9,
    "Oct": 10,
    "Nov": 11,
    "Dec": 12,
}
MONTH_NUMBERS: Final[dict[str, int]] = {
    **{name.casefold(): number for number, name in enumerate(MONTH_NAMES, start=1)},
    **{abbreviation.casefold(): number for abbreviation, number in _MONTH_ABBREVIATIONS.items()},
}
WEEKDAY_NAMES: Final = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_NUMBER_WORDS: Final = (
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
)
NUMBER_VALUES: Final[dict[str, int]] = {
    "a": 1,
    "an": 1,
    **{word: number for number, word in enumerate(_NUMBER_WORDS, start=1)},
}
ORDINAL_VALUES: Final[dict[str, int]] = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
}
# Longest left context a look-back must see: "Wednesday, the " or "the first days of " plus spacing.
LOOK_BACK_CHARS = 40


def _bounded(words: Iterable[str], *, tail: str = r"(?![A-Za-z])") -> str:
    """Return an alternation of words in Title and UPPER case that do not continue a longer word.

    Each alternative checks the character before it with a lookbehind placed after the word, so
    the pattern still starts with a literal.
    """
    variants = sorted({variant for word in words for variant in (word, word.upper())}, key=len, reverse=True)
    return "|".join(f"{word}(?<![A-Za-z]{word}){tail}" for word in variants)


def any_case(*phrases: str, tail: str = r"(?![A-Za-z])") -> str:
    """Return an alternation of phrases whose first word is lower, Capitalised or UPPER case.

    Like `_bounded`, each alternative starts with a literal and checks the character before it
    afterwards; later words of a phrase match in any case.
    """
    alternatives = []
    for phrase in phrases:
        head, *rest = phrase.split()
        after = "".join(rf"\s+(?i:{word})" for word in rest)
        for variant in dict.fromkeys((head, head.capitalize(), head.upper())):
            alternatives.append(f"{variant}(?<![A-Za-z0-9]{variant}){after}{tail}")
    return "|".join(alternatives)


MONTH_FEATURE: Final = "|".join(f"{word[:3]}|{word[:3].upper()}" for word in MONTH_NAMES)
_ABBREVIATION_END = r"(?:\.|(?![A-Za-z]))"  # "Dec." or "Dec 29", never "Decision"
MONTH_WORDS: Final = f"{_bounded(MONTH_NAMES)}|{_bounded(_MONTH_ABBREVIATIONS, tail=_ABBREVIATION_END)}"
WEEKDAY: Final = rf"(?P<wd>{_bounded(WEEKDAY_NAMES)})"
SPACE: Final = r"\s+"
_WEEKDAY_THEN_THE = _bounded(WEEKDAY_NAMES, tail=r",?\s+(?:(?i:the)\s+)?")
WEEKDAY_BEFORE: Final = re.compile(rf"(?:{_WEEKDAY_THEN_THE}|{any_case('the', tail=SPACE)})\Z")
_WEEKDAY_THEN_SPACE = _bounded(WEEKDAY_NAMES, tail=r",?\s+")
ONLY_WEEKDAY_BEFORE: Final = re.compile(rf"(?:{_WEEKDAY_THEN_SPACE})\Z")


def month(name: str) -> str:
    """Return a pattern for a month name or abbreviation ("Dec.") captured as group `name`."""
    return rf"(?P<{name}>{MONTH_WORDS})"


def day(name: str) -> str:
    """Return a pattern for a day of the month ("29", "29th") captured as group `name`.

    The day may not continue a number ("1.29", "129"), run into a decimal ("May 2.5") or a
    thousands group ("May 2,500"), but may be followed by ", 2023".
    """
    return (
        rf"(?P<{name}>[0-9](?<![0-9][0-9])(?<![0-9][.,][0-9])[0-9]?)(?:st|nd|rd|th)?"
        r"(?![0-9A-Za-z]|\.[0-9]|,[0-9]{3}(?![0-9]))"
    )


def year(name: str) -> str:
    """Return a pattern for a four-digit year from 1900 to 2099 captured as group `name`."""
    return rf"(?P<{name}>(?:19|20)(?<![0-9]..)[0-9]{{2}})(?![0-9])"


# A qualifier before a year or month ("mid-2023", "the end of last year", "early March") keeps
# the precision of what it qualifies: we never turn "late 2023" into a month.
_EDGES = ("end", "beginning", "start", "middle", "turn", "close", "first days", "last days")
_SEASONS = ("spring", "summer", "autumn", "fall")
QUALIFIER: Final = "|".join(
    (
        any_case("early", "late", "mid", tail=r"(?:-|\s+)"),
        any_case(*(f"{the}{edge} of" for edge in _EDGES for the in ("the ", "")), tail=r"\s+"),
        any_case("end", tail="-"),
        any_case(*(f"{the}{season}" for season in _SEASONS for the in ("the ", "")), tail=r"\s+(?:(?i:of)\s+)?"),
    )
)
NUMBER: Final = rf"(?<![0-9A-Za-z.,])(?P<n>[0-9]{{1,2}}|(?i:{'|'.join(sorted(NUMBER_VALUES, key=len, reverse=True))}))"
# "this year", "last year", "the year", "2023": what a period ("first half of ...") is taken from.
YEAR_EXPRESSION: Final = (
    rf"(?:(?:(?i:the\s+year)\s+)?{year('y')}"
    r"|(?P<ry>(?i:(?:the\s+)?(?:this|current|last|previous|next|coming)\s+year|the\s+year))"
    r"(?![A-Za-z])(?!\s+(?:19|20)[0-9]{2}))"
)
QUALIFIER_BEFORE: Final = re.compile(rf"(?:{QUALIFIER})\Z")
# The word every qualifier ends with: a cheap test before the look-back regex.
QUALIFIER_LAST_WORDS: Final = frozenset(("early", "late", "mid", "of", "end", *_SEASONS))
THE_BEFORE: Final = re.compile(rf"(?:{any_case('the', tail=SPACE)})\Z")
RANGE_BEFORE: Final = re.compile(rf"(?:{any_case('between', 'from', tail=SPACE)})\Z")

# Words after a number that make it a quantity, not a date ("2023 tons", "May 2 million").
_MEASURES = (
    "percent|per\\s+cent|pct|tons?|tonnes?|kg|km|kilomet(?:re|er)s?|miles?|met(?:re|er)s?|hectares?|ha|"
    "mw|gw|kwh?|barrels?|million|billion|thousand|trillion|mln|bln|bn|mn|dollars?|usd|euros?|eur|"
    "rubles?|roubles?|tenge|soms?|sums?|afghanis?|afn|yuan|rupees?|square|cubic|sq"
)
MEASURE_AFTER: Final = re.compile(rf"\s*(?:%|(?i:{_MEASURES})(?![A-Za-z]))")
# Count nouns after a bare four-digit number ("2000 trucks"); a date preposition before it wins.
COUNT_AFTER: Final = re.compile(
    r"\s+(?i:people|persons|residents|troops|soldiers|fighters|workers|jobs|students|families|households|"
    r"refugees|migrants|members|companies|firms|enterprises|projects|agreements|contracts|documents|deals|"
    r"trucks|wagons|cars|vehicles|containers|units|items|times|heads?|sheep|cattle|delegates|participants)"
    r"(?![A-Za-z])"
)
# Labels and currency before a number that make it an identifier or an amount ("Volume 2021",
# "Resolution 1988", "$ 2000").
_LABELS: Final = frozenset(
    [
        "no",
        "nos",
        "nr",
        "vol",
        "volume",
        "issue",
        "iss",
        "p",
        "pp",
        "page",
        "pages",
        "art",
        "article",
        "resolution",
        "decree",
        "order",
        "flight",
        "route",
        "highway",
        "item",
        "number",
        "code",
        "isbn",
        "room",
        "box",
        "tel",
        "phone",
        "fax",
        "model",
    ]
)
_CURRENCY_SIGNS: Final = tuple("$€£¥#№")
# Hedges of quantity ("some 2000", "over 2000") make a following number a count unless the
# sentence moves on at once ("over 2023, trade grew").
_HEDGES: Final = frozenset(["over", "some", "nearly", "almost", "about", "approximately", "roughly"])
_TWO_WORD_HEDGES: Final = frozenset(
    {("more", "than"), ("less", "than"), ("fewer", "than"), ("up", "to"), ("at", "least")}
)
_DATE_PREPOSITIONS: Final = frozenset(["in", "since", "during", "until", "till", "before", "after"])

# Cheap searches that tell which rules can match at all; a rule names the features it needs.
FEATURES: Final[dict[str, re.Pattern[str]]] = {
    "year": re.compile(r"(?:19|20)[0-9]{2}"),
    "month": re.compile(MONTH_FEATURE),
    "weekday": re.compile("|".join(f"{word[:3]}|{word[:3].upper()}" for word in WEEKDAY_NAMES)),
    "word": re.compile(any_case("year", "month", "ago", "today", "yesterday", "tomorrow", tail="")),
    "compact": re.compile("|".join(("H1", "H2", "Q1", "Q2", "Q3", "Q4", "1H", "2H", "1Q", "2Q", "3Q", "4Q"))),
}


def find_features(text: str) -> frozenset[str]:
    """Return the names of the features present in the text."""
    return frozenset(name for name, pattern in FEATURES.items() if pattern.search(text))


def look_back(pattern: re.Pattern[str], text: str, start: int) -> re.Match[str] | None:
    """Return the longest match of a look-back pattern (ending in \\Z) that ends exactly at start."""
    return pattern.search(text, max(0, start - LOOK_BACK_CHARS), start)


def last_word(text: str, start: int) -> str:
    """Return the word just before `start`, casefolded and without the hyphen of "mid-"."""
    words = text[max(0, start - LOOK_BACK_CHARS) : start].rsplit(maxsplit=1)
    return words[-1].rstrip("-").casefold() if words else ""


def read_month(text: str | None) -> int | None:
    """Return the month number of a month name or abbreviation, or None."""
    return None if text is None else MONTH_NUMBERS.get(text.rstrip(".").casefold())


def read_number(text: str | None) -> int | None:
    """Return the value of a small number written in digits or words ("two", "12"), or None."""
    if text is None:
        return None
    return int(text) if text.isascii() and text.isdigit() else NUMBER_VALUES.get(text.casefold())


def read_year_offset(phrase: str) -> int:
    """Return the offset from the anchor's year of "last year" (-1), "this year" (0), "next year" (1)."""
    folded = phrase.casefold()
    if "last" in folded or "previous" in folded:
        return -1
    return 1 if "next" in folded or "coming" in folded else 0


def is_count(text: str, start: int, end: int) -> bool:
    """Return True when the number at text[start:end] reads as an amount or a count, not a year."""
    before = text[max(0, start - LOOK_BACK_CHARS) : start].rstrip()
    if before.endswith(_CURRENCY_SIGNS):
        return True
    words = tuple(word.strip(".,:;()[]").casefold() for word in before.split()[-2:])
    last = words[-1] if words else ""
    if last in _LABELS:
        return True
    moves_on = end + 1 >= len(text) or not (text[end].isspace() and text[end + 1].isalnum())
    if not moves_on and (last in _HEDGES or words in _TWO_WORD_HEDGES):
        return True
    return COUNT_AFTER.match(text, end) is not None and last not in _DATE_PREPOSITIONS


class Reading(NamedTuple):
    """What a rule read from one match: the ISO value (None when it needs a missing anchor).

    `start` moves the mention's start back over context words that belong to it ("last May").
    """

    value: str | None
    kind: Literal["date", "period"]
    relative: bool
    start: int | None = None


Reader = Callable[[re.Match[str], PartialDate | None], Reading | None]


@dataclass(frozen=True)
class Rule:
    """One way of writing a date: a pattern, the function that reads its matches, and its needs.

    `needs` names the FEATURES of which at least one must be in the text for the rule to run.
    `extend` is a look-back pattern for words that belong to the mention without changing its
    value ("mid-" before "2023", "Wednesday, " before "August 21"). A `cumulative` rule reads
    "by November" as the span from January to November; `parse_date` leaves such rules out.
    """

    name: str
    pattern: re.Pattern[str]
    read: Reader
    needs: frozenset[str]
    extend: re.Pattern[str] | None = None
    cumulative: bool = False


def make_rule(
    name: str,
    pattern: str,
    read: Reader,
    *,
    needs: str,
    extend: re.Pattern[str] | None = None,
    cumulative: bool = False,
) -> Rule:
    """Return a rule with its pattern compiled once, at import; `needs` is space-separated."""
    unknown = set(needs.split()) - FEATURES.keys()
    if unknown:
        raise ValueError(f"rule {name} needs unknown features {sorted(unknown)}")
    return Rule(name, re.compile(pattern), read, frozenset(needs.split()), extend, cumulative)


def relative_reading(point: PartialDate | None, kind: Literal["date", "period"] = "date") -> Reading:
    """Return the reading of a date resolved against the anchor (None when it could not be)."""
    return Reading(None if point is None else point.to_iso(), kind, True)
