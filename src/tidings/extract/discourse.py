"""Extraction: what earlier sentences of a report established, for later ones to lean on.

Reports rarely repeat themselves in full: "Trade between the two countries ...",
"Imports stood at ...", "One deal during that visit ...", "The country had
previously designated ...". `Discourse` carries, sentence by sentence, the
current pair of states, the report's hub (the state most talked about) and
perspective, the last trade period, the last designating state, dated events
("the business forum in Astana" -> 2023-08), people's nationalities ("Kazakh
Deputy Prime Minister Serik Zhumangarin" -> KZ) and who speaks each quotation.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from tidings.extract.lexicon import CORRECTION, EVENT_NOUN
from tidings.extract.mentions import SentenceMentions
from tidings.normalize.countries import lookup_country
from tidings.normalize.dates import DateMention

# Words that make up an official's title between a nationality and a name.
_TITLE_WORD = (
    r"(?:Deputy|Vice|Prime|First|Acting|Foreign|Trade|Economy|Economic|Finance|Industry|Commerce|Agriculture"
    r"|Integration|Energy|Transport|Interior|Defen[cs]e|Justice|Mines|Petroleum|Minister|Ministry|President|Chairman"
    r"|Chair|Spokes(?:man|woman|person)|Ambassador|Envoy|Special|Representative|Director|General|Head|Chief|Secretary"
    r"|Affairs|Senior|Official|Charg[eé]|d[’']Affaires|Consul|Governor|Mayor|Speaker|of|and|for|the)"
)
_NAME = r"(?P<name>[A-Z][a-z’'\-]+(?:\s+(?:ur\s+|al-\s*|ul\s+)?[A-Z][a-z’'\-]+){1,3})"
_PERSON_WITH_NATION = re.compile(r"(?P<nation>[A-Z][A-Za-z]+)(?:[’']s)?\s+(?:" + _TITLE_WORD + r"\s+){1,8}" + _NAME)
_QUOTE = re.compile(r"[“\"](?P<body>[^”\"]{10,}?)[”\"]\s*,?\s*(?P<tail>[^.“\"]{0,80})")
_SPEAKER_TAIL = re.compile(
    r"^(?:(?P<pronoun>he|she|they)\s+\w+|(?:[a-z]+\s+){0,3}(?P<name>[A-Z][\w’'\-]+(?:\s+[A-Z][\w’'\-]+){0,3})\s+"
    r"(?:said|says|added|noted|stressed|told|explained|emphasi[sz]ed|highlighted))"
)


@dataclass
class Discourse:
    """The running context of one report, updated after each sentence."""

    anchor: str | None
    hub: str | None = None
    pair: tuple[str, str] | None = None
    persons: dict[str, str] = field(default_factory=dict)
    quote_codes: dict[int, str] = field(default_factory=dict)
    last_codes: list[str] = field(default_factory=list)
    last_dates: tuple[DateMention, ...] = ()
    last_trade: dict[str, Any] | None = None
    last_trade_index: int = -10
    last_trade_paragraph: int = -1
    last_designator: str | None = None
    last_designation: dict[str, Any] | None = None
    last_diplomatic: tuple[str, str, str] | None = None  # action, host, sender
    events: dict[str, str] = field(default_factory=dict)
    dateline: str | None = None
    main_pair: tuple[str, str] | None = None
    trade_pair: tuple[str, str] | None = None
    flow_home: str | None = None
    # A paragraph headed "- Jordan: ..." or "Russia: ..." speaks of that state.
    section_state: str | None = None
    section_paragraph: int = -1
    org_counts: Counter[str] = field(default_factory=Counter)
    # An FAQ heading that names one group ("And Hezbollah?") sets the group its answer speaks of.
    topic_org: str | None = None
    # The one state a headline about a terrorist list names ("Explainer: Pakistan's list of ...").
    title_state: str | None = None
    # The month the report's fiscal years start in, when it spells one out ("April 2024–March 2025").
    fiscal_start: int | None = None
    # The paragraph of a correction notice ("Correction: An earlier version of this article said ...").
    correction_paragraph: int = -1
    # Sources of figures: the state an institution named without one speaks for ("the bureau" ->
    # KZ once "Kazakhstan's statistics bureau" was cited), and the last speaker's state ("he said").
    institutions: dict[str, str] = field(default_factory=dict)
    last_source: str | None = None

    @property
    def main_org(self) -> str | None:
        """The group the report has spoken of most so far (ties: the latest named)."""
        if not self.org_counts:
            return None
        top = max(self.org_counts.values())
        return [name for name, n in self.org_counts.items() if n == top][-1]

    def org_names(self, mentions: SentenceMentions) -> set[str]:
        """Canonical names of the groups a sentence names, or points back to."""
        names = {m.canonical for m in mentions.orgs}
        if self.main_org:
            names.add(self.main_org)
        return names

    @property
    def perspective(self) -> str | None:
        """The state whose trade an unqualified "imports"/"exports" speaks of: the last state
        whose own imports or exports the report named, else the pair's member that is not the hub."""
        if self.flow_home:
            return self.flow_home
        if self.pair is None:
            return None
        first, second = self.pair
        return second if first == self.hub else first

    def other_side(self, code: str) -> str | None:
        """The state `code` is paired with here: in the last figure's pair, the report's main pair,
        the last pair named, else the hub."""
        for pair in (self.trade_pair, self.main_pair, self.pair):
            if pair and code in pair:
                first, second = pair
                return second if code == first else first
        return self.hub if self.hub != code else None

    def enter(self, mentions: SentenceMentions) -> None:
        """Update the context before a sentence is read: a paragraph's heading label."""
        paragraph = mentions.sentence.paragraph
        if paragraph == self.section_paragraph:
            return
        # A listicle's heading is a sentence of its own: "China." or "United Arab Emirates.".
        label = _SECTION_LABEL.match(mentions.text) or _SECTION_HEADING.fullmatch(mentions.text)
        code = lookup_country(label.group("place").strip()) if label else None
        self.section_state, self.section_paragraph = code, paragraph

    def observe(self, mentions: SentenceMentions) -> None:
        """Update the context after a sentence has been read."""
        codes = mentions.codes()
        if len(codes) >= 2:
            self.pair = self._pick_pair(codes)
        elif len(codes) == 1 and self.pair and codes[0] not in self.pair and self.hub and codes[0] != self.hub:
            self.pair = (codes[0], self.hub)
        if codes:
            self.last_codes = codes
        if CORRECTION.search(mentions.text):
            self.correction_paragraph = mentions.sentence.paragraph
        if any(d.value and not (d.relative and len(d.value) == 4) for d in mentions.dates):
            # "On the same day ...": the day of the last sentence that gave one. A relative
            # year ("grew by 15% last year") dates a figure, not an event that "on the
            # sidelines" or "at the same forum" could point back to.
            self.last_dates = mentions.dates
        if _QUESTION_HEADING.match(mentions.text):
            named = {org.canonical for org in mentions.orgs}
            self.topic_org = named.pop() if len(named) == 1 else None
        for org in mentions.orgs:
            # Re-inserted so that, among equally frequent groups, the latest named comes last.
            self.org_counts[org.canonical] = self.org_counts.pop(org.canonical, 0) + 1
        self._remember_events(mentions)

    def _pick_pair(self, codes: list[str]) -> tuple[str, str]:
        if self.hub in codes:
            others = [c for c in codes if c != self.hub]
            return (others[0], self.hub) if others else (codes[0], codes[1])
        return (codes[0], codes[1])

    def _remember_events(self, mentions: SentenceMentions) -> None:
        dated = [d for d in mentions.dates if d.value and d.kind == "date"]
        if not dated:
            return
        for match in EVENT_NOUN.finditer(mentions.text):
            self.events[match.group().lower()] = dated[0].value or ""

    def event_date(self, text: str) -> str | None:
        """The date of an event named in `text` that an earlier sentence dated."""
        for match in EVENT_NOUN.finditer(text):
            value = self.events.get(match.group().lower())
            if value:
                return value
        return None

    def person_code(self, name: str) -> str | None:
        """The state of a person named earlier with a nationality ("Zhumangarin" -> KZ)."""
        for part in reversed(name.split()):
            if part in self.persons:
                return self.persons[part]
        return None


def find_main_pair(all_mentions: list[SentenceMentions]) -> tuple[str, str] | None:
    """The two states most often named in the same sentence, the report's main relationship."""
    pairs: Counter[tuple[str, str]] = Counter()
    for mentions in all_mentions:
        codes = sorted(set(mentions.codes()))
        pairs.update((a, b) for i, a in enumerate(codes) for b in codes[i + 1 :])
    return pairs.most_common(1)[0][0] if pairs else None


def count_codes(all_mentions: list[SentenceMentions]) -> Counter[str]:
    """How often each state is named in a report."""
    counts: Counter[str] = Counter()
    for mentions in all_mentions:
        counts.update(p.code for p in mentions.parties)
    return counts


def find_persons(text: str, governing: dict[str, str]) -> dict[str, str]:
    """Surname -> state for officials introduced with a nationality in the report's text.

    `governing` maps group names that stand for a government ("Taliban") to a state.
    """
    persons: dict[str, str] = {}
    for match in _PERSON_WITH_NATION.finditer(text):
        nation = match.group("nation")
        code = governing.get(nation) or lookup_country(nation)
        if code:
            for part in match.group("name").split():
                if part[:1].isupper():
                    persons.setdefault(part, code)
    return persons


def find_quote_speakers(text: str, persons: dict[str, str], fallback: str | None) -> list[tuple[int, int, str]]:
    """Spans of quotations and the state of their speaker, when it can be told."""
    spans: list[tuple[int, int, str]] = []
    last_person_code = fallback
    for match in _QUOTE.finditer(text):
        tail = _SPEAKER_TAIL.match(match.group("tail"))
        code: str | None = None
        if tail and tail.group("name"):
            name = tail.group("name")
            code = next((persons[p] for p in reversed(name.split()) if p in persons), None)
            code = code or lookup_country(name) or fallback
            last_person_code = code
        elif tail and tail.group("pronoun"):
            code = last_person_code
        if code:
            spans.append((match.start("body"), match.end("body"), code))
    return spans


# A short question standing as a heading: "Which countries list Hamas?".
_QUESTION_HEADING = re.compile(r"^\s*[^.!?\n]{3,100}\?\s*$")
_SECTION_HEADING = re.compile(r"\s*(?P<place>[A-Z][\w .’'-]{2,40}?)\.\s*")
_SECTION_LABEL = re.compile(r"^\s*(?:[-•*–]\s*)?(?P<place>[A-Z][\w .’'-]{2,30}?)\s*:\s")
# "KABUL, AFGHANISTAN –", "DUSHANBE (Oxus Wire) —", "MOSCOW, April 17 (Northline) -": the place, then a
# region or a date and an agency in either order.
_DATELINE = re.compile(
    r"^\s*(?P<place>[A-Z][A-Z .’'-]{2,30}?)(?:\s*\([^)]{1,40}\)|\s*,\s*[A-Za-z0-9 .]{2,30}?(?=\s*[(—–-]|,\s)){0,2}"
    r"\s*(?:[—–]|-{1,2}\s|\.\s|,\s)"
)


def find_dateline(text: str) -> str | None:
    """The state of a report's dateline ("DUSHANBE —", "KABUL, AFGHANISTAN –"), if it names one."""
    match = _DATELINE.match(text)
    if match is None:
        return None
    return lookup_country(match.group("place").strip().title())
