"""Extraction: to whom a report attributes a figure — "according to the Taliban", "Tashkent estimates".

A sentence's mentions and the report's discourse in; a state's ISO code (or None)
out. Sources, in order: the quotation the sentence stands in; "according to X" or
"citing X"; the subject of a speech verb ("Zhumangarin highlighted that ...",
"..., the committee said", "..., reminded the deputy minister of Russia") or of a
data verb ("Chinese customs data show", "Brazil's trade ministry puts trade at").
A subject resolves, in order, through a named official's known state, a state
named in it ("Uzbekistan's statistics committee"), a pronoun (the last speaker),
an institution ("the bureau": the state it was last cited for, else the state
whose trade the sentence is about, "India's trade with ..., ministry data show",
else the dateline) and a name never introduced (the sentence's first state, then
remembered).
"""

from __future__ import annotations

import re

from tidings.extract.discourse import Discourse
from tidings.extract.lexicon import DATA_VERB, SPEECH_VERB, TRADE
from tidings.extract.mentions import SentenceMentions
from tidings.normalize.countries import lookup_country

# How far back (characters) from a speech verb its subject may start; an appositive title
# ("Dr A B C, the Minister of State for Foreign Trade, said") runs to about 75.
SPEAKER_WINDOW = 100
# How long a speaker phrase after an inverted verb may be ("..., informed journalists on
# Tuesday the deputy minister of economic development of Russia Dmitry Voronkov.").
INVERTED_WINDOW = 130
# How close (characters) after "according to" a state must be named to be the source.
ACCORDING_WINDOW = 25
_ACCORDING = re.compile(r"\b(?:according\s+to|citing)\s+", re.IGNORECASE)
_UPPER = r"[A-Z\u00C0-\u00DE]"
_PARTICLE = r"(?:bin|ibn|al|el|ul|ur|ud|de|da|van|von|der)"
_NAME = re.compile(rf"(?:{_UPPER}[\w’'-]+\s+){{0,3}}{_UPPER}[\w’'-]+")
_TRAILING_NAME = re.compile(
    rf"(?<![.!?]\s)\b(?P<name>{_UPPER}[\w’'-]+(?:\s+(?:{_PARTICLE}\s+)?{_UPPER}[\w’'-]+){{0,4}})"
    r"(?:\s+(?:has|have|had|was|is|also|again|then|later|repeatedly))*\s*$"
)
_INSTITUTION = re.compile(
    r"\b(?P<noun>ministry|ministries|committee|bureau|agency|office|service|customs|statistics|government|department"
    r"|authorit(?:y|ies)|television|broadcaster|chamber|bank|institute|commission|council|data|figures|bulletin)\b",
    re.IGNORECASE,
)
# Nouns that stand for their institution only through the report's context ("the data").
_GENERIC_SOURCE = frozenset({"data", "figures", "statistics", "bulletin", "government", "authority", "authorities"})
_PRONOUN = re.compile(r"^\s*(?:he|she|they|the\s+(?:minister|official|spokes\w+|adviser|ambassador))\s*$", re.I)
# A short aside between a subject and its verb: "Tashkent, however, estimates ...".
_ASIDE = re.compile(r"^\s*(?:[a-z]+\s*){1,3}$")
_TITLE = re.compile(
    r"\b(?i:minister|spokes\w+|adviser|advisor|president|ambassador|official|chairman|chair|head|director|governor"
    r"|secretary|envoy|deputy)\s+(?:[A-Z][\w’'-]+\s*)*$"
)
# An appositive title between a name and its verb: "A B, Deputy Prime Minister and Minister of Trade, said".
_TITLE_WORD = re.compile(
    r"\b(?:minister|president|spokes\w+|adviser|advisor|ambassador|chairman|governor|secretary|envoy|director"
    r"|official)\b",
    re.IGNORECASE,
)
# What follows an inverted verb when a speaker does: "reminded Voronkov", "said the deputy minister",
# "informed journalists on Tuesday the deputy minister of ...".
_SPEAKER_AFTER = re.compile(
    r"^\s+(?:(?:journalists|reporters|the\s+press|the\s+media)\s+(?:[\w-]+\s+){0,3}?)?(?:the\s+|a\s+|an\s+)?"
    rf"(?:{_UPPER}|(?i:deputy|minister|spokes|official|head|chair|president|ambassador|adviser|advisor|envoy)\b)"
)
# The words that make an institution's name: "commerce ministry", "Ministry of Economic Development".
_QUALIFIER_BEFORE = re.compile(r"(?:[\w-]+\s+){0,2}$")
_QUALIFIER_AFTER = re.compile(r"^\s+of\s+(?:the\s+)?(?:[A-Z][\w-]*(?:\s+(?:and\s+)?|$))+")
_NOT_QUALIFIERS = frozenset({"the", "a", "an", "its", "their", "of", "and", "’s", "'s", "data", "figures", "own"})
_ARTICLE_START = re.compile(r"^\s*(?:the|a|an|its|their|his|her)\s", re.IGNORECASE)
_SEGMENT_BREAK = re.compile(r"[,;:()—–]|\s-\s")
_POSSESSIVE_OF = re.compile(r"^\s*(?:its|their)\b", re.IGNORECASE)
# The state whose trade a sentence is about: "India's trade with Saudi Arabia ...".
_TRADE_OWNER = re.compile(r"^(?:[’']s)?\s+(?:[\w-]+\s+){0,2}(?:trade|exports?|imports?|turnover)\b", re.IGNORECASE)
_NOT_NAMES = frozenset(
    {"The", "A", "An", "In", "On", "At", "It", "This", "That", "He", "She", "They", "But", "And", "Dr", "Mr", "Ms"}
)
_NOT_NAME_PARTS = frozenset({"Dr", "Mr", "Mrs", "Ms", "Sheikh", "Al", "El", "Sir", "Mawlawi", "Mullah", "Haji"})


def attribute(mentions: SentenceMentions, discourse: Discourse) -> str | None:
    """The state a figure in this sentence is attributed to, or None when the report cites no one."""
    quoted = discourse.quote_codes.get(mentions.sentence.index)
    if quoted:
        return quoted
    text = mentions.text
    according = _ACCORDING.search(text)
    if according:
        code = _according_to(mentions, discourse, according.start(), according.end())
        if code:
            return code
    verbs = [(m, False) for m in SPEECH_VERB.finditer(text)] + [(m, True) for m in DATA_VERB.finditer(text)]
    for verb, data in sorted(verbs, key=lambda pair: pair[0].start()):
        code = _speaker(mentions, discourse, verb, data=data)
        if code:
            return code
    return None


def note_sources(mentions: SentenceMentions, discourse: Discourse) -> None:
    """Learn who speaks for which state from a sentence that carries no figure ("X, the minister, said")."""
    if SPEECH_VERB.search(mentions.text) and mentions.codes():
        attribute(mentions, discourse)


def _according_to(mentions: SentenceMentions, discourse: Discourse, begin: int, position: int) -> str | None:
    following = [p for p in mentions.parties if position <= p.start < position + ACCORDING_WINDOW]
    rest = mentions.text[position:]
    phrase = re.split(r"[,;]", rest, maxsplit=1)[0][:60]
    institution = _find_institution(phrase)
    if following:
        if institution:
            _note_institution(discourse, institution, following[0].code)
        return following[0].code
    if _POSSESSIVE_OF.match(rest):
        # "according to its latest bulletin": the subject's own source.
        before = [p for p in mentions.parties if p.end <= begin]
        if before:
            return before[0].code
    if institution:
        # "X said trade reached $Y, according to Ministry of Economy figures": an institution
        # the report never tied to a state speaks for the official who cites it.
        if _known_institution(discourse, institution) is None:
            speakers = (_speaker(mentions, discourse, v, data=False) for v in SPEECH_VERB.finditer(mentions.text))
            code = next((c for c in speakers if c), None)
            if code:
                _note_institution(discourse, institution, code)
                return code
        return _institution(mentions, discourse, institution)
    name = _NAME.match(rest)
    if name and name.group() not in _NOT_NAMES:
        return _person(name.group(), mentions, discourse)
    return None


def _speaker(mentions: SentenceMentions, discourse: Discourse, verb: re.Match[str], *, data: bool) -> str | None:
    """The state of the source whose verb is `verb`: its subject, walked back over appositives."""
    text = mentions.text
    if not data and _is_inverted(text, verb):
        after_end = len(text.rstrip(" .\n"))
        return _source_state(mentions, discourse, verb.end(), after_end, data=False)
    breaks = [(0, 0), *((m.start(), m.end()) for m in _SEGMENT_BREAK.finditer(text, 0, verb.start()))]
    end = verb.start()
    for mark, start in reversed(breaks):
        if verb.start() - start > SPEAKER_WINDOW and end != verb.start():
            break
        segment = text[start:end]
        figure_clause = mentions_amount(mentions, start, end) or (data and TRADE.search(segment))
        if segment.strip() and figure_clause and not _INSTITUTION.search(segment):
            return None  # walked back into the figure's own clause
        code = _source_state(mentions, discourse, start, end, data=data)
        if code:
            return code
        skippable = _ARTICLE_START.match(segment) or _ASIDE.match(segment) or _TITLE_WORD.search(segment)
        if segment.strip() and not skippable:
            return None
        end = mark
    return None


def mentions_amount(mentions: SentenceMentions, start: int, end: int) -> bool:
    """Whether an amount lies between `start` and `end` of the sentence."""
    return any(start <= a.start < end for a in mentions.amounts)


def _is_inverted(text: str, verb: re.Match[str]) -> bool:
    """ "..., reminded Voronkov." / "..., said the deputy minister.": the speaker follows the verb."""
    if not re.search(r"[,”\"’']\s*$", text[: verb.start()]):
        return False
    rest = text[verb.end() :]
    if len(rest) > INVERTED_WINDOW or re.search(r"\bthat\b|[$€£]|\d", rest):
        return False
    return bool(_SPEAKER_AFTER.match(rest))


def _source_state(mentions: SentenceMentions, discourse: Discourse, start: int, end: int, *, data: bool) -> str | None:
    """The state the source named in text[start:end] speaks for, or None."""
    segment = mentions.text[start:end]
    if not segment.strip():
        return None
    institution = _find_institution(segment)
    name = _TRAILING_NAME.search(segment)
    if data and institution is None:
        return None
    for word in reversed(re.findall(r"[\w’'-]+", segment)):
        code = discourse.person_code(word) if word[:1].isupper() and not lookup_country(word) else None
        if code:
            return _remember(discourse, code, name, institution)
    parties = [p for p in mentions.parties if start <= p.start and p.end <= end]
    if parties:
        return _remember(discourse, parties[-1].code, name, institution)
    if _PRONOUN.match(segment) and discourse.last_source:
        return discourse.last_source
    if institution:
        code = _institution(mentions, discourse, institution)
        return _remember(discourse, code, name, None) if code else None
    if name and _is_person(segment, name):
        return _person(name.group("name"), mentions, discourse)
    return None


def _is_person(segment: str, name: re.Match[str]) -> bool:
    """Whether a segment is an official's name, alone or after a title ("Commerce Minister Jam Kamal Khan").

    A single word counts only after a title, so a sentence's first word ("Discussions
    emphasized ...") is not taken for a person.
    """
    words = name.group("name").split()
    while len(words) > 1 and words[0] in _NOT_NAME_PARTS:
        words = words[1:]  # "Dr", "Sheikh": an honorific before the name
    if words[0] in _NOT_NAMES or _ARTICLE_START.match(segment) or _INSTITUTION.search(name.group("name")):
        return False
    titled = _TITLE.search(segment[: name.start()] + words[0])
    return len(words) >= 2 or bool(titled)


def _find_institution(phrase: str) -> tuple[str, str] | None:
    """The institution a phrase names as (key, head noun), a specific one ("customs") before a generic
    one ("data"). The key keeps the qualifiers ("foreign ministry", "ministry of economic development")
    so that two ministries of one report stay apart; a bare "the ministry" has its noun as key."""
    found = list(_INSTITUTION.finditer(phrase))
    specific = [m for m in found if m.group("noun").lower() not in _GENERIC_SOURCE]
    chosen = specific or found
    if not chosen:
        return None
    head = chosen[0]
    noun = head.group("noun").lower()
    before = _QUALIFIER_BEFORE.search(phrase[: head.start()])
    after = _QUALIFIER_AFTER.match(phrase[head.end() :])
    words = [*(before.group().split() if before else []), noun, *(after.group().split() if after else [])]
    kept = [w for w in words if len(w) > 1 and w.lower() not in _NOT_QUALIFIERS and not lookup_country(w)]
    key = " ".join(w.lower() for w in kept)
    return key or noun, noun


def _known_institution(discourse: Discourse, institution: tuple[str, str]) -> str | None:
    """The state an institution was last cited for: by its full name, or the latest of its kind when bare."""
    key, noun = institution
    if noun in _GENERIC_SOURCE and key == noun:
        return None
    return discourse.institutions.get(key)


def _note_institution(discourse: Discourse, institution: tuple[str, str], code: str) -> None:
    key, noun = institution
    if noun in _GENERIC_SOURCE and key == noun:
        return
    discourse.institutions[key] = code
    discourse.institutions[noun] = code  # "the ministry" later means the ministry last cited


def _remember(discourse: Discourse, code: str, name: re.Match[str] | None, institution: tuple[str, str] | None) -> str:
    """Note a resolved source: its official's name and its institution speak for `code` from now on."""
    discourse.last_source = code
    if name and len(name.group("name").split()) >= 2 and not _INSTITUTION.search(name.group("name")):
        _learn_name(discourse, name.group("name"), code)
    if institution:
        _note_institution(discourse, institution, code)
    return code


def _institution(mentions: SentenceMentions, discourse: Discourse, institution: tuple[str, str]) -> str | None:
    """The state of an institution named without one: as cited before, the trade's owner, the dateline."""
    code = _known_institution(discourse, institution)
    code = code or _trade_owner(mentions) or discourse.dateline or discourse.perspective
    if code:
        _note_institution(discourse, institution, code)
    return code


def _trade_owner(mentions: SentenceMentions) -> str | None:
    """ "India's trade with Saudi Arabia": the state whose trade the sentence reports."""
    text = mentions.text
    for party in mentions.parties:
        # "Russian-Afghan trade" names a pair, not an owner.
        paired = text[party.start - 1 : party.start] == "-" or text[party.end : party.end + 1] == "-"
        if not paired and _TRADE_OWNER.match(text[party.end : party.end + 40]):
            return party.code
    return None


def _person(name: str, mentions: SentenceMentions, discourse: Discourse) -> str | None:
    """A named speaker's state: known from the report, else the sentence's first state, remembered."""
    code = discourse.person_code(name)
    if code:
        discourse.last_source = code
        return code
    codes = mentions.codes()
    if codes:
        _learn_name(discourse, name, codes[0])
        discourse.last_source = codes[0]
        return codes[0]
    return discourse.perspective


def _learn_name(discourse: Discourse, name: str, code: str) -> None:
    for part in name.split():
        if len(part) < 3 or not part[:1].isupper() or part in _NOT_NAME_PARTS or part in _NOT_NAMES:
            continue
        if not lookup_country(part):
            discourse.persons.setdefault(part, code)
