"""Extraction component `tidings_trade`: trade figures and targets between two states.

A sentence's mentions and the report's discourse in; `Draft`s out. Each amount
is read within its clause: the nearest trade word gives the flow ("exports" ->
export, "imports" -> import, "trade"/"turnover" -> total), "from"/"to"/"into"
and possessives give its direction, the clause's time expression gives the
period (comparison baselines such as "doubling the figures for 2021" are not
periods), and intent wording before "to $X" ("plans to triple trade to",
"the task of increasing turnover to") makes it a target. Sector trade
("agricultural trade") and a facility's turnover are not bilateral trade.
"""

from __future__ import annotations

import re
from itertools import pairwise
from typing import Any

from tidings.extract.attribution import attribute
from tidings.extract.discourse import Discourse
from tidings.extract.drafts import Draft, is_announcement_date, is_baseline, is_retracted, is_since
from tidings.extract.lexicon import (
    FACILITY_TURNOVER,
    HYPOTHETICAL,
    OTHER_DIRECTION,
    PROJECT_MONEY,
    SAME_PERIOD,
    SECTOR_TRADE,
    TARGET,
    THIS_FIGURE,
    TRADE,
    TRADE_INSTITUTION,
    WORLD_TRADE,
)
from tidings.extract.mentions import Party, SentenceMentions
from tidings.extract.periods import figure_periods
from tidings.normalize.dates import DateMention
from tidings.normalize.money import AmountMention

NAME = "tidings_trade"
VERSION = "1"
_CLAUSE_BREAK = re.compile(r"[;,()]|\s[–—-]\s|\bwhile\b|\bwhereas\b|\bof\s+which\b|\bbut\b")
_ARROW = re.compile(r"^\s*(?:→|->|—>|to)\s*$")
_TO_BEFORE_AMOUNT = re.compile(
    r"\b(?:to|up\s+to|at|towards?|to\s+(?:reach|hit|top|exceed|surpass|achieve))\s*$", re.IGNORECASE
)
_GOAL_OF = re.compile(r"\b(?:target|goal|aim|objective|ambition)\w*\b(?:\s+\w+){0,3}\s+(?:of|at)\s*$", re.IGNORECASE)
_FROM = re.compile(r"\bfrom\s+(?:the\s+)?$", re.IGNORECASE)
_TO = re.compile(r"\b(?:to|into)\s+(?:the\s+)?$", re.IGNORECASE)
_BY_MONTH = re.compile(r"\bby\s+(?:the\s+end\s+of\s+)?$", re.IGNORECASE)
_RESTATED = re.compile(r"^\s*\(\s*$")
# A balance is derived from two flows, not a flow: "widening the deficit ... to $26.8 billion".
_BALANCE = re.compile(r"\b(?:deficit|surplus|balance|imbalance|gap)\b", re.IGNORECASE)
_SHARE_VERB = re.compile(
    r"\b(?:accounted\s+for|made\s+up|represented|comprised|contributed)\s+(?:[\w-]+\s+){0,2}$", re.IGNORECASE
)
_BY_YEAR = re.compile(r"^\s*(?:by|before|in)\s+(?:the\s+end\s+of\s+)?((?:19|20)\d\d)\b", re.IGNORECASE)
_BASELINE_BEFORE = re.compile(r"\b(?:up|down|rising|falling|compared)\s+(?:from|with|to)\s*$", re.I)
_YEAR_EARLIER = re.compile(
    r"^\s*(?:a|one)\s+year\s+(?:earlier|before|ago)|^\s*(?:in\s+)?the\s+(?:previous|prior)\s+year", re.I
)
_THRESHOLD = re.compile(r"\b(?:passed|crossed|topped|surpassed|exceeded|broke|breached|past)\s+(?:the\s+)?$", re.I)
# A mark "passed" and the figure that passed it lie close: within 25% (chosen so "$1 billion"
# and "$1.04 billion" pair up while two unrelated figures rarely do).
THRESHOLD_MARGIN = 1.25
# Nearby words that refer back to the previous figure's period.
_PERIOD_ANAPHOR = re.compile(r"\b(?:that|this|the\s+same)\s+(?:period|time|year)\b|\bthis\s+(?:figure|amount)\b", re.I)
# A figure that is part of the last one: "made up $794 million of that total", "of which".
_PART_OF_LAST = re.compile(r"\bof\s+(?:that|this|the)\s+(?:total|sum|amount|figure)\b|\bof\s+(?:that|which)\b", re.I)
_LIST_ITEM = re.compile(r"^\s*(?:[-•*–]|\d+[.)])\s")
# How many sentences after a dated figure an undated one of the same pair still shares its
# period ("... $1.16 billion in 2024. [one sentence] Shipments from Uzbekistan accounted for ...").
INHERIT_WINDOW = 2
# How close (characters) a state must stand before "exports"/"imports" to be their subject.
POSSESSOR_WINDOW = 30


def extract(mentions: SentenceMentions, discourse: Discourse, claimed: set[int]) -> list[Draft]:
    """Trade drafts of one sentence; amounts in `claimed` belong to deals."""
    text = mentions.text
    if not mentions.amounts or FACILITY_TURNOVER.search(text):
        return []
    if not TRADE.search(text):
        return _continued(mentions, discourse, claimed)
    if HYPOTHETICAL.search(text):
        return []
    masked = _masked_keywords(text)
    amounts = _figures(mentions, claimed)
    # "Indian exports to the Emirates grew to $36.6 billion, while imports climbed to $63.4 billion":
    # a later flow that names no state is the same state's.
    sentence_home = _flow_home(mentions, discourse)
    drafts: list[Draft] = []
    previous_direction: tuple[str, str] | None = None
    for amount in amounts:
        start, end = _clause(text, amount)
        keyword = _flow_keyword(text, amount, start, end, masked)
        if keyword is None or _is_sector(text, keyword):
            continue
        if PROJECT_MONEY.search(text[start : amount.start]) or _BALANCE.search(text[start : amount.start]):
            continue
        if is_retracted(mentions, discourse, amount.start) or _is_product_share(text, amount, start):
            continue
        flow = _flow_of(keyword.group())
        if OTHER_DIRECTION.search(text[amount.end : end + 40]) and previous_direction:
            exporter, importer = previous_direction[1], previous_direction[0]
            sides: tuple[str, str] | None = (exporter, importer)
            flow = "export"
        else:
            home = sentence_home[0] if sentence_home and sentence_home[1] <= keyword.start() else None
            sides = _sides(mentions, discourse, flow, keyword, start, end, home=home)
        if sides is None or sides[0] == sides[1]:
            continue
        if flow != "total":
            previous_direction = sides
        status = _status(text, amount, start, anchor=discourse.anchor)
        period, hint = _period(mentions, discourse, amount, start, end, status, sides)
        period = _baseline_period(text, amount, period)
        fields = _fields(sides, flow, amount, status, period, discourse)
        if hint:
            fields["period_hint"] = hint
        according = attribute(mentions, discourse) or _inherited_source(mentions, discourse)
        if according:
            fields["according_to"] = according
        drafts.append(Draft("trade", fields, mentions.sentence, NAME, confidence=0.8))
    return drafts


def _continued(mentions: SentenceMentions, discourse: Discourse, claimed: set[int]) -> list[Draft]:
    """ "This amount decreased to $3.3mn in the first half of 2023": the previous figure's flow, another value."""
    last = discourse.last_trade
    if last is None or not THIS_FIGURE.search(mentions.text) or HYPOTHETICAL.search(mentions.text):
        return []
    if mentions.sentence.index - discourse.last_trade_index > INHERIT_WINDOW:
        return []
    drafts = []
    for amount in _figures(mentions, claimed):
        start, end = _clause(mentions.text, amount)
        status = _status(mentions.text, amount, start, anchor=discourse.anchor)
        sides = (str(last["country"]), str(last["partner"]))
        period, hint = _period(mentions, discourse, amount, start, end, status, sides)
        period = _baseline_period(mentions.text, amount, period)
        fields = {**last, **_value_fields(amount), "status": status, "period": period}
        fields.pop("according_to", None)
        if hint:
            fields["period_hint"] = hint
        drafts.append(Draft("trade", fields, mentions.sentence, NAME, confidence=0.7))
    return drafts


def _inherited_source(mentions: SentenceMentions, discourse: Discourse) -> str | None:
    """The source of the figure this one continues, when the sentence names none of its own.

    "... $865 million, according to the central bank. Exports made up $794 million of that
    total": a part of the last figure ("of that total", "over the same period"), the next
    sentence of the same paragraph, or an item of a list that follows it.
    """
    last = discourse.last_trade
    if last is None or not last.get("according_to"):
        return None
    gap = mentions.sentence.index - discourse.last_trade_index
    if gap > INHERIT_WINDOW:
        return None
    text = mentions.text
    if _PART_OF_LAST.search(text) or _PERIOD_ANAPHOR.search(text) or _LIST_ITEM.match(text):
        return str(last["according_to"])
    same_paragraph = discourse.last_trade_paragraph == mentions.sentence.paragraph
    return str(last["according_to"]) if gap == 1 and same_paragraph else None


def note_flow_home(mentions: SentenceMentions, discourse: Discourse) -> None:
    """Remember whose imports or exports a sentence speaks of ("Kazakhstan imports ... from Afghanistan")."""
    found = _flow_home(mentions, discourse)
    if found:
        discourse.flow_home = found[0]


def _flow_home(mentions: SentenceMentions, discourse: Discourse) -> tuple[str, int] | None:
    """The state whose own imports or exports the sentence names first, and where that trade word ends."""
    text = mentions.text
    for keyword in TRADE.finditer(text):
        flow = _flow_of(keyword.group())
        if flow == "total":
            continue
        start, end = _clause_at(text, keyword.start(), keyword.end())
        parties = [p for p in mentions.parties if start - POSSESSOR_WINDOW <= p.start and p.end <= end]
        owner = _possessor(text, parties, keyword.start())
        source = _after(text, parties, keyword.end(), _FROM)
        target = _after(text, parties, keyword.end(), _TO)
        home = owner or (target if flow == "import" else source)
        if home is None and flow == "import" and source:
            home = discourse.other_side(source)
        if home is None and flow == "export" and target:
            home = discourse.other_side(target)
        if home:
            return home, keyword.end()
    return None


def _figures(mentions: SentenceMentions, claimed: set[int]) -> list[AmountMention]:
    """The sentence's amounts, a restated figure ("almost $1 billion ($987.9 million)") once."""
    text = mentions.text
    amounts = [a for a in mentions.amounts if a.start not in claimed]
    has_currency = any(a.amount.currency for a in amounts)
    kept: list[AmountMention] = []
    for amount in amounts:
        if _is_threshold(text, amount, amounts):
            continue
        if kept and _RESTATED.match(text[kept[-1].end : amount.start]):
            kept[-1] = amount
            continue
        # A number with no currency ("about 4 million a year") counts only when the
        # sentence names no other currency to confuse it with.
        if amount.amount.currency is None and any(a.amount.currency not in (None, "USD") for a in amounts):
            continue
        if amount.amount.currency is None and has_currency:
            continue
        kept.append(amount)
    return kept


def _is_product_share(text: str, amount: AmountMention, clause_start: int) -> bool:
    """ "Solar panels alone accounted for $1 billion of Chinese shipments": a product's share, not a flow.

    The same verbs with a flow as subject ("Exports to X made up $794 million of that
    total") state a flow and are kept.
    """
    share = _SHARE_VERB.search(text[clause_start : amount.start])
    if share is None:
        return False
    # The subject may stand before an appositive ("Kyrgyz exports, mainly flour and cement,
    # accounted for ..."), so it is looked for from the sentence's start.
    return not TRADE.search(text[: clause_start + share.start()])


def _is_threshold(text: str, amount: AmountMention, amounts: list[AmountMention]) -> bool:
    """ "passed $1 billion for the first time, reaching $1.04 billion": the round mark is not the figure."""
    if not _THRESHOLD.search(text[max(0, amount.start - 25) : amount.start]):
        return False
    value = amount.amount.value
    return any(o is not amount and value <= o.amount.value <= value * THRESHOLD_MARGIN for o in amounts)


def _clause(text: str, amount: AmountMention) -> tuple[int, int]:
    return _clause_at(text, amount.start, amount.end)


def _clause_at(text: str, begin: int, finish: int) -> tuple[int, int]:
    start = 0
    for match in _CLAUSE_BREAK.finditer(text, 0, begin):
        start = match.end()
    following = _CLAUSE_BREAK.search(text, finish)
    return start, following.start() if following else len(text)


def _masked_keywords(text: str) -> list[tuple[int, int]]:
    """Spans where a trade word names an institution or relations, not a figure ("Chamber of Commerce")."""
    return [(m.start(), m.end()) for m in TRADE_INSTITUTION.finditer(text)]


def _flow_keyword(
    text: str, amount: AmountMention, start: int, end: int, masked: list[tuple[int, int]]
) -> re.Match[str] | None:
    def usable(m: re.Match[str]) -> bool:
        return not any(s <= m.start() < e for s, e in masked)

    inside = [
        m
        for m in TRADE.finditer(text, start, end)
        if (m.start() < amount.start or m.start() >= amount.end) and usable(m)
    ]
    if inside:
        return min(inside, key=lambda m: abs(m.start() - amount.start))
    before = [m for m in TRADE.finditer(text, 0, amount.start) if usable(m)]
    return before[-1] if before else None


def _is_sector(text: str, keyword: re.Match[str]) -> bool:
    spans = [*SECTOR_TRADE.finditer(text), *WORLD_TRADE.finditer(text)]
    return any(m.start() <= keyword.start() < m.end() for m in spans)


def _flow_of(word: str) -> str:
    lower = word.lower()
    if lower.startswith(("export", "shipment", "goods", "deliver")):
        return "export"
    if lower.startswith("import") or lower.startswith("bought") or lower.startswith("purchase"):
        return "import"
    return "total"


def _sides(
    mentions: SentenceMentions,
    discourse: Discourse,
    flow: str,
    keyword: re.Match[str],
    start: int,
    end: int,
    *,
    home: str | None = None,
) -> tuple[str, str] | None:
    """(exporter, importer) for a one-way flow, or the pair for total trade; `home` owns a flow that names no state."""
    text = mentions.text
    if flow == "total":
        key_start, key_end = _clause_at(text, keyword.start(), keyword.end())
        # The amount's own clause names the pair first ("..., while the figure for Kazakhstan was ..."),
        # then the trade word's clause, then the sentence.
        in_amount = [p.code for p in mentions.parties if start - POSSESSOR_WINDOW <= p.start < end]
        in_keyword = [p.code for p in mentions.parties if key_start <= p.start < key_end]
        codes = list(dict.fromkeys(in_amount or in_keyword)) or mentions.codes()
        if len(codes) >= 2:
            return codes[0], codes[1]
        if len(codes) == 1:
            other = discourse.other_side(codes[0])
            return (codes[0], other) if other else None
        return discourse.trade_pair or discourse.pair
    key_start, key_end = _clause_at(text, keyword.start(), keyword.end())
    clause_parties = [
        p
        for p in mentions.parties
        if (start - POSSESSOR_WINDOW <= p.start and p.end <= end)
        or (key_start - POSSESSOR_WINDOW <= p.start and p.end <= key_end)
    ]
    source = _after(text, clause_parties, keyword.end(), _FROM)
    target = _after(text, clause_parties, keyword.end(), _TO)
    owner = _possessor(text, clause_parties, keyword.start())
    if flow == "export":
        exporter, importer = source or owner, target
    else:
        importer, exporter = target or owner, source
    arrow = _arrow(text, clause_parties, keyword.end())
    if arrow:
        exporter, importer = arrow
    return _complete(exporter, importer, flow, discourse, home=home)


def _arrow(text: str, parties: list[Party], position: int) -> tuple[str, str] | None:
    """ "Exports (Türkiye → Azerbaijan): ...": goods go from the first state to the second."""
    after = [p for p in parties if p.start >= position]
    for first, second in pairwise(after):
        if _ARROW.match(text[first.end : second.start]) and "(" in text[position : first.start]:
            return first.code, second.code
    return None


def _complete(
    exporter: str | None, importer: str | None, flow: str, discourse: Discourse, *, home: str | None = None
) -> tuple[str, str] | None:
    if exporter and not importer:
        importer = discourse.other_side(exporter)
    elif importer and not exporter:
        exporter = discourse.other_side(importer)
    elif not exporter and not importer:
        home = home or discourse.perspective
        if home is None:
            return None
        other = discourse.other_side(home)
        exporter, importer = (home, other) if flow == "export" else (other, home)
    if exporter is None or importer is None:
        return None
    return exporter, importer


def _after(text: str, parties: list[Party], position: int, preposition: re.Pattern[str]) -> str | None:
    for party in parties:
        if party.start >= position and preposition.search(text[position : party.start][-12:]):
            return party.code
    return None


def _possessor(text: str, parties: list[Party], position: int) -> str | None:
    before = [p for p in parties if p.end <= position and position - p.end <= POSSESSOR_WINDOW]
    if not before:
        return None
    gap = text[before[-1].end : position]
    if re.fullmatch(r"(?:[’']s)?\s*(?:\w+\s+){0,2}", gap) or gap.strip() in {"", "’s", "'s"}:
        return before[-1].code
    return None


def _status(text: str, amount: AmountMention, clause_start: int, *, anchor: str | None = None) -> str:
    before = text[clause_start : amount.start]
    if _GOAL_OF.search(before):
        return "target"
    # "to $8 billion by 2030" in a report from 2025: a year still ahead is a goal, whatever the verb.
    horizon = _BY_YEAR.match(text[amount.end : amount.end + 20])
    if horizon and anchor and horizon.group(1) > anchor[:4] and _TO_BEFORE_AMOUNT.search(before):
        return "target"
    # "able to increase trade up to US$3 billion": the "up to" is read as the amount's hedge.
    reaches = _TO_BEFORE_AMOUNT.search(before) or amount.amount.hedge == "up to"
    if reaches and TARGET.search(before):
        return "target"
    return "actual"


def _period(
    mentions: SentenceMentions,
    discourse: Discourse,
    amount: AmountMention,
    start: int,
    end: int,
    status: str,
    sides: tuple[str, str],
) -> tuple[str | None, str | None]:
    """The period a figure covers, or a hint ("first five months") when its year is unknown."""
    text = mentions.text
    same = SAME_PERIOD.search(text)
    if same and discourse.last_trade and discourse.last_trade.get("period"):
        return _shift_period(str(discourse.last_trade["period"]), same.group(1), discourse), None
    year = _context_year(discourse)
    periods = figure_periods(text, mentions.dates, year, fiscal_start=discourse.fiscal_start)
    candidates = [d for d in periods if _is_period_candidate(text, d)]
    if status == "target":
        candidates = [d for d in candidates if d.start >= amount.end]
    in_clause = [d for d in candidates if start <= d.start < end]
    chosen = in_clause or (candidates if status == "actual" else [])
    if chosen:
        best = min(chosen, key=lambda d: abs(d.start - amount.start))
        if best.value is None:
            return None, best.text
        return _until_month(text, best), None
    last = discourse.last_trade
    recent = last is not None and mentions.sentence.index - discourse.last_trade_index <= INHERIT_WINDOW
    if status == "actual" and last and recent:
        same_pair = set(sides) == {last["country"], last["partner"]}
        if _PERIOD_ANAPHOR.search(text) or same_pair:
            return last.get("period"), last.get("period_hint")
    return None, None


def _baseline_period(text: str, amount: AmountMention, period: str | None) -> str | None:
    """ "(up from $890 million a year earlier)": the comparison figure covers the year before."""
    if period is None or not _BASELINE_BEFORE.search(text[max(0, amount.start - 20) : amount.start]):
        return period
    if not _YEAR_EARLIER.match(text[amount.end : amount.end + 30]):
        return period
    return "/".join(f"{int(part[:4]) - 1:04d}{part[4:]}" for part in period.split("/"))


def _context_year(discourse: Discourse) -> str | None:
    """The year a year-less period most likely means: the last figure's, else the publication year."""
    if discourse.last_trade and discourse.last_trade.get("period"):
        return str(discourse.last_trade["period"])[:4]
    return discourse.anchor[:4] if discourse.anchor else None


def _is_period_candidate(text: str, mention: DateMention) -> bool:
    if mention.value is None and not mention.relative:
        return False
    # "tariffs that have tripled since 2022": a standing state's start, not the figure's period.
    if is_baseline(text, mention) or is_announcement_date(text, mention) or is_since(text, mention):
        return False
    return not (mention.value and mention.kind == "date" and len(mention.value) == 10)


def _until_month(text: str, mention: DateMention) -> str | None:
    """ "by November" of a year: the months from January to November."""
    value = mention.value
    if value and len(value) == 7 and mention.kind == "date" and _BY_MONTH.search(text[: mention.start]):
        return f"{value[:4]}-01/{value}"
    return value


def _shift_period(period: str, year: str | None, discourse: Discourse) -> str | None:
    if year is None:
        return None
    parts = [f"{year}{part[4:]}" for part in period.split("/")]
    return "/".join(parts)


def _fields(
    sides: tuple[str, str], flow: str, amount: AmountMention, status: str, period: str | None, discourse: Discourse
) -> dict[str, Any]:
    country, partner = sides
    if flow == "total" and country == discourse.hub:
        country, partner = partner, country
    elif flow == "export" and country == discourse.hub:
        country, partner, flow = partner, country, "import"
    elif flow == "import":
        # `sides` is (exporter, importer): the importer is the reporting country.
        country, partner = sides[1], sides[0]
        if country == discourse.hub:
            country, partner, flow = partner, country, "export"
    return {
        "country": country,
        "partner": partner,
        "flow": flow,
        "period": period,
        "status": status,
        **_value_fields(amount),
    }


def _value_fields(amount: AmountMention) -> dict[str, Any]:
    """The amount's fields; a number with no currency in a trade sentence is taken as US dollars."""
    value = amount.amount
    return {
        "amount_usd": value.usd if value.currency else value.value,
        "amount": value.value,
        "currency": value.currency or "USD",
        "currency_assumed": value.currency is None,
        "hedge": value.hedge,
    }
