"""Amounts of money in text: the stated number, its currency and its hedge word.

Part of the normalize stage. In: a sentence ("trade reached almost $1 billion ($987.9
million)") or a short phrase. Out: `AmountMention`s (span and `Amount`) or one `Amount`.
The number is kept as stated, in units of its own currency: we never convert, so
`Amount.usd` is only set for amounts already in US dollars. Hedges ("almost", "at least",
"up to") are kept beside the number, and `amount_range` turns them into an interval the
reconcile stage can compare. Currency symbols, ISO codes and names come from
data/currencies.json. Numbers followed by a unit ("1.3 million tons", "40 million people"),
percentages and years are not money. A number that is a figure of money only by context
("only about 4 million a year") is found with `bare=True` and carries no currency.
"""

from __future__ import annotations

import functools
import json
import math
import re
from dataclasses import dataclass
from decimal import Decimal
from importlib.resources import files
from typing import Final, Literal, TypedDict

HedgeDirection = Literal["exact", "approx", "lower", "upper"]

# "about/around/roughly X": reporters round to one or two significant figures, and the
# true value of a rounded "about $4 million" sits within about ±10% of it. Dev reports
# that give both a hedged and an exact figure stay inside this band.
APPROX: Final = 0.10
# "almost/nearly X": the true value is just below X. In the dev reports "almost $1
# billion" is $987.9 million (1.2% below) and "nearly $5 billion" is $4.8 billion (4%
# below); 5% covers both without swallowing the next round figure down.
APPROX_BELOW: Final = 0.05

# Each hedge and how it bounds the true value: "below" = just under X, "approx" = X give
# or take APPROX, "lower" = X or more, "near_lower" = X or slightly more, "upper" = X at most.
_HEDGE_WORDS: Final[dict[str, str]] = {
    "below": "almost|nearly|approaching|nearing|close to|just under|just below|just shy of|shy of|slightly under"
    "|slightly below|slightly less than|a little under|a little less than|not quite",
    "approx": "about|approximately|approx.|approx|around|roughly|some|circa|~|an estimated|estimated"
    "|in the region of|on the order of|of the order of",
    "lower": "at least|more than|over|above|exceeding|exceeded|exceeds|in excess of|upwards of|no less than"
    "|not less than|well over|well above|well in excess of",
    "near_lower": "just over|just above|barely exceeded|barely over|barely above|slightly over|slightly above"
    "|slightly more than|a little over|a little more than|just more than|just exceeded",
    "upper": "up to|under|less than|below|no more than|not more than|at most|as much as|as high as"
    "|a maximum of|well under|well below|not exceeding",
}
_HEDGE_KINDS: Final[dict[str, str]] = {
    hedge: kind for kind, hedges in _HEDGE_WORDS.items() for hedge in hedges.split("|")
}
_DIRECTIONS: Final[dict[str, HedgeDirection]] = {
    "below": "approx",
    "approx": "approx",
    "lower": "lower",
    "near_lower": "lower",
    "upper": "upper",
}

_SCALES: Final[dict[str, Decimal]] = {
    **dict.fromkeys(("trillion", "trillions", "tn", "trn", "tln"), Decimal(10) ** 12),
    **dict.fromkeys(("billion", "billions", "bn", "bln", "milliard", "milliards"), Decimal(10) ** 9),
    **dict.fromkeys(("million", "millions", "mn", "mln", "mil", "mio"), Decimal(10) ** 6),
    **dict.fromkeys(("crore", "crores", "cr"), Decimal(10) ** 7),
    **dict.fromkeys(("lakh", "lakhs", "lac", "lacs"), Decimal(10) ** 5),
    **dict.fromkeys(("thousand",), Decimal(10) ** 3),
}
# One-letter scales count only glued to a number after a currency ("$4.5m", "EUR 5m"):
# on a bare number "100m" is a distance.
_LETTER_SCALES: Final[dict[str, Decimal]] = {"m": Decimal(10) ** 6, "b": Decimal(10) ** 9, "k": Decimal(10) ** 3}
# Scale words a currency-less ("bare") number may carry; abbreviations are excluded
# because "4 mn" without a currency is rare and "cr" or "mil" are often something else.
_BARE_SCALES: Final = ("trillion", "billion", "million", "thousand", "crore", "lakh")

_NUMBER_WORDS: Final[dict[str, int]] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
# A bare amount must be followed by punctuation, the end of the text or one of these words
# ("about 4 million a year", "4 million in 2022"); any other word is probably its unit
# ("40 million people", "1.3 million tons", "4 million Afghans").
_BARE_FOLLOWERS: Final = (
    "a", "an", "per", "in", "for", "from", "to", "and", "or", "last", "this", "that", "which", "while", "with",
    "by", "annually", "yearly", "each", "every", "worth", "during", "since", "until", "against", "compared",
    "versus", "vs", "on", "at", "as", "but", "than", "between", "was", "is", "were", "of",
)  # fmt: skip


class _CurrencyData(TypedDict):
    symbols: dict[str, str]
    codes: list[str]
    code_aliases: dict[str, str]
    words: dict[str, str]
    needs_scale: list[str]


@dataclass(frozen=True)
class Amount:
    """A stated amount of money: 987_900_000.0 "USD" for "$987.9 million".

    `currency` is an ISO 4217 code, or None when the text names none; `hedge` is the
    lower-cased hedge word(s) before the number ("almost", "at least"), or None.
    """

    value: float
    currency: str | None
    hedge: str | None = None

    @property
    def usd(self) -> float | None:
        """The value when the currency is the US dollar, else None (we never convert)."""
        return self.value if self.currency == "USD" else None


@dataclass(frozen=True)
class AmountMention:
    """One amount in a text; the span covers the hedge too and `text[start:end] == self.text`."""

    start: int
    end: int
    text: str
    amount: Amount


@functools.cache
def _load_currencies() -> _CurrencyData:
    """Read data/currencies.json once."""
    raw = files("tidings").joinpath("data/currencies.json").read_text(encoding="utf-8")
    data: _CurrencyData = json.loads(raw)
    return data


def _fold_phrase(phrase: str) -> str:
    """Return the lookup form of a currency word or hedge: lower case, single spaces, one apostrophe."""
    return " ".join(phrase.lower().replace("’", "'").split())


def _alternation(phrases: list[str], *, flexible: bool = False) -> str:
    """Return a regex alternation of `phrases`, longest first; `flexible` relaxes spaces and apostrophes."""
    parts = []
    for phrase in sorted(set(phrases), key=lambda p: (-len(p), p)):
        part = re.escape(phrase)
        if flexible:
            part = part.replace(r"\ ", r"\s+").replace("'", "['’]")
        parts.append(part)
    return "|".join(parts)


def _build_pattern() -> re.Pattern[str]:
    """Compile the one regex that finds every amount form, hedge included."""
    data = _load_currencies()
    codes = _alternation([*data["codes"], *data["code_aliases"]])
    symbols = _alternation([*data["symbols"], *data["codes"], *data["code_aliases"]])
    words = _alternation(list(data["words"]), flexible=True)
    hedges = _alternation([h for h in _HEDGE_KINDS if h != "~"], flexible=True)
    number = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
    # Indian compounds multiply: "8.5 lakh crore" is 8.5 x 10^5 x 10^7.
    scale_words = rf"(?:lakh|lac|thousand)[\s-]crores?|{_alternation(list(_SCALES))}"
    units = "one|two|three|four|five|six|seven|eight|nine"
    small = (
        r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-](?:" + units + "))?"
        r"|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|" + units + ")"
    )
    number_words = rf"half\s+an?|(?:an?|{small})(?:\s+hundred(?:\s+(?:and\s+)?{small})?)?(?:\s+and\s+a\s+half)?"
    not_letter = r"(?![^\W\d_])"
    # A range ("$5-7 billion") has no single value: its first number is never read alone.
    not_range = r"(?!\s?[-–]\s?\d)"

    def core(tag: str, *, letters: bool) -> str:
        letter = rf"|(?P<letter_{tag}>[mMbBkK]){not_letter}" if letters else ""
        return (
            rf"(?P<num_{tag}>{number})(?![.,]?\d){not_range}"
            rf"(?:[\s-]?(?P<scale_{tag}>(?i:{scale_words})){not_letter}{letter})?"
        )

    prefix = rf"(?<![\w$])(?P<sym>{symbols})\s?{core('p', letters=True)}(?:\s+(?P<yuan>(?i:yuan|renminbi))\b)?"
    suffix = rf"(?<![\w.,$€£¥\-–]){core('s', letters=True)}\s+(?P<cur_s>{codes}|(?i:{words}))(?!\w)"
    worded = (
        rf"(?<![\w-])(?P<words_w>(?i:{number_words}))[\s-]+(?P<scale_w>(?i:{'|'.join(_BARE_SCALES)})s?)\s+"
        rf"(?P<cur_w>{codes}|(?i:{words}))(?!\w)"
    )
    bare = (
        rf"(?<![\w.,$€£¥\-–])(?:(?P<num_b>{number})(?![.,]?\d){not_range}[\s-]?"
        rf"|(?P<words_b>(?i:{number_words}))[\s-]+)(?P<scale_b>(?i:{'|'.join(_BARE_SCALES)})s?){not_letter}"
    )
    prefix_ahead = rf"(?=(?:{symbols})\s?\d)"
    hedge = rf"(?:(?<!\w)(?P<hedge>(?i:{hedges}))\s+(?:an?\s+{prefix_ahead})?|(?P<tilde>~)\s*)"
    return re.compile(rf"{hedge}?(?:{prefix}|{suffix}|{worded}|{bare})")


@functools.cache
def _pattern() -> re.Pattern[str]:
    """Return the compiled amount regex (built on first use)."""
    return _build_pattern()


_BARE_FOLLOWER: Final = re.compile(
    r"\s*(?:[,;:)\]!?]|\.(?!\d)|\Z)|\s+(?i:" + "|".join(_BARE_FOLLOWERS) + r")(?!\w)",
)
_PRECHECK: Final = re.compile(r"\d|(?i:million|billion|trillion|thousand|crore|lakh)")
_AND_A_HALF: Final = re.compile(r"\s+and\s+a\s+half$")


def _parse_number_words(words: str) -> Decimal:
    """Return the value of "two hundred", "a", "half a", "one and a half" and the like."""
    text = " ".join(words.lower().replace("-", " ").split())
    if text.startswith("half"):
        return Decimal("0.5")
    half = Decimal("0.5") if _AND_A_HALF.search(text) else Decimal(0)
    value = 0
    for token in _AND_A_HALF.sub("", text).split():
        if token == "hundred":
            value = (value or 1) * 100
        else:
            value += _NUMBER_WORDS.get(token, 0)
    return Decimal(value) + half


def _scale_of(word: str | None) -> Decimal:
    """Return the multiplier of a scale word or letter (1 when there is none)."""
    if not word:
        return Decimal(1)
    words = word.lower().replace("-", " ").split()
    if len(words) > 1:  # a compound such as "lakh crore"
        return functools.reduce(lambda total, part: total * _scale_of(part), words, Decimal(1))
    word = words[0]
    return _SCALES.get(word) or _LETTER_SCALES.get(word) or _SCALES.get(word.rstrip("s"), Decimal(1))


def _currency_of(match: re.Match[str]) -> str | None:
    """Return the ISO code the match names, or None for a bare number."""
    data = _load_currencies()
    if match.group("yuan"):
        return "CNY"
    for name in ("sym", "cur_s", "cur_w"):
        written = match.group(name)
        if written:
            if written in data["code_aliases"]:
                return data["code_aliases"][written]
            if written in data["codes"]:
                return written
            if written in data["symbols"]:
                return data["symbols"][written]
            return _words_index().get(_fold_phrase(written))
    return None


@functools.cache
def _words_index() -> dict[str, str]:
    """Map folded currency words ("us dollars") to ISO codes."""
    return {_fold_phrase(word): code for word, code in _load_currencies()["words"].items()}


def _branch_of(match: re.Match[str]) -> str:
    """Return which form matched: "p" symbol first, "s" currency after, "w" in words, "b" bare."""
    if match.group("sym"):
        return "p"
    if match.group("cur_s"):
        return "s"
    return "w" if match.group("cur_w") else "b"


def _amount_from_match(match: re.Match[str], text: str) -> Amount | None:
    """Build the Amount a regex match stands for, or None when context says it is not money."""
    branch = _branch_of(match)
    if branch == "b" and not _BARE_FOLLOWER.match(text, match.end()):
        return None
    groups = match.groupdict()
    scale_word = groups.get(f"scale_{branch}") or groups.get(f"letter_{branch}")
    words = groups.get(f"words_{branch}")
    number = _parse_number_words(words) if words else Decimal(groups[f"num_{branch}"].replace(",", ""))
    needs_scale = _load_currencies()["needs_scale"]
    if branch == "s" and not scale_word and number < 1000 and _fold_phrase(match.group("cur_s")) in needs_scale:
        return None
    hedge_text = match.group("hedge") or match.group("tilde")
    hedge = _fold_phrase(hedge_text) if hedge_text else None
    return Amount(float(number * _scale_of(scale_word)), _currency_of(match), hedge)


def find_amounts(text: str, *, bare: bool = False) -> list[AmountMention]:
    """Return the amounts of money in `text`, in order, each with its hedge.

    Only amounts with a currency are returned unless `bare` is set; then numbers with a
    scale word and no currency ("about 4 million a year") come too, with currency None,
    but never one followed by a unit ("40 million people") and never a plain integer.
    """
    if not _PRECHECK.search(text):
        return []
    mentions: list[AmountMention] = []
    for match in _pattern().finditer(text):
        amount = _amount_from_match(match, text)
        if amount is None or (amount.currency is None and not bare) or not math.isfinite(amount.value):
            continue
        mentions.append(AmountMention(match.start(), match.end(), match.group(), amount))
    return mentions


def has_amount(text: str, *, bare: bool = False) -> bool:
    """Cheap pre-check: say whether `find_amounts(text, bare=bare)` would find anything."""
    return bool(_PRECHECK.search(text)) and bool(find_amounts(text, bare=bare))


def parse_amount(text: str) -> Amount | None:
    """Return the first amount in `text` ("almost $1bn" -> 1e9 USD, hedge "almost"), or None.

    Currency-less numbers with a scale word count ("4 million" -> currency None); text
    with no amount ("a large sum", "24.5%") gives None.
    """
    mentions = find_amounts(text, bare=True)
    return mentions[0].amount if mentions else None


def hedge_direction(hedge: str | None) -> HedgeDirection:
    """Return how a hedge bounds the true value: exact, approx, lower (X or more) or upper (X at most).

    An unknown hedge reads as "approx": a hedge always signals imprecision.
    """
    if hedge is None:
        return "exact"
    return _DIRECTIONS[_HEDGE_KINDS.get(_fold_phrase(hedge), "approx")]


def amount_range(amount: Amount) -> tuple[float, float]:
    """Return the interval the true value plausibly lies in, given the hedge.

    Exact -> (v, v); "almost" -> (v*(1-APPROX_BELOW), v); "about" -> (v*(1-APPROX),
    v*(1+APPROX)); "at least" -> (v, inf), but "just over" -> (v, v*(1+APPROX));
    "up to" -> (0, v). An unknown hedge reads as "about".
    """
    value = amount.value
    if amount.hedge is None:
        return (value, value)
    kind = _HEDGE_KINDS.get(_fold_phrase(amount.hedge), "approx")
    if kind == "below":
        return (value * (1 - APPROX_BELOW), value)
    if kind == "lower":
        return (value, math.inf)
    if kind == "near_lower":
        return (value, value * (1 + APPROX))
    if kind == "upper":
        return (0.0, value)
    return (value * (1 - APPROX), value * (1 + APPROX))
