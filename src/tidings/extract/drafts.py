"""Extraction: a fact before merging, and the argument pickers every kind shares.

Components emit `Draft`s: the kind, the fields, the sentence they came from and
how the date was found. The pickers here choose, among a sentence's mentions,
the date of an act (skipping comparison baselines such as "twice as much as in
2021"), and whether a date was an announcement's ("said on Friday") or the act's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from tidings.extract.discourse import Discourse
from tidings.extract.lexicon import (
    ANNOUNCEMENT,
    COMPARISON_BASE,
    CORRECTION,
    DELIST,
    LIST,
    RETRACTED_LEAD,
    SAME_EVENT,
    SUSPEND,
)
from tidings.extract.mentions import SentenceMentions
from tidings.extract.sentences import Sentence
from tidings.normalize.dates import DateMention

# How many characters before a date we look for "said on", "reported on", "in a statement on".
ANNOUNCEMENT_WINDOW = 40
_SINCE = re.compile(r"\bsince\s*$", re.IGNORECASE)


@dataclass
class Draft:
    """A fact found in one sentence, before facts from the whole report are merged."""

    kind: str
    fields: dict[str, Any]
    sentence: Sentence
    component: str
    confidence: float = 0.9
    order: int = 0
    notes: list[str] = field(default_factory=list)


def is_announcement_date(text: str, mention: DateMention) -> bool:
    """True when the date says when something was announced ("said on Friday")."""
    before = text[max(0, mention.start - ANNOUNCEMENT_WINDOW) : mention.start]
    return bool(ANNOUNCEMENT.search(before)) or bool(
        re.match(r"^\s*,?\s*(?:the\s+\w+\s+)*(?:\w+\s+){0,6}(?:announced|said|reported)", text[mention.end :])
        and mention.start < 15
    )


def is_baseline(text: str, mention: DateMention) -> bool:
    """True for comparison baselines: "than in 2021", "from the previous year", "figures for 2021"."""
    return bool(COMPARISON_BASE.search(text[max(0, mention.start - 30) : mention.start]))


def is_since(text: str, mention: DateMention) -> bool:
    """True for "since 2005": the start of a standing state, not the act reported."""
    return bool(_SINCE.search(text[max(0, mention.start - 10) : mention.start]))


def pick_act_date(
    mentions: SentenceMentions, trigger: int, *, want_since: bool | None = None
) -> tuple[str | None, str | None]:
    """The date of the act whose trigger is at `trigger`, and its role ("effective"/"announced").

    Among the sentence's dated mentions (not baselines), prefers effective dates and
    then the one nearest the trigger. `want_since` True keeps only "since X" dates,
    False drops them, None takes either.
    """
    text = mentions.text
    candidates = []
    for mention in mentions.dates:
        if mention.value is None and not mention.relative:
            continue
        if is_baseline(text, mention):
            continue
        since = is_since(text, mention)
        if want_since is True and not since:
            continue
        if want_since is False and since:
            continue
        announced = is_announcement_date(text, mention)
        distance = abs(mention.start - trigger)
        # A date in the trigger's own clause beats one across a comma ("After X in April,
        # Moscow recognized ... in July 2025"); within a tier, the act's date beats the
        # announcement's, then the nearer one wins.
        other_clause = _crosses_clause(text, trigger, mention.start)
        candidates.append(((other_clause, other_clause and not announced, announced, distance), announced, mention))
    if not candidates:
        return None, None
    _rank, announced, best = min(candidates, key=lambda c: c[0])
    return best.value, ("announced" if announced else "effective")


def _crosses_clause(text: str, a: int, b: int) -> bool:
    low, high = sorted((a, b))
    return bool(re.search(r"[,;()]|\bwhile\b|\bafter\b|\bsince\b", text[low:high]))


def date_from_context(mentions: SentenceMentions, discourse: Discourse) -> str | None:
    """A date an anaphor points back to: "during that visit", "as a result", "the business forum"."""
    if SAME_EVENT.search(mentions.text):
        dated = [d.value for d in discourse.last_dates if d.value and d.kind == "date"]
        if dated:
            return dated[-1]
    return discourse.event_date(mentions.text)


def is_retracted(mentions: SentenceMentions, discourse: Discourse, position: int) -> bool:
    """True for a value a correction notice withdraws: "An earlier version said $1.2 billion; it was ...".

    In a correction paragraph, a value that follows "said"/"stated"/"reported" in its
    semicolon-delimited part is the retracted one; the part after the semicolon gives
    the corrected value, which stands.
    """
    text = mentions.text
    in_notice = CORRECTION.search(text) or discourse.correction_paragraph == mentions.sentence.paragraph
    if not in_notice:
        return False
    part_start = text.rfind(";", 0, position) + 1
    return bool(RETRACTED_LEAD.search(text[part_start:position]))


def announcement_in_next(next_mentions: SentenceMentions | None) -> str | None:
    """The date of a following "In a statement on DATE, the ministry announced ..." sentence."""
    if next_mentions is None or not ANNOUNCEMENT.search(next_mentions.text):
        return None
    if DELIST.search(next_mentions.text) or LIST.search(next_mentions.text) or SUSPEND.search(next_mentions.text):
        return None  # the next sentence reports an act of its own
    for mention in next_mentions.dates:
        if mention.value and mention.kind == "date" and not is_baseline(next_mentions.text, mention):
            return mention.value
    return None
