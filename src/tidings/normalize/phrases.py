"""Longest-match phrase lookup shared by the country and organization normalizers.

Part of the normalize stage. In: a table of surface forms ("Guinea-Bissau", "Kyrgyz",
"Hizb ut-Tahrir"), the value each stands for, and whether its case matters; then any text.
Out: non-overlapping `(start, end, value)` spans, the longest phrase winning where two
overlap, so "Papua New Guinea" beats "Guinea" and "Pakistani Taliban" beats "Taliban". A
form whose value is None blocks: "Indian Ocean" is matched and then dropped, which keeps
"Indian" inside it from counting. Word separators (spaces, hyphens, dashes) and apostrophe
shapes are interchangeable, accents are optional, and a phrase must stand on word
boundaries, so "Oman" is never found inside "Romania". The forms are compiled once into two
trie-shaped regexes (one case-sensitive, one not), which keeps a scan linear in the text.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Iterator
from typing import Final, Generic, TypeVar

V = TypeVar("V")
_Trie = dict[str, "_Trie"]

# Word separators inside a name: "Guinea-Bissau", "Guinea Bissau" and "Kazakh – Afghan"
# (d01 writes the en dash with spaces) differ only in these characters.
_SEPARATOR_CHARS: Final = "\\s\\-\u2010\u2011\u2012\u2013\u2014"
_SEPARATOR_RUN: Final = re.compile(f"[{_SEPARATOR_CHARS}]+")
# Straight, curly and modifier apostrophes: "Kazakhstan’s", "Sana'a", "Côte d’Ivoire".
_APOSTROPHE_CHARS: Final = "'\u2019\u2018\u02bc`"
_APOSTROPHE: Final = re.compile(f"[{_APOSTROPHE_CHARS}]")
# A phrase ends where no word character follows; "$" is excluded too, because "US$" and
# "HK$" open an amount of money and do not name a country.
_END_BOUNDARY: Final = r"(?![\w$])"
_NEVER: Final = "(?!)"
# Words of running text. A phrase can only start where one of these starts, so the scan
# tries the (large) phrase regex only at words that begin some phrase: "the", "trade" and
# most other words cost one set lookup.
_WORD: Final = re.compile(r"\w+")


def make_key(text: str) -> str:
    """Return the lookup key of a phrase: separator runs become one space, apostrophes one shape."""
    # Fold first, then strip: a hyphen or dash at either end becomes a space and goes too.
    return _APOSTROPHE.sub("'", _SEPARATOR_RUN.sub(" ", text).strip())


def fold_accents(text: str) -> str:
    """Return `text` without combining accents ("Türkiye" -> "Turkiye"); other characters stay."""
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))


def iter_spellings(form: str) -> Iterator[str]:
    """Yield `form` and its accent-free and apostrophe-free spellings, without repeats."""
    seen: set[str] = set()
    for base in (form, fold_accents(form)):
        for spelling in (base, _APOSTROPHE.sub("", base)):
            if spelling.strip() and spelling not in seen:
                seen.add(spelling)
                yield spelling


def iter_casings(form: str) -> Iterator[str]:
    """Yield the casings a case-sensitive form is accepted in: as written, UPPER, first letter up."""
    seen: set[str] = set()
    for casing in (form, form.upper(), form[:1].upper() + form[1:]):
        if casing not in seen:
            seen.add(casing)
            yield casing


def _unit_pattern(char: str) -> str:
    """Return the regex for one key character: separators and apostrophes match their whole class."""
    if char == " ":
        return f"[{_SEPARATOR_CHARS}]+"
    if char == "'":
        return f"[{_APOSTROPHE_CHARS}]"
    return re.escape(char)


def _build_trie_pattern(keys: Iterable[str]) -> str:
    """Return a regex matching exactly `keys`, trying longer keys first at each branch."""
    trie: _Trie = {}
    for key in keys:
        node = trie
        for char in key:
            node = node.setdefault(char, {})
        node[""] = {}

    def render(node: _Trie) -> str:
        branches = [_unit_pattern(char) + render(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        # Greedy optional: the longer phrase is tried first and the shorter one is the fallback.
        return f"(?:{body})?" if "" in node else body

    return render(trie) or _NEVER


def _compile_matcher(keys: Iterable[str], *, ignore_case: bool) -> re.Pattern[str]:
    """Compile an anchored matcher for the longest phrase starting where it is applied."""
    body = _build_trie_pattern(sorted(keys))
    return re.compile(f"({body}){_END_BOUNDARY}", re.IGNORECASE if ignore_case else 0)


def _first_word(key: str) -> str:
    """Return the first word of a key, as `_WORD` would cut it from running text."""
    match = _WORD.search(key)
    return match.group() if match else ""


class PhraseTable(Generic[V]):
    """Surface forms and their values, scanned longest-first over text.

    `phrases` yields `(form, value, case_sensitive)`. A case-sensitive form is accepted
    as written, in UPPER case and with its first letter capitalized; any other form in any
    case. A value of None makes the form a blocker. When two forms share a key, the first
    one given wins and the clash is listed in `conflicts` as (key, kept, dropped).
    """

    def __init__(self, phrases: Iterable[tuple[str, V | None, bool]]) -> None:
        self._exact: dict[str, V | None] = {}
        self._folded: dict[str, V | None] = {}
        self.conflicts: list[tuple[str, V | None, V | None]] = []
        for form, value, case_sensitive in phrases:
            for spelling in iter_spellings(form):
                if case_sensitive:
                    for casing in iter_casings(spelling):
                        self._add(self._exact, make_key(casing), value)
                else:
                    self._add(self._folded, make_key(spelling).lower(), value)
        self._exact_matcher = _compile_matcher(self._exact, ignore_case=False)
        self._folded_matcher = _compile_matcher(self._folded, ignore_case=True)
        self._exact_starts = frozenset(_first_word(key) for key in self._exact)
        self._folded_starts = frozenset(_first_word(key) for key in self._folded)

    def _add(self, table: dict[str, V | None], key: str, value: V | None) -> None:
        """Add one key, keeping the first value when a later form disagrees."""
        if key in table and table[key] != value:
            self.conflicts.append((key, table[key], value))
            return
        table.setdefault(key, value)

    def lookup(self, phrase: str) -> V | None:
        """Return the value of a whole phrase, or None when it is unknown or a blocker."""
        key = make_key(phrase)
        if key in self._exact:
            return self._exact[key]
        return self._folded.get(key.lower())

    def _iter_raw(self, text: str) -> Iterator[tuple[int, int, int, V | None]]:
        """Yield (start, end, rank, value) for the longest phrase at each word start; rank 0 is exact."""
        for word in _WORD.finditer(text):
            start = word.start()
            if word.group() in self._exact_starts:
                match = self._exact_matcher.match(text, start)
                if match and (key := make_key(match.group(1))) in self._exact:
                    yield start, match.end(1), 0, self._exact[key]
            if word.group().lower() in self._folded_starts:
                match = self._folded_matcher.match(text, start)
                if match and (key := make_key(match.group(1)).lower()) in self._folded:
                    yield start, match.end(1), 1, self._folded[key]

    def has_match(self, text: str) -> bool:
        """Cheap pre-check: False means `find` returns nothing (True may still be only blockers)."""
        return any(value is not None for *_span, value in self._iter_raw(text))

    def find(self, text: str) -> list[tuple[int, int, V]]:
        """Return non-overlapping `(start, end, value)` spans, longest first, sorted by start."""
        # Longest wins; among equals the earlier one, then the case-sensitive reading.
        candidates = sorted(self._iter_raw(text), key=lambda c: (c[0] - c[1], c[0], c[2]))
        starts: list[int] = []
        chosen: list[tuple[int, int, V | None]] = []
        for start, end, _rank, value in candidates:
            at = bisect.bisect_left(starts, start)
            if (at > 0 and chosen[at - 1][1] > start) or (at < len(chosen) and chosen[at][0] < end):
                continue
            starts.insert(at, start)
            chosen.insert(at, (start, end, value))
        return [(s, e, v) for s, e, v in chosen if v is not None]
