"""Extraction component `tidings_designation`: a state lists, delists or suspends a group.

A sentence's mentions, its parse and the report's discourse in; `Draft`s out.
The designating state is the one named just before the trigger ("Kazakhstan has
removed ..."), else one introduced by "in"/"by" after it ("... as a terrorist
organization in Kyrgyzstan", "banned by Kyrgyz courts"), else — when the sentence
points back ("The country had previously designated ...") — the last state that
designated or the report's perspective. A group's own state (the Taliban's
Afghanistan) never designates it.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from tidings.extract.discourse import Discourse
from tidings.extract.drafts import Draft, pick_act_date
from tidings.extract.lexicon import COUNTRY_ANAPHOR, DELIST, LIST, LIST_CONTEXT, NON_STATE_LISTER, SUSPEND
from tidings.extract.mentions import Party, SentenceMentions
from tidings.extract.modality import judge
from tidings.normalize.orgs import OrgTable

NAME = "tidings_designation"
VERSION = "1"
# Triggers phrased as negations of presence are delistings in themselves.
_SELF_NEGATED = re.compile(r"^(?:no\s+longer|was\s+not|is\s+not|were\s+not|are\s+not)", re.IGNORECASE)
_AFTER_PREPOSITION = re.compile(r"\b(?:in|by)\s+(?:the\s+)?$", re.IGNORECASE)


def extract(mentions: SentenceMentions, discourse: Discourse, doc: Doc | None, orgs: OrgTable) -> list[Draft]:
    """Designation drafts of one sentence."""
    text = mentions.text
    groups = [m for m in mentions.orgs]
    if not groups or not LIST_CONTEXT.search(text):
        return []
    drafts: list[Draft] = []
    for action, pattern in (("suspended", SUSPEND), ("delisted", DELIST), ("listed", LIST)):
        for match in pattern.finditer(text):
            if action == "delisted" and SUSPEND.search(text):
                continue
            if not _SELF_NEGATED.match(match.group()) and doc is not None:
                if judge(doc, match.start()) != "asserted":
                    continue
            drafts.extend(_drafts_for(mentions, discourse, orgs, action, match.start()))
            break
    return drafts


def _drafts_for(
    mentions: SentenceMentions, discourse: Discourse, orgs: OrgTable, action: str, trigger: int
) -> list[Draft]:
    own_states = {orgs.government_of(m.canonical) for m in mentions.orgs}
    states = [p for p in mentions.parties if p.code not in own_states and p.form != "government"]
    country = _pick_designator(mentions, states, trigger, discourse, own_states)
    if country is None:
        return []
    has_both = bool(DELIST.search(mentions.text)) and bool(LIST.search(mentions.text))
    want_since = (action == "listed") if has_both else None
    date, role = pick_act_date(mentions, trigger, want_since=want_since)
    drafts = []
    for group in _groups_for(mentions):
        fields = {"country": country, "organization": group, "action": action, "date": date, "date_role": role}
        drafts.append(Draft("designation", fields, mentions.sentence, NAME, confidence=0.9))
    return drafts


def _groups_for(mentions: SentenceMentions) -> list[str]:
    seen: list[str] = []
    for mention in mentions.orgs:
        if mention.canonical not in seen:
            seen.append(mention.canonical)
    return seen


def _pick_designator(
    mentions: SentenceMentions, states: list[Party], trigger: int, discourse: Discourse, own_states: set[str | None]
) -> str | None:
    text = mentions.text
    before = [p for p in states if p.end <= trigger]
    if before:
        return before[-1].code
    after = [p for p in states if p.start >= trigger and _AFTER_PREPOSITION.search(text[: p.start])]
    if after:
        return after[0].code
    if states:
        return states[0].code
    if NON_STATE_LISTER.search(text):
        return None
    if COUNTRY_ANAPHOR.search(text):
        # "The country had previously designated ...": the state the sentence before spoke of.
        previous = [code for code in discourse.last_codes if code not in own_states]
        return previous[0] if previous else discourse.last_designator or discourse.perspective
    return None
