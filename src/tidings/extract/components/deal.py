"""Extraction component `tidings_deal`: an agreement, contract or deal with a stated value.

A sentence's mentions, its parse and the report's discourse in; `Draft`s out,
plus the amounts it claimed (so the trade component does not read "a trade
contract worth $360 million" as trade). An amount belongs to a deal when a deal
noun stands just before it ("agreements ... worth $190.8 million", "contracts
worth 200 million dollars") or just after it ("a $100 million trade deal"), with
no cost, loan or aid word in between. Deals among three or more states (a
tripartite railway) are left out: the schema's deal has two parties.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from tidings.extract.discourse import Discourse
from tidings.extract.drafts import Draft, date_from_context, is_retracted, pick_act_date
from tidings.extract.lexicon import DEAL, PROJECT_MONEY, TRADE
from tidings.extract.mentions import SentenceMentions
from tidings.extract.modality import judge
from tidings.normalize.money import AmountMention

NAME = "tidings_deal"
VERSION = "1"
# How far (characters) a deal noun may stand before its amount: "signed 15 agreements,
# including nine for the supply of oil, worth $190.8 million" is the longest common shape.
DEAL_BEFORE_WINDOW = 90
# When the amount is introduced as a value ("worth", "valued at", "with a value of"), the deal
# noun may stand further back, across an appositive: "signed an agreement with a foreign firm to
# build a refinery in the capital, a project officials valued at about $200 million" (~105
# characters from the noun). 140 covers that shape with room for a longer object.
DEAL_VALUE_WINDOW = 140
_VALUE_LEAD = re.compile(
    r"\b(?:worth|valued\s+at|with\s+a\s+(?:combined\s+|total\s+)?value\s+of)\s+(?:[\w-]+\s+){0,2}$", re.I
)
_BOUNDARY = re.compile(r"[;.!?]|\bwhile\b|\bwhereas\b")
# How far (characters) after an amount we read what it is: "a $100 million trade deal"
# (a deal), "a $500 million loan" (not one), "$1.5 billion in annual trade" (trade).
FOLLOWING_WINDOW = 25
_TRADE_AFTER = re.compile(r"^\s*(?:in|of)\s+(?:[\w-]+\s+)?(?:trade|turnover|commerce)\b", re.I)
_NOT_DEAL_AFTER = re.compile(
    r"^\s*(?:[\w-]+\s+)?(?:loans?|credits?|credit\s+lines?|grants?|aid|assistance|financing)\b", re.I
)
_DEAL_AFTER = re.compile(r"^[\s\w-]{0,20}?\b(?P<noun>deals?|contracts?|agreements?)\b", re.IGNORECASE)


def find_deal_noun(text: str, amount: AmountMention) -> int | None:
    """Where the deal noun that owns `amount` starts, if there is one.

    Not when the amount is a loan, credit or grant ("an agreement on a $500 million
    loan") or a trade figure ("signed contracts and now eye $1.5 billion in annual trade").
    """
    following = text[amount.end : amount.end + FOLLOWING_WINDOW]
    owned_after = _DEAL_AFTER.match(following)
    if _NOT_DEAL_AFTER.match(following) or (_TRADE_AFTER.match(following) and not owned_after):
        return None
    valued = _VALUE_LEAD.search(text[max(0, amount.start - 40) : amount.start])
    offset = max(0, amount.start - (DEAL_VALUE_WINDOW if valued else DEAL_BEFORE_WINDOW))
    before = text[offset : amount.start]
    matches = list(DEAL.finditer(before))
    if matches:
        last = matches[-1]
        between = before[last.end() :]
        # "under the agreement, trade reached $5 billion": the figure is trade's, not the deal's.
        owned = not (PROJECT_MONEY.search(between) or _BOUNDARY.search(between) or TRADE.search(between))
        if owned and "$" not in between:
            return offset + last.start()
    if owned_after:
        return amount.end + owned_after.start("noun")
    return None


def extract(mentions: SentenceMentions, discourse: Discourse, doc: Doc | None) -> tuple[list[Draft], set[int]]:
    """Deal drafts of one sentence and the start offsets of the amounts they used."""
    text = mentions.text
    if not DEAL.search(text):
        return [], set()
    drafts: list[Draft] = []
    claimed: set[int] = set()
    for amount in mentions.amounts:
        if amount.amount.currency is None:
            continue
        trigger = find_deal_noun(text, amount)
        if trigger is None:
            continue
        claimed.add(amount.start)
        if doc is not None and judge(doc, trigger) != "asserted":
            continue
        if is_retracted(mentions, discourse, amount.start):
            continue
        pair = _pair(mentions, discourse)
        if pair is None:
            continue
        date, role = pick_act_date(mentions, trigger)
        if date is None and role is None:
            date = date_from_context(mentions, discourse)
            role = "effective" if date else None
        value = amount.amount
        fields = {
            "country": pair[0],
            "partner": pair[1],
            "amount_usd": value.usd,
            "amount": value.value,
            "currency": value.currency,
            "hedge": value.hedge,
            "date": date,
            "date_role": role,
        }
        drafts.append(Draft("deal", fields, mentions.sentence, NAME, confidence=0.8))
    return drafts, claimed


def _pair(mentions: SentenceMentions, discourse: Discourse) -> tuple[str, str] | None:
    codes = mentions.codes()
    if len(codes) >= 3:
        return None
    if len(codes) == 2:
        return orient(codes[0], codes[1], discourse.hub)
    if len(codes) == 1:
        other = discourse.other_side(codes[0])
        return orient(codes[0], other, discourse.hub) if other else None
    if discourse.pair:
        return orient(discourse.pair[0], discourse.pair[1], discourse.hub)
    return None


def orient(first: str, second: str, hub: str | None) -> tuple[str, str]:
    """Order a pair the way the schema's convention does: the hub state is the partner."""
    if first == hub:
        return second, first
    return first, second
