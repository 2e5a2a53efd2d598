"""Extraction: to whom a report attributes a figure — "according to the Taliban", "Tashkent estimates".

A sentence's mentions and the report's discourse in; a state's ISO code (or None)
out. Sources, in order: the quotation the sentence stands in; "according to X";
the subject of a speech verb ("Zhumangarin highlighted that ...", "..., the
committee said"). A named official resolves through the nationalities the report
gave ("Kazakh Deputy Prime Minister Serik Zhumangarin"); one whose nationality
the report never gives is taken to speak for the state the sentence is about
(its first state), and is remembered as such. An institution with no state
named ("the committee", "state television") speaks for the report's dateline or
home state.
"""

from __future__ import annotations

import re

from tidings.extract.discourse import Discourse
from tidings.extract.lexicon import ACCORDING_TO, SPEECH_VERB
from tidings.extract.mentions import SentenceMentions

# How far back (characters) from a speech verb its subject may start.
SPEAKER_WINDOW = 80
_NAME = re.compile(r"(?:[A-Z][\w’'-]+\s+){0,3}[A-Z][\w’'-]+")
_LAST_NAME = re.compile(r"(?<![.!?]\s)\b(?P<name>[A-Z][a-z’'-]+(?:\s+[A-Z][a-z’'-]+){0,2})\s*$")
_INSTITUTION = re.compile(
    r"\b(?:ministry|committee|bureau|agency|office|service|customs|statistics|government|department|authorit(?:y|ies)"
    r"|television|broadcaster|press\s+service|data)\b[^,;]{0,30}$",
    re.IGNORECASE,
)
_NOT_NAMES = frozenset({"The", "A", "An", "In", "On", "At", "It", "This", "That", "He", "She", "They", "But", "And"})


def attribute(mentions: SentenceMentions, discourse: Discourse) -> str | None:
    """The state a figure in this sentence is attributed to, or None when the report cites no one."""
    quoted = discourse.quote_codes.get(mentions.sentence.index)
    if quoted:
        return quoted
    text = mentions.text
    according = ACCORDING_TO.search(text)
    if according:
        return _according_to(mentions, discourse, according.end())
    for verb in SPEECH_VERB.finditer(text):
        code = _speaker(mentions, discourse, verb.start())
        if code:
            return code
    return None


def _according_to(mentions: SentenceMentions, discourse: Discourse, position: int) -> str | None:
    following = [p for p in mentions.parties if position <= p.start < position + 25]
    if following:
        return following[0].code
    rest = mentions.text[position:]
    name = _NAME.match(rest)
    if name and name.group() not in _NOT_NAMES:
        return _person(name.group(), mentions, discourse)
    if _INSTITUTION.search(rest[:40].split(",")[0]):
        return discourse.dateline or discourse.perspective
    return None


def _speaker(mentions: SentenceMentions, discourse: Discourse, verb: int) -> str | None:
    text = mentions.text
    before = text[max(0, verb - SPEAKER_WINDOW) : verb]
    for name in reversed(re.findall(r"[A-Z][\w’'-]+", before)):
        code = discourse.person_code(name)
        if code:
            return code
    parties = [p for p in mentions.parties if verb - SPEAKER_WINDOW <= p.start < verb]
    if parties:
        return parties[-1].code
    last = _LAST_NAME.search(before)
    if last and last.group("name").split()[0] not in _NOT_NAMES:
        return _person(last.group("name"), mentions, discourse)
    if _INSTITUTION.search(before):
        return discourse.dateline or discourse.perspective
    return None


def _person(name: str, mentions: SentenceMentions, discourse: Discourse) -> str | None:
    """A named speaker's state: known from the report, else the sentence's first state, remembered."""
    code = discourse.person_code(name)
    if code:
        return code
    codes = mentions.codes()
    code = codes[0] if codes else discourse.perspective
    if code:
        for part in name.split():
            discourse.persons.setdefault(part, code)
    return code
