"""Extraction, step two: what each sentence names — states, organizations, dates, money.

A `Sentence` in, `SentenceMentions` out, by the gazetteers and parsers of
`tidings.normalize` (no statistical model). Offsets stay relative to the
sentence. Two clean-ups happen here because every kind needs them: a country
word inside an organization's name ("Islamic Movement of Uzbekistan") is not a
state, and dates inside a parenthesised source citation ("(Kazinform, December
29, 2023)") date the source, not the event.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tidings.extract.periods import drop_qualifying_years, week_mentions
from tidings.extract.sentences import Sentence
from tidings.normalize.countries import find_countries
from tidings.normalize.dates import DateMention, find_dates
from tidings.normalize.money import AmountMention, find_amounts
from tidings.normalize.orgs import OrgMention, OrgTable

_PARENTHESES = re.compile(r"\([^()]*\)")
# A citation names a source first: "(Orda.kz, April 17, 2023)", "(Spot.uz, January 10)".
_CITATION = re.compile(r"^\(\s*[^,()]{2,60},\s*[^()]*\)$")


@dataclass(frozen=True)
class Party:
    """A state named in a sentence: a country, demonym or capital, or a group that governs one."""

    start: int
    end: int
    text: str
    code: str
    form: str


@dataclass(frozen=True)
class SentenceMentions:
    """Everything a sentence names, offsets relative to `sentence.text`."""

    sentence: Sentence
    parties: tuple[Party, ...]
    orgs: tuple[OrgMention, ...]
    dates: tuple[DateMention, ...]
    amounts: tuple[AmountMention, ...]

    @property
    def text(self) -> str:
        """The sentence's text."""
        return self.sentence.text

    def codes(self) -> list[str]:
        """Distinct state codes in order of first mention."""
        seen: list[str] = []
        for party in self.parties:
            if party.code not in seen:
                seen.append(party.code)
        return seen


def citation_spans(text: str) -> list[tuple[int, int]]:
    """Spans of parenthesised source citations in `text`."""
    return [(m.start(), m.end()) for m in _PARENTHESES.finditer(text) if _CITATION.match(m.group())]


def _inside(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def find_mentions(sentence: Sentence, orgs: OrgTable, *, anchor: str | None) -> SentenceMentions:
    """Every mention in one sentence; dates resolve against `anchor` (the publication date)."""
    text = sentence.text
    org_mentions = orgs.find(text)
    org_spans = [(m.start, m.end) for m in org_mentions]
    parties: list[Party] = [
        Party(c.start, c.end, c.text, c.code, c.form)
        for c in find_countries(text)
        if not _overlaps_any(c.start, c.end, org_spans)
    ]
    for mention in org_mentions:
        governed = orgs.government_of(mention.canonical)
        if governed:
            parties.append(Party(mention.start, mention.end, mention.text, governed, "government"))
    parties.sort(key=lambda p: p.start)
    citations = citation_spans(text)
    found = [d for d in find_dates(text, anchor) if not _inside(d.start, d.end, citations)]
    found = sorted(found + week_mentions(text, anchor, found), key=lambda d: d.start)
    dates = tuple(drop_qualifying_years(text, found))
    amounts = tuple(a for a in find_amounts(text, bare=True) if not _inside(a.start, a.end, citations))
    return SentenceMentions(sentence, tuple(parties), tuple(org_mentions), dates, amounts)


def _overlaps_any(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in spans)
